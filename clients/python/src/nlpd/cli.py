"""nlpctl: command-line access to an nlpd server.

    nlpctl [global options] analyze [FILE|DIR|-]... [--analyses a,b] [--fields f,g]
           [--format json|table|text] [--language de] [--default-language de] [--strict]
    nlpctl [global options] plugins [--json]
    nlpctl [global options] health [--service NAME]
    nlpctl [global options] version
    nlpctl [global options] render FILE|- [-o page.html] [--language de]
    nlpctl [global options] batch FILE... [--jsonl] [--analyses a,b] [--quiet]
    nlpctl [global options] reload | load PATH | unload NAME
    nlpctl new-plugin NAME [--language python|cpp] [--dir DIR]

Global options: --target HOST:PORT ($NLPD_TARGET), --timeout S, --token ($NLPD_TOKEN),
--tls-ca FILE [--tls-cert FILE --tls-key FILE].

``analyze`` writes one JSON object per document (JSON Lines), flat: ``id`` (the path,
``-`` for stdin), the document's ``text``, ``language``, ``language_source``,
``language_confidence``, ``sentences``, ``tokens``, then ``analyses`` and the results
(``entities``, ``sentiment``, ``stance``, ``custom_results`` decoded). ``--fields``
chooses among those keys (:data:`FIELDS`); the default is all but ``tokens``. A failed
document is ``{"id": ..., "error": {"code": "INVALID_ARGUMENT", "message": ...}}``.
A directory stands for every ``*.txt`` file under it (recursive, sorted by path; hidden
files and directories left out), streamed through :meth:`nlpd.Client.analyze_many`.

Exit statuses (:data:`EXIT_STATUSES`, the same in every command): 0 ok; 1 a document
failed, a requested analysis was skipped under ``--strict``, or the server refused the
request; 2 usage error; 3 server unreachable, not serving or too slow (UNAVAILABLE,
DEADLINE_EXCEEDED, health not SERVING); 4 authentication or permission refused.

``batch`` is the older bulk command, kept for scripts that read its output: JSON Lines
``{"id": ..., "response": {...}}`` (the whole AnalyzeResponse, tokens included) or
``{"id": ..., "error": {"code": N, "message": ...}}``; it now runs on ``analyze_many``
too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import warnings
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import grpc
from google.protobuf import json_format

import nlpd
from nlpd import bulk, new_plugin, render
from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import (
    AnalysisSkippedError,
    AnalysisSkippedWarning,
    Error,
    ResultNotFoundError,
    from_rpc_error,
)
from nlpd.readable import format_response
from nlpd.skipped import skipped_error
from nlpd.v1 import admin_pb2, config_pb2, nlpd_pb2, results_pb2

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
EXIT_AUTH = 4
EXIT_ERROR = EXIT_FAILED  # the name before exit statuses 3 and 4 existed

EXIT_STATUSES = f"""\
exit status (the same for every command):
  {EXIT_OK}  success
  {EXIT_FAILED}  a document failed (empty, not UTF-8, unreadable, unknown analysis, plugin
     error), a requested analysis did not run under --strict, or the server refused
     the request (reload/load/unload refused, unknown plugin, ...)
  {EXIT_USAGE}  usage error: bad option or value, unknown --fields name, missing input path
  {EXIT_UNAVAILABLE}  server unreachable, shutting down, not SERVING (health), or no answer within
     --timeout (UNAVAILABLE, DEADLINE_EXCEEDED)
  {EXIT_AUTH}  the server refused the token: none or unknown (UNAUTHENTICATED), or not
     allowed to do this (PERMISSION_DENIED)
