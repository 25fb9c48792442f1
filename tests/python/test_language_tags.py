"""Language tags of any case and with '_' are served like their canonical form.

The server normalizes AnalyzeRequest.language once, in its text pipeline, so plugins
(which compare tags as they are) never see "DE" or "de_DE".
"""

from __future__ import annotations

import pytest

import nlpd
from nlpd.v1 import nlpd_pb2

GERMAN = (
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist. "
    "Dort sprach er mit dem französischen Präsidenten Emmanuel Macron über die Lage in der "
    "Ukraine. Die Gespräche seien gut verlaufen, sagte ein Sprecher in Berlin."
)


def _without_timing(response: nlpd_pb2.AnalyzeResponse) -> nlpd_pb2.AnalyzeResponse:
    """``response`` without what differs between identical calls (durations)."""
    copy = nlpd_pb2.AnalyzeResponse()
    copy.CopyFrom(response)
    for info in copy.analyses:
        info.duration_us = 0
    return copy


def _entities(response: nlpd_pb2.AnalyzeResponse) -> list[tuple[str, str, int, int]]:
    entities = response.entities.entities
    return [(e.label, e.text, e.span.char_start, e.span.char_end) for e in entities]


@pytest.fixture(scope="module")
def as_de(client: nlpd.Client) -> nlpd_pb2.AnalyzeResponse:
    response = client.analyze(GERMAN, ["entities"], language="de")
    assert response.document.language == "de"
    assert response.analyses[0].outcome == nlpd_pb2.AnalysisInfo.OK
    assert ("PER", "Olaf Scholz") in {(label, text) for label, text, _, _ in _entities(response)}
    return response


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [("DE", "de"), ("De", "de"), ("de-DE", "de-DE"), ("de_DE", "de-DE"), ("DE_de", "de-DE")],
)
def test_tag_is_served_like_de(
    client: nlpd.Client, as_de: nlpd_pb2.AnalyzeResponse, tag: str, canonical: str
) -> None:
    response = client.analyze(GERMAN, ["entities"], language=tag)
    assert response.document.language == canonical
    assert response.document.language_confidence == 1.0
    assert [(a.name, a.outcome) for a in response.analyses] == [
        ("entities", nlpd_pb2.AnalysisInfo.OK)
    ]
    assert _entities(response) == _entities(as_de)
    assert response.document.sentences == as_de.document.sentences


@pytest.mark.parametrize("analysis", ["keywords", "entities", "sentiment", "stance"])
def test_every_builtin_analysis_takes_an_upper_case_tag(client: nlpd.Client, analysis: str) -> None:
    """Dependencies (sentiment and stance need entities) see the canonical tag too."""
    expected = _without_timing(client.analyze(GERMAN, [analysis], language="de"))
    response = _without_timing(client.analyze(GERMAN, [analysis], language="DE"))
    assert all(a.outcome == nlpd_pb2.AnalysisInfo.OK for a in response.analyses)
    assert response == expected


def test_stream_takes_the_canonical_tag(client: nlpd.Client) -> None:
    responses = list(client.analyze_stream([GERMAN, GERMAN], ["entities"], language="de_de"))
    assert [r.WhichOneof("outcome") for r in responses] == ["response", "response"]
    for r in responses:
        assert r.response.document.language == "de-DE"
        assert r.response.entities.entities


@pytest.mark.parametrize(("tag", "canonical"), [("xx", "xx"), ("XX", "xx"), ("xx_yy", "xx-YY")])
def test_unknown_language_is_served_as_unsupported(
    client: nlpd.Client, tag: str, canonical: str
) -> None:
    """A well-formed tag of a language no plugin knows: served, plugins skipped."""
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'entities'"):
        response = client.analyze(GERMAN, ["entities"], language=tag)
    assert response.document.language == canonical
    assert [(a.name, a.outcome) for a in response.analyses] == [
        ("entities", nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE)
    ]
    assert not response.HasField("entities")


@pytest.mark.parametrize(
    "tag",
    ["d", "deutsch", "de-", "en GB", "a" * 1024, "a" * (100 * 1024)],
    ids=["short", "long-primary", "trailing-hyphen", "space", "1KB", "100KB"],
)
def test_malformed_tag_is_invalid_argument(client: nlpd.Client, tag: str) -> None:
    with pytest.raises(nlpd.InvalidArgumentError) as info:
        client.analyze(GERMAN, ["entities"], language=tag)
    message = str(info.value)
    assert "not a BCP-47 tag" in message
    # The tag is quoted abbreviated: a 100 KB message would exceed gRPC's metadata
    # limit and reach the client as RESOURCE_EXHAUSTED instead.
    assert len(message) < 300
