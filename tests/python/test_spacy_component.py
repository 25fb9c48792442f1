"""The spaCy component nlp.add_pipe("nlpd") against the real server (blank pipelines, no
model download)."""

from __future__ import annotations

import gc
import json
import math
import pickle
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd.v1 import nlpd_pb2

spacy = pytest.importorskip("spacy", reason="spaCy is not installed (pip install 'nlpd[spacy]')")

MERKEL = "Angela Merkel besuchte Paris."
CONFLICT = (
    "Kremlsprecher Dmitri Peskow drohte mit Vergeltung. "
    "Bundeskanzler Olaf Scholz warnte vor einer Eskalation des Konflikts. "
    "Die EZB-Präsidentin Christine Lagarde sprach in Frankfurt."
)


def _ents(doc: spacy.tokens.Doc) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in doc.ents]


def _nlp(server: Server, lang: str = "de", **config: object) -> spacy.language.Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("nlpd", config={"target": server.address, **config})
    return nlp


def test_the_entry_point_registers_the_factory_without_importing_nlpd(server: Server) -> None:
    script = (
        "import json, sys, spacy\n"
        "nlp = spacy.blank('de')\n"
        f"nlp.add_pipe('nlpd', config={{'target': {server.address!r}}})\n"
        f"doc = nlp({MERKEL!r})\n"
        "print(json.dumps([[e.text, e.label_] for e in doc.ents]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["Angela Merkel", "PER"], ["Paris", "LOC"]]


def test_german_entities_and_extensions(server: Server, client: nlpd.Client) -> None:
    nlp = _nlp(server)
    assert nlp.pipe_names == ["nlpd"]
    doc = nlp(MERKEL)
    assert _ents(doc) == [("Angela Merkel", "PER"), ("Paris", "LOC")]
    expected = client.analyze(MERKEL, ["entities"], language="de").entities.entities
    for ent, entity in zip(doc.ents, expected, strict=True):
        assert math.isclose(ent._.nlpd_confidence, entity.confidence, rel_tol=1e-6)
    assert doc._.nlpd_skipped_ents == 0

    sentiment = doc._.nlpd_sentiment
    assert set(sentiment) == {"label", "score", "negative", "neutral", "positive"}
    assert sentiment["label"] in ("NEGATIVE", "NEUTRAL", "POSITIVE")
    probabilities = [sentiment[k] for k in ("negative", "neutral", "positive")]
    assert math.isclose(sum(probabilities), 1, abs_tol=1e-4)
    assert (
        sentiment["label"].lower()
        == ("negative", "neutral", "positive")[probabilities.index(max(probabilities))]
    )

    response = doc._.nlpd_response
    assert isinstance(response, nlpd_pb2.AnalyzeResponse)
    assert response.document.language == "de"  # nlp.lang sent as the language
    assert [a.name for a in response.analyses] == ["entities", "sentiment", "stance"]
    assert doc._.nlpd_stance == {
        "favor": 0, "against": 0, "none": 0, "balance": 0.0, "statements": [], "actors": [],
    }  # fmt: skip
    # Spans that nlpd did not make have no confidence.
    assert doc[1:3]._.nlpd_confidence is None


def test_stance_statements_and_actors(server: Server) -> None:
    doc = _nlp(server)(CONFLICT)
    assert _ents(doc) == [
        ("Dmitri Peskow", "PER"),
        ("Olaf Scholz", "PER"),
        ("EZB-Präsidentin", "ORG"),  # "EZB" grows to spaCy's token
        ("Christine Lagarde", "PER"),
        ("Frankfurt", "LOC"),
    ]
    stance = doc._.nlpd_stance
    assert (stance["favor"], stance["against"], stance["none"]) == (1, 1, 1)
    statements = stance["statements"]
    assert [(s["actor"], s["stance"], s["cues"]) for s in statements] == [
        ("Dmitri Peskow", "FAVOR", ["drohte", "Vergeltung"]),
        ("Olaf Scholz", "AGAINST", ["warnte vor"]),
        ("Christine Lagarde", "NONE", []),
    ]
    second = statements[1]
    assert doc.text[second["start"] : second["end"]] == second["text"]
    assert doc.text[second["actor_start"] : second["actor_end"]] == "Bundeskanzler Olaf Scholz"
    assert stance["actors"][0] == {
        "actor": "Dmitri Peskow", "stance": "FAVOR", "favor": 1, "against": 0, "none": 0,
        "statements": [0],
    }  # fmt: skip


def test_pipe_over_several_texts(server: Server) -> None:
    nlp = _nlp(server, batch_size=2)  # three AnalyzeStream calls for five texts
    texts = [MERKEL, "", CONFLICT, "Olaf Scholz traf Emmanuel Macron in Berlin.", "   "]
    docs = list(nlp.pipe(texts))
    assert [d.text for d in docs] == texts
    single = _nlp(server)
    for doc in docs:
        alone = single(doc.text)
        assert _ents(doc) == _ents(alone)
        assert doc._.nlpd_sentiment == alone._.nlpd_sentiment
        assert doc._.nlpd_stance == alone._.nlpd_stance
        assert [e._.nlpd_confidence for e in doc.ents] == [e._.nlpd_confidence for e in alone.ents]
    assert _ents(docs[3]) == [("Olaf Scholz", "PER"), ("Emmanuel Macron", "PER"), ("Berlin", "LOC")]
    # Texts with nothing to analyze pass through untouched.
    for blank in (docs[1], docs[4]):
        assert blank.ents == () and blank._.nlpd_response is None
        assert blank._.nlpd_sentiment is None and blank._.nlpd_stance is None


def test_english_and_the_language_setting(server: Server) -> None:
    doc = _nlp(server, "en")("Angela Merkel met Emmanuel Macron in Paris.")
    assert _ents(doc) == [("Angela Merkel", "PER"), ("Emmanuel Macron", "PER"), ("Paris", "LOC")]
    assert doc._.nlpd_response.document.language == "en"
    # spaCy's multi-language "xx" is no language code: the server identifies it.
    multi = _nlp(server, "xx")
    assert multi.get_pipe("nlpd").language == ""
    assert multi(MERKEL)._.nlpd_response.document.language == "de"
    auto = _nlp(server, "en", language="auto")
    assert auto.get_pipe("nlpd").language == ""
    assert auto(MERKEL)._.nlpd_response.document.language == "de"
    assert _nlp(server, "en", language="de").get_pipe("nlpd").language == "de"


def test_an_unsupported_language_warns_once_and_sets_nothing(server: Server) -> None:
    nlp = _nlp(server, language="fr")  # (spacy.blank("fr") takes seconds to load)
    with pytest.warns(UserWarning, match="did not run 'entities' .UNSUPPORTED_LANGUAGE") as caught:
        doc = nlp("Emmanuel Macron a visité Berlin.")
    assert len(caught) == 1 and "'stance' (UNSUPPORTED_LANGUAGE" in str(caught[0].message)
    assert doc.ents == () and doc._.nlpd_sentiment is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlp("Emmanuel Macron a visité Berlin.")  # no second warning


def test_analyses_config(server: Server) -> None:
    doc = _nlp(server, analyses=["sentiment"])(MERKEL)
    assert doc.ents == ()  # entities ran for sentiment, but were not asked for
    assert doc._.nlpd_sentiment is not None and doc._.nlpd_stance is None
    doc = _nlp(server, analyses=["entities"])(MERKEL)
    assert _ents(doc) == [("Angela Merkel", "PER"), ("Paris", "LOC")]
    assert doc._.nlpd_sentiment is None and doc._.nlpd_stance is None


def test_overlapping_ents_are_skipped_and_counted(server: Server) -> None:
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Merkel"}])
    nlp.add_pipe("nlpd", config={"target": server.address, "overwrite_ents": False})
    doc = nlp(MERKEL)
    # "Angela Merkel" overlaps the ruler's "Merkel", which stays; "Paris" is added.
    assert _ents(doc) == [("Merkel", "ORG"), ("Paris", "LOC")]
    assert doc._.nlpd_skipped_ents == 1
    assert nlp.get_pipe("nlpd").skipped_ents == 1
    assert doc.ents[0]._.nlpd_confidence is None and doc.ents[1]._.nlpd_confidence > 0
    # By default the server's entities replace those already set.
    nlp = spacy.blank("de")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Merkel"}])
    nlp.add_pipe("nlpd", config={"target": server.address})
    assert _ents(nlp(MERKEL)) == [("Angela Merkel", "PER"), ("Paris", "LOC")]


def test_offsets_of_a_text_not_in_nfc(server: Server) -> None:
    text = "Thomas Mu\u0308ller traf Olaf Scholz in Mu\u0308nchen."  # decomposed umlauts
    expected = [
        ("Thomas Mu\u0308ller", "PER"),
        ("Olaf Scholz", "PER"),
        ("Mu\u0308nchen", "LOC"),
    ]
    # The default keeps the results only: no text comes back, the offsets are mapped
    # through the NFC form of doc.text.
    doc = _nlp(server)(text)
    assert doc._.nlpd_response.document.text == ""
    assert _ents(doc) == expected
    assert doc._.nlpd_skipped_ents == 0
    # With the full view the response holds the NFC text, the offsets index it.
    doc = _nlp(server, document_view="full")(text)
    assert doc._.nlpd_response.document.text == unicodedata.normalize("NFC", text) != text
    assert len(doc._.nlpd_response.document.tokens) == 8  # with the period
    assert _ents(doc) == expected


def test_document_view_keeps_the_stored_response_small(server: Server) -> None:
    text = " ".join([CONFLICT] * 5)
    small = _nlp(server)(text)._.nlpd_response
    full = _nlp(server, document_view="full")(text)._.nlpd_response
    assert not small.document.tokens and full.document.tokens
    assert small.entities == full.entities and small.stance == full.stance
    assert small.ByteSize() < 0.7 * full.ByteSize()  # the tokens and the text
    with pytest.raises(ValueError, match="document_view"):
        _nlp(server, document_view="everything")


def test_errors_go_through_the_error_handler(server: Server) -> None:
    nlp = _nlp(server, analyses=["no_such_analysis"])
    with pytest.raises(nlpd.NotFoundError, match="no_such_analysis"):
        nlp(MERKEL)
    failures: list[tuple[str, int, str]] = []

    def handler(name: str, component: object, docs: list[object], error: Exception) -> None:
        failures.append((name, len(docs), type(error).__name__))

    nlp.set_error_handler(handler)
    assert list(nlp.pipe([MERKEL, CONFLICT])) == []  # failed docs are dropped, as in spaCy
    assert failures and all(f[0] == "nlpd" for f in failures)
    assert sum(f[1] for f in failures) == 2
    assert {f[2] for f in failures} == {"NotFoundError"}


def test_token_from_config_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("spacy-token-91c2\n")
    srv = start_server(f"--auth_tokens={tokens}")
    try:
        with pytest.raises(nlpd.UnauthenticatedError):
            _nlp(srv)(MERKEL)
        assert _ents(_nlp(srv, token="spacy-token-91c2")(MERKEL))[0] == ("Angela Merkel", "PER")
        monkeypatch.setenv("NLPD_TOKEN", "spacy-token-91c2")
        nlp = _nlp(srv)
        assert nlp.config["components"]["nlpd"]["token"] is None  # not in the config
        assert _ents(nlp(MERKEL))[0] == ("Angela Merkel", "PER")
    finally:
        stop_server(srv)


def test_config_serializes_and_reloads(server: Server, tmp_path: Path) -> None:
    nlp = _nlp(server, analyses=["entities"], timeout=30.0)
    config = nlp.config["components"]["nlpd"]
    assert config == {
        "factory": "nlpd", "target": server.address, "analyses": ["entities"], "language": None,
        "timeout": 30.0, "token": None, "batch_size": 64, "overwrite_ents": True,
        "document_view": "results_only",
    }  # fmt: skip
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert _ents(loaded(MERKEL)) == [("Angela Merkel", "PER"), ("Paris", "LOC")]
    copy = pickle.loads(pickle.dumps(nlp))
    assert _ents(copy(MERKEL)) == [("Angela Merkel", "PER"), ("Paris", "LOC")]
    with pytest.raises(ValueError, match="batch_size"):
        _nlp(server, batch_size=0)


def test_docs_keep_their_annotations_through_docbin_and_pickle(server: Server) -> None:
    nlp = _nlp(server)
    docs = list(nlp.pipe([MERKEL, CONFLICT]))
    packed = spacy.tokens.DocBin(store_user_data=True, docs=docs).to_bytes()
    for before, after in zip(
        docs, spacy.tokens.DocBin().from_bytes(packed).get_docs(nlp.vocab), strict=True
    ):
        assert _ents(after) == _ents(before)
        assert [e._.nlpd_confidence for e in after.ents] == [
            e._.nlpd_confidence for e in before.ents
        ]
        # msgpack gives lists back as tuples
        assert json.dumps(after._.nlpd_stance) == json.dumps(before._.nlpd_stance)
        assert after._.nlpd_response == before._.nlpd_response
    copy = pickle.loads(pickle.dumps(docs[1]))
    assert copy._.nlpd_sentiment == docs[1]._.nlpd_sentiment


def test_the_channel_is_closed(server: Server) -> None:
    nlp = _nlp(server)
    component = nlp.get_pipe("nlpd")
    nlp(MERKEL)
    client = component.client
    component.close()
    with pytest.raises(ValueError, match="closed channel"):
        client.analyze(MERKEL)
    assert _ents(nlp(MERKEL))[0] == ("Angela Merkel", "PER")  # reopens on use
    client = component.client
    del nlp, component
    gc.collect()
    with pytest.raises(ValueError, match="closed channel"):
        client.analyze(MERKEL)


def test_pipe_in_two_processes(server: Server) -> None:
    # In a child interpreter: nlp.pipe(n_process=2) forks it, and each worker opens
    # its own channel.
    script = (
        "import json, spacy\n"
        "nlp = spacy.blank('de')\n"
        f"nlp.add_pipe('nlpd', config={{'target': {server.address!r}, 'batch_size': 2}})\n"
        f"nlp({MERKEL!r})  # the parent's channel is open when the workers fork\n"
        f"texts = [{MERKEL!r}, 'Olaf Scholz in Berlin.'] * 3\n"
        "docs = nlp.pipe(texts, n_process=2, batch_size=2)\n"
        "print(json.dumps([[e.text for e in d.ents] for d in docs]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["Angela Merkel", "Paris"], ["Olaf Scholz", "Berlin"]] * 3
