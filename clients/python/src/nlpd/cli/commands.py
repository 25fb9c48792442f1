"""The other nlpctl commands: plugins, health, version, reload/load/unload, render,
batch and new-plugin."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import grpc
from google.protobuf import json_format

import nlpd
from nlpd import new_plugin, render
from nlpd.cli.analyze import read_text, write_table
from nlpd.cli.status import EXIT_FAILED, EXIT_OK, EXIT_UNAVAILABLE, EXIT_USAGE
from nlpd.client import Client
from nlpd.errors import (
    from_rpc_error,
)
from nlpd.v1 import admin_pb2, config_pb2, nlpd_pb2

# -- other commands --------------------------------------------------------------------


def _plugin_dict(info: nlpd_pb2.PluginInfo) -> dict[str, Any]:
    d = json_format.MessageToDict(
        info, always_print_fields_with_no_presence=True, preserving_proto_field_name=True
    )
    d.pop("descriptor_set", None)  # binary schema; its size is more useful to a reader
    d["descriptor_set_size"] = len(info.descriptor_set)
    return d


def cmd_plugins(client: Client, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    response = client.list_plugins()
    if args.json:
        doc = {
            "plugins": [_plugin_dict(p) for p in response.plugins],
            "load_errors": [
                json_format.MessageToDict(e, preserving_proto_field_name=True)
                for e in response.load_errors
            ],
        }
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    header = (
        "NAME",
        "VERSION",
        "LANGUAGES",
        "DEPENDS ON",
        "RESULT TYPE",
        "RUNS",
        "RESTARTS",
        "DESCRIPTION",
    )
    rows = [header] + [
        (
            p.name,
            p.version,
            ",".join(p.languages) or "-",
            ",".join(p.dependencies) or "-",
            p.result_type or "-",
            "isolated" if p.isolation == config_pb2.PROCESS else "in-process",
            str(p.restarts),
            p.description,
        )
        for p in response.plugins
    ]
    write_table(rows, out)
    if not response.plugins:
        err.write("nlpctl: the server has no plugins loaded\n")
    for e in response.load_errors:
        err.write(f"nlpctl: warning: could not load {e.path}: {e.message}\n")
    return EXIT_OK


# grpc.health.v1.HealthCheckResponse.ServingStatus, by number.
HEALTH_STATUSES = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def _health_request(service: str) -> bytes:
    """A serialized grpc.health.v1.HealthCheckRequest (field 1: service). The client
    has no generated health module; the message is one string."""
    data = service.encode()
    length = bytearray()
    n = len(data)
    while True:
        length.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return (b"\x0a" + bytes(length) + data) if data else b""


def _health_status(data: bytes) -> int:
    """The status number of a serialized grpc.health.v1.HealthCheckResponse (field 1,
    an enum: one varint; 0 when absent)."""
    if len(data) >= 2 and data[0] == 0x08:
        return data[1] & 0x7F
    return 0


def cmd_health(client: Client, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    check = client.channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=_health_request,
        response_deserializer=_health_status,
    )
    metadata = (("authorization", f"Bearer {args.token}"),) if args.token else ()
    try:
        status = check(args.service, timeout=args.timeout, metadata=metadata)
    except grpc.RpcError as exc:
        raise from_rpc_error(exc) from exc
    name = HEALTH_STATUSES.get(status, str(status))
    out.write(f"{name}\n")
    return EXIT_OK if name == "SERVING" else EXIT_UNAVAILABLE


def cmd_version(client: Client, out: TextIO) -> int:
    out.write(f"nlpctl {nlpd.__version__}\n")
    out.flush()
    response = client.list_plugins()
    if not response.HasField("server") or not response.server.version:
        out.write(f"nlpd at {client.target}: version not reported (a server before 0.1)\n")
        return EXIT_OK
    info = response.server
    out.write(
        f"nlpd {info.version} ({info.build_type}, plugin ABI {info.abi_version}) "
        f"at {client.target}\n"
    )
    return EXIT_OK


_ACTION_WORDS = {
    admin_pb2.PluginChange.LOADED: "loaded",
    admin_pb2.PluginChange.RELOADED: "reloaded",
    admin_pb2.PluginChange.UNLOADED: "unloaded",
    admin_pb2.PluginChange.REFUSED: "refused",
}


def print_changes(changes: admin_pb2.PluginChanges, out: TextIO, err: TextIO) -> int:
    """One line per change; refusals go to stderr and make the exit status 1."""
    if not changes.changes:
        out.write("no changes\n")
    status = EXIT_OK
    for c in changes.changes:
        word = _ACTION_WORDS.get(c.action, "changed")
        if c.action == admin_pb2.PluginChange.REFUSED:
            err.write(f"nlpctl: refused {c.path}: {c.message}\n")
            status = EXIT_FAILED
            continue
        versions = (
            f"{c.old_version} -> {c.new_version}"
            if c.action == admin_pb2.PluginChange.RELOADED
            else c.new_version or c.old_version
        )
        out.write(f"{word} {c.name} {versions} ({c.path})\n")
    return status


RENDER_ANALYSES = ["entities", "sentiment", "stance"]


def cmd_render(client: Client, args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    text = read_text(args.file, stdin)
    responses = render.responses_from_json(text)
    if responses is None:
        responses = [client.analyze(text, RENDER_ANALYSES, language=args.language)]
    elif not responses:
        raise ValueError(f"{args.file}: no analyzed document in it (every one failed)")
    page = render.html(responses)
    if args.output == "-":
        out.write(page)
    else:
        Path(args.output).write_text(page, encoding="utf-8")
    return EXIT_OK


def _batch_documents(args: argparse.Namespace, stdin: TextIO) -> Iterator[tuple[str, str]]:
    """Yields (id, text) lazily, so inputs of any size stream through."""
    for path in args.inputs:
        if not args.jsonl:
            yield path, read_text(path, stdin)
            continue
        lines = stdin if path == "-" else open(path, encoding="utf-8")
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    doc_id, text = item["id"], item["text"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(
                        f"{path}:{number}: expected a JSON object with id and text ({exc})"
                    ) from exc
                yield str(doc_id), text
        finally:
            if lines is not stdin:
                lines.close()


class _Progress:
    """batch's progress line on stderr: documents done, rate, errors; at most 5
    updates/s."""

    def __init__(self, err: TextIO, total: int | None, enabled: bool) -> None:
        self._err = err
        self._total = total
        self._enabled = enabled
        self._start = time.monotonic()
        self._last = 0.0
        self.done = 0
        self.errors = 0

    def update(self, failed: bool) -> None:
        self.done += 1
        self.errors += int(failed)
        now = time.monotonic()
        if now - self._last >= 0.2:
            self._last = now
            self._write(end="\r")

    def finish(self) -> None:
        self._write(end="\n")

    def _write(self, end: str) -> None:
        if not self._enabled:
            return
        elapsed = max(time.monotonic() - self._start, 1e-9)
        of_total = f"/{self._total}" if self._total is not None else ""
        self._err.write(
            f"nlpctl: {self.done}{of_total} documents, {self.done / elapsed:.0f}/s, "
            f"{self.errors} failed{end}"
        )
        self._err.flush()


def cmd_batch(
    client: Client, args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO
) -> int:
    """The older bulk command; its output is unchanged (whole responses, numeric codes),
    its engine is analyze_many (it was one AnalyzeStream)."""
    total = None if args.jsonl else len(args.inputs)
    progress = _Progress(err, total, enabled=not args.quiet)
    for result in client.analyze_many(
        _batch_documents(args, stdin), args.analyses, language=args.language
    ):
        if result.error is not None:
            line: dict[str, Any] = {
                "id": result.id,
                "error": {"code": result.error.code.value[0], "message": result.error.message},
            }
        else:
            assert result.response is not None
            line = {"id": result.id, "response": client.to_dict(result.response)}
        json.dump(line, out, ensure_ascii=False)
        out.write("\n")
        progress.update(result.error is not None)
    progress.finish()
    if progress.errors:
        err.write(f"nlpctl: error: {progress.errors} of {progress.done} documents failed\n")
        return EXIT_FAILED
    return EXIT_OK


def cmd_new_plugin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    directory = Path(args.dir if args.dir is not None else args.name)
    try:
        new_plugin.create(args.name, args.language, directory)
    except ValueError as exc:
        err.write(f"nlpctl: error: {exc}\n")
        return EXIT_USAGE
    except (OSError, RuntimeError) as exc:
        err.write(f"nlpctl: error: {exc}\n")
        return EXIT_FAILED
    generated = False
    if args.language == "python":
        try:
            generated = new_plugin.generate_module(args.name, directory)
        except RuntimeError as exc:
            err.write(f"nlpctl: error: {exc}\n")
            return EXIT_FAILED
    out.write(new_plugin.next_steps(args.name, args.language, directory, generated))
    return EXIT_OK
