"""nlpctl: command-line access to an nlpd server.

    nlpctl [--target HOST:PORT] [--timeout S] plugins [--json]
    nlpctl [--target HOST:PORT] [--timeout S] analyze FILE|- [--analyses a,b] [--language de]

``analyze`` prints the response as JSON (protobuf JSON mapping, proto field names) with
custom results decoded into objects. Exit status: 0 on success, 1 when the server
refuses the call (its message goes to stderr, prefixed with the gRPC status name),
2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from google.protobuf import json_format

import nlpd
from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import Error, ResultNotFoundError
from nlpd.v1 import nlpd_pb2

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
    parser.add_argument("--version", action="version", version=f"nlpctl {nlpd.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_plugins = sub.add_parser("plugins", help="list the server's plugins")
    p_plugins.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p_analyze = sub.add_parser("analyze", help="analyze a text file (or - for stdin)")
    p_analyze.add_argument("file", metavar="FILE", help="UTF-8 text file, or - for stdin")
    p_analyze.add_argument(
        "--analyses", default="", help="comma-separated analysis names, e.g. keywords,entities"
    )
    p_analyze.add_argument("--language", default=None, help="BCP-47 language code, e.g. de")
    p_analyze.add_argument(
        "--compact", action="store_true", help="print JSON on one line instead of indented"
    )
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
    header = ("NAME", "VERSION", "LANGUAGES", "DEPENDS ON", "RESULT TYPE", "DESCRIPTION")
    rows = [header] + [
        (
            p.name,
            p.version,
            ",".join(p.languages) or "-",
            ",".join(p.dependencies) or "-",
            p.result_type or "-",
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
    response = client.analyze(text, analyses, language=args.language)
    doc = client.to_dict(response)
    json.dump(doc, out, indent=None if args.compact else 2, ensure_ascii=False)
    out.write("\n")
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
    try:
        with Client(args.target, timeout=args.timeout) as client:
            if args.command == "plugins":
                return _cmd_plugins(client, args, out, err)
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
