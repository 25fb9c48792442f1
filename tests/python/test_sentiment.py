"""The sentiment plugin through Analyze: entity, caller-target, sentence and document level."""

from __future__ import annotations

import pytest

import nlpd
from nlpd.v1 import nlpd_pb2, results_pb2

Polarity = results_pb2.Polarity

# Our own clear cases: in each language an actor praised, one condemned, one reported
# neutrally, each in a sentence of its own.
GERMAN = (
    "Die Opposition lobte Bürgermeisterin Anna Keller ausdrücklich für ihre mutige und "
    "erfolgreiche Arbeit. "
    "Menschenrechtsgruppen verurteilten General Markus Brandt scharf für die brutale Gewalt "
    "gegen friedliche Demonstranten. "
    "Minister Jonas Weber reist am Montag zu Gesprächen nach Wien."
)
ENGLISH = (
    "Critics and allies alike praised Governor Maria Lopez for her brilliant and successful "
    "handling of the crisis. "
    "Human rights groups harshly condemned General Victor Hale for the brutal crackdown on "
    "peaceful protesters. "
    "Senator Tom Reed will travel to Ottawa on Monday for talks."
)


def _check_polarity(polarity: results_pb2.Polarity) -> None:
    total = polarity.negative + polarity.neutral + polarity.positive
    assert total == pytest.approx(1.0, abs=1e-4)
    assert polarity.score == pytest.approx(polarity.positive - polarity.negative, abs=1e-5)
    best = max(
        (polarity.negative, Polarity.NEGATIVE),
        (polarity.neutral, Polarity.NEUTRAL),
        (polarity.positive, Polarity.POSITIVE),
    )[1]
    assert polarity.label == best


def _summary(result: results_pb2.SentimentResult, name_part: str) -> results_pb2.TargetSummary:
    matches = [s for s in result.summaries if name_part in s.name]
    assert matches, f"no summary for {name_part!r}: {[s.name for s in result.summaries]}"
    return matches[0]


@pytest.mark.parametrize(
    ("text", "language", "praised", "condemned", "neutral"),
    [
        (GERMAN, "de", "Anna Keller", "Markus Brandt", "Jonas Weber"),
        (ENGLISH, "en", "Maria Lopez", "Victor Hale", "Tom Reed"),
    ],
)
def test_actor_praised_condemned_and_reported(
    client: nlpd.Client, text: str, language: str, praised: str, condemned: str, neutral: str
) -> None:
    response = client.analyze(text, ["sentiment"])
    assert response.document.language == language
    # entities ran as a dependency; both are typed results.
    assert [(a.name, a.dependency, a.outcome) for a in response.analyses] == [
        ("entities", True, nlpd_pb2.AnalysisInfo.OK),
        ("sentiment", False, nlpd_pb2.AnalysisInfo.OK),
    ]
    result = response.sentiment
    assert len(result.sentences) == len(response.document.sentences) == 3
    for polarity in [result.document, *result.sentences]:
        _check_polarity(polarity)
    for target in result.targets:
        _check_polarity(target.polarity)
        assert target.source == results_pb2.ENTITY
        assert target.text == response.document.text[target.span.char_start : target.span.char_end]
        sentence = response.document.sentences[target.sentence].span
        assert sentence.char_start <= target.span.char_start < sentence.char_end

    assert _summary(result, praised).polarity.label == Polarity.POSITIVE
    assert _summary(result, condemned).polarity.label == Polarity.NEGATIVE
    assert _summary(result, neutral).polarity.label == Polarity.NEUTRAL
    assert result.sentences[0].score > result.sentences[2].score > result.sentences[1].score


def test_callers_targets_by_text_and_range(client: nlpd.Client) -> None:
    text = (
        "Residents warmly praised the mayor for her quick and generous help after the storm. "
        "Everyone blamed the council for the disastrous handling of the flood."
    )
    start = text.index("the council")
    response = client.analyze(
        text, ["sentiment"], targets=["The Mayor", (start, start + 11), "tariffs"]
    )
    result = response.sentiment
    requested = [t for t in result.targets if t.source == results_pb2.REQUEST]
    assert [(t.text, t.request_target, t.sentence) for t in requested] == [
        ("the mayor", 0, 0),
        ("the council", 1, 1),
    ]
    summaries = [s for s in result.summaries if s.source == results_pb2.REQUEST]
    assert [(s.request_target, s.name, len(s.mentions)) for s in summaries] == [
        (0, "The Mayor", 1),
        (1, "the council", 1),
        (2, "tariffs", 0),
    ]
    assert not summaries[2].HasField("polarity")  # a target that does not occur
    assert summaries[0].polarity.label == Polarity.POSITIVE
    assert summaries[1].polarity.label == Polarity.NEGATIVE
    for summary in summaries[:2]:
        assert result.targets[summary.mentions[0]].source == results_pb2.REQUEST


def test_surname_mentions_join_the_full_name(client: nlpd.Client) -> None:
    text = (
        "Kanzlerin Petra Lindqvist eröffnete am Montag die Messe in Hannover. "
        "Lindqvist sprach dort mit Unternehmern."
    )
    result = client.analyze(text, ["sentiment"]).sentiment
    people = [s for s in result.summaries if s.label == "PER"]
    assert [(s.name, len(s.mentions)) for s in people] == [("Petra Lindqvist", 2)]


def test_bad_targets_are_invalid_argument(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.InvalidArgumentError, match="target 1: the text is empty"):
        client.analyze("A short text.", ["sentiment"], targets=["text", "  "])
    with pytest.raises(nlpd.InvalidArgumentError, match=r"target 0: the range \[2, 99\)"):
        client.analyze("A short text.", ["sentiment"], targets=[(2, 99)])
    with pytest.raises(TypeError, match="target 0"):
        client.analyze("A short text.", ["sentiment"], targets=[(2,)])  # type: ignore[list-item]


def test_unsupported_language_is_explicit(client: nlpd.Client) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'sentiment' supports de, en"):
        response = client.analyze("El gobierno aprobó el presupuesto del año.", ["sentiment"])
    outcomes = {a.name: a.outcome for a in response.analyses}
    assert outcomes["sentiment"] == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
    assert not response.HasField("sentiment")