Errors go to stderr as one line, "nlpctl: error: ...", warnings as "nlpctl: warning: ...".
"""

_EXIT_BY_CODE = {
    grpc.StatusCode.UNAVAILABLE: EXIT_UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED: EXIT_UNAVAILABLE,
    grpc.StatusCode.UNAUTHENTICATED: EXIT_AUTH,
    grpc.StatusCode.PERMISSION_DENIED: EXIT_AUTH,
}


def exit_status(error: Error) -> int:
    """The exit status of a failed call: 3 unreachable or too slow, 4 auth, else 1."""
    return _EXIT_BY_CODE.get(error.code, EXIT_FAILED)


class UsageError(Exception):
    """A bad command line found after parsing; exit status 2."""


# -- analyze: fields -------------------------------------------------------------------

# The keys of an ``analyze`` JSON object, in output order, with what each holds.
FIELDS: dict[str, str] = {
    "id": "the input: its path, - for stdin",
    "text": "the analyzed (NFC) text; spans point into it",
    "language": "BCP-47 tag of the document's language",
    "language_source": "how it was chosen (LANGUAGE_SOURCE_CALLER, _IDENTIFIED, ...)",
    "language_confidence": "the identifier's confidence, 0 to 1",
    "sentences": "sentence spans with their token ranges",
    "tokens": "token spans (the bulk of the output; left out by default)",
    "analyses": "each analysis run or skipped: outcome, reason, time",
    "entities": "the entities result",
    "sentiment": "the sentiment result",
    "stance": "the stance result",
    "custom_results": "every other plugin's result by name, decoded",
}
DEFAULT_FIELDS = tuple(f for f in FIELDS if f != "tokens")
_DOCUMENT_FIELDS = ("text", "language", "language_source", "language_confidence")
_RESULT_FIELDS = ("entities", "sentiment", "stance")


def parse_fields(value: str | None) -> tuple[str, ...]:
    """The ``--fields`` names in output order; the default without a value.

    Raises:
        UsageError: an unknown name (the message lists the valid ones), or none given.
    """
    if value is None:
        return DEFAULT_FIELDS
    names = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in names if f not in FIELDS]
    if unknown:
        raise UsageError(
            f"--fields: unknown field{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; valid: {', '.join(FIELDS)}"
        )
    if not names:
        raise UsageError(f"--fields: no field named; valid: {', '.join(FIELDS)}")
    return tuple(f for f in FIELDS if f in names)


def document_view(fields: Collection[str]) -> str:
    """The ``AnalyzeRequest.document_view`` the server needs for ``fields``: tokens
    asked for → ``"full"``; sentences or text but no tokens → ``"no_tokens"``; neither
    → ``"results_only"``."""
    if "tokens" in fields:
        return "full"
    if "sentences" in fields or "text" in fields:
        return "no_tokens"
    return "results_only"


def record(
    client: Client, doc_id: str, response: nlpd_pb2.AnalyzeResponse, fields: Collection[str]
) -> dict[str, Any]:
    """The ``analyze`` JSON object of one document with ``fields`` only. Fields not
    asked for are cleared before conversion (the tokens are most of a response)."""
    document = response.document
    for name in ("text", "sentences", "tokens"):
        if name not in fields:
            document.ClearField(name)
    for name in _RESULT_FIELDS:
        if name not in fields:
            response.ClearField(name)
    if "analyses" not in fields:
        response.ClearField("analyses")
    if "custom_results" not in fields:
        response.ClearField("custom_results")
    whole = client.to_dict(response)
    flat = whole.pop("document", {})
    flat.update(whole)
    flat["id"] = doc_id
    return {name: flat[name] for name in FIELDS if name in fields and name in flat}


def _error_record(doc_id: str, error: Error) -> dict[str, Any]:
    return {"id": doc_id, "error": {"code": error.code.name, "message": error.message}}


# -- analyze: inputs -------------------------------------------------------------------


def directory_files(directory: Path) -> list[Path]:
    """Every ``*.txt`` regular file under ``directory``, recursively, sorted by path;
    names starting with ``.`` (files and directories) are left out, and symbolic links
    to directories are not followed."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if name.endswith(".txt") and not name.startswith(".") and path.is_file():
                found.append(path)
    return sorted(found, key=lambda p: p.parts)


