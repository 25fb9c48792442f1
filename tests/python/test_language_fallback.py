"""Short texts without a language (issue 13): the server knows when it does not know.

CLD2 called "Merkel sprach." Polish (0.93) and "Biden meets Xi." Basque, and the
entities the caller asked for were skipped without a word. Now an unsure identification
gives way to the caller's default_language, or to the likeliest language the requested
analyses support (ranked by the server's character n-gram model), and
Document.language_source says so; an analysis that does not run
is named with its reason in the response, and the client warns or, strict, raises.
"""

from __future__ import annotations

import asyncio
import warnings

import pytest

import nlpd
from conftest import Server
from nlpd.v1 import document_pb2, nlpd_pb2

OK = nlpd_pb2.AnalysisInfo.OK


def _names(response: nlpd_pb2.AnalyzeResponse) -> set[tuple[str, str]]:
    return {(e.label, e.text) for e in response.entities.entities}


@pytest.mark.parametrize("text", ["Merkel sprach.", "Biden meets Xi."])
def test_headline_without_language_is_analyzed_and_says_it_fell_back(
    client: nlpd.Client, text: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", nlpd.AnalysisSkippedWarning)
        response = client.analyze(text, ["entities"])
    document = response.document
    assert document.language_source == document_pb2.LANGUAGE_SOURCE_FALLBACK
    assert document.language in ("de", "en")
    assert document.language_confidence < 0.5
    assert [(a.name, a.outcome) for a in response.analyses] == [("entities", OK)]
    assert response.HasField("entities")


def test_merkel_sprach_is_german_with_its_people(client: nlpd.Client) -> None:
    # CLD2 says Polish; the server's character n-gram model ranks German first.
    response = client.analyze("Merkel sprach.", ["entities"])
    assert response.document.language == "de"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_FALLBACK
    assert ("PER", "Merkel") in _names(response)


def test_biden_meets_xi_is_english_with_its_people(client: nlpd.Client) -> None:
    response = client.analyze("Biden meets Xi.", ["entities"])
    assert response.document.language == "en"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_FALLBACK
    assert ("PER", "Biden") in _names(response)


def test_default_language_is_used_when_unsure(client: nlpd.Client) -> None:
    response = client.analyze("Merkel sprach.", ["entities"], default_language="DE")
    assert response.document.language == "de"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_DEFAULT
    assert ("PER", "Merkel") in _names(response)


def test_long_text_is_identified_whatever_the_default(client: nlpd.Client) -> None:
    text = (
        "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist. Dort sprach er mit "
        "dem französischen Präsidenten über die Lage in der Ukraine."
    )
    response = client.analyze(text, ["entities"], default_language="en")
    assert response.document.language == "de"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_IDENTIFIED
    assert response.document.language_confidence > 0.9


def test_callers_language_is_said_to_be_the_callers(client: nlpd.Client) -> None:
    response = client.analyze("Merkel sprach.", language="de", default_language="en")
    assert response.document.language == "de"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_CALLER


def test_malformed_default_language_is_invalid(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.InvalidArgumentError, match="default_language 'german!'"):
        client.analyze("Merkel sprach.", ["entities"], default_language="german!")


def test_skipped_analysis_is_reported_and_warned(client: nlpd.Client) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'entities'") as caught:
        response = client.analyze("Le président parle.", ["entities"], language="fr")
    info = response.analyses[0]
    assert info.outcome == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
    assert info.reason == "'entities' supports de, en; the document's language is 'fr'"
    (warning,) = caught
    assert isinstance(warning.message, nlpd.AnalysisSkippedWarning)
    assert warning.message.skipped == [
        nlpd.SkippedAnalysis("entities", "UNSUPPORTED_LANGUAGE", info.reason)
    ]
    assert warning.filename == __file__  # points at the caller's line


def test_undetermined_language_skips_with_a_reason(client: nlpd.Client) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="default_language=") as caught:
        response = client.analyze("12345 67890 !!!", ["sentiment"])
    assert response.document.language == "und"
    assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_UNDETERMINED
    entities, sentiment = response.analyses
    assert (entities.name, entities.dependency) == ("entities", True)
    assert entities.outcome == nlpd_pb2.AnalysisInfo.LANGUAGE_UNDETERMINED
    assert "could not be identified" in entities.reason
    assert "pass language= or default_language=" in entities.reason
    assert sentiment.outcome == nlpd_pb2.AnalysisInfo.LANGUAGE_UNDETERMINED
    # Only the requested analysis is reported; its reason names the cause.
    (warning,) = caught
    assert isinstance(warning.message, nlpd.AnalysisSkippedWarning)
    assert [s.name for s in warning.message.skipped] == ["sentiment"]
    assert "'sentiment' (LANGUAGE_UNDETERMINED)" in str(warning.message)
    assert "document language 'und', undetermined" in str(warning.message)


