"""nlpctl: command-line access to an nlpd server.

    nlpctl [--target HOST:PORT] [--timeout S] plugins [--json]
    nlpctl [--target HOST:PORT] [--timeout S] analyze FILE|- [--analyses a,b] [--language de]
    nlpctl [--target HOST:PORT] batch FILE... [--jsonl] [--analyses a,b] [--language de]
    nlpctl [--target HOST:PORT] render FILE|- [-o page.html] [--language de]
    nlpctl [--target HOST:PORT] reload | load PATH | unload NAME
    nlpctl new-plugin NAME [--language python|cpp] [--dir DIR]

Every command takes --token (or $NLPD_TOKEN) for a server with --auth_tokens, and
--tls-ca FILE [--tls-cert FILE --tls-key FILE] for one that serves TLS.

``analyze`` prints the response as JSON (protobuf JSON mapping, proto field names) with
custom results decoded into objects. ``batch`` analyzes many documents over one
AnalyzeStream and prints one JSON object per line, ``{"id": ..., "response": {...}}`` or
``{"id": ..., "error": {"code": ..., "message": ...}}``, in input order, with a progress
line on stderr. Exit status: 0 on success, 1 when the server refuses the call or a
batch document failed (the message goes to stderr, prefixed with the gRPC status name),
2 for usage errors. ``render`` analyzes FILE with entities, sentiment and stance and writes
a self-contained HTML page of the results (nlpd.render); FILE may also be saved output of
``analyze`` (JSON) or ``batch`` (JSON Lines), rendered without a server. ``reload``,
``load`` and ``unload`` call the server's Admin service and print one line per change (a
refused file goes to stderr and makes the status 1).

``new-plugin`` needs no server: it copies a plugin template (Python by default, or C++)
into DIR (default ./NAME) with ``myplugin`` renamed to NAME, generates a Python plugin's
result module when grpcio-tools is installed, and prints the commands to build, test and
serve it. Exit status 2 for a bad name, 1 when DIR exists.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from google.protobuf import json_format

import nlpd
from nlpd import new_plugin, render
from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import Error, ResultNotFoundError
from nlpd.readable import format_response
from nlpd.v1 import admin_pb2, config_pb2, nlpd_pb2

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlpctl", description="Talk to an nlpd text-analysis server."
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

    p_plugins = sub.add_parser("plugins", help="list the server's plugins")
    p_plugins.add_argument("--json", action="store_true", help="print JSON instead of a table")

    sub.add_parser(
        "reload",
        help="rescan the server's plugin directories (as SIGHUP does) and print what changed",
    )
    p_load = sub.add_parser("load", help="load a plugin file from a plugin directory")
    p_load.add_argument("path", metavar="PATH", help="path of a libnlpd_<name>.so on the server")
    p_unload = sub.add_parser("unload", help="unload a plugin until it is loaded again")
    p_unload.add_argument("name", metavar="NAME", help="the plugin (analysis) name")

    p_analyze = sub.add_parser("analyze", help="analyze a text file (or - for stdin)")
    p_analyze.add_argument("file", metavar="FILE", help="UTF-8 text file, or - for stdin")
    p_analyze.add_argument(
        "--analyses", default="", help="comma-separated analysis names, e.g. keywords,entities"
    )
    p_analyze.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")
    p_analyze.add_argument(
        "--about",
        action="append",
        default=[],
        metavar="TEXT",
        help="a target of your own for target-dependent analyses (sentiment): every "
        "occurrence of TEXT is judged; repeatable",
    )
    p_analyze.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="json: the whole response (default); text: a readable summary of each analysis",
    )
    p_analyze.add_argument(
        "--compact", action="store_true", help="print JSON on one line instead of indented"
    )

    p_batch = sub.add_parser(
        "batch", help="analyze many documents over one stream; JSON Lines out, in order"
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
    p_batch.add_argument("--analyses", default="", help="comma-separated analysis names")
    p_batch.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")
    p_batch.add_argument("--quiet", action="store_true", help="no progress line on stderr")

    p_render = sub.add_parser(
        "render",
        help="analyze a text (entities, sentiment, stance) and write an HTML page of it",
    )
    p_render.add_argument(
        "file",
        metavar="FILE",
        help="UTF-8 text file, or - for stdin; or saved JSON of analyze (or batch --jsonl)",
    )
    p_render.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="PAGE",
        help="where to write the page (default: stdout)",
    )
    p_render.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")

    p_new = sub.add_parser(
        "new-plugin", help="start a plugin project from a template (no server needed)"
    )
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
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    if not response.plugins:
        err.write("nlpctl: the server has no plugins loaded\n")
    for e in response.load_errors:
        err.write(f"nlpctl: warning: could not load {e.path}: {e.message}\n")
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
            status = EXIT_ERROR
            continue
        versions = (
            f"{c.old_version} -> {c.new_version}"
            if c.action == admin_pb2.PluginChange.RELOADED
            else c.new_version or c.old_version
        )
        out.write(f"{word} {c.name} {versions} ({c.path})\n")
    return status


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


def _cmd_analyze(client: Client, args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    text = _read_text(args.file, stdin)
    analyses = [a.strip() for a in args.analyses.split(",") if a.strip()]
    response = client.analyze(text, analyses, language=args.language, targets=args.about)
    doc = client.to_dict(response)
    if args.format == "text":
        out.write(format_response(response, doc.get("custom_results", {})))
        return EXIT_OK
    json.dump(doc, out, indent=None if args.compact else 2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


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
    """A progress line on stderr: documents done, rate, errors; at most 5 updates/s."""

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
    analyses = [a.strip() for a in args.analyses.split(",") if a.strip()]
    total = None if args.jsonl else len(args.inputs)
    progress = _Progress(err, total, enabled=not args.quiet)
    responses = client.analyze_stream(
        _batch_documents(args, stdin), analyses, language=args.language
    )
    for response in responses:
        failed = response.WhichOneof("outcome") == "error"
        if failed:
            line: dict[str, Any] = {
                "id": response.id,
                "error": {"code": response.error.code, "message": response.error.message},
            }
        else:
            line = {"id": response.id, "response": client.to_dict(response.response)}
        json.dump(line, out, ensure_ascii=False)
        out.write("\n")
        progress.update(failed)
    progress.finish()
    if progress.errors:
        err.write(f"nlpctl: error: {progress.errors} of {progress.done} documents failed\n")
        return EXIT_ERROR
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
        return EXIT_ERROR
    generated = False
    if args.language == "python":
        try:
            generated = new_plugin.generate_module(args.name, directory)
        except RuntimeError as exc:
            err.write(f"nlpctl: error: {exc}\n")
            return EXIT_ERROR
    out.write(new_plugin.next_steps(args.name, args.language, directory, generated))
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run nlpctl with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    if args.command == "new-plugin":
        return _cmd_new_plugin(args, out, err)
    try:
        with Client(
            args.target,
            timeout=args.timeout,
            token=args.token,
            tls_ca=args.tls_ca,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
        ) as client:
            if args.command == "plugins":
                return _cmd_plugins(client, args, out, err)
            if args.command == "reload":
                return _print_changes(client.reload_plugins(), out, err)
            if args.command == "load":
                return _print_changes(client.load_plugin(args.path), out, err)
            if args.command == "unload":
                return _print_changes(client.unload_plugin(args.name), out, err)
            if args.command == "batch":
                return _cmd_batch(client, args, out, err, stdin)
            if args.command == "render":
                return _cmd_render(client, args, out, stdin)
            return _cmd_analyze(client, args, out, stdin)
    except Error as exc:
        err.write(f"nlpctl: error: {exc.code.name}: {exc.message}\n")
        return EXIT_ERROR
    except ResultNotFoundError as exc:
        err.write(f"nlpctl: error: {exc}\n")
        return EXIT_ERROR
    except (OSError, ValueError) as exc:
        err.write(f"nlpctl: error: {exc}\n")
        return EXIT_ERROR


if __name__ == "__main__":  # python -m nlpd.cli
    sys.exit(main())
