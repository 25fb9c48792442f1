"""AnalyzeStream through Client.analyze_stream."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

import nlpd
from texts import GERMAN, short_text

BAD_INDEX = 250


def test_stream_in_order_with_one_bad_document(client: nlpd.Client) -> None:
    def texts() -> Iterator[str]:
        for i in range(500):
            yield "" if i == BAD_INDEX else short_text(i)

    responses = list(client.analyze_stream(texts(), timeout=300))
    assert [r.id for r in responses] == [str(i) for i in range(500)]
    for i, r in enumerate(responses):
        if i == BAD_INDEX:
            assert r.WhichOneof("outcome") == "error"
            assert r.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
            assert r.error.message
        else:
            assert r.WhichOneof("outcome") == "response", (i, r.error)
            assert r.response.document.text == short_text(i)
            assert r.response.document.tokens


def test_stream_with_ids_and_keywords(client: nlpd.Client) -> None:
    items = [("doc-a", GERMAN), ("doc-b", short_text(7)), ("doc-a", GERMAN)]
    responses = list(client.analyze_stream(items, ["keywords"], language="de", timeout=60))
    assert [r.id for r in responses] == ["doc-a", "doc-b", "doc-a"]
    for r in responses:
        assert r.response.document.language == "de"
        assert client.custom_result(r.response, "keywords").keywords


def test_stream_is_lazy(client: nlpd.Client) -> None:
    """A 100,000-text generator is consumed as the server asks, not materialized."""
    consumed = 0

    def texts() -> Iterator[str]:
        nonlocal consumed
        for i in range(100_000):
            consumed += 1
            yield short_text(i)

    stream = client.analyze_stream(texts(), timeout=120)
    first = [next(stream) for _ in range(20)]
    assert [r.id for r in first] == [str(i) for i in range(20)]
    assert consumed < 20_000, f"{consumed} texts consumed for 20 responses"
    stream.close()  # cancels the call


def test_stream_unknown_analysis_fails_per_document(client: nlpd.Client) -> None:
    responses = list(client.analyze_stream(["Eins.", "Zwei."], ["frobnicate"], timeout=30))
    assert [r.id for r in responses] == ["0", "1"]
    for r in responses:
        assert r.error.code == grpc.StatusCode.NOT_FOUND.value[0]
        assert "frobnicate" in r.error.message


def test_stream_empty_iterable(client: nlpd.Client) -> None:
    assert list(client.analyze_stream([], timeout=30)) == []


def test_stream_iterable_error_reaches_caller(client: nlpd.Client) -> None:
    def texts() -> Iterator[str]:
        yield "Eins."
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        list(client.analyze_stream(texts(), timeout=30))
    assert client.analyze("Noch da.").document.text == "Noch da."