def _input_paths(inputs: Sequence[str], err: TextIO) -> list[str]:
    """The documents of the command line: files and ``-`` as given, directories
    expanded. Checked before the first call.

    Raises:
        UsageError: a path that does not exist, or ``-`` twice.
    """
    paths: list[str] = []
    for given in inputs or ["-"]:
        if given == "-":
            if "-" in paths:
                raise UsageError("- (stdin) given more than once")
            paths.append(given)
        elif os.path.isdir(given):
            files = directory_files(Path(given))
            if not files:
                err.write(f"nlpctl: warning: {given}: no *.txt files in it\n")
            paths.extend(str(f) for f in files)
        elif os.path.exists(given):
            paths.append(given)
        else:
            raise UsageError(f"{given}: no such file or directory")
    return paths


def _read_text(path: str, stdin: TextIO) -> str:
    if path == "-":
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        name = "<stdin>"
    else:
        with open(path, "rb") as f:
            data = f.read()
        name = path
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is not valid UTF-8: {exc}") from exc


def _unreadable(exc: OSError | ValueError) -> Error:
    """A document that could not be read, as a failed document (INVALID_ARGUMENT)."""
    message = f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError) else str(exc)
    return Error(grpc.StatusCode.INVALID_ARGUMENT, message)


@dataclass
class _Outcome:
    """One document's result: ``response`` or ``error``. A strict-mode error's message
    does not name the document (the record and the stderr line do)."""

    id: str
    response: nlpd_pb2.AnalyzeResponse | None
    error: Error | None

    def __post_init__(self) -> None:
        if isinstance(self.error, AnalysisSkippedError):
            assert isinstance(self.error.response, nlpd_pb2.AnalyzeResponse)
            self.error = skipped_error(self.error.response) or self.error


class _Documents:
    """The documents' ``(id, text)`` pairs, read lazily (by analyze_many's thread). A
    file that cannot be read is not sent: it is queued in ``order`` as a failure, in
    its place among the documents sent, for :meth:`merge`."""

    def __init__(self, paths: list[str], stdin: TextIO) -> None:
        self._paths = paths
        self._stdin = stdin
        # ("sent", id, None) or ("failed", id, error), in input order; deque appends and
        # pops are atomic, so the reading thread and the writer can share it.
        self.order: deque[tuple[str, str, Error | None]] = deque()

    def __len__(self) -> int:
        return len(self._paths)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for path in self._paths:
            try:
                text = _read_text(path, self._stdin)
            except (OSError, ValueError) as exc:
                self.order.append(("failed", path, _unreadable(exc)))
                continue
            self.order.append(("sent", path, None))
            yield path, text

    def merge(self, results: Iterator[nlpd.BulkResult]) -> Iterator[_Outcome]:
        """The outcomes in input order: ``results`` (in order) with the unreadable
        documents in their places."""
        for result in results:
            while True:
                kind, doc_id, error = self.order.popleft()
                if kind == "sent":
                    break
                yield _Outcome(doc_id, None, error)
            yield _Outcome(result.id, result.response, result.error)
        while self.order:
            _, doc_id, error = self.order.popleft()
            yield _Outcome(doc_id, None, error)


def _per_document(error: Error) -> bool:
    """True for a failure of one document; the others (unreachable, auth, deadline)
    end the command, as they would end analyze_many's streams."""
    return error.code not in _EXIT_BY_CODE and error.code != grpc.StatusCode.CANCELLED


def _one_by_one(
    client: Client, paths: list[str], args: argparse.Namespace, view: str, stdin: TextIO
) -> Iterator[_Outcome]:
    """One Analyze call per document (retried on UNAVAILABLE): for a single document,
    and for ``--about``, which streams do not take."""
    for path in paths:
        try:
            text = _read_text(path, stdin)
        except (OSError, ValueError) as exc:
            yield _Outcome(path, None, _unreadable(exc))
            continue
        try:
            response = client.analyze(
                text,
                args.analyses,
                language=args.language,
                default_language=args.default_language,
                targets=args.about,
                strict=args.strict,
                document_view=view,
            )
        except Error as exc:
            if not _per_document(exc):
                raise
            yield _Outcome(path, None, exc)
            continue
        yield _Outcome(path, response, None)


