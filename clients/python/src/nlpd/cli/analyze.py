"""``nlpctl analyze``: inputs (files, directories, stdin), the fields of each record, and
the output formats (JSON Lines, table, text)."""

from __future__ import annotations

import argparse
import json
import os
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import grpc

import nlpd
from nlpd.cli.status import EXIT_BY_CODE, EXIT_FAILED, EXIT_OK, UsageError
from nlpd.client import Client
from nlpd.errors import (
    AnalysisSkippedError,
    Error,
)
from nlpd.readable import format_response
from nlpd.skipped import skipped_error
from nlpd.v1 import nlpd_pb2, results_pb2

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


def results_wanted(fields: Collection[str], analyses: Collection[str]) -> tuple[str, ...]:
    """The ``AnalyzeRequest.results`` for ``fields``: the built-in results asked for,
    when each is a requested analysis (so the server runs it); else ``()``, all
    results (custom results asked for, a dependency's result, or none named)."""
    if "custom_results" in fields:
        return ()
    wanted = tuple(name for name in _RESULT_FIELDS if name in fields)
    if not wanted or any(name not in analyses for name in wanted):
        return ()
    return wanted


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


def read_text(path: str, stdin: TextIO) -> str:
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
                text = read_text(path, self._stdin)
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
    return error.code not in EXIT_BY_CODE and error.code != grpc.StatusCode.CANCELLED


def _one_by_one(
    client: Client, paths: list[str], args: argparse.Namespace, view: str, stdin: TextIO
) -> Iterator[_Outcome]:
    """One Analyze call per document (retried on UNAVAILABLE): for a single document,
    and for ``--about``, which streams do not take."""
    for path in paths:
        try:
            text = read_text(path, stdin)
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
                results=args.results,
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
        results=args.results,
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


def cmd_analyze(
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
    # Only the results the output shows (JSON with --fields naming some).
    args.results = results_wanted(fields, args.analyses or ()) if args.format == "json" else ()
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
