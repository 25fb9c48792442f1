"""``python -m nlpd.protoc``: protoc (``grpc_tools.protoc``) that finds nlpd's .proto files.

A plugin's own result message may use nlpd's types (``import "nlpd/v1/document.proto";``
for ``nlpd.v1.Span``). This wrapper adds the import paths of ``nlpd/v1/*.proto``, shipped
in this package, and of ``google/protobuf/*.proto``, shipped with grpcio-tools, after the
caller's own, so from a plugin's directory::

    python -m nlpd.protoc -I . --python_out=. myplugin/v1/myplugin.proto

writes ``myplugin/v1/myplugin_pb2.py``, whose imports of ``nlpd.v1`` modules resolve to
this package. Without ``-I``/``--proto_path`` the current directory is the import path, as
with protoc itself. Needs grpcio-tools (the ``plugins`` extra of the nlpd package).
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["GrpcToolsMissingError", "generate", "include_paths", "main"]

_MISSING = (
    "grpcio-tools is not installed; it compiles .proto files: "
    "pip install grpcio-tools (or the nlpd package with its extra: "
    "pip install './clients/python[plugins]' in an nlpd checkout)"
)


class GrpcToolsMissingError(ImportError):
    """grpcio-tools, which compiles .proto files, is not installed."""


def include_paths() -> list[Path]:
    """The import paths of nlpd/v1/*.proto and google/protobuf/*.proto.

    Raises:
        GrpcToolsMissingError: grpcio-tools is missing.
    """
    try:
        import grpc_tools
    except ImportError as exc:
        raise GrpcToolsMissingError(_MISSING) from exc
    # nlpd/v1/*.proto are package data of nlpd.v1, so the import root is the directory
    # that holds the nlpd package.
    nlpd_root = Path(__file__).resolve().parent.parent
    well_known = Path(str(importlib.resources.files(grpc_tools) / "_proto"))
    return [nlpd_root, well_known]


def _has_proto_path(args: Sequence[str]) -> bool:
    return any(arg.startswith(("-I", "--proto_path")) for arg in args)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs protoc with ``argv`` (default ``sys.argv[1:]``) and nlpd's import paths.

    Returns protoc's exit status; 1 with a message on stderr when grpcio-tools is missing.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        paths = include_paths()
        from grpc_tools import protoc
    except (GrpcToolsMissingError, ImportError):
        print(f"nlpd.protoc: {_MISSING}", file=sys.stderr)
        return 1
    if not _has_proto_path(args):
        args.insert(0, "-I.")
    status: int = protoc.main(["grpc_tools.protoc", *args, *(f"-I{p}" for p in paths)])
    return status


def generate(
    proto: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] = ".",
    out: str | os.PathLike[str] | None = None,
) -> None:
    """Writes the Python module (and its .pyi) of ``proto``, a path relative to ``root``,
    the import root of the plugin's own .proto files, into ``out`` (default ``root``).

    Raises:
        GrpcToolsMissingError: grpcio-tools is missing.
        RuntimeError: protoc failed (its messages went to stderr).
    """
    paths = include_paths()
    from grpc_tools import protoc

    root_dir = Path(root).resolve()
    out_dir = root_dir if out is None else Path(out)
    args = [
        "grpc_tools.protoc",
        f"-I{root_dir}",
        *(f"-I{p}" for p in paths),
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        str(root_dir / proto),  # absolute: protoc maps it to the import root
    ]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed on {proto} (see the messages above)")


if __name__ == "__main__":
    sys.exit(main())
