"""The German sample article from ../shared/samples through entities and stance.

The article is read at test time, never copied into the project; the test skips with a
message where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import nlpd
from nlpd.v1 import nlpd_pb2, results_pb2

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared/samples/de-news-nordkorea.txt"


@pytest.fixture(scope="module")
def response(client: nlpd.Client) -> nlpd_pb2.AnalyzeResponse:
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is absent (the shared samples are not on this machine)")
    return client.analyze(SAMPLE.read_text(encoding="utf-8"), ["entities", "stance"])


def test_the_obvious_entities_have_the_right_type(response: nlpd_pb2.AnalyzeResponse) -> None:
    found = {(e.label, e.text) for e in response.entities.entities}
    people = {"Dmitri Peskow", "Georgi Sinowjew", "Kim Hong-kyun", "Mark Rutte"}
    people.add("Wolodymyr Selenskyj")
    places = {"Pjöngjang", "Moskau", "Seoul", "Peking", "Russland", "Ukraine"}
    places |= {"Nordkorea", "Südkorea"}
    organizations = {"Reuters", "TASS", "NATO", "Pentagon", "Kreml"}
    organizations |= {"Außenministerium", "Verteidigungsministerium"}
    expected = {("PER", p) for p in people} | {("LOC", p) for p in places}
    expected |= {("ORG", o) for o in organizations}
    assert expected - found == set()
    # One label per name: no agency or place is also tagged as a person.
    assert not {text for label, text in found if label == "PER"} & (places | organizations)


def test_stance_summaries(response: nlpd_pb2.AnalyzeResponse) -> None:
    result = response.stance
    by_actor = {actor.actor: actor.stance for actor in result.actors}
    against = [name for name, stance in by_actor.items() if stance == results_pb2.AGAINST]
    for who in ("Peskow", "Sinowjew", "Kim Hong-kyun", "Rutte", "chinesischen"):
        assert any(who in name for name in against), (who, by_actor)
    assert any("südkoreanische" in name or "Südkorea" in name for name in against), by_actor
    deployments = [e for e in result.events if e.kind == "deployment"]
    assert any(e.actor == "Nordkorea" and "Selenskyj" in e.reported_by for e in deployments), [
        (e.kind, e.actor, e.reported_by) for e in result.events
    ]
    assert result.balance < 0  # the article's actors mostly warn and reassure
