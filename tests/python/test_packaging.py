"""Packaging: the client's wheel works at both ends of its supported dependency range.

The wheel that ``pip install ./clients/python`` builds (generated code and all) is built
once, then installed into two fresh virtual environments:

* ``lowest``: the oldest supported Python found here, with protobuf and grpcio pinned
  to the lower bounds of clients/python/pyproject.toml;
* ``highest``: the newest supported Python found here, with whatever pip resolves, i.e.
  the newest protobuf and grpcio the pyproject allows.

In each, a script makes real calls against the real server binary (conftest's
``server``): analyze with entities, sentiment and stance, a custom result decoded at run
time (``client.custom_result``), ``analyze_stream``, ``AsyncClient`` and ``analyze_many``
(``BulkResult``), and ``to_dict``. Then the README's Python quick start runs as written
(its address replaced by the test server's) and must print what the README says it
prints. The README marks that example with an HTML comment, ``<!-- quickstart: python``
(the first ```` ```python ```` block after it is the example) and its output with
``<!-- quickstart: output -->`` (the first fenced block after it).

The base install must stay small: the highest environment holds nlpd, protobuf, grpcio
and grpcio's own dependencies, nothing else.

Needs the package index (pip downloads protobuf, grpcio and the build requirements): when
pip cannot reach it (a quick probe first), or with ``NLPD_OFFLINE=1``, the tests skip with
a message, except under CI (``CI`` set), where they fail: they must run there. About a
minute in all, most of it pip (building the wheel, two environments).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, Server

CLIENT = REPO / "clients" / "python"
PYPROJECT = CLIENT / "pyproject.toml"
README = REPO / "README.md"
PIP_TIMEOUT_S = 600
# The interpreters the client supports (pyproject's requires-python and classifiers).
SUPPORTED_PYTHONS = ((3, 10), (3, 11), (3, 12), (3, 13))
# What a base install may hold besides nlpd, protobuf and grpcio: grpcio's own
# dependencies, and what a new virtual environment starts with.
BASE_EXTRA = {"typing-extensions", "pip", "setuptools", "wheel"}

CHECK_SCRIPT = textwrap.dedent(
    """
    import asyncio
    import json
    import sys

    import google.protobuf
    import grpc

    import nlpd

    address = sys.argv[1]
    TEXT = (
        "Angela Merkel kritisierte in Berlin die Regierung in Moskau scharf. "
        "Die Bundesregierung lehnt eine weitere Eskalation ab und fordert Verhandlungen."
    )

    with nlpd.Client(address, timeout=60) as client:
        client.wait_ready(timeout=10)
        response = client.analyze(
            TEXT, ["entities", "sentiment", "stance", "keywords"], language="de"
        )
        labels = sorted({e.label for e in response.entities.entities})
        assert "PER" in labels, labels
        assert response.HasField("sentiment") and response.sentiment.sentences
        assert response.HasField("stance")
        # Decoded at run time from the schema the plugin publishes (descriptors module).
        keywords = client.custom_result(response, "keywords")
        assert keywords.keywords and keywords.keywords[0].text
        as_dict = json.loads(json.dumps(client.to_dict(response)))
        assert as_dict["custom_results"]["keywords"]["@type"].endswith("KeywordsResult")
        # Fields without presence are printed (always_print_fields_with_no_presence).
        assert as_dict["document"]["sentences"][0]["span"]["char_start"] == 0
        streamed = list(
            client.analyze_stream(["Erster Text aus Bonn.", ("b", "Second text.")], ["entities"])
        )
        assert [r.id for r in streamed] == ["0", "b"], streamed
        assert all(r.HasField("response") for r in streamed)
        many = list(client.analyze_many(["Eins in Köln.", "", "Drei."], ["entities"]))
        assert all(isinstance(r, nlpd.BulkResult) for r in many)
        assert [r.index for r in many] == [0, 1, 2]
        assert many[0].ok and isinstance(many[1].error, nlpd.InvalidArgumentError)

    async def async_calls() -> list[str]:
        async with nlpd.AsyncClient(address, timeout=60) as ac:
            await ac.wait_ready(timeout=10)
            r = await ac.analyze(TEXT, ["entities", "keywords"], language="de")
            assert r.entities.entities
            kw = await ac.custom_result(r, "keywords")
            assert (await ac.to_dict(r))["custom_results"]["keywords"]["keywords"]
            ids = [b.id async for b in ac.analyze_many([("x", TEXT), ("y", "Kurz.")])]
            assert ids == ["x", "y"], ids
            return [k.text for k in kw.keywords]

    assert asyncio.run(async_calls())
    print(json.dumps({
        "python": "%d.%d.%d" % sys.version_info[:3],
        "protobuf": google.protobuf.__version__,
        "grpcio": grpc.__version__,
        "nlpd": nlpd.__version__,
    }))
    """
)


@dataclass
class Env:
    name: str
    python: Path
    versions: dict[str, str]


def _require_index(reason: str) -> None:
    """Skip (offline) or fail (CI): the package index could not be reached."""
    message = f"pip cannot reach the package index, so the packaging test cannot run: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: this test must run there)", pytrace=False)
    pytest.skip(message)


def _pip(python: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [str(python), "-m", "pip", *args],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_S,
        env=env,
        check=False,
    )


NETWORK_ERRORS = re.compile(
    r"NewConnectionError|Failed to establish|Temporary failure in name resolution|"
    r"Network is unreachable|ConnectTimeout|ReadTimeout|Max retries exceeded|"
    r"ProxyError|SSLError"
)


def _check(proc: subprocess.CompletedProcess[str], what: str) -> None:
    if proc.returncode != 0:
        output = proc.stdout + proc.stderr
        if NETWORK_ERRORS.search(output):
            _require_index(f"{what} failed:\n{output[-2000:]}")
        pytest.fail(f"{what} failed ({proc.returncode}):\n{output[-4000:]}", pytrace=False)


def lower_bounds() -> dict[str, str]:
    """``{"protobuf": "5.27.2", "grpcio": ...}``: the ``>=`` bounds of pyproject's
    [project] dependencies."""
    text = PYPROJECT.read_text()
    deps = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
    assert deps, "no dependencies list in pyproject.toml"
    bounds = dict(re.findall(r'"(protobuf|grpcio)>=([0-9.]+)', deps.group(1)))
    assert set(bounds) == {"protobuf", "grpcio"}, deps.group(1)
    return bounds


def build_pin() -> str:
    """The grpcio-tools version of pyproject's [build-system] requires."""
    requires = re.search(r"^requires = \[(.*?)\]", PYPROJECT.read_text(), re.M)
    assert requires
    pin = re.search(r'"grpcio-tools==([0-9.]+)"', requires.group(1))
    assert pin, f"grpcio-tools is not pinned exactly in {requires.group(0)}"
    return pin.group(1)


