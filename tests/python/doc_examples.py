"""Runs the examples of a Markdown document and compares what they print with the
document, so that docs show real output and say when they no longer do.

Python examples (:func:`run_section`):

A section (from a heading to the next heading of the same level) is one program: its
```` ```python ```` blocks run in order in one fresh interpreter. The output of each
block is compared with the plain fenced block (```` ``` ```` without an info string)
that follows it before the next ``python`` block; a block without one must print
nothing. ``python norun`` and other info strings are not run. Standard error is not
compared (progress bars); a failing program fails the test with its stderr.

``NLPD_DOC_RECORD=1`` writes the real output into the document instead of comparing,
for updating it after a deliberate change (review the diff).

Shell examples (``console`` blocks; the caller runs the commands): each ``$ command``
line is followed by lines of its expected output (:func:`console_commands`), each of
which must match a line of the real output, in order (:func:`check_console_output`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Block",
    "check_console_output",
    "console_commands",
    "fenced_blocks",
    "run_section",
    "section",
]

_FENCE = re.compile(r"^```(.*)$")
# Written between two blocks' output: a line no example prints.
_SEPARATOR = "\x1e nlpd-doc-block \x1e\n"


@dataclass
class Block:
    """A fenced block: its info string (``python``, ``console norun``, ``""``), its text
    and the line numbers of its body (``first`` to ``end``, exclusive) in the document."""

    info: str
    text: str
    first: int
    end: int

    @property
    def language(self) -> str:
        """The first word of the info string ("console" of "console norun")."""
        return self.info.split(" ", 1)[0]

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def fenced_blocks(markdown: str) -> list[Block]:
    """The fenced blocks of ``markdown``, in order."""
    found: list[Block] = []
    lines = markdown.splitlines(keepends=True)
    open_block: Block | None = None
    for number, line in enumerate(lines):
        match = _FENCE.match(line.rstrip("\n"))
        if open_block is None and match:
            open_block = Block(match.group(1).strip(), "", number + 1, number + 1)
        elif open_block is not None and match and not match.group(1).strip():
            open_block.end = number
            found.append(open_block)
            open_block = None
        elif open_block is not None:
            open_block.text += line
    return found


def section(markdown: str, heading: str) -> str:
    """The text of the section that starts with the line ``heading`` ("## Bulk ..."),
    up to the next heading of the same or a higher level."""
    start = markdown.index(heading + "\n")
    level = heading.split(" ", 1)[0]
    pattern = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE)
    following = pattern.search(markdown, start + len(heading) + 1)
    return markdown[start : following.start() if following else len(markdown)]


def _examples(blocks: list[Block]) -> list[tuple[Block, Block | None]]:
    """Each python block with the plain block holding its output (or None)."""
    pairs: list[tuple[Block, Block | None]] = []
    for block in blocks:
        if block.info == "python":
            pairs.append((block, None))
        elif block.info == "" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], block)
    return pairs


def run_section(
    document: Path,
    heading: str,
    *,
    replace: dict[str, str],
    cwd: Path,
    prelude: str = "",
    timeout: float = 300,
) -> None:
    """Runs the python blocks of the section ``heading`` of ``document`` and asserts
    that each prints its output block (or records it, with ``NLPD_DOC_RECORD=1``).

    ``replace`` maps document text to the test's (the server's address); ``prelude`` is
    code run first (display settings). Raises AssertionError on a difference or a
    failed program.
    """
    markdown = document.read_text(encoding="utf-8")
    body = section(markdown, heading)
    offset = markdown[: markdown.index(body)].count("\n")
    examples = _examples(fenced_blocks(body))
    assert examples, f"{document.name}: no python block under {heading!r}"
    program = prelude
    for code, _ in examples:
        program += code.text + f"print({_SEPARATOR!r}, end='', flush=True)\n"
    for old, new in replace.items():
        program = program.replace(old, new)
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )
    assert done.returncode == 0, f"{heading}: the examples failed:\n{done.stderr}"
    outputs = done.stdout.split(_SEPARATOR)
    assert len(outputs) == len(examples) + 1, f"{heading}: stray output\n{done.stdout}"
    outputs = outputs[:-1]
    for old, new in replace.items():
        outputs = [out.replace(new, old) for out in outputs]
    if os.environ.get("NLPD_DOC_RECORD"):
        results = zip(examples, outputs, strict=True)
        _record(document, [(block, out, offset) for (_, block), out in results])
        return
    for (code, block), out in zip(examples, outputs, strict=True):
        expected = block.text if block is not None else ""
        where = f"{document.name}:{offset + code.first + 1} ({heading})"
        assert out == expected, f"{where} prints\n{out}\nbut the document shows\n{expected}"


def _record(document: Path, results: list[tuple[Block | None, str, int]]) -> None:
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    # From the end, so that earlier line numbers stay valid.
    for block, out, offset in reversed(results):
        if block is None:
            assert not out, f"an example prints but has no output block:\n{out}"
            continue
        lines[offset + block.first : offset + block.end] = [out] if out else []
    document.write_text("".join(lines), encoding="utf-8")


def console_commands(block: Block) -> list[tuple[str, list[str]]]:
    """The ``$ command`` lines of a console block, each with the non-blank lines after it
    (its expected output)."""
    result: list[tuple[str, list[str]]] = []
    for line in block.lines:
        if line.startswith("$ "):
            result.append((line[2:], []))
        elif result and line.strip():
            result[-1][1].append(line)
    return result


def _matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part.strip()) for part in expected.split("..."))
    return re.search(pattern, actual.strip()) is not None


def check_console_output(command: str, expected: list[str], output: str) -> None:
    """Asserts that each line of ``expected`` matches a line of ``output``, in order:
    ``...`` within a line matches anything, a line that is only ``...`` is skipped."""
    actual = output.splitlines()
    position = 0
    for line in expected:
        if line.strip() == "...":
            continue
        while position < len(actual) and not _matches(line, actual[position]):
            position += 1
        assert position < len(actual), (
            f"$ {command}\nexpected a line matching {line!r} (in order); got:\n{output}"
        )
        position += 1