def _streamed(
    client: Client,
    paths: list[str],
    args: argparse.Namespace,
    view: str,
    stdin: TextIO,
    progress: bool,
) -> Iterator[_Outcome]:
    documents = _Documents(paths, stdin)
    results = client.analyze_many(
        documents,
        args.analyses,
        language=args.language,
        default_language=args.default_language,
        concurrency=args.concurrency,
        progress=progress,
        strict=args.strict,
        document_view=view,
    )
    yield from documents.merge(results)


class _Report:
    """Failed documents and skipped analyses on stderr: one line each up to
    ``LIMIT`` of a kind, then a summary line at the end."""

    LIMIT = 10

    def __init__(self, err: TextIO, quiet: bool) -> None:
        self._err = err
        self._quiet = quiet
        self.documents = self.failed = self.skipped = 0

    def add(self, outcome: _Outcome) -> None:
        self.documents += 1
        if outcome.error is not None:
            self.failed += 1
            if self.failed <= self.LIMIT:
                code = outcome.error.code.name
                if isinstance(outcome.error, AnalysisSkippedError):
                    code = "skipped"  # FAILED_PRECONDITION says less
                self._err.write(f"nlpctl: error: {outcome.id}: {code}: {outcome.error.message}\n")
            return
        assert outcome.response is not None
        skipped = skipped_error(outcome.response, f"{outcome.id}: ")
        if skipped is not None:
            self.skipped += 1
            if self.skipped <= self.LIMIT and not self._quiet:
                self._err.write(f"nlpctl: warning: {skipped.message}\n")

    def finish(self) -> int:
        if self.skipped and not self._quiet and (self.skipped > self.LIMIT or self.documents > 1):
            self._err.write(
                f"nlpctl: warning: requested analyses did not run on {self.skipped} of "
                f"{self.documents} documents (--strict makes that an error)\n"
            )
        if self.failed and (self.failed > self.LIMIT or self.documents > 1):
            self._err.write(f"nlpctl: error: {self.failed} of {self.documents} documents failed\n")
        return EXIT_FAILED if self.failed else EXIT_OK


# -- analyze: formats ------------------------------------------------------------------

TABLE_ANALYSES = ["entities", "sentiment", "stance"]
_TABLE_HEADER = ("ID", "LANGUAGE", "SENTIMENT", "STANCE", "ENTITIES")


def table_row(outcome: _Outcome) -> tuple[str, ...]:
    """A row of ``--format table``: id, language, document sentiment (label, score),
    stance (balance, favor and against statements), entities (label and text, each
    once, first-mention order); ``-`` for an analysis that did not run."""
    if outcome.error is not None:
        return (outcome.id, "-", "-", "-", f"error: {outcome.error.code.name}: {outcome.error}")
    response = outcome.response
    assert response is not None
    sentiment = "-"
    if response.HasField("sentiment"):
        polarity = response.sentiment.document
        sentiment = f"{results_pb2.Polarity.Label.Name(polarity.label)} {polarity.score:+.2f}"
    stance = "-"
    if response.HasField("stance"):
        s = response.stance
        stance = f"{s.balance:+.2f} ({s.favor} favor, {s.against} against)"
    entities = "-"
    if response.HasField("entities"):
        seen = dict.fromkeys(f"{e.label} {e.text}" for e in response.entities.entities)
        entities = ", ".join(seen) or "(none)"
    return (outcome.id, response.document.language, sentiment, stance, entities)