def find_python(version: tuple[int, int]) -> Path | None:
    """An interpreter of ``version`` that can make virtual environments, or None."""
    major, minor = version
    name = f"python{major}.{minor}"
    candidates = [shutil.which(name)]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(str(p) for p in pyenv.glob(f"{major}.{minor}.*/bin/{name}"))
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run(
            [candidate, "-c", "import ensurepip, sys, venv; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == str(version):
            return Path(candidate)
    return None


def pick_python(newest: bool) -> Path:
    """The newest (or oldest) supported interpreter found here; else this one."""
    for version in sorted(SUPPORTED_PYTHONS, reverse=newest):
        found = find_python(version)
        if found:
            return found
    return Path(sys.executable)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip at once when the package index is out of reach (NLPD_OFFLINE=1, or a quick
    download of the lowest protobuf fails), not after pip's long retries."""
    if os.environ.get("NLPD_OFFLINE") == "1":
        _require_index("NLPD_OFFLINE=1")
    probe = _pip(
        sys.executable,
        "download",
        "--no-deps",
        "--timeout=15",
        "--retries=1",
        "-d",
        str(tmp_path_factory.mktemp("probe")),
        f"protobuf=={lower_bounds()['protobuf']}",
    )
    if probe.returncode != 0:
        _require_index(f"pip download protobuf failed:\n{(probe.stdout + probe.stderr)[-2000:]}")


@pytest.fixture(scope="module")
def wheel(index: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client's wheel, built once as ``pip install ./clients/python`` builds it (build
    isolation: setuptools and the pinned grpcio-tools from the index)."""
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    proc = _pip(sys.executable, "wheel", "--no-deps", "-w", str(out), str(CLIENT))
    _check(proc, "building the wheel (pip wheel ./clients/python)")
    wheels = list(out.glob("nlpd-*.whl"))
    assert len(wheels) == 1, wheels
    print(f"built {wheels[0].name} in {time.monotonic() - started:.1f} s")
    return wheels[0]


def make_env(root: Path, name: str, python: Path, wheel: Path, pins: list[str]) -> Env:
    venv = root / name
    proc = subprocess.run(
        [str(python), "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    env_python = venv / "bin" / "python"
    _check(_pip(env_python, "install", "-q", str(wheel), *pins), f"pip install into {name}")
    listed = _pip(env_python, "list", "--format=json")
    _check(listed, "pip list")
    versions = {
        p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(listed.stdout)
    }
    return Env(name, env_python, versions)


@pytest.fixture(scope="module")
def envs(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Env]:
    root = tmp_path_factory.mktemp("venvs")
    low = lower_bounds()
    started = time.monotonic()
    made = {
        "lowest": make_env(
            root,
            "lowest",
            pick_python(newest=False),
            wheel,
            [f"protobuf=={low['protobuf']}", f"grpcio=={low['grpcio']}"],
        ),
        # No pins: what `pip install ./clients/python` gets today, the newest allowed.
        "highest": make_env(root, "highest", pick_python(newest=True), wheel, []),
    }
    print(f"made the environments in {time.monotonic() - started:.1f} s")
    return made


def test_pins_are_coherent(wheel: Path) -> None:
    """The lower bounds are what the generated code demands: protobuf's gencode version
    (the runtime may not be older) and grpcio's (the stubs check grpc.__version__)."""
    low = lower_bounds()
    tools = build_pin()
    with zipfile.ZipFile(wheel) as archive:
        pb2 = archive.read("nlpd/v1/nlpd_pb2.py").decode()
        grpc_stubs = archive.read("nlpd/v1/nlpd_pb2_grpc.py").decode()
    gencode = re.search(r"# Protobuf Python Version: ([0-9.]+)", pb2)
    assert gencode and gencode.group(1) == low["protobuf"], (
        f"grpcio-tools {tools} generates protobuf {gencode and gencode.group(1)} code; "
        f"pyproject's protobuf lower bound is {low['protobuf']}"
    )
    stub = re.search(r"GRPC_GENERATED_VERSION = '([0-9.]+)'", grpc_stubs)
    assert stub and stub.group(1) == tools == low["grpcio"], (stub, tools, low)


@pytest.mark.parametrize("name", ["lowest", "highest"])
def test_client_works(name: str, envs: dict[str, Env], server: Server, tmp_path: Path) -> None:
    env = envs[name]
    low = lower_bounds()
    if name == "lowest":
        assert env.versions["protobuf"] == low["protobuf"], env.versions
        assert env.versions["grpcio"] == low["grpcio"], env.versions
    else:
        extra = set(env.versions) - {"nlpd", "protobuf", "grpcio"} - BASE_EXTRA
        assert not extra, f"the base install pulls in more than grpcio and protobuf: {extra}"
    script = tmp_path / "check.py"
    script.write_text(CHECK_SCRIPT)
    proc = subprocess.run(
        [str(env.python), str(script), server.address],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, f"{name} ({env.versions}):\n{proc.stdout}\n{proc.stderr}"
    ran = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{name}: {ran}")
    assert ran["protobuf"] == env.versions["protobuf"]


def readme_quickstart() -> tuple[str, list[str]]:
    """The README's Python quick start and the output it shows, found by their markers."""
    lines = README.read_text().splitlines()

    def block_after(marker: str, language: str) -> list[str]:
        starts = [i for i, line in enumerate(lines) if line.startswith(marker)]
        assert starts, f"README.md has no {marker!r} marker (see {__name__}'s docstring)"
        fence = next(
            i for i in range(starts[0], len(lines)) if lines[i].strip() == f"```{language}"
        )
        end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
        return lines[fence + 1 : end]

    code = block_after("<!-- quickstart: python", "python")
    output = block_after("<!-- quickstart: output", "")
    return "\n".join(code) + "\n", output


@pytest.mark.parametrize("name", ["lowest", "highest"])
def test_readme_quickstart(name: str, envs: dict[str, Env], server: Server, tmp_path: Path) -> None:
    """Issue 13's done-when: a fresh environment with ``pip install ./clients/python``
    runs the README's Python example as written (only the address is the test server's:
    127.0.0.1:50051 may be taken by a server someone runs)."""
    code, expected = readme_quickstart()
    assert "127.0.0.1:50051" in code, "the quick start no longer uses the default address"
    script = tmp_path / "example.py"
    script.write_text(code.replace("127.0.0.1:50051", server.address))
    proc = subprocess.run(
        [str(envs[name].python), str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == expected
