"""docs/SCALING.md's capacity tables are what bench/capacity prints with its defaults,
so the page and the model's inputs (its constants) cannot drift apart."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

DOC = REPO / "docs" / "SCALING.md"
MARKER = "<!-- capacity:"


def _block_after(text: str, marker: str) -> str:
    after = text[text.index(marker) :]
    found = re.search(r"^```\n(.*?)^```$", after, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no code block after {marker!r}"
    return found.group(1)


def test_the_capacity_tables_are_the_models_output() -> None:
    printed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "capacity")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert _block_after(DOC.read_text(encoding="utf-8"), MARKER) == printed


def test_one_input_changes_the_tables() -> None:
    faster = subprocess.run(
        [sys.executable, str(REPO / "bench" / "capacity"), "--per-core", "516"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    # Twice the rate per core: each replica carries twice the articles.
    assert "| full | 1.00 | 619 | 17,832,960 |" in faster
