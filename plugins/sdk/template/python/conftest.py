"""Generates myplugin/v1/myplugin_pb2.py from the .proto when it is missing or older, so
that ``pytest`` works in a fresh copy (python -m nlpd.protoc does the same by hand)."""

from __future__ import annotations

from pathlib import Path

import nlpd.protoc

HERE = Path(__file__).resolve().parent
PROTO = Path("myplugin/v1/myplugin.proto")
MODULE = HERE / "myplugin" / "v1" / "myplugin_pb2.py"

if not MODULE.exists() or MODULE.stat().st_mtime < (HERE / PROTO).stat().st_mtime:
    nlpd.protoc.generate(PROTO, root=HERE)
