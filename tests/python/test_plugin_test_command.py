"""nlpd-plugin-test and the nlpd_plugin pytest fixture (nlpd.testing), run for real.

Each contract breach is provoked by a test plugin made to break it (test_fault's
keywords, tests/plugins/README.md; the Python plugins in data/python_plugins/), and the
command must exit 1 naming it; a good plugin exits 0 and prints its decoded result.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import nlpd.testing
from conftest import build_dir
from nlpd.v1 import results_pb2

PluginFactory = Callable[..., nlpd.testing.PluginUnderTest]


def binary() -> Path:
    path = build_dir() / "bin" / "nlpd-plugin-test"
    if not path.exists():
        pytest.fail(f"{path} is missing: build the project (scripts/build)")
    return path


@pytest.fixture(autouse=True)
def plugin_test_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLPD_PLUGIN_TEST", str(binary()))


FAULT = build_dir() / "test_plugins_fault" / "libnlpd_test_fault.so"
KEYWORDS = build_dir() / "plugins" / "libnlpd_keywords.so"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary()), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_good_plugin_prints_its_result_and_exits_0() -> None:
    done = run(str(KEYWORDS), "--text", "Die Bundesregierung beschließt neue Sanktionen.")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "plugin 'keywords'" in done.stdout
    assert '"normalized": "bundesregierung"' in done.stdout
    assert "1 text(s): 1 ok, 0 skipped, 0 breach(es)" in done.stdout


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("FAULT_ERROR", "INTERNAL: plugin 'test_fault': FAULT_ERROR: failing as asked"),
        ("FAULT_THROW", "FAULT_THROW: throwing as asked"),
        ("FAULT_GARBAGE", "returned bytes that are not a valid nlpd.v1.EntitiesResult"),
        ("FAULT_WRONG_TYPE", "does not declare (field number 4)"),
        ("FAULT_BAD_SPAN", "byte_end 1000 is past the end of the"),
        ("FAULT_SPLIT_UTF8", "is inside the 2-byte character"),
        ("FAULT_SEGFAULT", "killed by signal 11 (Segmentation fault)"),
        ("FAULT_ABORT", "killed by signal 6 (Aborted)"),
    ],
)
def test_each_contract_breach_exits_1_and_says_what(keyword: str, expected: str) -> None:
    done = run(str(FAULT), "--json", "--text", f"{keyword} in einem Text über Köln")
    assert done.returncode == 1, done.stdout + done.stderr
    plugin, text = json_lines(done.stdout)
    assert plugin["plugin"]["name"] == "test_fault"  # type: ignore[index]
    assert text["outcome"] == "breach"
    assert expected in str(text["message"]), text


def test_a_file_of_texts_reports_each_and_fails_on_any_breach(tmp_path: Path) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("erster Satz\n\nFAULT_BAD_SPAN zweiter\ndritter Satz\n", encoding="utf-8")
    done = run(str(FAULT), "--json", f"--file={texts}")
    assert done.returncode == 1
    outcomes = [line["outcome"] for line in json_lines(done.stdout)[1:]]
    assert outcomes == ["ok", "breach", "ok"]


def test_a_file_that_is_no_plugin_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "libnlpd_fake.so"
    fake.write_bytes(b"not an ELF file")
    done = run(str(fake), "--text", "x")
    assert done.returncode == 1
    assert "BREACH: the plugin was refused" in done.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(KEYWORDS)).returncode == 2  # no text
    assert run(str(KEYWORDS), "--text=a", f"--file={tmp_path}/x").returncode == 2
    missing = run(str(tmp_path / "missing.so"), "--text=a")
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_fixture_returns_the_decoded_result(nlpd_plugin: PluginFactory) -> None:
    entities = nlpd_plugin(FAULT).run("Grüße aus Köln")
    assert isinstance(entities, results_pb2.EntitiesResult)
    [entity] = entities.entities
    assert (entity.text, entity.span.byte_end, entity.span.char_end) == ("Grüße", 7, 5)


def test_fixture_fails_the_test_on_a_breach(nlpd_plugin: PluginFactory) -> None:
    with pytest.raises(nlpd.testing.PluginBreach, match="is inside the 2-byte character"):
        nlpd_plugin(FAULT).run("FAULT_SPLIT_UTF8 in Köln")


def test_fixture_decodes_a_custom_result_type(nlpd_plugin: PluginFactory) -> None:
    plugin = nlpd_plugin(KEYWORDS)
    runs = plugin.run_all(["Die Regierung beschließt Sanktionen.", "Bonjour tout le monde."])
    assert [r.outcome for r in runs] == ["ok", "skipped"]
    assert runs[0].result is not None
    assert type(runs[0].result).DESCRIPTOR.full_name == "nlpd.keywords.v1.KeywordsResult"
    assert "sanktionen" in [k.normalized for k in runs[0].result.keywords]  # type: ignore[attr-defined]
    with pytest.raises(nlpd.testing.PluginNotRun):
        plugin.run("Bonjour tout le monde.", language="fr")
