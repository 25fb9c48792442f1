"""Run-time decoding of custom plugin results.

A custom plugin's result travels as ``google.protobuf.Any`` in
``AnalyzeResponse.custom_results``; the plugin's schema travels as a serialized
``google.protobuf.FileDescriptorSet`` in ``PluginInfo.descriptor_set``. This module turns
such a set into a private :class:`~google.protobuf.descriptor_pool.DescriptorPool` and
message classes, without generated code and without touching the process-wide default
pool (two plugins may ship different versions of the same file).

A plugin may also return a type of nlpd.v1 (``nlpd.v1.EntitiesResult`` from a plugin not
named ``entities``); its descriptor set is then empty and :func:`builtin_class` gives the
generated class.
"""

from __future__ import annotations

from google.protobuf import (
    any_pb2,
    api_pb2,
    descriptor_pb2,
    descriptor_pool,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    message,
    message_factory,
    source_context_pb2,
    struct_pb2,
    timestamp_pb2,
    type_pb2,
    wrappers_pb2,
)

from nlpd.errors import ResultNotFoundError
from nlpd.v1 import config_pb2, document_pb2, nlpd_pb2, plugin_pb2, results_pb2

__all__ = ["build_pool", "builtin_class", "message_class", "type_name", "unpack"]

# The package whose types the server and this client share as generated code.
_BUILTIN_PACKAGE = "nlpd.v1"

# Imported for their side effect: they register the files that a plugin's descriptor
# set may import without including them (well-known types, nlpd/v1/*.proto).
_KNOWN_MODULES = (
    any_pb2, api_pb2, descriptor_pb2, duration_pb2, empty_pb2, field_mask_pb2,
    source_context_pb2, struct_pb2, timestamp_pb2, type_pb2, wrappers_pb2,
    config_pb2, document_pb2, nlpd_pb2, plugin_pb2, results_pb2,
)  # fmt: skip


def _known_file(name: str) -> descriptor_pb2.FileDescriptorProto | None:
    """The FileDescriptorProto of a well-known or nlpd.v1 file, or None."""
    try:
        fd = descriptor_pool.Default().FindFileByName(name)
    except KeyError:
        return None
    proto = descriptor_pb2.FileDescriptorProto()
    fd.CopyToProto(proto)
    return proto


def build_pool(descriptor_set: bytes) -> descriptor_pool.DescriptorPool:
    """Build a new pool from a serialized ``FileDescriptorSet``.

    protobuf's ``message_factory.GetMessages`` adds the files in dependency order,
    whatever their order in the set. An import that the set does not contain is taken
    from the well-known types or from nlpd.v1 when it is one of those files.

    Raises:
        ValueError: the bytes are not a FileDescriptorSet, a file imports something that
            is neither in the set nor known, or a file is invalid (a cyclic import
            included).
    """
    fds = descriptor_pb2.FileDescriptorSet()
    try:
        fds.ParseFromString(descriptor_set)
    except message.DecodeError as exc:
        raise ValueError(f"not a serialized FileDescriptorSet: {exc}") from exc
    files = list(fds.file)
    present = {f.name for f in files}
    # (import, importer) pairs still to be found, outside the set.
    wanted = [(dep, f.name) for f in files for dep in f.dependency if dep not in present]
    while wanted:
        name, importer = wanted.pop()
        if name in present:
            continue
        proto = _known_file(name)
        if proto is None:
            raise ValueError(f"descriptor set lacks file {name!r} (imported by {importer})")
        files.append(proto)
        present.add(name)
        wanted.extend((dep, name) for dep in proto.dependency if dep not in present)
    pool = descriptor_pool.DescriptorPool()
    try:
        message_factory.GetMessages(files, pool=pool)
    except Exception as exc:  # the C/upb pools raise TypeError or their own errors
        raise ValueError(f"invalid descriptor set: {exc}") from exc
    return pool


def message_class(pool: descriptor_pool.DescriptorPool, full_name: str) -> type[message.Message]:
    """The message class of ``full_name`` ("pkg.Message") in ``pool``.

    Raises:
        KeyError: the pool has no such message.
    """
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))


def builtin_class(full_name: str) -> type[message.Message] | None:
    """The generated class of ``full_name`` when it is an nlpd.v1 message this client
    knows (``"nlpd.v1.EntitiesResult"`` -> ``results_pb2.EntitiesResult``), else None.

    The server resolves a plugin's result type in its own nlpd.v1 first, and a plugin
    that returns an nlpd.v1 type ships no descriptor set for it; so does this.
    """
    if full_name.rpartition(".")[0] != _BUILTIN_PACKAGE:
        return None
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(full_name)
    except KeyError:
        return None
    return message_factory.GetMessageClass(descriptor)


def type_name(any_msg: any_pb2.Any) -> str:
    """The full message name from an Any's type_url ("type.googleapis.com/a.B" -> "a.B")."""
    return any_msg.type_url.rpartition("/")[2]


def unpack(any_msg: any_pb2.Any, pool: descriptor_pool.DescriptorPool) -> message.Message:
    """Decode an Any with a message class from ``pool``.

    Raises:
        ResultNotFoundError: the pool does not describe the Any's type.
        google.protobuf.message.DecodeError: the bytes do not parse as that type.
    """
    name = type_name(any_msg)
    try:
        cls = message_class(pool, name)
    except KeyError:
        raise ResultNotFoundError(
            f"type {name!r} (type_url {any_msg.type_url!r}) is not in the descriptor set"
        ) from None
    return cls.FromString(any_msg.value)
