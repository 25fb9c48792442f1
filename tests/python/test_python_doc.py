"""docs/PYTHON.md, the tour of the Python client: every example runs against the real
server and prints what the page shows (tests/python/doc_examples.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, Server
from doc_examples import run_section

DOC = REPO / "docs" / "PYTHON.md"
HEADINGS = re.findall(r"^## .+$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
NEEDS = {"## Tables with pandas": "pandas", "## spaCy": "spacy", "## Many documents": "tqdm"}


@pytest.mark.parametrize("heading", [h for h in HEADINGS if h != "## Install"])
def test_the_tour_prints_what_it_shows(server: Server, heading: str, tmp_path: Path) -> None:
    if heading in NEEDS:
        pytest.importorskip(NEEDS[heading])
    run_section(DOC, heading, replace={"127.0.0.1:50051": server.address}, cwd=tmp_path)
