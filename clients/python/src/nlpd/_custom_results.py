"""Decoding of custom results, shared by :class:`nlpd.Client` and
:class:`nlpd.AsyncClient` (which differ only in how they call ListPlugins).

A custom result is decoded into the caller's generated class when given, into the
generated class of an nlpd.v1 type, or else into a class built at run time from the
descriptor set its plugin publishes in ``PluginInfo.descriptor_set``
(:class:`PluginTypes` keeps those per plugin name and version).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from google.protobuf import any_pb2, descriptor_pool, message

from nlpd import descriptors
from nlpd.errors import ResultNotFoundError
from nlpd.readable import skip_reason
from nlpd.v1 import nlpd_pb2

__all__ = ["PluginTypes", "decode_known", "find", "plugin_version"]


def find(response: nlpd_pb2.AnalyzeResponse, name: str) -> any_pb2.Any:
    """``response.custom_results[name]``.

    Raises:
        nlpd.ResultNotFoundError: there is none; the message lists those present and
            says why this one is absent when the response tells (skipped, or a typed
            field).
    """
    if name in response.custom_results:
        return response.custom_results[name]
    present = ", ".join(sorted(response.custom_results)) or "none"
    hint = ""
    info = next((a for a in response.analyses if a.name == name), None)
    if info is not None and info.outcome != nlpd_pb2.AnalysisInfo.OK:
        hint = f"; {name!r} was skipped: {skip_reason(info, response.document.language)}"
    elif name in ("entities", "sentiment", "stance") and response.HasField(name):
        hint = f"; the result of {name!r} is a typed field: read response.{name}"
    raise ResultNotFoundError(
        f"no custom result {name!r} in the response (present: {present}){hint}"
    )


def decode_known(
    any_msg: any_pb2.Any, name: str, result_type: type[message.Message] | None
) -> message.Message | None:
    """The result decoded without the server: into ``result_type`` when given, else
    into the generated class of an nlpd.v1 type; None when its type needs the plugin's
    descriptor set.

    Raises:
        TypeError: ``result_type`` is not the result's type.
    """
    actual = descriptors.type_name(any_msg)
    if result_type is not None:
        expected = result_type.DESCRIPTOR.full_name
        if actual != expected:
            raise TypeError(f"custom result {name!r} is a {actual}, not a {expected}")
        return result_type.FromString(any_msg.value)
    builtin = descriptors.builtin_class(actual)
    return builtin.FromString(any_msg.value) if builtin is not None else None


def plugin_version(response: nlpd_pb2.AnalyzeResponse, name: str) -> str:
    """The version of the plugin that made result ``name``, as the response reports it
    ("" when it does not)."""
    return next((a.version for a in response.analyses if a.name == name), "")


@dataclass
class _Entry:
    info: nlpd_pb2.PluginInfo
    pool: descriptor_pool.DescriptorPool | None = None


class PluginTypes:
    """The loaded plugins' result types, from ListPlugins: plugin name -> its
    PluginInfo and, built on first use, a descriptor pool of its descriptor set.
    Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def update(self, response: nlpd_pb2.ListPluginsResponse) -> None:
        """Replaces the cache with ``response``'s plugins; a plugin whose version and
        descriptor set are unchanged keeps its built pool."""
        with self._lock:
            fresh: dict[str, _Entry] = {}
            for info in response.plugins:
                old = self._entries.get(info.name)
                same = (
                    old is not None
                    and old.info.version == info.version
                    and old.info.descriptor_set == info.descriptor_set
                )
                fresh[info.name] = old if same and old is not None else _Entry(info)
            self._entries = fresh

    def knows(self, name: str, version: str) -> bool:
        """Whether plugin ``name`` is cached, in ``version`` unless that is empty; if
        not, the caller calls ListPlugins and :meth:`update` before :meth:`pool`."""
        with self._lock:
            entry = self._entries.get(name)
        return entry is not None and (not version or entry.info.version == version)

    def pool(self, name: str) -> descriptor_pool.DescriptorPool:
        """The descriptor pool of plugin ``name``'s result type.

        Raises:
            nlpd.ResultNotFoundError: no such plugin, or it publishes no (or an
                unusable) descriptor set.
        """
        with self._lock:
            entry = self._entries.get(name)
        if entry is None:
            raise ResultNotFoundError(f"the server lists no plugin named {name!r}")
        if not entry.info.descriptor_set:
            # Types of nlpd.v1 come without one, and decode_known decodes those this
            # client knows: this one is newer than the client.
            unknown = (
                " (an nlpd.v1 type this client does not know: update the nlpd package)"
                if entry.info.result_type.startswith("nlpd.v1.")
                else ""
            )
            raise ResultNotFoundError(
                f"plugin {name!r} publishes no descriptor set for its result type "
                f"{entry.info.result_type!r}{unknown}"
            )
        with self._lock:
            if entry.pool is None:
                try:
                    entry.pool = descriptors.build_pool(entry.info.descriptor_set)
                except ValueError as exc:
                    raise ResultNotFoundError(
                        f"plugin {name!r} publishes an unusable descriptor set: {exc}"
                    ) from exc
            return entry.pool
