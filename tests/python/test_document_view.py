"""AnalyzeRequest.document_view through the real server binary: what each view sends
back (Analyze, AnalyzeStream, analyze_many, AsyncClient), that the results are the same
in every view, the response sizes, bad values, and the helpers (tables, render, spaCy)
on responses without tokens or text."""

from __future__ import annotations

import asyncio
import unicodedata

import grpc
import pytest

import nlpd
from conftest import Server
from nlpd import render, tables
from nlpd.v1 import document_pb2, nlpd_pb2, nlpd_pb2_grpc
from texts import GERMAN, GERMAN_SENTENCES, UNICODE_MIX

ANALYSES = ["entities", "sentiment", "stance", "keywords"]
# About 1 KB of German news: the paragraph of the size comparison.
PARAGRAPH = (
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist, um mit dem "
    "französischen Präsidenten Emmanuel Macron über die Lage in der Ukraine zu sprechen. "
    "Kremlsprecher Dmitri Peskow drohte unterdessen mit Vergeltung, sollte der Westen "
    "weitere Waffen liefern. Die Bundesregierung wies die Drohung zurück und kündigte "
    "an, die Unterstützung fortzusetzen. Betroffen sind z. B. Lieferungen von "
    "Luftabwehrsystemen, die bereits im Herbst zugesagt worden waren. In Berlin "
    "kritisierte die Opposition die Informationspolitik der Regierung scharf. Die "
    "Europäische Zentralbank in Frankfurt warnte zugleich vor steigenden Energiepreisen, "
    "die Inflation werde erst im kommenden Jahr sinken. Am 21. Oktober wollen die "
    "Außenminister der G7 in Münster über weitere Sanktionen beraten. Der Deutsche "
    "Gewerkschaftsbund forderte die Bundesregierung auf, die Entlastungen für Haushalte "
    "mit geringem Einkommen auszuweiten. Ein Sprecher des Finanzministeriums sagte am "
    "Abend in Berlin, man prüfe die Vorschläge sorgfältig."
)


def results_part(response: nlpd_pb2.AnalyzeResponse) -> bytes:
    """The response without its document, durations zeroed: what every view shares."""
    copy = nlpd_pb2.AnalyzeResponse()
    copy.CopyFrom(response)
    copy.ClearField("document")
    for info in copy.analyses:
        info.duration_us = 0
    return copy.SerializeToString(deterministic=True)


def check_view(response: nlpd_pb2.AnalyzeResponse, view: str, text: str) -> None:
    doc = response.document
    assert doc.language == "de"
    assert doc.language_source == document_pb2.LANGUAGE_SOURCE_IDENTIFIED
    assert doc.language_confidence > 0
    if view == "full":
        assert doc.text == text
        assert len(doc.sentences) == GERMAN_SENTENCES
        assert len(doc.tokens) > 30
        assert doc.sentences[-1].token_end == len(doc.tokens)
    elif view == "no_tokens":
        assert doc.text == text
        assert len(doc.sentences) == GERMAN_SENTENCES
        assert len(doc.tokens) == 0
        assert all(s.token_begin == 0 and s.token_end == 0 for s in doc.sentences)
        assert doc.text[doc.sentences[0].span.char_start :].startswith("Die Stadtwerke")
    else:
        assert view == "results_only"
        assert doc.text == ""
        assert len(doc.sentences) == 0
        assert len(doc.tokens) == 0


VIEWS = ("full", "no_tokens", "results_only")


@pytest.mark.parametrize("view", VIEWS)
def test_analyze_sends_what_the_view_asks_for(client: nlpd.Client, view: str) -> None:
    full = client.analyze(GERMAN, ANALYSES)
    response = client.analyze(GERMAN, ANALYSES, document_view=view)
    check_view(response, view, GERMAN)
    assert response.entities.entities and response.HasField("sentiment")
    assert results_part(response) == results_part(full)


def test_the_default_is_full_and_the_names_and_numbers_are_accepted(
    client: nlpd.Client,
) -> None:
    default = client.analyze(GERMAN)
    check_view(default, "full", GERMAN)
    check_view(client.analyze(GERMAN, document_view="NO_TOKENS"), "no_tokens", GERMAN)
    check_view(
        client.analyze(GERMAN, document_view="DOCUMENT_VIEW_RESULTS_ONLY"), "results_only", GERMAN
    )
    numbered = client.analyze(GERMAN, document_view=nlpd_pb2.DOCUMENT_VIEW_RESULTS_ONLY)
    check_view(numbered, "results_only", GERMAN)
    # 0 (DOCUMENT_VIEW_UNSPECIFIED) is FULL: what an older client sends.
    check_view(client.analyze(GERMAN, document_view=0), "full", GERMAN)


