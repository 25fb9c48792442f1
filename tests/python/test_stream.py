"""AnalyzeStream through Client.analyze_stream."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

import nlpd
from conftest import start_server, stop_server
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


def test_stream_refuses_a_single_str(client: nlpd.Client) -> None:
    """A str is an iterable of characters: taking it would analyze one character per
    document. The call refuses it at once, before any request is sent."""
    for one_text in ("some text", b"some bytes"):
        with pytest.raises(TypeError, match=r"not one text: pass \[text\]"):
            client.analyze_stream(one_text)  # type: ignore[arg-type]
    [response] = list(client.analyze_stream(["some text"]))
    assert response.response.document.text == "some text"


def test_stream_empty_iterable(client: nlpd.Client) -> None:
    assert list(client.analyze_stream([], timeout=30)) == []


def test_stream_iterable_error_reaches_caller(client: nlpd.Client) -> None:
    def texts() -> Iterator[str]:
        yield "Eins."
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        list(client.analyze_stream(texts(), timeout=30))
    assert client.analyze("Noch da.").document.text == "Noch da."


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


def test_flow_control_bounds_server_memory() -> None:
    """A client that sends 50 MB while not reading is held back; the server buffers little."""
    srv = start_server("--workers=2", "--stream_window=2")
    try:
        document = " ".join([GERMAN] * (50_000 // len(GERMAN.encode()) + 1))
        count = 1000
        sent = 0

        def texts() -> Iterator[str]:
            nonlocal sent
            for _ in range(count):
                sent += 1
                yield document

        with nlpd.Client(srv.address, timeout=60) as client:
            baseline = _peak_rss_mb(srv.proc.pid)
            stream = client.analyze_stream(texts(), language="de", timeout=300)
            assert next(stream).WhichOneof("outcome") == "response"
            time.sleep(2)  # not reading: the server must stop reading too
            sent_while_paused = sent
            received = 1 + sum(1 for r in stream if r.WhichOneof("outcome") == "response")
        peak = _peak_rss_mb(srv.proc.pid)
    finally:
        stop_server(srv)
    total_mb = count * len(document.encode()) / 2**20
    assert received == count
    # Without flow control all 1000 documents would be read during the pause.
    assert sent_while_paused < count // 4, f"{sent_while_paused} of {count} sent while paused"
    # Buffering them all would take far more than the bytes sent (each response
    # holds every token); the bound is the stream window, not the input size.
    assert peak - baseline < total_mb / 2, (
        f"server peak RSS grew {peak - baseline:.0f} MB for {total_mb:.0f} MB sent"
    )
