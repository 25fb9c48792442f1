"""Build hook: generate the nlpd.v1 protobuf/gRPC modules from ../../proto, and copy
the plugin templates from ../../plugins/sdk/template.

The generated package ``src/nlpd/v1/`` (modules and a copy of the .proto files, which
``python -m nlpd.protoc`` imports from) and ``src/nlpd/templates/`` (for ``nlpctl
new-plugin``) are not committed. They are (re)written before ``egg_info`` (metadata,
sdist file list), ``build_py`` (wheels) and ``editable_wheel`` run, so ``pip install
./clients/python`` and ``pip install -e ./clients/python`` both work from a checkout. An
sdist carries them, so a wheel can be built from it without the rest of the repository.

Set NLPD_PROTO_DIR to use another proto root than ``<repo>/proto``.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build_py import build_py
from setuptools.command.egg_info import egg_info

HERE = Path(__file__).resolve().parent
PKG_DIR = HERE / "src" / "nlpd" / "v1"
TEMPLATE_SOURCE = HERE / ".." / ".." / "plugins" / "sdk" / "template"
TEMPLATE_DIR = HERE / "src" / "nlpd" / "templates"
# What a plugin directory may hold that is not part of the template.
TEMPLATE_IGNORE = ("__pycache__", "*.pyc", "*_pb2.py", "*_pb2.pyi", "build", ".pytest_cache")
# The templates are package data of nlpd, not packages, though their directories hold .py
# files (setuptools warns once for each such directory).
warnings.filterwarnings("ignore", message=r"(?s).*'nlpd\.templates[.']")
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
    for stale in (*PKG_DIR.glob("*_pb2*.py*"), *PKG_DIR.glob("*.proto")):
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
    for proto in protos:
        # Package data: the import path of python -m nlpd.protoc (nlpd/protoc.py).
        shutil.copyfile(proto, PKG_DIR / proto.name)
    (PKG_DIR / "__init__.py").write_text(
        '"""Generated protobuf and gRPC modules of the nlpd.v1 API (do not edit)."""\n'
    )
    print(f"nlpd: generated {len(protos)} proto files into {PKG_DIR}", file=sys.stderr)


def copy_templates() -> None:
    """Copy ../../plugins/sdk/template to src/nlpd/templates (nlpctl new-plugin)."""
    source = TEMPLATE_SOURCE.resolve()
    if not source.is_dir():
        if (HERE / "PKG-INFO").is_file() and TEMPLATE_DIR.is_dir():
            return  # building from an sdist, which carries the copy
        raise SystemExit(
            f"nlpd: the plugin templates are missing ({source}); install the client from "
            "a full nlpd checkout (pip install ./clients/python)."
        )
    shutil.rmtree(TEMPLATE_DIR, ignore_errors=True)
    shutil.copytree(source, TEMPLATE_DIR, ignore=shutil.ignore_patterns(*TEMPLATE_IGNORE))


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
        copy_templates()
        super().run()


class BuildPy(build_py):
    def run(self) -> None:
        generate()
        copy_templates()
        # A reused build/ directory may hold modules of protos, or templates, that are gone.
        shutil.rmtree(Path(self.build_lib) / "nlpd" / "v1", ignore_errors=True)
        shutil.rmtree(Path(self.build_lib) / "nlpd" / "templates", ignore_errors=True)
        super().run()


setup(cmdclass={"generate_protos": GenerateProtos, "egg_info": EggInfo, "build_py": BuildPy})
