"""``nlpctl new-plugin``: a new plugin project, copied from a template.

The templates are ``plugins/sdk/template/{cpp,python}`` of the nlpd repository, shipped in
this package (``nlpd/templates``). Each is a working plugin named ``myplugin``; the copy
replaces ``myplugin``, ``Myplugin`` and ``MYPLUGIN`` with the name, its CamelCase and its
upper case, in file contents and paths.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import shutil
from pathlib import Path

from nlpd import protoc

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "camel_case",
    "check_name",
    "create",
    "next_steps",
    "template_dir",
]

LANGUAGES = ("python", "cpp")
DEFAULT_LANGUAGE = "python"
TEMPLATE_NAME = "myplugin"

_NAME = re.compile(r"[a-z][a-z0-9_]*")
# What a template directory may hold that is not part of the template.
_IGNORE = ("__pycache__", "*.pyc", "*_pb2.py", "*_pb2.pyi", "build", ".pytest_cache")
# Names the plugin's proto package and C++ namespace must not take.
_TAKEN = frozenset({"nlpd", "google", "grpc", "std"})
_CPP_KEYWORDS = frozenset(
    """alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
    char16_t char32_t class compl concept const consteval constexpr constinit const_cast
    continue co_await co_return co_yield decltype default delete do double dynamic_cast else
    enum explicit export extern false float for friend goto if inline int long mutable
    namespace new noexcept not not_eq nullptr operator or or_eq private protected public
    register reinterpret_cast requires return short signed sizeof static static_assert
    static_cast struct switch template this thread_local throw true try typedef typeid
    typename union unsigned using virtual void volatile wchar_t while xor xor_eq""".split()
)


def template_dir(language: str) -> Path:
    """The template of ``language`` ("python" or "cpp") in this package.

    Raises:
        FileNotFoundError: the package was built without its templates.
    """
    directory = Path(__file__).resolve().parent / "templates" / language
    if not (directory / "README.md").is_file():
        raise FileNotFoundError(
            f"the {language} plugin template is missing ({directory}); reinstall the nlpd "
            "package from an nlpd checkout (pip install ./clients/python)"
        )
    return directory


def camel_case(name: str) -> str:
    """``word_stats`` -> ``WordStats``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def check_name(name: str, language: str) -> None:
    """Checks that ``name`` can name a plugin of ``language``.

    Raises:
        ValueError: with the reason.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"invalid plugin name {name!r}: use a lower-case letter, then lower-case "
            "letters, digits and '_' (e.g. acronyms, word_stats)"
        )
    if name in _TAKEN or keyword.iskeyword(name) or name in _CPP_KEYWORDS:
        raise ValueError(
            f"invalid plugin name {name!r}: it names the plugin's protobuf package and C++ "
            "namespace, and is a keyword or taken (nlpd, google, grpc, std); choose another"
        )
    # A module or regular package of that name would shadow the plugin's package (a
    # namespace package, such as a directory of that name here, would not).
    spec = importlib.util.find_spec(name) if language == "python" else None
    if spec is not None and spec.origin not in (None, "namespace"):
        raise ValueError(
            f"invalid plugin name {name!r}: the Python module {name!r} exists, and the "
            f"plugin's generated package {name}/ would not be importable beside it; "
            "choose another"
        )


def _rename(text: str, name: str) -> str:
    return (
        text.replace(TEMPLATE_NAME.upper(), name.upper())
        .replace(camel_case(TEMPLATE_NAME), camel_case(name))
        .replace(TEMPLATE_NAME, name)
    )


def create(name: str, language: str, directory: Path) -> list[Path]:
    """Copies the template of ``language`` into ``directory`` (which must not exist),
    renamed to ``name``; returns the files written.

    Raises:
        ValueError: a bad name or language (see :func:`check_name`).
        FileExistsError: ``directory`` exists.
        FileNotFoundError: the template is missing.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    check_name(name, language)
    source = template_dir(language)
    if directory.exists() or directory.is_symlink():
        raise FileExistsError(f"{directory} exists; choose a new directory (--dir)")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f".{directory.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns(*_IGNORE))
    written = []
    # Deepest paths first, so that a renamed directory's files are renamed before it.
    for path in sorted(staging.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            path.write_text(_rename(path.read_text(encoding="utf-8"), name), encoding="utf-8")
        renamed = path.with_name(_rename(path.name, name))
        if renamed != path:
            path.rename(renamed)
    staging.rename(directory)
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            written.append(path)
    return written


def generate_module(name: str, directory: Path) -> bool:
    """Generates the Python module of a new Python plugin's result type; False when
    grpcio-tools is missing.

    Raises:
        RuntimeError: protoc failed.
    """
    try:
        protoc.generate(Path(name) / "v1" / f"{name}.proto", root=directory)
    except protoc.GrpcToolsMissingError:
        return False
    return True


def _install_prefix() -> str:
    """The prefix of the nlpd installation whose nlpd-plugin-test is on $PATH, if any."""
    found = shutil.which("nlpd-plugin-test")
    if found:
        prefix = Path(found).resolve().parent.parent
        if any(prefix.glob("lib*/cmake/nlpd/nlpdConfig.cmake")):
            return str(prefix)
    return "<nlpd install prefix>"


def next_steps(name: str, language: str, directory: Path, generated: bool) -> str:
    """What to run next, for the user."""
    lines = [f"Created the {language} plugin '{name}' in {directory}/. Next:", f"  cd {directory}"]
    if language == "python":
        if not generated:
            lines += [
                "  pip install grpcio-tools pytest   # protoc was skipped: grpcio-tools is missing",
                f"  python -m nlpd.protoc -I . --python_out=. {name}/v1/{name}.proto",
            ]
        lines += [
            "  pytest                          # nlpd-plugin-test from $PATH or $NLPD_PLUGIN_TEST",
            f"  nlpd --python_plugin=$PWD/{name}_plugin.py",
        ]
    else:
        lines += [
            f"  cmake -S . -B build -DCMAKE_PREFIX_PATH={_install_prefix()}",
            "  cmake --build build",
            "  ctest --test-dir build --output-on-failure",
            "  nlpd --plugin_dir=build          # add --plugin_dir=<prefix>/lib/nlpd/plugins "
            "for the built-ins",
        ]
    lines.append("See README.md there.")
    return "\n".join(lines) + "\n"
