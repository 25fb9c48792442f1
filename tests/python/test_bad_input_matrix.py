"""Bad and odd requests, sent as raw bytes through the real server binary: each gets
its exact status code and a reason, and the server is still healthy afterwards.

The requests are encoded by hand (``request_serializer=None``), so the server sees
exactly the bytes a buggy or hostile client would send, including invalid UTF-8 that
a protobuf library would refuse to encode. One server with ``--max_text_bytes=4096``
serves the whole module; every call has a timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
import pytest

from conftest import Server, start_server, stop_server
from nlpd.v1 import nlpd_pb2, results_pb2
from wire import len_field, varint

ANALYZE = "/nlpd.v1.AnalysisService/Analyze"
ANALYZE_STREAM = "/nlpd.v1.AnalysisService/AnalyzeStream"
MAX_TEXT_BYTES = 4096
MAX_TARGETS = 256  # AnalyzeRequest.targets: "At most 256"
CALL_TIMEOUT_S = 10.0
GERMAN = "Angela Merkel besuchte am Montag Berlin. Die Kanzlerin sprach mit Olaf Scholz."
ENGLISH = "Joe Biden met Emmanuel Macron in Paris on Monday."
Code = grpc.StatusCode
REQUEST = results_pb2.TargetSource.REQUEST


# --- encoding ----------------------------------------------------------------------


def _request(
    text: bytes = GERMAN.encode(),
    analyses: list[bytes] | None = None,
    language: bytes = b"",
    targets: list[bytes] | None = None,
) -> bytes:
    """An AnalyzeRequest: text = 1, analyses = 2, language = 3, targets = 4."""
    fields = [len_field(1, text)] if text else []
    fields += [len_field(2, name) for name in ([b"entities"] if analyses is None else analyses)]
    if language:
        fields.append(len_field(3, language))
    fields += [len_field(4, target) for target in targets or []]
    return b"".join(fields)


def _text_target(text: bytes) -> bytes:
    return len_field(1, text)  # Target.text


def _range_target(start: int, end: int) -> bytes:
    # Target.range = 2: CharRange { char_start = 1, char_end = 2 } (varints).
    return len_field(2, b"\x08" + varint(start) + b"\x10" + varint(end))


def _stream_item(doc_id: bytes, request: bytes) -> bytes:
    return len_field(1, doc_id) + len_field(2, request)  # StreamRequest


# --- server and calls ----------------------------------------------------------------


@pytest.fixture(scope="module")
def limited() -> Iterator[Server]:
    srv = start_server(f"--max_text_bytes={MAX_TEXT_BYTES}")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def channel(limited: Server) -> Iterator[grpc.Channel]:
    options = [("grpc.max_send_message_length", 64 << 20)]
    with grpc.insecure_channel(limited.address, options=options) as ch:
        grpc.channel_ready_future(ch).result(timeout=CALL_TIMEOUT_S)
        yield ch


def _analyze(channel: grpc.Channel, request: bytes) -> nlpd_pb2.AnalyzeResponse:
    call = channel.unary_unary(
        ANALYZE,
        request_serializer=None,  # send our bytes as they are
        response_deserializer=nlpd_pb2.AnalyzeResponse.FromString,
    )
    response: nlpd_pb2.AnalyzeResponse = call(request, timeout=CALL_TIMEOUT_S)
    return response


def _expect_error(channel: grpc.Channel, request: bytes, code: Code, *words: str) -> str:
    with pytest.raises(grpc.RpcError) as info:
        _analyze(channel, request)
    error = info.value
    assert error.code() == code, f"expected {code.name}, got {error.code().name}: {error.details()}"
    details = error.details() or ""
    for word in words:
        assert word.lower() in details.lower(), f"{word!r} not in {details!r}"
    return details


def _assert_healthy(server: Server, channel: grpc.Channel) -> None:
    """The process is alive and a normal call works."""
    assert server.proc.poll() is None, f"nlpd exited; stderr:\n{server.stderr()[-3000:]}"
    response = _analyze(channel, _request())
    assert response.document.language == "de"
    assert "Berlin" in [e.text for e in response.entities.entities]


def _outcomes(response: nlpd_pb2.AnalyzeResponse) -> list[tuple[str, str]]:
    return [(a.name, nlpd_pb2.AnalysisInfo.Outcome.Name(a.outcome)) for a in response.analyses]


# --- requests that must fail -------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    request: Callable[[], bytes]
    code: Code
    words: tuple[str, ...]


AT_LIMIT = (b"Bonn liegt am Rhein. " * 200)[:MAX_TEXT_BYTES]

BAD_REQUESTS = {
    "invalid_utf8": Bad(
        lambda: _request("Grüße aus K".encode() + b"\xc3\x28ln \xff\xfe"),
        Code.INVALID_ARGUMENT,
        ("UTF-8", "byte offset 13"),
    ),
    "truncated_utf8_at_end": Bad(
        lambda: _request("Köln".encode() + b"\xe2\x82"), Code.INVALID_ARGUMENT, ("UTF-8",)
    ),
    "empty_text": Bad(lambda: _request(b""), Code.INVALID_ARGUMENT, ("empty",)),
    "whitespace_only": Bad(
        lambda: _request(b" \t\r\n \xc2\xa0 "), Code.INVALID_ARGUMENT, ("empty",)
    ),
    "nul_bytes_only": Bad(lambda: _request(b"\x00\x00\x00"), Code.INVALID_ARGUMENT, ("empty",)),
    "one_byte_over_limit": Bad(
        lambda: _request(AT_LIMIT + b"x"),
        Code.INVALID_ARGUMENT,
        (f"{MAX_TEXT_BYTES + 1} bytes", f"limit of {MAX_TEXT_BYTES}", "max_text_bytes"),
    ),
    "over_limit_in_bytes_not_characters": Bad(
        lambda: _request("ü".encode() * (MAX_TEXT_BYTES // 2 + 1)),  # 2049 characters
        Code.INVALID_ARGUMENT,
        (f"{MAX_TEXT_BYTES + 2} bytes", str(MAX_TEXT_BYTES)),
    ),
    "unknown_analysis": Bad(
        lambda: _request(analyses=[b"entities", b"frobnicate"]),
        Code.NOT_FOUND,
        ("unknown analysis 'frobnicate'", "available: entities"),
    ),
    "ten_thousand_unknown_analyses": Bad(
        lambda: _request(analyses=[f"no_such_{i}".encode() for i in range(10_000)]),
        Code.NOT_FOUND,
        ("unknown analysis 'no_such_0'",),
    ),
    "empty_analysis_name": Bad(
        lambda: _request(analyses=[b""]), Code.NOT_FOUND, ("unknown analysis ''",)
    ),
    "analysis_name_not_utf8": Bad(
        lambda: _request(analyses=[b"entit\xffies"]),
        Code.INVALID_ARGUMENT,
        ("analysis name", "UTF-8"),
    ),
    "language_tag_1kb": Bad(
        lambda: _request(language=b"x" * 1024), Code.INVALID_ARGUMENT, ("BCP-47",)
    ),
    "language_tag_not_utf8": Bad(
        lambda: _request(language=b"d\xffe"), Code.INVALID_ARGUMENT, ("language", "UTF-8")
    ),
    "targets_one_over_limit": Bad(
        lambda: _request(
            analyses=[b"sentiment"], targets=[_text_target(b"Merkel")] * (MAX_TARGETS + 1)
        ),
        Code.INVALID_ARGUMENT,
        (f"{MAX_TARGETS + 1} targets", f"limit of {MAX_TARGETS}"),
    ),
    "targets_100k": Bad(
        lambda: _request(analyses=[b"sentiment"], targets=[_text_target(b"Merkel")] * 100_000),
        Code.INVALID_ARGUMENT,
        ("100000 targets", f"limit of {MAX_TARGETS}"),
    ),
    "target_range_past_the_text": Bad(
        lambda: _request(analyses=[b"sentiment"], targets=[_range_target(5, 10_000)]),
        Code.INVALID_ARGUMENT,
        ("10000",),
    ),
    "target_text_not_utf8": Bad(
        lambda: _request(analyses=[b"sentiment"], targets=[_text_target(b"Mer\xffkel")]),
        Code.INVALID_ARGUMENT,
        ("target 0 text", "UTF-8"),
    ),
    "malformed_truncated_field": Bad(
        lambda: b"\x0a\x10Angela", Code.INVALID_ARGUMENT, ("malformed AnalyzeRequest",)
    ),
    "malformed_overlong_varint": Bad(
        lambda: b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
        Code.INVALID_ARGUMENT,
        ("malformed AnalyzeRequest",),
    ),
    "malformed_tag_zero": Bad(
        lambda: _request() + b"\x00\x00", Code.INVALID_ARGUMENT, ("malformed AnalyzeRequest",)
    ),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS), ids=list(BAD_REQUESTS))
def test_bad_request(case: str, limited: Server, channel: grpc.Channel) -> None:
    bad = BAD_REQUESTS[case]
    _expect_error(channel, bad.request(), bad.code, *bad.words)
    _assert_healthy(limited, channel)


def test_text_past_the_transport_cap_is_refused_without_harm(
    limited: Server, channel: grpc.Channel
) -> None:
    """A 5 MiB text is over gRPC's 4 MiB receive cap (the server raises the cap only
    to fit max_text_bytes): gRPC itself refuses it with RESOURCE_EXHAUSTED, before the
    server reads it, and says why."""
    _expect_error(channel, _request(b"a" * (5 << 20)), Code.RESOURCE_EXHAUSTED, "larger than max")
    _assert_healthy(limited, channel)


# --- odd requests that must work ----------------------------------------------------


def test_nul_bytes_inside_the_text_are_kept_and_offsets_stay_right(
    limited: Server, channel: grpc.Channel
) -> None:
    text = "Angela Merkel\x00 besuchte\x00 Berlin."
    response = _analyze(channel, _request(text.encode(), language=b"de"))
    assert response.document.text == text
    assert response.document.tokens
    for token in response.document.tokens:
        span = token.span
        assert "\x00" not in text[span.char_start : span.char_end]
        assert (
            text.encode()[span.byte_start : span.byte_end].decode()
            == (text[span.char_start : span.char_end])
        )
    for entity in response.entities.entities:
        assert text[entity.span.char_start : entity.span.char_end] == entity.text
    _assert_healthy(limited, channel)


@pytest.mark.parametrize(
    "text",
    [AT_LIMIT, "ü".encode() * (MAX_TEXT_BYTES // 2)],
    ids=["ascii", "two_byte_characters"],
)
def test_text_exactly_at_the_size_limit(
    text: bytes, limited: Server, channel: grpc.Channel
) -> None:
    assert len(text) == MAX_TEXT_BYTES
    response = _analyze(channel, _request(text, language=b"de"))
    assert response.document.text.encode() == text
    assert _outcomes(response) == [("entities", "OK")]
    _assert_healthy(limited, channel)


def test_duplicate_analysis_runs_once(limited: Server, channel: grpc.Channel) -> None:
    once = _analyze(channel, _request(analyses=[b"entities"]))
    response = _analyze(channel, _request(analyses=[b"entities", b"entities"]))
    assert _outcomes(response) == [("entities", "OK")]
    assert response.entities == once.entities
    _assert_healthy(limited, channel)


def test_ten_thousand_analysis_names(limited: Server, channel: grpc.Channel) -> None:
    names = [b"entities", b"sentiment", b"keywords", b"stance"] * 2_500
    response = _analyze(channel, _request(analyses=names))
    assert sorted(_outcomes(response)) == [
        ("entities", "OK"),
        ("keywords", "OK"),
        ("sentiment", "OK"),
        ("stance", "OK"),
    ]
    assert not any(a.dependency for a in response.analyses)
    _assert_healthy(limited, channel)


@pytest.mark.parametrize("tag", ["DE", "de-DE", "De-de", "de_DE", "EN", "en-GB"])
def test_tag_spellings_are_served_like_the_primary_language(
    tag: str, limited: Server, channel: grpc.Channel
) -> None:
    """BCP-47 tags are case-insensitive and "de-DE" is German: the entities plugin
    must run as for "de" ("en"). (Today "DE", "De-de" and "EN" fail with
    INVALID_ARGUMENT from the entities plugin: "no entities model for language".)"""
    primary = tag[:2].lower()
    text = GERMAN.encode() if primary == "de" else ENGLISH.encode()
    expected = _analyze(channel, _request(text, language=primary.encode()))
    assert expected.entities.entities
    response = _analyze(channel, _request(text, language=tag.encode()))
    assert _outcomes(response) == [("entities", "OK")]
    assert response.document.language.lower().replace("_", "-").split("-")[0] == primary
    assert [(e.text, e.label) for e in response.entities.entities] == [
        (e.text, e.label) for e in expected.entities.entities
    ]
    _assert_healthy(limited, channel)


def test_unknown_language_skips_plugins_that_do_not_support_it(
    limited: Server, channel: grpc.Channel
) -> None:
    response = _analyze(channel, _request(language=b"xx"))
    assert response.document.language == "xx"
    assert _outcomes(response) == [("entities", "UNSUPPORTED_LANGUAGE")]
    assert not response.HasField("entities")
    assert response.document.tokens  # the text pipeline still ran
    _assert_healthy(limited, channel)


def test_empty_and_full_target_lists(limited: Server, channel: grpc.Channel) -> None:
    none = _analyze(channel, _request(analyses=[b"sentiment"], targets=[]))
    assert not [t for t in none.sentiment.targets if t.source == REQUEST]
    full = _analyze(
        channel,
        _request(analyses=[b"sentiment"], targets=[_text_target(b"Merkel")] * MAX_TARGETS),
    )
    request_targets = {t.request_target for t in full.sentiment.targets if t.source == REQUEST}
    assert request_targets == set(range(MAX_TARGETS))
    _assert_healthy(limited, channel)


def test_unknown_fields_and_wire_types_are_ignored(limited: Server, channel: grpc.Channel) -> None:
    """Fields this server does not know (a newer client's) are skipped, as protobuf
    requires; they do not fail the request."""
    unknown = varint(99 << 3 | 0) + varint(7) + len_field(100, b"from the future")
    response = _analyze(channel, _request() + unknown)
    assert _outcomes(response) == [("entities", "OK")]
    _assert_healthy(limited, channel)


# --- streams ---------------------------------------------------------------------------


def test_stream_mixing_good_and_bad_items_fails_only_the_bad_ones_in_order(
    limited: Server, channel: grpc.Channel
) -> None:
    good = _request()
    items: list[tuple[bytes, str, Code | None, str]] = [
        # (StreamRequest bytes, expected id, expected code or None for OK, word)
        (_stream_item(b"good-1", good), "good-1", None, ""),
        (_stream_item(b"utf8", _request(b"a\xffb")), "utf8", Code.INVALID_ARGUMENT, "UTF-8"),
        (_stream_item(b"empty", _request(b"")), "empty", Code.INVALID_ARGUMENT, "empty"),
        (_stream_item(b"good-2", good), "good-2", None, ""),
        (
            _stream_item(b"unknown", _request(analyses=[b"frobnicate"])),
            "unknown",
            Code.NOT_FOUND,
            "frobnicate",
        ),
        (
            _stream_item(b"over", _request(AT_LIMIT + b"x")),
            "over",
            Code.INVALID_ARGUMENT,
            str(MAX_TEXT_BYTES),
        ),
        (
            _stream_item(b"lang", _request(language=b"x" * 1024)),
            "lang",
            Code.INVALID_ARGUMENT,
            "BCP-47",
        ),
        (
            _stream_item(
                b"targets",
                _request(analyses=[b"sentiment"], targets=[_text_target(b"a")] * (MAX_TARGETS + 1)),
            ),
            "targets",
            Code.INVALID_ARGUMENT,
            "targets",
        ),
        # Not a StreamRequest at all: its id cannot be read, its place is kept.
        (b"\x0a\x10abc", "", Code.INVALID_ARGUMENT, "malformed StreamRequest"),
        (_stream_item(b"\xff\xfe", good), "", Code.INVALID_ARGUMENT, "id"),
        (_stream_item(b"good-3", good), "good-3", None, ""),
    ]
    call = channel.stream_stream(
        ANALYZE_STREAM,
        request_serializer=None,
        response_deserializer=nlpd_pb2.StreamResponse.FromString,
    )
    responses = list(call(iter([item for item, *_ in items]), timeout=CALL_TIMEOUT_S * 3))
    assert [r.id for r in responses] == [doc_id for _, doc_id, _, _ in items]
    for response, (_, doc_id, code, word) in zip(responses, items, strict=True):
        if code is None:
            assert response.WhichOneof("outcome") == "response", (doc_id, response.error)
            assert response.response.entities.entities
        else:
            assert response.WhichOneof("outcome") == "error", doc_id
            assert response.error.code == code.value[0], (doc_id, response.error)
            assert word.lower() in response.error.message.lower(), (doc_id, response.error)
    _assert_healthy(limited, channel)
