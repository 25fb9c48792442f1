"""A user's script type-checks for real (issue: messages typed Any hid every error).

mypy --strict runs on a script that reads entities, sentiment, stance and a custom result
(the textstats plugin's, decoded into its generated class with its .pyi stub), with the
protobuf and gRPC stubs installed; the same script with a misspelt field must fail, so the
types are not Any. Then the script runs against the real server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, start_server, stop_server

SCRIPT = """
import sys

import nlpd
from textstats.v1.textstats_pb2 import TextStats

with nlpd.Client(sys.argv[1], timeout=30) as client:
    response = client.analyze(
        "Angela Merkel besuchte Paris. Die Regierung verhandelt.",
        ["entities", "sentiment", "stance", "textstats"],
        language="de",
    )
    labels: list[str] = [entity.label for entity in response.entities.entities]
    polarity: int = response.sentiment.document.label
    stances: list[int] = [statement.stance for statement in response.stance.statements]
    stats = client.custom_result(response, "textstats", TextStats)
    words: int = stats.WORDS_FIELD
    print(sorted(set(labels)), polarity >= 0, len(stances) >= 0, words)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's directory: the script and textstats' generated module with its stub
    (mypy-protobuf's protoc-gen-mypy, found on $PATH beside this interpreter)."""
    pytest.importorskip("mypy", reason="mypy is not installed (tests/python/requirements.txt)")
    directory = tmp_path_factory.mktemp("user")
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlpd.protoc",
            f"-I{REPO / 'plugins' / 'sdk' / 'example'}",
            f"--python_out={directory}",
            f"--mypy_out={directory}",
            "textstats/v1/textstats.proto",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert generated.returncode == 0, generated.stderr
    shutil.copy(REPO / "plugins" / "sdk" / "example_python" / "textstats_plugin.py", directory)
    return directory


def mypy(project: Path, script: str) -> subprocess.CompletedProcess[str]:
    path = project / "user_script.py"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
        cwd=project,
        env={**os.environ, "MYPYPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_script_type_checks(project: Path) -> None:
    checked = mypy(project, SCRIPT.replace("stats.WORDS_FIELD", "stats.words"))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_misspelt_field_is_an_error(project: Path) -> None:
    for wrong, expected in [
        ("stats.wordz", '"TextStats" has no attribute "wordz"'),
        ("response.entities.entitys", 'has no attribute "entitys"'),
    ]:
        script = SCRIPT.replace("stats.WORDS_FIELD", "stats.words")
        script = (
            script.replace("stats.words", wrong)
            if "stats" in wrong
            else script.replace("response.entities.entities", wrong)
        )
        checked = mypy(project, script)
        assert checked.returncode == 1, (wrong, checked.stdout)
        assert expected in checked.stdout, checked.stdout


def test_the_script_runs(project: Path) -> None:
    script = project / "user_script.py"
    script.write_text(SCRIPT.replace("stats.WORDS_FIELD", "stats.words"), encoding="utf-8")
    srv = start_server(
        f"--python_plugin={project / 'textstats_plugin.py'}", f"--python={sys.executable}"
    )
    try:
        done = subprocess.run(
            [sys.executable, str(script), srv.address],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "['LOC', 'PER'] True True 7", done.stdout
    finally:
        stop_server(srv)
