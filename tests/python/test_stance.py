"""The stance plugin through Analyze: statements, actors, balance and events, own texts."""

from __future__ import annotations

import pytest

import nlpd
from nlpd.v1 import nlpd_pb2, results_pb2

FAVOR, AGAINST, NONE = results_pb2.FAVOR, results_pb2.AGAINST, results_pb2.NONE

GERMAN = (
    "Der Verteidigungsminister von Taiwan warnte, eine Blockade würde eine gefährliche "
    "Eskalation bedeuten. "
    "Ein Sprecher der Armee sagte, man werde jeden Angriff mit aller Härte vergelten. "
    "Der Sturm beschädigte mehrere Häuser im Hafen."
)
ENGLISH = (
    "The foreign minister of Ghana urged both sides to return to negotiations. "
    "General Amos Okoro said his forces would strike the rebel positions unless they "
    "withdrew by Friday. "
    "Heavy rain flooded several streets in the capital."
)


def _statements(response: nlpd_pb2.AnalyzeResponse) -> list[tuple[str, int]]:
    return [(s.actor, s.stance) for s in response.stance.statements if s.stance != NONE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GERMAN,
            [("Verteidigungsminister von Taiwan", AGAINST), ("Sprecher der Armee", FAVOR)],
        ),
        (ENGLISH, [("foreign minister of Ghana", AGAINST), ("Amos Okoro", FAVOR)]),
    ],
)
def test_statements_actors_and_balance(
    client: nlpd.Client, text: str, expected: list[tuple[str, int]]
) -> None:
    response = client.analyze(text, ["stance"])
    assert [(a.name, a.outcome) for a in response.analyses] == [
        ("entities", nlpd_pb2.AnalysisInfo.OK),
        ("stance", nlpd_pb2.AnalysisInfo.OK),
    ]
    found = _statements(response)
    for actor, stance in expected:
        assert any(actor in got and stance == want for got, want in found), found
    # The weather sentence takes no position.
    last = response.document.sentences[-1].span
    assert all(
        s.stance == NONE or s.span.char_start < last.char_start for s in response.stance.statements
    )
    result = response.stance
    document = response.document
    for statement in result.statements:
        assert 0.0 < statement.confidence <= 1.0
        for cue in statement.cues:
            assert statement.span.char_start <= cue.char_start < cue.char_end
            assert cue.char_end <= statement.span.char_end
        for index in statement.actor_entities:
            assert index < len(response.entities.entities)
        if statement.actor_span.char_end:
            actor_text = document.text[
                statement.actor_span.char_start : statement.actor_span.char_end
            ]
            assert actor_text
    counts = [s.stance for s in result.statements]
    assert (result.favor, result.against, result.none) == (
        counts.count(FAVOR),
        counts.count(AGAINST),
        counts.count(NONE),
    )
    assert result.balance == pytest.approx(
        (result.favor - result.against) / (result.favor + result.against)
    )
    # Every statement belongs to exactly one actor summary.
    listed = sorted(i for actor in result.actors for i in actor.statements)
    assert listed == [i for i, s in enumerate(result.statements) if s.actor]


def test_threat_is_an_escalatory_event(client: nlpd.Client) -> None:
    response = client.analyze(ENGLISH, ["stance"])
    events = response.stance.events
    assert events, "no escalatory event"
    assert any("Okoro" in event.actor for event in events)
    text = response.document.text
    for event in events:
        assert event.kind
        assert text[event.span.char_start : event.span.char_end]


def test_unsupported_language_is_explicit(client: nlpd.Client) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'stance' supports de, en"):
        response = client.analyze("Le ministre a appelé les deux parties au calme.", ["stance"])
    outcomes = {a.name: a.outcome for a in response.analyses}
    assert outcomes["stance"] == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
    assert not response.HasField("stance")
