"""Analyze against the real server: document model, offsets, language."""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest

import nlpd
from nlpd.v1 import document_pb2, nlpd_pb2
from texts import ENGLISH, GERMAN, GERMAN_SENTENCES, UNICODE_MIX, short_text


def _check_document(doc: document_pb2.Document) -> None:
    """Invariants of every Document: spans slice consistently, sentences cover tokens."""
    text = doc.text
    raw = text.encode("utf-8")
    assert doc.tokens, "no tokens"
    assert doc.sentences, "no sentences"
    prev_end = 0
    for i, tok in enumerate(doc.tokens):
        s = tok.span
        by_char = text[s.char_start : s.char_end]
        by_byte = raw[s.byte_start : s.byte_end].decode("utf-8")
        assert by_char == by_byte, f"token {i}: chars {by_char!r} != bytes {by_byte!r}"
        assert by_char and by_char == by_char.strip(), f"token {i} is {by_char!r}"
        assert s.char_start >= prev_end, f"token {i} overlaps or is out of order"
        assert tok.kind != document_pb2.TOKEN_KIND_UNSPECIFIED, f"token {i} has no kind"
        prev_end = s.char_end
    expected_begin = 0
    for j, sent in enumerate(doc.sentences):
        assert sent.token_begin == expected_begin, f"sentence {j} leaves a gap"
        assert sent.token_end > sent.token_begin, f"sentence {j} is empty"
        s = sent.span
        assert text[s.char_start : s.char_end] == raw[s.byte_start : s.byte_end].decode()
        for tok in doc.tokens[sent.token_begin : sent.token_end]:
            assert s.char_start <= tok.span.char_start <= tok.span.char_end <= s.char_end
        expected_begin = sent.token_end
    assert expected_begin == len(doc.tokens), "sentences do not cover every token"


def test_german_document(client: nlpd.Client) -> None:
    response = client.analyze(GERMAN)
    assert isinstance(response, nlpd_pb2.AnalyzeResponse)
    doc = response.document
    assert doc.text == GERMAN
    _check_document(doc)
    assert doc.language == "de"
    assert 0.5 < doc.language_confidence <= 1.0
    sentences = [doc.text[s.span.char_start : s.span.char_end] for s in doc.sentences]
    assert len(sentences) == GERMAN_SENTENCES, sentences
    assert sentences[0].startswith("Die Stadtwerke") and "1. März" in sentences[0]
    assert sentences[1].startswith("Betroffen sind z. B. Mieter")
    assert not response.custom_results
    assert not response.analyses


def test_english_document(client: nlpd.Client) -> None:
    doc = client.analyze(ENGLISH).document
    _check_document(doc)
    assert doc.language == "en"
    assert len(doc.sentences) == 2
    words = [doc.text[t.span.char_start : t.span.char_end] for t in doc.tokens]
    assert words[:4] == ["The", "central", "bank", "of"]
    assert words[-1] == "."


def test_unicode_offsets_and_nfc(client: nlpd.Client) -> None:
    response = client.analyze(UNICODE_MIX)
    doc = response.document
    assert doc.text == unicodedata.normalize("NFC", UNICODE_MIX)
    assert doc.text != UNICODE_MIX  # the combining accent was composed
    _check_document(doc)
    words = {doc.text[t.span.char_start : t.span.char_end] for t in doc.tokens}
    assert {"Grüße", "München", "Straße", "Öztürk", "Café"} <= words
    assert "\U0001f600" in words, "the emoji should be a token of its own"
    # Byte and char offsets differ after the first non-ASCII character.
    tok = next(t for t in doc.tokens if doc.text[t.span.char_start : t.span.char_end] == "Café")
    assert tok.span.byte_start > tok.span.char_start


def test_language_hint_is_honored(client: nlpd.Client) -> None:
    doc = client.analyze(GERMAN, language="de").document
    assert (doc.language, doc.language_confidence) == ("de", pytest.approx(1.0))
    # The caller's word wins even when the text says otherwise.
    doc = client.analyze(ENGLISH, language="de").document
    assert (doc.language, doc.language_confidence) == ("de", pytest.approx(1.0))


def test_short_text_still_answers(client: nlpd.Client) -> None:
    doc = client.analyze("Ja.").document
    _check_document(doc)
    assert doc.language  # a code or "und", never empty


def test_concurrent_calls(client: nlpd.Client) -> None:
    def one(i: int) -> str:
        return client.analyze(short_text(i)).document.text

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(64)))
    assert results == [short_text(i) for i in range(64)]


def test_to_dict_is_json(client: nlpd.Client) -> None:
    import json

    d = client.to_dict(client.analyze(GERMAN))
    json.dumps(d)
    assert d["document"]["language"] == "de"
    assert d["document"]["tokens"][0]["span"]["char_start"] == 0
    assert d["document"]["tokens"][0]["kind"] == "TOKEN_KIND_WORD"
    assert d["custom_results"] == {}
