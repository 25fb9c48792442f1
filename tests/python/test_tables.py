"""nlpd.to_records, nlpd.to_pandas, nlpd.to_json and nlpd.from_json on real responses."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import nlpd
from conftest import REPO, Server
from doc_examples import run_section
from nlpd.tables import COLUMNS, KINDS
from nlpd.v1 import nlpd_pb2

ALL = ["entities", "sentiment", "stance"]
CONFLICT = (
    "Kremlsprecher Dmitri Peskow drohte mit Vergeltung. "
    "Bundeskanzler Olaf Scholz warnte vor einer Eskalation des Konflikts. "
    "Die EZB-Präsidentin Christine Lagarde sprach in Frankfurt."
)
MERKEL = "Angela Merkel besuchte Paris."


@pytest.fixture(scope="module")
def responses(client: nlpd.Client) -> list[nlpd_pb2.AnalyzeResponse]:
    return [client.analyze(CONFLICT, ALL), client.analyze(MERKEL, ["entities"])]


def test_entities(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    records = nlpd.to_records(responses, "entities")
    assert [tuple(r) for r in records] == [COLUMNS["entities"]] * len(records)
    got = [(r["doc"], r["text"], r["label"], r["sentence"]) for r in records]
    assert got == [
        (0, "Dmitri Peskow", "PER", 0),
        (0, "Olaf Scholz", "PER", 1),
        (0, "EZB", "ORG", 2),
        (0, "Christine Lagarde", "PER", 2),
        (0, "Frankfurt", "LOC", 2),
        (1, "Angela Merkel", "PER", 0),
        (1, "Paris", "LOC", 0),
    ]
    entities = [e for r in responses for e in r.entities.entities]
    for record, entity in zip(records, entities, strict=True):
        text = responses[record["doc"]].document.text
        assert text[record["start"] : record["end"]] == record["text"]
        assert (record["start"], record["end"]) == (entity.span.char_start, entity.span.char_end)
        assert math.isclose(record["confidence"], entity.confidence, rel_tol=1e-6)
    # Sentiment toward each mention when "sentiment" ran (document 0), else None.
    for record in records:
        if record["doc"] == 0:
            assert record["sentiment"] in ("NEGATIVE", "NEUTRAL", "POSITIVE")
            assert -1 <= record["sentiment_score"] <= 1
        else:
            assert record["sentiment"] is None and record["sentiment_score"] is None
    json.dumps(records)  # plain Python values


def test_code_point_offsets_past_astral_characters(client: nlpd.Client) -> None:
    response = client.analyze("🙂🙂 Angela Merkel besuchte Paris.", ["entities"])
    records = nlpd.to_records(response, "entities")  # a single response is accepted
    assert [(r["text"], r["start"], r["end"]) for r in records] == [
        ("Angela Merkel", 3, 16),
        ("Paris", 26, 31),
    ]


def test_sentences(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    records = nlpd.to_records(responses, "sentences")
    assert [tuple(r) for r in records] == [COLUMNS["sentences"]] * len(records)
    assert [(r["doc"], r["sentence"], r["text"]) for r in records] == [
        (0, 0, "Kremlsprecher Dmitri Peskow drohte mit Vergeltung."),
        (0, 1, "Bundeskanzler Olaf Scholz warnte vor einer Eskalation des Konflikts."),
        (0, 2, "Die EZB-Präsidentin Christine Lagarde sprach in Frankfurt."),
        (1, 0, MERKEL),
    ]
    polarities = responses[0].sentiment.sentences
    for record, polarity in zip(records[:3], polarities, strict=True):
        probabilities = {k: record[k] for k in ("negative", "neutral", "positive")}
        assert math.isclose(sum(probabilities.values()), 1, abs_tol=1e-4)
        assert record["label"] == max(probabilities, key=lambda k: probabilities[k]).upper()
        assert record["probability"] == probabilities[record["label"].lower()]
        assert math.isclose(record["score"], polarity.score, rel_tol=1e-6)
    # No sentiment for document 1: the polarity columns are None.
    assert all(records[3][k] is None for k in COLUMNS["sentences"][5:])


def test_statements(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    records = nlpd.to_records(responses, "statements")
    assert [tuple(r) for r in records] == [COLUMNS["statements"]] * len(records)
    got = [(r["doc"], r["actor"], r["stance"], r["cue"], r["sentence"]) for r in records]
    assert got == [
        (0, "Dmitri Peskow", "FAVOR", "drohte; Vergeltung", 0),
        (0, "Olaf Scholz", "AGAINST", "warnte vor", 1),
        (0, "Christine Lagarde", "NONE", None, 2),
    ]
    text = responses[0].document.text
    assert records[1]["text"] == text[records[1]["start"] : records[1]["end"]]
    assert text[records[1]["actor_start"] : records[1]["actor_end"]] == "Bundeskanzler Olaf Scholz"
    assert all(0 < r["confidence"] <= 1 for r in records)


def test_actors(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    records = nlpd.to_records(responses, "actors")
    assert [tuple(r) for r in records] == [COLUMNS["actors"]] * len(records)
    assert [tuple(r.values()) for r in records] == [
        (0, "Dmitri Peskow", "FAVOR", 1, 0, 0, 1, 1.0),
        (0, "Olaf Scholz", "AGAINST", 0, 1, 0, 1, -1.0),
        (0, "Christine Lagarde", "NONE", 0, 0, 1, 1, 0.0),
    ]


def test_ids_from_pairs_mappings_and_streams(client: nlpd.Client) -> None:
    texts = [("a", CONFLICT), ("b", ""), ("c", MERKEL)]
    stream = list(client.analyze_stream(texts, ["entities"]))
    assert stream[1].WhichOneof("outcome") == "error"  # an empty text
    records = nlpd.to_records(stream, "entities")
    assert tuple(records[0]) == ("doc", "id", *COLUMNS["entities"][1:])
    # The failed document gives no rows; its doc number is not reused.
    assert [(r["doc"], r["id"], r["text"]) for r in records if r["label"] == "PER"] == [
        (0, "a", "Dmitri Peskow"),
        (0, "a", "Olaf Scholz"),
        (0, "a", "Christine Lagarde"),
        (2, "c", "Angela Merkel"),
    ]
    merkel = stream[2].response
    pairs = nlpd.to_records([(17, merkel), ("x", stream[2])], "actors")
    assert pairs == []
    pairs = nlpd.to_records([(17, merkel), {"id": "x", "response": merkel}, merkel], "entities")
    assert [(r["doc"], r["id"]) for r in pairs] == [(0, 17), (0, 17), (1, "x"), (1, "x")] + [
        (2, None),
        (2, None),
    ]


def test_bulk_results_are_tables_and_json(client: nlpd.Client) -> None:
    texts = [("a", CONFLICT), ("b", ""), ("c", MERKEL)]
    results = list(client.analyze_many(texts, ["entities"]))
    assert not results[1].ok  # an empty text
    records = nlpd.to_records(results, "entities")
    stream = list(client.analyze_stream(texts, ["entities"]))
    assert records == nlpd.to_records(stream, "entities")
    with pytest.raises(ValueError, match="item 1 .id 'b'. is a failed document"):
        nlpd.to_json(results, client=client)
    saved = nlpd.to_json([r for r in results if r.ok], client=client)
    assert [doc_id for doc_id, _ in nlpd.from_json(saved, with_ids=True)] == ["a", "c"]


def test_bad_kind_and_items(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    for function in (nlpd.to_records, nlpd.to_pandas):
        with pytest.raises(ValueError, match="entities, sentences, statements, actors") as info:
            function(responses, "entity")
        assert "'entity'" in str(info.value)
    with pytest.raises(TypeError, match="item 1: expected an AnalyzeResponse"):
        nlpd.to_records([responses[0], "text"], "entities")
    with pytest.raises(TypeError, match="iterable of responses"):
        nlpd.to_records("text", "entities")  # type: ignore[arg-type]


def test_to_pandas_dtypes(responses: list[nlpd_pb2.AnalyzeResponse]) -> None:
    pd = pytest.importorskip("pandas")
    entities = nlpd.to_pandas(responses, "entities")
    assert list(entities.columns) == list(COLUMNS["entities"])
    assert len(entities) == 7
    assert str(entities["doc"].dtype) == "int64"
    assert isinstance(entities["label"].dtype, pd.CategoricalDtype)
    assert list(entities["label"].cat.categories) == ["PER", "LOC", "ORG", "MISC"]
    assert list(entities["sentiment"].cat.categories) == ["NEGATIVE", "NEUTRAL", "POSITIVE"]
    assert entities["sentiment"].cat.ordered
    for column in ("start", "end", "sentence"):
        assert str(entities[column].dtype) == "Int64", column
    assert isinstance(entities["text"].dtype, pd.StringDtype)
    assert str(entities["confidence"].dtype) == "float64"
    assert entities["sentiment_score"].isna().tolist() == [False] * 5 + [True] * 2
    assert entities.loc[5, "text"] == "Angela Merkel" and entities.loc[5, "end"] == 13

    statements = nlpd.to_pandas(responses, "statements")
    assert list(statements["stance"].cat.categories) == ["FAVOR", "AGAINST", "NONE"]
    assert str(statements["actor_start"].dtype) == "Int64"
    assert statements["cue"].isna().tolist() == [False, False, True]

    actors = nlpd.to_pandas(responses, "actors")
    assert actors.dtypes.astype(str).to_dict() == {
        "doc": "int64",
        "actor": str(pd.StringDtype()),
        "stance": "category",
        "favor": "int64",
        "against": "int64",
        "none": "int64",
        "statements": "int64",
        "balance": "float64",
    }
    sentences = nlpd.to_pandas(responses, "sentences")
    assert sentences["label"].isna().tolist() == [False, False, False, True]
    assert list(sentences["label"].cat.categories) == ["NEGATIVE", "NEUTRAL", "POSITIVE"]
    assert sentences["label"].cat.ordered
    assert sentences.groupby("doc").size().tolist() == [3, 1]


def test_to_pandas_ids_and_empty(client: nlpd.Client) -> None:
    pd = pytest.importorskip("pandas")
    stream = client.analyze_stream([("a", MERKEL), ("b", CONFLICT)], ["entities"])
    frame = nlpd.to_pandas(stream, "entities")  # a generator, consumed once
    frame_source = [client.analyze(MERKEL, ["entities"]), client.analyze(MERKEL, ["entities"])]
    assert list(frame.columns[:2]) == ["doc", "id"]
    assert isinstance(frame["id"].dtype, pd.StringDtype)
    assert frame["id"].tolist() == ["a", "a"] + ["b"] * 5
    numbered = nlpd.to_pandas(
        [(1, r.response) for r in client.analyze_stream([MERKEL], ["entities"])], "entities"
    )
    assert numbered["id"].dtype == object and numbered["id"].tolist() == [1, 1]
    # Ids given for some items only: None for the others.
    some = nlpd.to_pandas([frame_source[0], ("b", frame_source[1])], "entities")
    assert isinstance(some["id"].dtype, pd.StringDtype)
    assert some["id"].isna().tolist() == [True, True, False, False]
    for kind in KINDS:
        empty = nlpd.to_pandas([], kind)
        assert list(empty.columns) == list(COLUMNS[kind]) and len(empty) == 0
        assert str(empty["doc"].dtype) == "int64"
    assert str(nlpd.to_pandas([], "entities")["start"].dtype) == "Int64"


def test_to_pandas_without_pandas_names_the_extra(
    responses: list[nlpd_pb2.AnalyzeResponse], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match=r"nlpd\[pandas\]"):
        nlpd.to_pandas(responses, "entities")
    assert nlpd.to_records(responses, "entities")  # records need no pandas


def test_json_round_trip_with_custom_results(client: nlpd.Client) -> None:
    responses = [
        client.analyze(CONFLICT, [*ALL, "keywords"]),
        client.analyze("🙂 " + MERKEL, ["entities", "keywords"]),
    ]
    assert "keywords" in responses[0].custom_results
    text = nlpd.to_json(responses, client=client)
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == 2
    keywords = data[0]["custom_results"]["keywords"]
    assert keywords["@type"] == "type.googleapis.com/nlpd.keywords.v1.KeywordsResult"
    assert keywords["keywords"][0]["text"]
    assert data[0]["entities"]["entities"][0]["text"] == "Dmitri Peskow"
    assert data[0]["document"]["sentences"][0]["span"]["char_start"] == 0
    back = nlpd.from_json(text, client=client)
    assert back == responses
    assert nlpd.from_json(nlpd.to_json(back, client=client, indent=2), client=client) == responses
    # Without a client, a plugin's own type cannot be written or read.
    with pytest.raises(ValueError, match="keywords.*pass client="):
        nlpd.to_json(responses)
    with pytest.raises(ValueError, match="keywords.*pass client="):
        nlpd.from_json(text)


def test_json_round_trip_of_builtin_results_needs_no_client(
    responses: list[nlpd_pb2.AnalyzeResponse],
) -> None:
    text = nlpd.to_json(responses)
    assert nlpd.from_json(text) == responses
    assert nlpd.from_json(nlpd.to_json(responses[0])) == responses[:1]
    # A single object reads as a list of one.
    assert nlpd.from_json(json.dumps(json.loads(text)[1])) == responses[1:]
    assert nlpd.to_records(nlpd.from_json(text), "actors") == nlpd.to_records(responses, "actors")


def test_json_round_trip_with_ids(client: nlpd.Client) -> None:
    stream = list(client.analyze_stream([("a", MERKEL), ("b", CONFLICT)], ALL))
    text = nlpd.to_json(stream)
    assert [item["id"] for item in json.loads(text)] == ["a", "b"]
    pairs = nlpd.from_json(text, with_ids=True)
    assert pairs == [(s.id, s.response) for s in stream]
    assert nlpd.from_json(text) == [s.response for s in stream]
    # Pairs go back into the tables with their ids.
    assert nlpd.to_records(pairs, "entities") == nlpd.to_records(stream, "entities")
    # An item written without an id reads back with id None.
    mixed = nlpd.to_json([stream[0].response, (7, stream[1].response)])
    assert [i for i, _ in nlpd.from_json(mixed, with_ids=True)] == [None, 7]


def test_json_refuses_failed_documents_and_bad_text(client: nlpd.Client) -> None:
    stream = list(client.analyze_stream([("ok", MERKEL), ("empty", "")], ["entities"]))
    with pytest.raises(ValueError, match="item 1 .id 'empty'. is a failed document"):
        nlpd.to_json(stream)
    with pytest.raises(ValueError):
        nlpd.from_json("not json")
    with pytest.raises(ValueError, match="expected a JSON array"):
        nlpd.from_json("42")
    with pytest.raises(ValueError, match="item 0: not an nlpd.v1.AnalyzeResponse"):
        nlpd.from_json('[{"no_such_field": 1}]')


def test_json_lines_and_nlpctl_batch_output(server: Server, client: nlpd.Client) -> None:
    stream = list(client.analyze_stream([("a", MERKEL), ("b", CONFLICT)], ALL))
    lines = nlpd.to_json(stream, lines=True)
    assert len(lines.splitlines()) == 2 and lines.endswith("\n")
    assert nlpd.from_json(lines, with_ids=True) == [(s.id, s.response) for s in stream]
    # nlpctl batch --jsonl prints the same {"id", "response"} lines.
    documents = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in [("a", MERKEL)])
    done = subprocess.run(
        [str(Path(sys.executable).parent / "nlpctl"), "--target", server.address, "batch",
         "--jsonl", "-", "--analyses", "entities,keywords", "--quiet"],
        input=documents, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [(doc_id, response)] = nlpd.from_json(done.stdout, client=client, with_ids=True)
    assert doc_id == "a"
    expected = client.analyze(MERKEL, ["entities", "keywords"])
    for message in (response, expected):
        for analysis in message.analyses:
            analysis.duration_us = 0  # the only field that differs between two calls
    assert response == expected
    assert "keywords" in response.custom_results
    failed = '{"id": "x", "error": {"code": 3, "message": "text is empty"}}\n'
    with pytest.raises(ValueError, match="item 2 .id 'x'. is a failed document"):
        nlpd.from_json(lines + failed)


def test_the_readme_examples_print_what_the_readme_shows(server: Server, tmp_path: Path) -> None:
    """clients/python/README.md, "Tables, JSON and spaCy": its examples print what it
    shows."""
    pytest.importorskip("pandas")
    pytest.importorskip("spacy")
    run_section(
        REPO / "clients" / "python" / "README.md",
        "## Tables, JSON and spaCy",
        replace={"127.0.0.1:50051": server.address},
        cwd=tmp_path,
        prelude=(
            "import pandas as pd\n"
            "pd.set_option('display.width', 120)\n"
            "pd.set_option('display.max_columns', None)\n"
        ),
    )
