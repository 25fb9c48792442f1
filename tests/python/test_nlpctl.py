"""nlpctl as a subprocess against the fixture server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Server
from texts import GERMAN


def _nlpctl() -> str:
    exe = Path(sys.executable).parent / "nlpctl"
    found = str(exe) if exe.is_file() else shutil.which("nlpctl")
    if not found:
        pytest.fail("nlpctl not installed; pip install ./clients/python", pytrace=False)
    return found


def run(server: Server, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_nlpctl(), "--target", server.address, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_plugins_table(server: Server) -> None:
    proc = run(server, "plugins")
    assert proc.returncode == 0, proc.stderr
    header, *rows = proc.stdout.splitlines()
    assert header.split()[:2] == ["NAME", "VERSION"]
    assert any(r.split()[0] == "keywords" for r in rows), proc.stdout


def test_plugins_json(server: Server) -> None:
    proc = run(server, "plugins", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    kw = next(p for p in doc["plugins"] if p["name"] == "keywords")
    assert kw["result_type"] == "nlpd.keywords.v1.KeywordsResult"
    assert kw["descriptor_set_size"] > 0


def test_analyze_stdin_with_keywords(server: Server) -> None:
    proc = run(server, "analyze", "-", "--analyses", "keywords", "--language", "de", stdin=GERMAN)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["document"]["text"] == GERMAN
    assert doc["document"]["language"] == "de"
    kws = doc["custom_results"]["keywords"]["keywords"]
    assert kws and all(isinstance(k["text"], str) for k in kws)
    for k in kws:
        for m in k["mentions"]:
            assert " ".join(GERMAN[m["char_start"] : m["char_end"]].split()).casefold() == (
                k["text"].casefold()
            )


def test_analyze_file(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "meldung.txt"
    path.write_text(GERMAN, encoding="utf-8")
    proc = run(server, "analyze", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["language"] == "de"


def test_analyze_with_own_targets(server: Server) -> None:
    text = "Die Inflation sinkt endlich, eine gute Nachricht für alle Sparer."
    proc = run(
        server, "analyze", "-", "--analyses", "sentiment", "--about", "inflation", stdin=text
    )
    assert proc.returncode == 0, proc.stderr
    summaries = json.loads(proc.stdout)["sentiment"]["summaries"]
    mine = [s for s in summaries if s["source"] == "REQUEST"]
    assert [(s["name"], len(s["mentions"])) for s in mine] == [("inflation", 1)]


def test_analyze_text_format_shows_statements_readably(server: Server) -> None:
    text = (
        "The foreign minister of Ghana urged both sides to return to negotiations. "
        "Heavy rain flooded several streets in the capital."
    )
    proc = run(
        server, "analyze", "-", "--analyses", "stance,sentiment", "--format", "text", stdin=text
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("language en")
    assert "entities" in lines and "sentiment" in lines
    assert any(line.startswith("stance  balance -1.00: 0 favor, 1 against") for line in lines)
    statement = next(line for line in lines if line.strip().startswith("AGAINST 0."))
    assert "foreign minister of Ghana: The foreign minister of Ghana urged" in statement


def test_analyze_unknown_analysis(server: Server) -> None:
    proc = run(server, "analyze", "-", "--analyses", "frobnicate", stdin=GERMAN)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "NOT_FOUND" in proc.stderr and "frobnicate" in proc.stderr


def test_analyze_empty_input(server: Server) -> None:
    proc = run(server, "analyze", "-", stdin="")
    assert proc.returncode == 1
    assert "INVALID_ARGUMENT" in proc.stderr


def test_unreachable_server() -> None:
    proc = subprocess.run(
        [_nlpctl(), "--target", "127.0.0.1:1", "--timeout", "5", "plugins"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "UNAVAILABLE" in proc.stderr


def test_batch_files_and_jsonl_in_order_with_progress(server: Server, tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(GERMAN, encoding="utf-8")
    lines = [
        {"id": "a", "text": "Der Stadtrat tagt am Montag."},
        {"id": "b", "text": ""},
        {"id": "c", "text": "The council meets on Monday."},
    ]
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")

    proc = run(server, "batch", str(first), "--analyses", "keywords")
    assert proc.returncode == 0, proc.stderr
    (only,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert only["id"] == str(first)
    assert only["response"]["custom_results"]["keywords"]["keywords"]
    assert "1/1 documents" in proc.stderr

    proc = run(server, "batch", "--jsonl", str(jsonl))
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["response"]["document"]["language"] == "de"
    assert out[1]["error"]["code"] == 3 and "empty" in out[1]["error"]["message"]
    assert out[2]["response"]["document"]["language"] == "en"
    assert proc.returncode == 1
    assert "1 of 3 documents failed" in proc.stderr


def test_batch_reports_malformed_jsonl_line(server: Server) -> None:
    proc = run(server, "batch", "--jsonl", "-", stdin='{"id": "x", "text": "Ok."}\nnot json\n')
    assert proc.returncode == 1
    assert "<stdin>" in proc.stderr or "-:2" in proc.stderr, proc.stderr