@pytest.mark.parametrize("bad", ["tokens", "", "FULLY", 7, -1, True, None, 1.0])
def test_a_bad_view_is_a_value_error_naming_the_accepted_ones(
    client: nlpd.Client, bad: object
) -> None:
    for call in (
        lambda: client.analyze(GERMAN, document_view=bad),  # type: ignore[arg-type]
        lambda: client.analyze_stream([GERMAN], document_view=bad),  # type: ignore[arg-type]
        lambda: client.analyze_many([GERMAN], document_view=bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError, match="'full', 'no_tokens', 'results_only'"):
            call()


def test_the_server_refuses_a_view_it_does_not_know(channel: grpc.Channel) -> None:
    stub = nlpd_pb2_grpc.AnalysisServiceStub(channel)
    request = nlpd_pb2.AnalyzeRequest(text=GERMAN)
    request.document_view = 9  # type: ignore[assignment]
    with pytest.raises(grpc.RpcError) as caught:
        stub.Analyze(request, timeout=30)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "document_view 9 is not a DocumentView" in (caught.value.details() or "")
    # In a stream only that document fails.
    good = nlpd_pb2.StreamRequest(id="good", request=nlpd_pb2.AnalyzeRequest(text=GERMAN))
    bad = nlpd_pb2.StreamRequest(id="bad", request=request)
    answers = list(stub.AnalyzeStream(iter([bad, good]), timeout=30))
    assert [a.id for a in answers] == ["bad", "good"]
    assert answers[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "DOCUMENT_VIEW_RESULTS_ONLY" in answers[0].error.message
    check_view(answers[1].response, "full", GERMAN)


@pytest.mark.parametrize("view", VIEWS)
def test_stream_and_analyze_many_use_the_view(client: nlpd.Client, view: str) -> None:
    full = client.analyze(GERMAN, ["entities"])
    streamed = list(client.analyze_stream([GERMAN] * 3, ["entities"], document_view=view))
    assert len(streamed) == 3
    for item in streamed:
        check_view(item.response, view, GERMAN)
        assert results_part(item.response) == results_part(full)
    batch = list(client.analyze_many([GERMAN] * 5, ["entities"], document_view=view))
    assert [r.index for r in batch] == list(range(5))
    for result in batch:
        assert result.response is not None
        check_view(result.response, view, GERMAN)
        assert results_part(result.response) == results_part(full)


def test_async_client_uses_the_view(server: Server) -> None:
    async def main() -> None:
        async with nlpd.AsyncClient(server.address, timeout=60) as ac:
            response = await ac.analyze(GERMAN, ["entities"], document_view="results_only")
            check_view(response, "results_only", GERMAN)
            streamed = [
                item.response
                async for item in ac.analyze_stream([GERMAN], document_view="no_tokens")
            ]
            check_view(streamed[0], "no_tokens", GERMAN)
            batch = [
                r.response async for r in ac.analyze_many([GERMAN], document_view="results_only")
            ]
            assert batch[0] is not None
            check_view(batch[0], "results_only", GERMAN)
            with pytest.raises(ValueError, match="document_view"):
                await ac.analyze(GERMAN, document_view="nope")

    asyncio.run(main())


def test_response_sizes_full_no_tokens_results_only(client: nlpd.Client) -> None:
    assert 900 <= len(PARAGRAPH.encode()) <= 1100
    responses = {
        view: client.analyze(PARAGRAPH, ANALYSES, document_view=view, strict=True) for view in VIEWS
    }
    sizes = {view: response.ByteSize() for view, response in responses.items()}
    print("response bytes:", sizes, "request text bytes:", len(PARAGRAPH.encode()))
    assert sizes["full"] > sizes["no_tokens"] > sizes["results_only"]
    # About 170 tokens of at least 10 bytes each; the text and the sentences.
    assert sizes["full"] - sizes["no_tokens"] > 1700
    assert sizes["no_tokens"] - sizes["results_only"] > len(PARAGRAPH.encode())
    parts = {results_part(r) for r in responses.values()}
    assert len(parts) == 1, "the results differ between views"
    assert sizes["results_only"] - len(next(iter(parts))) < 40  # language fields only
    # With entities alone (measured: 4,353 / 1,698 / 542 bytes), RESULTS_ONLY is a
    # fraction of FULL.
    entities = {
        view: client.analyze(PARAGRAPH, ["entities"], document_view=view).ByteSize()
        for view in VIEWS
    }
    print("entities only:", entities)
    assert entities["results_only"] * 5 < entities["full"]
    assert entities["no_tokens"] * 2 < entities["full"]


def test_tables_need_the_text_for_sentences_and_statements(client: nlpd.Client) -> None:
    full = client.analyze(PARAGRAPH, ANALYSES)
    no_tokens = client.analyze(PARAGRAPH, ANALYSES, document_view="no_tokens")
    results_only = client.analyze(PARAGRAPH, ANALYSES, document_view="results_only")
    for kind in tables.KINDS:
        assert tables.to_records(no_tokens, kind) == tables.to_records(full, kind)
    for kind in ("sentences", "statements"):
        with pytest.raises(ValueError, match="document_view='full' or 'no_tokens'") as caught:
            tables.to_records([full, results_only], kind)
        assert "results item 1" in str(caught.value)
    # Entities carry their text: only the sentence index is unknown.
    entities = tables.to_records(results_only, "entities")
    expected = tables.to_records(full, "entities")
    assert entities == [dict(row, sentence=None) for row in expected]
    assert tables.to_records(results_only, "actors") == tables.to_records(full, "actors")


def test_render_needs_the_text(client: nlpd.Client) -> None:
    no_tokens = client.analyze(GERMAN, ["entities"], document_view="no_tokens")
    assert render.html(no_tokens) == render.html(client.analyze(GERMAN, ["entities"]))
    results_only = client.analyze(GERMAN, ["entities"], document_view="results_only")
    with pytest.raises(ValueError, match="document_view='results_only'"):
        render.html([no_tokens, results_only])


def test_results_only_spans_index_the_nfc_text(client: nlpd.Client) -> None:
    full = client.analyze(UNICODE_MIX, ["entities"], language="de")
    bare = client.analyze(UNICODE_MIX, ["entities"], language="de", document_view="results_only")
    normalized = unicodedata.normalize("NFC", UNICODE_MIX)
    assert normalized == full.document.text != UNICODE_MIX
    assert results_part(bare) == results_part(full)
    for entity in bare.entities.entities:
        assert normalized[entity.span.char_start : entity.span.char_end] == entity.text


def test_spacy_component_annotates_from_a_results_only_response(server: Server) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("de")
    component = nlp.add_pipe("nlpd", config={"target": server.address})
    text = "Angela Merkel besuchte das Cafe\u0301 in Paris."
    with nlpd.Client(server.address) as c:
        response = c.analyze(text, ["entities"], document_view="results_only")
    doc = nlp.make_doc(text)
    component.set_annotations(doc, response)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Angela Merkel", "PER"),
        ("Paris", "LOC"),
    ]


# -- AnalyzeRequest.results: which analyses' results come back ---------------------------


def test_results_leave_out_the_results_not_named(client: nlpd.Client) -> None:
    everything = client.analyze(PARAGRAPH, ["sentiment", "stance"], document_view="results_only")
    assert everything.HasField("entities") and everything.HasField("sentiment")
    only = client.analyze(
        PARAGRAPH, ["sentiment", "stance"], document_view="results_only", results=["stance"]
    )
    assert not only.HasField("entities") and not only.HasField("sentiment")
    assert only.stance == everything.stance  # entities still ran for it
    assert [a.name for a in only.analyses] == [a.name for a in everything.analyses]
    assert only.ByteSize() < everything.ByteSize() / 2
    # A dependency's result can be named too.
    deps = client.analyze(PARAGRAPH, ["stance"], results=["entities"])
    assert deps.entities == everything.entities and not deps.HasField("stance")


def test_results_in_streams_bulk_and_async(client: nlpd.Client, server: Server) -> None:
    streamed = list(client.analyze_stream([PARAGRAPH] * 2, ["stance"], results=["stance"]))
    batch = list(client.analyze_many([PARAGRAPH] * 2, ["stance"], results=["stance"]))
    for response in [s.response for s in streamed] + [b.response for b in batch]:
        assert response is not None
        assert response.HasField("stance") and not response.HasField("entities")

    async def main() -> None:
        async with nlpd.AsyncClient(server.address, timeout=60) as ac:
            response = await ac.analyze(PARAGRAPH, ["stance"], results="entities")
            assert response.HasField("entities") and not response.HasField("stance")

    asyncio.run(main())


def test_a_result_the_request_does_not_run_is_refused(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.InvalidArgumentError, match="results names 'keywords'"):
        client.analyze(PARAGRAPH, ["stance"], results=["keywords"])
