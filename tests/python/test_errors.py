"""Bad requests get gRPC statuses with reasons, and the server keeps serving."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd.v1 import nlpd_pb2
from texts import GERMAN
from wire import len_field

ANALYZE = "/nlpd.v1.AnalysisService/Analyze"
ANALYZE_STREAM = "/nlpd.v1.AnalysisService/AnalyzeStream"
INVALID_UTF8 = "Grüße aus K".encode() + b"\xc3\x28" + b"ln und \xff\xfe Bonn."


def _still_serving(client: nlpd.Client) -> None:
    assert client.analyze(GERMAN).document.language == "de"


def test_invalid_utf8(client: nlpd.Client, channel: grpc.Channel) -> None:
    request = len_field(1, INVALID_UTF8)  # AnalyzeRequest.text
    assert request[0] == 0x0A
    call = channel.unary_unary(
        ANALYZE,
        request_serializer=None,  # send our bytes as they are
        response_deserializer=nlpd_pb2.AnalyzeResponse.FromString,
    )
    with pytest.raises(grpc.RpcError) as info:
        call(request, timeout=30)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "utf-8" in info.value.details().lower().replace("utf8", "utf-8")
    _still_serving(client)


def test_invalid_utf8_in_stream_fails_only_that_document(
    client: nlpd.Client, channel: grpc.Channel
) -> None:
    def stream() -> Iterator[bytes]:
        for doc_id, text in (("a", b"Erste Meldung."), ("b", INVALID_UTF8)):
            yield len_field(1, doc_id.encode()) + len_field(2, len_field(1, text))
        yield len_field(1, b"c") + len_field(2, len_field(1, b"Dritte Meldung."))

    call = channel.stream_stream(
        ANALYZE_STREAM,
        request_serializer=None,
        response_deserializer=nlpd_pb2.StreamResponse.FromString,
    )
    responses = list(call(stream(), timeout=30))
    assert [r.id for r in responses] == ["a", "b", "c"]
    assert [r.WhichOneof("outcome") for r in responses] == ["response", "error", "response"]
    assert responses[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "utf-8" in responses[1].error.message.lower().replace("utf8", "utf-8")
    _still_serving(client)


def test_unknown_analysis(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.NotFoundError) as info:
        client.analyze(GERMAN, ["keywords", "frobnicate"])
    assert info.value.code == grpc.StatusCode.NOT_FOUND
    assert "frobnicate" in info.value.message
    _still_serving(client)


def test_empty_text(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.InvalidArgumentError) as info:
        client.analyze("")
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert info.value.message  # a reason, not a bare status
    _still_serving(client)


@pytest.fixture(scope="module")
def small_server() -> Iterator[Server]:
    """A second server that accepts texts of at most 1000 bytes."""
    srv = start_server("--max_text_bytes=1000")
    yield srv
    stop_server(srv)


def test_text_over_size_limit(small_server: Server) -> None:
    with nlpd.Client(small_server.address, timeout=30) as client:
        ok = ("Bonn. " * 200)[:1000]
        assert len(ok.encode()) == 1000
        assert client.analyze(ok).document.text == ok  # exactly at the limit
        with pytest.raises(nlpd.InvalidArgumentError) as info:
            client.analyze("x" * 2000)
        assert "1000" in info.value.message, info.value.message
        with pytest.raises(nlpd.InvalidArgumentError):
            client.analyze("ü" * 501)  # 1002 bytes, 501 characters: the limit is in bytes
        _still_serving(client)


def test_oversize_text_in_stream(small_server: Server) -> None:
    with nlpd.Client(small_server.address) as client:
        responses = list(client.analyze_stream(["kurz.", "x" * 2000, "auch kurz."], timeout=30))
    assert [r.WhichOneof("outcome") for r in responses] == ["response", "error", "response"]
    assert responses[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "1000" in responses[1].error.message


def test_malformed_language_hint(client: nlpd.Client) -> None:
    with pytest.raises(nlpd.InvalidArgumentError) as info:
        client.analyze(GERMAN, language="deutsch")
    assert "BCP-47" in info.value.message
    # A regional tag is fine, and plugins match on its primary subtag.
    response = client.analyze(GERMAN, ["keywords"], language="de-AT")
    assert response.document.language == "de-AT"
    assert response.analyses[0].outcome == nlpd_pb2.AnalysisInfo.OK
    _still_serving(client)
