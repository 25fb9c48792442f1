"""A stance language added by data alone: the stance plugin built with the
test-only folder tests/plugins/stance_language/lang/nl/ (no code), served
against a stand-in "entities" plugin for "nl", in
<build>/test_plugins_stance_language (docs/STANCE.md, "Adding a language")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from nlpd.v1 import results_pb2

CALL_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def dutch_server() -> Iterator[Server]:
    directory = build_dir() / "test_plugins_stance_language"
    if not directory.is_dir():
        pytest.fail(f"{directory} not found: build the test plugins", pytrace=False)
    srv = start_server(plugin_dirs=[directory])
    yield srv
    stop_server(srv)


def test_the_plugin_lists_the_folder_languages(dutch_server: Server) -> None:
    with nlpd.Client(dutch_server.address, timeout=CALL_TIMEOUT_S) as client:
        [stance] = [p for p in client.list_plugins().plugins if p.name == "stance"]
    assert list(stance.languages) == ["de", "en", "nl"]


@pytest.mark.parametrize(
    ("text", "actor", "stance"),
    [
        ("Minister Jan Smit dreigde met een aanval.", "Jan Smit", results_pb2.FAVOR),
        ("Minister Anna Visser riep op tot kalmte.", "Anna Visser", results_pb2.AGAINST),
    ],
)
def test_dutch_cues_and_attribution(
    dutch_server: Server, text: str, actor: str, stance: int
) -> None:
    with nlpd.Client(dutch_server.address, timeout=CALL_TIMEOUT_S) as client:
        response = client.analyze(text, ["stance"], language="nl")
    [statement] = response.stance.statements
    assert statement.stance == stance, response.stance
    assert actor in statement.actor, response.stance


def test_a_negated_dutch_cue_takes_no_position(dutch_server: Server) -> None:
    with nlpd.Client(dutch_server.address, timeout=CALL_TIMEOUT_S) as client:
        response = client.analyze(
            "Minister Jan Smit dreigde niet met een aanval.", ["stance"], language="nl"
        )
    assert all(s.stance == results_pb2.NONE for s in response.stance.statements)