def test_strict_raises_naming_the_analyses_and_reasons(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.AnalysisSkippedError) as raised:
        client.analyze("Le président parle.", ["entities"], language="fr", strict=True)
    error = raised.value
    assert isinstance(error, nlpd.Error)
    assert [s.name for s in error.skipped] == ["entities"]
    assert "'entities' (UNSUPPORTED_LANGUAGE): 'entities' supports de, en" in str(error)
    assert error.response.document.language == "fr"


def test_strict_client_raises_and_a_call_may_relax_it(server: Server) -> None:
    with nlpd.Client(server.address, timeout=60, strict=True) as strict:
        with pytest.raises(nlpd.AnalysisSkippedError, match="could not be identified"):
            strict.analyze("12345 67890 !!!", ["entities"])
        with pytest.warns(nlpd.AnalysisSkippedWarning):
            strict.analyze("12345 67890 !!!", ["entities"], strict=False)
        # Nothing skipped: nothing raised.
        strict.analyze("Merkel sprach.", ["entities"])


def test_stream_warns_per_document_and_passes_default_language(client: nlpd.Client) -> None:
    texts = [("a", "Merkel sprach."), ("b", "12345 67890 !!!")]
    with pytest.warns(nlpd.AnalysisSkippedWarning) as caught:
        responses = list(client.analyze_stream(texts, ["entities"]))
    assert [r.response.document.language_source for r in responses] == [
        document_pb2.LANGUAGE_SOURCE_FALLBACK,
        document_pb2.LANGUAGE_SOURCE_UNDETERMINED,
    ]
    assert [str(w.message).split(":")[0] for w in caught] == ["document 'b'"]

    with warnings.catch_warnings():
        warnings.simplefilter("error", nlpd.AnalysisSkippedWarning)
        responses = list(client.analyze_stream(texts, ["entities"], default_language="de"))
    assert [r.response.document.language for r in responses] == ["de", "de"]
    assert [r.response.document.language_source for r in responses] == [
        document_pb2.LANGUAGE_SOURCE_DEFAULT,
        document_pb2.LANGUAGE_SOURCE_DEFAULT,
    ]


def test_async_client_warns_raises_and_passes_default_language(server: Server) -> None:
    async def main() -> None:
        async with nlpd.AsyncClient(server.address, timeout=60) as client:
            response = await client.analyze("Merkel sprach.", ["entities"], default_language="de")
            assert response.document.language_source == document_pb2.LANGUAGE_SOURCE_DEFAULT
            with pytest.warns(nlpd.AnalysisSkippedWarning, match="'entities'"):
                await client.analyze("12345 67890 !!!", ["entities"])
            with pytest.raises(nlpd.AnalysisSkippedError, match="could not be identified"):
                await client.analyze("12345 67890 !!!", ["entities"], strict=True)
            texts = [("a", "Merkel sprach."), ("b", "12345 67890 !!!")]
            with pytest.warns(nlpd.AnalysisSkippedWarning, match="^document 'b': "):
                languages = [
                    r.response.document.language
                    async for r in client.analyze_stream(texts, ["entities"])
                ]
            assert languages[1] == "und"
        async with nlpd.AsyncClient(server.address, timeout=60, strict=True) as client:
            with pytest.raises(nlpd.AnalysisSkippedError, match="^document 'b': "):
                async for _ in client.analyze_stream(texts, ["entities"]):
                    pass

    asyncio.run(main())


def test_bulk_results_name_skipped_analyses_and_warn_once(client: nlpd.Client) -> None:
    texts = [("a", "Merkel sprach."), ("b", "12345 67890 !!!"), ("c", "?? !! ..")]
    with pytest.warns(nlpd.AnalysisSkippedWarning) as caught:
        results = list(client.analyze_many(texts, ["entities"]))
    (warning,) = caught  # one per batch, for the first such record
    assert str(warning.message).startswith("document 'b': ")
    assert "BulkResult.skipped" in str(warning.message)
    assert [r.skipped for r in results][0] == []
    assert [[s.outcome for s in r.skipped] for r in results[1:]] == [
        ["LANGUAGE_UNDETERMINED"],
        ["LANGUAGE_UNDETERMINED"],
    ]

    with warnings.catch_warnings():
        warnings.simplefilter("error", nlpd.AnalysisSkippedWarning)
        results = list(client.analyze_many(texts, ["entities"], default_language="de"))
    assert all(r.ok and not r.skipped for r in results)


def test_strict_bulk_fails_only_the_skipped_records(client: nlpd.Client) -> None:
    texts = [("a", "Merkel sprach."), ("b", "12345 67890 !!!")]
    first, second = client.analyze_many(texts, ["entities"], strict=True)
    assert first.ok
    assert isinstance(second.error, nlpd.AnalysisSkippedError)
    assert second.response is None
    assert second.error.response.document.language == "und"
    assert [s.name for s in second.error.skipped] == ["entities"]