def write_table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    """Rows under their header, columns aligned; the last one is not padded."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def _cmd_analyze(
    client: Client, args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO
) -> int:
    if args.fields is not None and args.format != "json":
        raise UsageError("--fields applies to --format json only")
    fields = parse_fields(args.fields)
    paths = _input_paths(args.inputs, err)
    if args.format == "table":
        args.analyses = args.analyses or TABLE_ANALYSES
        view = "results_only"
    elif args.format == "text":
        view = "full"  # the summary counts tokens and quotes the text
    else:
        view = document_view(fields)
    progress = len(paths) > 1 and not (args.quiet or args.no_progress) and err.isatty()
    if len(paths) <= 1 or args.about:
        outcomes = _one_by_one(client, paths, args, view, stdin)
    else:
        outcomes = _streamed(client, paths, args, view, stdin, progress)
    report = _Report(err, args.quiet)
    rows: list[tuple[str, ...]] = [_TABLE_HEADER]
    for outcome in outcomes:
        report.add(outcome)
        if args.format == "table":
            rows.append(table_row(outcome))
        elif args.format == "text":
            if len(paths) > 1:
                out.write(f"{'' if report.documents == 1 else chr(10)}==> {outcome.id} <==\n")
            if outcome.response is None:
                assert outcome.error is not None
                out.write(f"error: {outcome.error.code.name}: {outcome.error}\n")
            else:
                custom = client.to_dict(outcome.response).get("custom_results", {})
                out.write(format_response(outcome.response, custom))
        else:
            if outcome.response is None:
                assert outcome.error is not None
                line = _error_record(outcome.id, outcome.error)
            else:
                line = record(client, outcome.id, outcome.response, fields)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.format == "table" and len(rows) > 1:
        write_table(rows, out)
    return report.finish()


# -- other commands --------------------------------------------------------------------


def _plugin_dict(info: nlpd_pb2.PluginInfo) -> dict[str, Any]:
    d = json_format.MessageToDict(
        info, always_print_fields_with_no_presence=True, preserving_proto_field_name=True
    )
    d.pop("descriptor_set", None)  # binary schema; its size is more useful to a reader
    d["descriptor_set_size"] = len(info.descriptor_set)
    return d


def _cmd_plugins(client: Client, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def _cmd_health(client: Client, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def _cmd_version(client: Client, out: TextIO) -> int:
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


def _print_changes(changes: admin_pb2.PluginChanges, out: TextIO, err: TextIO) -> int:
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


def _cmd_render(client: Client, args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    text = _read_text(args.file, stdin)
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
            yield path, _read_text(path, stdin)
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


def _cmd_batch(
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


def _cmd_new_plugin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


# -- command line ----------------------------------------------------------------------


def _analyses(value: str) -> list[str]:
    return [a.strip() for a in value.split(",") if a.strip()]


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return number


_FIELDS_HELP = "\n".join(f"  {name:20} {meaning}" for name, meaning in FIELDS.items())

ANALYZE_EPILOG = f"""\
inputs:
  FILE   a UTF-8 text file, one document; its id is the path as given
  DIR    every *.txt file under DIR, recursively, sorted by path; files and
         directories whose names start with "." are left out, symbolic links to
         directories are not followed; each file's id is its path (DIR/sub/a.txt)
  -      stdin, one document (id "-"); also the input when none is given
  One document is sent with one Analyze call (retried while the server starts);
  more are streamed through Client.analyze_many (16 streams, ordered, bounded
  memory): 1,590 files/s where batch (one stream, whole responses) did 197,
  with entities,sentiment,stance 500 where it did 126: 2,000 files of 315 bytes
  on a busy 2-core machine, medians of 3 (clients/python/README.md, "nlpctl").

output (--format json, the default): one JSON object per document, one per
line (JSON Lines), in input order, with these keys (--fields picks some):
{_FIELDS_HELP}
  Default: all but tokens. A result that did not run is left out ("analyses"
  says why). A failed document is {{"id": ..., "error": {{"code": "NAME",
  "message": ...}}}} whatever --fields says, and its error goes to stderr too.

--format table: one row per document, columns ID, LANGUAGE, SENTIMENT (the
  document's label and score), STANCE (balance, statements in favor and
  against escalation), ENTITIES (label and text, each once); "-" where the
  analysis did not run. Without --analyses: entities,sentiment,stance.
--format text: the readable summary of each document (language, entities,
  sentiment per target, stance statements with actors and cues), each under
  "==> ID <==" when there are several.

