"""nlpctl as a subprocess against the fixture server: every command, every format and
exit status, and stderr without Python tracebacks or warnings."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pytest

from conftest import Server
from nlpd import cli
from nlpd.cli import commands as cli_commands
from texts import ENGLISH, GERMAN

FRENCH = "Le conseil municipal de Lyon se réunit lundi pour voter le nouveau budget."


def _nlpctl() -> str:
    exe = Path(sys.executable).parent / "nlpctl"
    found = str(exe) if exe.is_file() else shutil.which("nlpctl")
    if not found:
        pytest.fail("nlpctl not installed; pip install ./clients/python", pytrace=False)
    return found


def run(
    server: Server | str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """nlpctl --target (the server, or an address) ARGS; stderr must be nlpctl's own
    lines only: no traceback, no Python warning with file and line."""
    target = server if isinstance(server, str) else server.address
    proc = subprocess.run(
        [_nlpctl(), "--target", target, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert_clean(proc.stderr)
    return proc


def assert_clean(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert not re.search(r"\.py:\d+: \w*Warning", stderr), stderr
    for line in stderr.splitlines():
        assert line.startswith(("nlpctl", "usage: ", "  ")) or not line.strip(), stderr


def lines(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


UNREACHABLE = "127.0.0.1:1"  # nothing listens there


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
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert proc.stdout.count("\n") == 1  # one JSON object, on one line
    assert doc["id"] == "-"
    assert doc["text"] == GERMAN
    assert doc["language"] == "de"
    assert doc["language_source"] == "LANGUAGE_SOURCE_CALLER"
    assert list(doc) == [
        f for f in cli.FIELDS if f not in ("tokens", "entities", "sentiment", "stance")
    ]
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
    doc = json.loads(proc.stdout)
    assert (doc["id"], doc["language"]) == (str(path), "de")
    assert "tokens" not in doc and doc["sentences"]


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


def test_analyze_unknown_analysis_fails_the_document(server: Server) -> None:
    proc = run(server, "analyze", "-", "--analyses", "frobnicate", stdin=GERMAN)
    assert proc.returncode == cli.EXIT_FAILED == 1
    [line] = lines(proc)
    assert line["id"] == "-" and line["error"]["code"] == "NOT_FOUND"
    [message] = proc.stderr.splitlines()
    assert message.startswith("nlpctl: error: -: NOT_FOUND: ") and "frobnicate" in message


def test_analyze_empty_input(server: Server) -> None:
    proc = run(server, "analyze", "-", stdin="")
    assert proc.returncode == 1
    assert lines(proc) == [
        {"id": "-", "error": {"code": "INVALID_ARGUMENT", "message": "text is empty"}}
    ]
    assert "INVALID_ARGUMENT" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["plugins"], ["analyze", "-"], ["health"], ["version"], ["render", "-"], ["reload"]],
)
def test_unreachable_server_is_exit_status_3(args: list[str]) -> None:
    proc = run(UNREACHABLE, "--timeout", "5", *args, stdin=GERMAN)
    assert proc.returncode == cli.EXIT_UNAVAILABLE == 3, proc.stderr
    [message] = proc.stderr.splitlines()
    assert message.startswith("nlpctl: error: UNAVAILABLE: "), message
    if args == ["version"]:  # the client's version comes first, whatever the server
        assert proc.stdout.startswith("nlpctl ")


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


# --- analyze: directories, fields, formats ------------------------------------------------


def make_corpus(root: Path) -> list[str]:
    """A directory of documents: *.txt in subdirectories (the ones analyze takes, sorted
    by path), an empty one and one not UTF-8 (they fail in their places), and files it
    leaves out (another suffix, hidden). Returns the ids analyze must print, in order."""
    texts = {
        "b/2.txt": ENGLISH,
        "a.txt": GERMAN,
        "b/10.txt": "Der Stadtrat tagt am Montag im Rathaus von Kiel.",
        "b/c/3.txt": "The council meets on Monday in the town hall of Leeds.",
        "empty.txt": "",
        "z.txt": "Die Fähre nach Sylt fällt heute aus.",
    }
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "latin1.txt").write_bytes("Grüße aus Köln.".encode("latin-1"))
    (root / "notes.md").write_text("not a .txt file", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("hidden directory", encoding="utf-8")
    names = ["a.txt", "b/10.txt", "b/2.txt", "b/c/3.txt", "empty.txt", "latin1.txt", "z.txt"]
    return [str(root / n) for n in names]


def test_analyze_directory_streams_every_txt_file_in_path_order(
    server: Server, tmp_path: Path
) -> None:
    ids = make_corpus(tmp_path)
    proc = run(server, "analyze", str(tmp_path), "--analyses", "entities")
    assert proc.returncode == 1  # two documents failed
    out = lines(proc)
    assert [o["id"] for o in out] == ids
    by_id = {o["id"]: o for o in out}
    assert by_id[ids[0]]["language"] == "de" and by_id[ids[2]]["language"] == "en"
    assert by_id[ids[0]]["text"] == GERMAN
    assert ("ORG", "Stadtwerke Lübeck") in {
        (e["label"], e["text"]) for e in by_id[ids[0]]["entities"]["entities"]
    }
    assert by_id[ids[4]] == {
        "id": ids[4],
        "error": {"code": "INVALID_ARGUMENT", "message": "text is empty"},
    }
    assert by_id[ids[5]]["error"]["code"] == "INVALID_ARGUMENT"
    assert "not valid UTF-8" in by_id[ids[5]]["error"]["message"]
    assert all("tokens" not in o for o in out)
    stderr = proc.stderr.splitlines()
    assert stderr[-1] == "nlpctl: error: 2 of 7 documents failed", proc.stderr
    assert f"nlpctl: error: {ids[4]}: INVALID_ARGUMENT: text is empty" in stderr
    # Not a terminal: no progress bar.
    assert "analyze_many" not in proc.stderr and "%" not in proc.stderr


def test_analyze_several_inputs_and_one_by_one_give_the_same_lines(
    server: Server, tmp_path: Path
) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(GERMAN, encoding="utf-8")
    two.write_text(ENGLISH, encoding="utf-8")
    streamed = run(server, "analyze", str(one), str(two), "--fields", "id,language,sentences")
    assert streamed.returncode == 0, streamed.stderr
    singles = [
        run(server, "analyze", str(p), "--fields", "id,language,sentences") for p in (one, two)
    ]
    assert streamed.stdout == "".join(s.stdout for s in singles)


def test_fields_ask_the_server_only_for_the_results_they_print(server: Server) -> None:
    wanted = cli.analyze.results_wanted
    assert wanted(("id", "stance"), ["stance"]) == ("stance",)
    assert wanted(("id", "entities", "stance"), ["stance"]) == ()  # a dependency: all
    assert wanted(("id", "stance", "custom_results"), ["stance"]) == ()
    assert wanted(("id", "language"), ["stance"]) == ()
    proc = run(
        server, "analyze", "--analyses", "stance", "--fields", "id,stance", stdin=GERMAN
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [doc] = lines(proc)
    assert list(doc) == ["id", "stance"]


def test_fields_choose_the_keys(server: Server) -> None:
    proc = run(
        server, "analyze", "--analyses", "entities,sentiment", "--fields",
        "sentiment, id,language,entities", stdin=GERMAN,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [doc] = lines(proc)
    assert list(doc) == ["id", "language", "entities", "sentiment"]  # in FIELDS order
    proc = run(server, "analyze", "--fields", "tokens,text", stdin=GERMAN)
    [doc] = lines(proc)
    assert list(doc) == ["text", "tokens"]
    assert [GERMAN[t["span"]["char_start"] : t["span"]["char_end"]] for t in doc["tokens"]][:3] == [
        "Die",
        "Stadtwerke",
        "Lübeck",
    ]


def test_unknown_field_is_a_usage_error_listing_the_valid_ones(server: Server) -> None:
    proc = run(server, "analyze", "--fields", "id,tokenz", stdin=GERMAN)
    assert proc.returncode == cli.EXIT_USAGE == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "nlpctl: error: --fields: unknown field tokenz; valid: " + ", ".join(cli.FIELDS) + "\n"
    )
    proc = run(server, "analyze", "--fields", "id", "--format", "table", stdin=GERMAN)
    assert proc.returncode == 2 and "--fields applies to --format json only" in proc.stderr


def test_document_view_follows_the_fields() -> None:
    assert cli.document_view(cli.DEFAULT_FIELDS) == "no_tokens"
    assert cli.document_view(["id", "tokens"]) == "full"
    assert cli.document_view(["sentences"]) == "no_tokens"
    assert cli.document_view(["text", "entities"]) == "no_tokens"
    assert cli.document_view(["id", "language", "entities", "sentiment"]) == "results_only"


def test_table_format(server: Server, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Kremlsprecher Dmitri Peskow drohte mit Vergeltung. Bundeskanzler Olaf Scholz "
        "warnte vor einer Eskalation des Konflikts.",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Residents praised Mayor Anna Keller for her quick help after the storm.",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    proc = run(server, "analyze", str(tmp_path), "--format", "table")
    assert proc.returncode == 1
    header, *rows = proc.stdout.splitlines()
    assert header.split() == ["ID", "LANGUAGE", "SENTIMENT", "STANCE", "ENTITIES"]
    assert len(rows) == 3
    column = header.index("ENTITIES")
    assert rows[0][column:] == "PER Dmitri Peskow, PER Olaf Scholz", proc.stdout
    assert rows[1][column:] == "PER Anna Keller", proc.stdout
    assert rows[1][header.index("LANGUAGE") :].startswith("en ")
    assert rows[1][header.index("SENTIMENT") :].startswith("POSITIVE +")
    assert re.match(r"[+-]\d\.\d\d \(\d favor, \d against\)", rows[0][header.index("STANCE") :])
    assert rows[2].startswith(str(tmp_path / "c.txt"))
    assert rows[2][column:] == "error: INVALID_ARGUMENT: text is empty"


def test_text_format_of_several_documents(server: Server, tmp_path: Path) -> None:
    ids = make_corpus(tmp_path)
    proc = run(server, "analyze", str(tmp_path), "--format", "text", "--analyses", "entities")
    assert proc.returncode == 1
    headers = [line for line in proc.stdout.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {i} <==" for i in ids]
    block = proc.stdout.split(f"==> {ids[0]} <==\n")[1].split("\n\n==> ")[0]
    assert block.startswith("language de (")
    assert "  ORG  Stadtwerke Lübeck" in block
    assert f"==> {ids[4]} <==\nerror: INVALID_ARGUMENT: text is empty\n" in proc.stdout


def test_skipped_analysis_warns_in_one_line_and_fails_with_strict(
    server: Server, tmp_path: Path
) -> None:
    proc = run(server, "analyze", "--analyses", "entities", "--language", "fr", stdin=FRENCH)
    assert proc.returncode == 0
    [doc] = lines(proc)
    assert [(a["name"], a["outcome"]) for a in doc["analyses"]] == [
        ("entities", "UNSUPPORTED_LANGUAGE")
    ]
    [warning] = proc.stderr.splitlines()
    assert warning.startswith("nlpctl: warning: -: 1 requested analysis did not run"), warning
    assert "--strict" not in warning

    strict = run(
        server, "analyze", "--analyses", "entities", "--language", "fr", "--strict", stdin=FRENCH
    )
    assert strict.returncode == 1
    [line] = lines(strict)
    assert line["error"]["code"] == "FAILED_PRECONDITION"
    [error] = strict.stderr.splitlines()
    assert error.startswith("nlpctl: error: -: skipped: 1 requested analysis did not run"), error

    for name in ("fr1.txt", "fr2.txt"):
        (tmp_path / name).write_text(FRENCH, encoding="utf-8")
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    many = run(server, "analyze", str(tmp_path), "--analyses", "entities", "--strict")
    assert many.returncode == 1
    codes = [o.get("error", {}).get("code") for o in lines(many)]
    assert codes == [None, "FAILED_PRECONDITION", "FAILED_PRECONDITION"]
    assert many.stderr.splitlines()[-1] == "nlpctl: error: 2 of 3 documents failed"
    quiet = run(server, "analyze", str(tmp_path), "--analyses", "entities", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--format", "xml"],
        ["analyze", "--bogus"],
        ["analyze", "/no/such/file.txt"],
        ["analyze", "--concurrency", "0"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_are_exit_status_2(server: Server, args: list[str]) -> None:
    proc = run(server, *args, stdin=GERMAN)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[-1].startswith(("nlpctl: error: ", "nlpctl analyze: error: "))


def test_help_documents_the_exit_statuses_and_fields() -> None:
    top = subprocess.run([_nlpctl(), "--help"], capture_output=True, text=True, timeout=60)
    assert top.returncode == 0
    for status in range(5):
        assert re.search(rf"^  {status}  \w", top.stdout, re.MULTILINE), top.stdout
    for command in ("analyze", "plugins", "health", "version", "render", "batch"):
        assert command in top.stdout
    analyze = subprocess.run(
        [_nlpctl(), "analyze", "--help"], capture_output=True, text=True, timeout=60
    )
    for field in cli.FIELDS:
        assert re.search(rf"^  {field} ", analyze.stdout, re.MULTILINE), field
    assert "Default: all but tokens" in analyze.stdout
    assert "files/s" in analyze.stdout


def test_progress_bar_only_on_a_terminal(server: Server, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(GERMAN, encoding="utf-8")

    def stderr_on_a_terminal(*args: str) -> str:
        main, secondary = pty.openpty()
        # A terminal of 100 columns (a new pty has 0, where tqdm draws nothing).
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        proc = subprocess.run(
            [_nlpctl(), "--target", server.address, "analyze", str(tmp_path), *args],
            stdout=subprocess.PIPE,
            stderr=secondary,
            timeout=120,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        assert proc.returncode == 0
        assert len(proc.stdout.splitlines()) == 3
        return b"".join(chunks).decode()

    shown = stderr_on_a_terminal()
    assert "3/3" in shown and "analyze_many" in shown, shown
    assert stderr_on_a_terminal("--no-progress") == ""
    assert stderr_on_a_terminal("--quiet") == ""


# --- health, version --------------------------------------------------------------------


def test_health(server: Server) -> None:
    proc = run(server, "health")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "SERVING\n", "")
    proc = run(server, "health", "--service", "no.such.Service")
    assert proc.returncode == 1
    assert proc.stderr.startswith("nlpctl: error: NOT_FOUND")


def test_health_status_decoding() -> None:
    assert cli_commands._health_request("") == b""
    service = "nlpd.v1.AnalysisService"
    assert cli_commands._health_request(service) == b"\x0a\x17" + service.encode()
    assert [cli_commands._health_status(b) for b in (b"", b"\x08\x01", b"\x08\x02")] == [0, 1, 2]


def test_version(server: Server) -> None:
    import nlpd

    proc = run(server, "version")
    assert proc.returncode == 0, proc.stderr
    client, server_line = proc.stdout.splitlines()
    assert client == f"nlpctl {nlpd.__version__}"
    assert re.fullmatch(
        rf"nlpd \d+\.\d+\.\d+\S* \(\w*, plugin ABI \d+\.\d+\) at {re.escape(server.address)}",
        server_line,
    ), server_line
