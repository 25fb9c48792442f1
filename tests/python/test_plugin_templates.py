"""The plugin templates (plugins/sdk/template) and ``nlpctl new-plugin``, with the real tools.

Each template, as it is in the repository (``myplugin``) and as ``nlpctl new-plugin
acronyms`` copies it from the installed package, must pass its own tests (pytest with the
``nlpd_plugin`` fixture; the C++ one configured and built out of tree against the SDK
installed from <build>, then ctest) and be served by the real server, its result decoded
from the descriptor set. The C++ builds take a minute or two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nlpd
from conftest import REPO, build_dir, start_server, stop_server

TEMPLATES = REPO / "plugins" / "sdk" / "template"
GENERATED = ("__pycache__", "*_pb2.py", "*_pb2.pyi", "build", ".pytest_cache")
TEXT = "Die EU und die NATO beraten in Brüssel über die Ukraine."


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NLPD_PLUGIN_TEST"] = str(build_dir() / "bin" / "nlpd-plugin-test")
    # This interpreter's scripts (nlpctl, pytest) first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done


def _nlpctl(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlpd.cli", *map(str, args)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _plugin_project(language: str, name: str, parent: Path) -> Path:
    """``myplugin``: a copy of the template in the repository; else ``nlpctl new-plugin``."""
    directory = parent / name
    if name == "myplugin":
        shutil.copytree(TEMPLATES / language, directory, ignore=shutil.ignore_patterns(*GENERATED))
    else:
        done = _nlpctl("new-plugin", name, "--language", language, "--dir", directory)
        assert done.returncode == 0, done.stderr
        assert f"Created the {language} plugin '{name}'" in done.stdout
    return directory


def _check_served(server_args: list[str], plugin_dirs: list[Path], name: str) -> None:
    server = start_server(*server_args, plugin_dirs=plugin_dirs)
    try:
        with nlpd.Client(server.address, timeout=60) as client:
            response = client.analyze(TEXT, [name], language="de")
            result = client.custom_result(response, name)
    finally:
        stop_server(server)
    assert result.DESCRIPTOR.full_name == f"{name}.v1.{name.capitalize()}Result"
    assert [m.text for m in result.matches] == ["EU", "NATO"]
    span = result.matches[1].span
    assert response.document.text[span.char_start : span.char_end] == "NATO"


@pytest.fixture(scope="module")
def sdk_prefix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server and SDK of <build>, installed (cmake --install) into a fresh prefix."""
    prefix = tmp_path_factory.mktemp("sdk") / "install"
    _run("cmake", "--install", build_dir(), "--prefix", prefix)
    return prefix


@pytest.mark.parametrize("name", ["myplugin", "acronyms"])
def test_python_template_passes_its_tests_and_is_served(tmp_path: Path, name: str) -> None:
    project = _plugin_project("python", name, tmp_path)
    if name != "myplugin":  # new-plugin generated the result module
        assert (project / name / "v1" / f"{name}_pb2.py").is_file()
    done = _run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "3 passed" in done.stdout, done.stdout
    assert (project / name / "v1" / f"{name}_pb2.py").is_file()
    _check_served(
        [f"--python_plugin={project / f'{name}_plugin.py'}", f"--python={sys.executable}"],
        [build_dir() / "plugins"],
        name,
    )


@pytest.mark.parametrize("name", ["myplugin", "acronyms"])
def test_cpp_template_builds_passes_ctest_and_is_served(
    tmp_path: Path, sdk_prefix: Path, name: str
) -> None:
    project = _plugin_project("cpp", name, tmp_path)
    build = project / "build"
    _run("cmake", "-S", project, "-B", build, "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={sdk_prefix}")
    _run("cmake", "--build", build, "--parallel", "2")
    done = _run("ctest", "--test-dir", build, "--output-on-failure")
    assert "100% tests passed, 0 tests failed out of 3" in done.stdout, done.stdout
    assert (build / f"libnlpd_{name}.so").is_file()
    _check_served([], [sdk_prefix / "lib" / "nlpd" / "plugins", build], name)


def test_new_plugin_renames_contents_and_paths(tmp_path: Path) -> None:
    for language in ("python", "cpp"):
        project = tmp_path / language
        done = _nlpctl("new-plugin", "word_stats", "--language", language, "--dir", project)
        assert done.returncode == 0, done.stderr
        files = [p for p in project.rglob("*") if p.is_file()]
        assert files
        for path in files:
            relative = str(path.relative_to(project))
            assert "myplugin" not in relative.lower()
            assert "myplugin" not in path.read_text().lower(), relative
        source = next(project.glob("word_stats_plugin.*")).read_text()
        assert "WordStatsPlugin" in source
        assert "word_stats.v1" in source or "word_stats::v1" in source
        proto = (project / "word_stats" / "v1" / "word_stats.proto").read_text()
        assert "package word_stats.v1;" in proto
        assert "message WordStatsResult" in proto
    assert (
        "nlpd --python_plugin=$PWD/other_plugin.py"
        in _nlpctl("new-plugin", "other", "--dir", tmp_path / "other").stdout
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Acronyms", "invalid plugin name 'Acronyms': use a lower-case letter"),
        ("2fa", "invalid plugin name '2fa'"),
        ("my-plugin", "invalid plugin name 'my-plugin'"),
        ("class", "is a keyword or taken"),
        ("nlpd", "is a keyword or taken"),
        ("json", "the Python module 'json' exists"),
    ],
)
def test_new_plugin_refuses_a_bad_name(tmp_path: Path, name: str, reason: str) -> None:
    done = _nlpctl("new-plugin", name, "--dir", tmp_path / "x")
    assert done.returncode == 2
    assert reason in done.stderr
    assert not (tmp_path / "x").exists()


def test_new_plugin_refuses_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / "acronyms").mkdir()
    (tmp_path / "acronyms" / "mine.txt").write_text("keep")
    done = _nlpctl("new-plugin", "acronyms", "--dir", tmp_path / "acronyms")
    assert done.returncode == 1
    assert "exists" in done.stderr
    assert [p.name for p in (tmp_path / "acronyms").iterdir()] == ["mine.txt"]


def test_nlpd_protoc_finds_nlpd_and_well_known_protos(tmp_path: Path) -> None:
    proto = tmp_path / "mine" / "v1" / "mine.proto"
    proto.parent.mkdir(parents=True)
    proto.write_text(
        'syntax = "proto3";\npackage mine.v1;\nimport "nlpd/v1/document.proto";\n'
        'import "google/protobuf/timestamp.proto";\n'
        "message Mine { nlpd.v1.Span span = 1; google.protobuf.Timestamp at = 2; }\n"
    )
    # No -I: the current directory, as with protoc.
    _run(sys.executable, "-m", "nlpd.protoc", "--python_out=.", "mine/v1/mine.proto", cwd=tmp_path)
    check = "from mine.v1 import mine_pb2; print(mine_pb2.Mine().span.DESCRIPTOR.full_name)"
    done = _run(sys.executable, "-c", check, cwd=tmp_path)
    assert done.stdout.strip() == "nlpd.v1.Span"


def test_nlpd_protoc_says_how_to_get_grpcio_tools() -> None:
    # grpc_tools made unimportable in a fresh interpreter, as when it is not installed.
    code = (
        "import sys; sys.modules['grpc_tools'] = None; from nlpd import protoc; "
        "sys.exit(protoc.main(['--python_out=.', 'x.proto']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert "grpcio-tools is not installed" in done.stderr
    assert "pip install grpcio-tools" in done.stderr