Skipped analyses (a language a plugin does not support, ...) are a warning
line on stderr; with --strict the document fails instead (exit status 1).
A progress bar goes to stderr when it is a terminal and there are several
documents (--no-progress or --quiet: none).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlpctl",
        description="Talk to an nlpd text-analysis server.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--target",
        default=os.environ.get("NLPD_TARGET", DEFAULT_TARGET),
        help="server address HOST:PORT (default: $NLPD_TARGET or %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="deadline per call in seconds (default 60)"
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("NLPD_TOKEN"),
        help="bearer token for a server with --auth_tokens (default: $NLPD_TOKEN)",
    )
    parser.add_argument(
        "--tls-ca", metavar="FILE", help="connect with TLS; PEM CA of the server's certificate"
    )
    parser.add_argument(
        "--tls-cert", metavar="FILE", help="PEM client certificate (mutual TLS, with --tls-key)"
    )
    parser.add_argument("--tls-key", metavar="FILE", help="PEM key of --tls-cert")
    parser.add_argument("--version", action="version", version=f"nlpctl {nlpd.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str, epilog: str | None = None) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=(epilog + "\n" if epilog else "") + EXIT_STATUSES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p_analyze = add(
        "analyze",
        "analyze text files, directories of them, or stdin; JSON Lines out",
        ANALYZE_EPILOG,
    )
    p_analyze.add_argument(
        "inputs", nargs="*", metavar="FILE|DIR|-", help="what to analyze (default: -, stdin)"
    )
    p_analyze.add_argument(
        "--analyses",
        type=_analyses,
        default=[],
        metavar="A,B",
        help="analyses to run, e.g. keywords,entities (default: none, the text pipeline "
        "only; with --format table: entities,sentiment,stance)",
    )
    p_analyze.add_argument(
        "--fields",
        default=None,
        metavar="F,G",
        help="the keys of each JSON object, e.g. id,language,entities,sentiment "
        "(default: all but tokens; the list is below)",
    )
    p_analyze.add_argument(
        "--format",
        choices=("json", "table", "text"),
        default="json",
        help="json: JSON Lines (default); table: a row per document; text: a readable "
        "summary of each",
    )
    p_analyze.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")
    p_analyze.add_argument(
        "--default-language",
        default=None,
        metavar="LANG",
        help="the language to assume when the server cannot identify it with confidence "
        "(short texts)",
    )
    p_analyze.add_argument(
        "--strict",
        action="store_true",
        help="a document on which a requested analysis did not run fails (exit status 1) "
        "instead of a warning",
    )
    p_analyze.add_argument(
        "--about",
        action="append",
        default=[],
        metavar="TEXT",
        help="a target of your own for target-dependent analyses (sentiment): every "
        "occurrence of TEXT is judged; repeatable (documents are then sent one by one)",
    )
    p_analyze.add_argument(
        "--concurrency",
        type=_positive_int,
        default=bulk.DEFAULT_CONCURRENCY,
        metavar="N",
        help="streams for several documents (default %(default)s)",
    )
    p_analyze.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p_analyze.add_argument(
        "--quiet", action="store_true", help="no progress bar and no warnings on stderr"
    )
    # Before JSON Lines, analyze indented its one object unless --compact; accepted, so
    # that scripts which pass it keep working. Output is always one line per document.
    p_analyze.add_argument("--compact", action="store_true", help=argparse.SUPPRESS)

    p_plugins = add("plugins", "list the server's plugins")
    p_plugins.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p_health = add(
        "health",
        "ask the server's gRPC health service; prints SERVING or NOT_SERVING",
        "exit status 0 when SERVING, 3 when not (or unreachable).",
    )
    p_health.add_argument(
        "--service",
        default="",
        metavar="NAME",
        help="one service, e.g. nlpd.v1.AnalysisService (default: the server as a whole)",
    )

    add(
        "version",
        "print nlpctl's version and the server's (version, build type, plugin ABI)",
        "nlpctl --version prints nlpctl's alone, without asking a server.",
    )

    p_render = add(
        "render", "analyze a text (entities, sentiment, stance) and write an HTML page of it"
    )
    p_render.add_argument(
        "file",
        metavar="FILE",
        help="UTF-8 text file, or - for stdin; or saved output of analyze (JSON Lines) "
        "or batch, rendered without a server",
    )
    p_render.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="PAGE",
        help="where to write the page (default: stdout)",
    )
    p_render.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")

    p_batch = add(
        "batch",
        "the older bulk command: whole responses as JSON Lines {id, response}, in order",
        "Kept for scripts that read its output; analyze DIR is the bulk command now.",
    )
    p_batch.add_argument(
        "inputs",
        nargs="+",
        metavar="FILE",
        help="UTF-8 text files, one document each (id: the path); with --jsonl, JSON Lines "
        'files of {"id": ..., "text": ...} objects; - reads stdin',
    )
    p_batch.add_argument(
        "--jsonl", action="store_true", help="inputs are JSON Lines of id and text"
    )
    p_batch.add_argument(
        "--analyses", type=_analyses, default=[], help="comma-separated analysis names"
    )
    p_batch.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")
    p_batch.add_argument("--quiet", action="store_true", help="no progress line on stderr")

    add(
        "reload",
        "rescan the server's plugin directories (as SIGHUP does) and print what changed",
    )
    p_load = add("load", "load a plugin file from a plugin directory")
    p_load.add_argument("path", metavar="PATH", help="path of a libnlpd_<name>.so on the server")
    p_unload = add("unload", "unload a plugin until it is loaded again")
    p_unload.add_argument("name", metavar="NAME", help="the plugin (analysis) name")

    p_new = add("new-plugin", "start a plugin project from a template (no server needed)")
    p_new.add_argument("name", metavar="NAME", help="the analysis name, [a-z][a-z0-9_]*")
    p_new.add_argument(
        "--language",
        choices=new_plugin.LANGUAGES,
        default=new_plugin.DEFAULT_LANGUAGE,
        help="python (default): a .py file run by python -m nlpd.plugin_host; "
        "cpp: a shared library built with the installed SDK (CMake)",
    )
    p_new.add_argument("--dir", default=None, help="where to create it (default: ./NAME)")
    return parser


