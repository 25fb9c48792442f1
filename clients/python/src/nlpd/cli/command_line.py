"""nlpctl's command line: the parser and the dispatch to the commands."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

import nlpd
from nlpd import bulk, new_plugin
from nlpd.cli.analyze import FIELDS, cmd_analyze
from nlpd.cli.commands import (
    cmd_batch,
    cmd_health,
    cmd_new_plugin,
    cmd_plugins,
    cmd_render,
    cmd_version,
    print_changes,
)
from nlpd.cli.status import EXIT_FAILED, EXIT_STATUSES, EXIT_USAGE, UsageError, exit_status
from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import (
    AnalysisSkippedWarning,
    Error,
    ResultNotFoundError,
)

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
            return cmd_analyze(client, args, out, err, stdin)
        if args.command == "plugins":
            return cmd_plugins(client, args, out, err)
        if args.command == "health":
            return cmd_health(client, args, out, err)
        if args.command == "version":
            return cmd_version(client, out)
        if args.command == "reload":
            return print_changes(client.reload_plugins(), out, err)
        if args.command == "load":
            return print_changes(client.load_plugin(args.path), out, err)
        if args.command == "unload":
            return print_changes(client.unload_plugin(args.name), out, err)
        if args.command == "batch":
            return cmd_batch(client, args, out, err, stdin)
        return cmd_render(client, args, out, stdin)


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
        return cmd_new_plugin(args, out, err)

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
