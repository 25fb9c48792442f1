"""The entities plugin through Analyze: typed EntitiesResult with offsets in both units."""

from __future__ import annotations

import pytest

import nlpd
from nlpd.v1 import nlpd_pb2

GERMAN = (
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist. "
    "Dort sprach er mit dem französischen Präsidenten Emmanuel Macron über die Lage in der Ukraine."
)
ENGLISH = (
    "Prime Minister Keir Starmer travelled to Washington on Tuesday. "
    "He met officials of the World Bank and spoke about trade with Canada."
)


def _entities(response: nlpd_pb2.AnalyzeResponse) -> set[tuple[str, str]]:
    text = response.document.text
    raw = text.encode()
    found = set()
    for entity in response.entities.entities:
        span = entity.span
        by_char = text[span.char_start : span.char_end]
        assert by_char == raw[span.byte_start : span.byte_end].decode()
        assert by_char == entity.text
        assert 0.0 < entity.confidence <= 1.0
        found.add((entity.label, entity.text))
    return found


def test_german_entities_are_typed_results(client: nlpd.Client) -> None:
    response = client.analyze(GERMAN, ["entities"])
    assert response.analyses[0].name == "entities"
    assert response.analyses[0].outcome == nlpd_pb2.AnalysisInfo.OK
    assert "entities" not in response.custom_results  # a typed field, not Any
    found = _entities(response)
    assert {("PER", "Olaf Scholz"), ("PER", "Emmanuel Macron"), ("LOC", "Paris")} <= found
    assert ("LOC", "Ukraine") in found


def test_english_entities(client: nlpd.Client) -> None:
    found = _entities(client.analyze(ENGLISH, ["entities"]))
    assert ("LOC", "Washington") in found
    assert ("LOC", "Canada") in found
    assert any(label == "PER" and text.endswith("Keir Starmer") for label, text in found)


def test_entities_skip_unsupported_language(client: nlpd.Client) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'entities' supports de, en"):
        response = client.analyze("El gobierno de España aprobó el presupuesto.", ["entities"])
    assert response.analyses[0].outcome == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
    assert not response.HasField("entities")


def test_institutions_are_organizations_and_world_capitals_places(client: nlpd.Client) -> None:
    # The project's convention (docs/MODELS.md): ministries and seats of power named for
    # their institution are ORG; capitals GermEval never saw are found through CLDR names.
    text = (
        "Das Außenministerium in Taschkent bestellte am Montag den Botschafter ein. "
        "Der Kreml wies die Vorwürfe zurück, und das Pentagon schwieg."
    )
    found = _entities(client.analyze(text, ["entities"]))
    assert {
        ("ORG", "Außenministerium"),
        ("LOC", "Taschkent"),
        ("ORG", "Kreml"),
        ("ORG", "Pentagon"),
    } <= found