def _run(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    with Client(
        args.target,
        timeout=args.timeout,
        token=args.token,
        tls_ca=args.tls_ca,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    ) as client:
        if args.command == "analyze":
            return _cmd_analyze(client, args, out, err, stdin)
        if args.command == "plugins":
            return _cmd_plugins(client, args, out, err)
        if args.command == "health":
            return _cmd_health(client, args, out, err)
        if args.command == "version":
            return _cmd_version(client, out)
        if args.command == "reload":
            return _print_changes(client.reload_plugins(), out, err)
        if args.command == "load":
            return _print_changes(client.load_plugin(args.path), out, err)
        if args.command == "unload":
            return _print_changes(client.unload_plugin(args.name), out, err)
        if args.command == "batch":
            return _cmd_batch(client, args, out, err, stdin)
        return _cmd_render(client, args, out, stdin)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run nlpctl with ``argv`` (default ``sys.argv[1:]``); returns the exit status
    (:data:`EXIT_STATUSES`). A bad command line exits with status 2 (SystemExit)."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "new-plugin":
        return _cmd_new_plugin(args, out, err)

    def one_line(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        err.write(f"nlpctl: warning: {message}\n")

    with warnings.catch_warnings():
        # nlpctl reports skipped analyses itself (_Report), per document; any other
        # warning is one line, without Python's file and line.
        warnings.simplefilter("ignore", AnalysisSkippedWarning)
        warnings.showwarning = one_line
        try:
            return _run(args, out, err, stdin)
        except UsageError as exc:
            err.write(f"nlpctl: error: {exc}\n")
            return EXIT_USAGE
        except Error as exc:
            err.write(f"nlpctl: error: {exc.code.name}: {exc.message}\n")
            return exit_status(exc)
        except ResultNotFoundError as exc:
            err.write(f"nlpctl: error: {exc}\n")
            return EXIT_FAILED
        except BrokenPipeError:
            # The reader went away (nlpctl analyze DIR | head): stop quietly, and keep
            # Python from failing again when it flushes stdout at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, sys.stdout.fileno())
            return EXIT_FAILED
        except (OSError, ValueError) as exc:
            err.write(f"nlpctl: error: {exc}\n")
            return EXIT_FAILED
        except KeyboardInterrupt:
            err.write("nlpctl: interrupted\n")
            return 130


if __name__ == "__main__":  # python -m nlpd.cli
    sys.exit(main())
