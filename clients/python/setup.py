"""Build hook: generate the nlpd.v1 protobuf/gRPC modules from ../../proto.

The generated package ``src/nlpd/v1/`` is not committed. It is (re)written before
``egg_info`` (metadata, sdist file list), ``build_py`` (wheels) and ``editable_wheel``
run, so ``pip install ./clients/python`` and ``pip install -e ./clients/python`` both work
from a checkout. An sdist carries the generated modules, so a wheel can be built from
it without the proto directory.

Set NLPD_PROTO_DIR to use another proto root than ``<repo>/proto``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build_py import build_py
from setuptools.command.egg_info import egg_info

HERE = Path(__file__).resolve().parent
PKG_DIR = HERE / "src" / "nlpd" / "v1"
PROTO_SUBDIR = Path("nlpd") / "v1"
# The modules `from nlpd.v1 import ...` must find after generation.
EXPECTED = ("document_pb2.py", "results_pb2.py", "nlpd_pb2.py", "nlpd_pb2_grpc.py")


def _proto_root() -> Path:
    env = os.environ.get("NLPD_PROTO_DIR")
    return Path(env).resolve() if env else (HERE / ".." / ".." / "proto").resolve()


def generate() -> None:
    """Run grpc_tools.protoc over <proto_root>/nlpd/v1/*.proto into src/nlpd/v1/."""
    root = _proto_root()
    protos = sorted((root / PROTO_SUBDIR).glob("*.proto"))
    if not protos:
        from_sdist = (HERE / "PKG-INFO").is_file()
        if from_sdist and all((PKG_DIR / name).is_file() for name in EXPECTED):
            # Building from an sdist: the generated modules came with it.
            return
        raise SystemExit(
            f"nlpd: no .proto files found in {root / PROTO_SUBDIR}.\n"
            "The Python client is generated at build time from the repository's proto/ "
            "directory (clients/python/../../proto). Install it from a full nlpd checkout "
            "(pip install ./clients/python from the repository root), or set NLPD_PROTO_DIR "
            "to a directory containing nlpd/v1/*.proto."
        )
    try:
        from grpc_tools import protoc
    except ImportError as exc:  # pragma: no cover - build isolation installs it
        raise SystemExit(
            "nlpd: grpcio-tools is needed to build the client (it is a build requirement "
            "in pyproject.toml; do not disable build isolation without installing it)."
        ) from exc
    import importlib.resources

    well_known = importlib.resources.files("grpc_tools") / "_proto"
    out = HERE / "src"
    PKG_DIR.mkdir(parents=True, exist_ok=True)
    for stale in PKG_DIR.glob("*_pb2*.py*"):
        stale.unlink()
    args = [
        "grpc_tools.protoc",
        f"-I{root}",
        f"-I{well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *(str(p.relative_to(root)) for p in protos),
    ]
    if protoc.main(args) != 0:
        raise SystemExit(f"nlpd: protoc failed on {root / PROTO_SUBDIR} (see messages above)")
    for proto in protos:
        # protoc writes a *_pb2_grpc.py for every file; keep it only where a service is.
        if not any(line.startswith("service ") for line in proto.read_text().splitlines()):
            stub = PKG_DIR / (proto.stem + "_pb2_grpc.py")
            stub.unlink(missing_ok=True)
    (PKG_DIR / "__init__.py").write_text(
        '"""Generated protobuf and gRPC modules of the nlpd.v1 API (do not edit)."""\n'
    )
    print(f"nlpd: generated {len(protos)} proto files into {PKG_DIR}", file=sys.stderr)


class GenerateProtos(Command):
    """``python setup.py generate_protos``: only write src/nlpd/v1/."""

    description = "generate nlpd.v1 protobuf/gRPC modules"
    user_options: list = []

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        generate()


class EggInfo(egg_info):
    def run(self) -> None:
        generate()
        super().run()


class BuildPy(build_py):
    def run(self) -> None:
        generate()
        # A reused build/ directory may hold modules of protos that are gone.
        shutil.rmtree(Path(self.build_lib) / "nlpd" / "v1", ignore_errors=True)
        super().run()


setup(cmdclass={"generate_protos": GenerateProtos, "egg_info": EggInfo, "build_py": BuildPy})
