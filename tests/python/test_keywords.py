"""The keywords plugin through ListPlugins, Analyze and run-time decoding."""

from __future__ import annotations

import json
import re

import pytest
from google.protobuf import descriptor, descriptor_pb2

import nlpd
from nlpd.v1 import nlpd_pb2
from texts import ENGLISH, GERMAN

RESULT_TYPE = "nlpd.keywords.v1.KeywordsResult"


@pytest.fixture(scope="module")
def keywords_info(client: nlpd.Client) -> nlpd_pb2.PluginInfo:
    infos = {p.name: p for p in client.plugins()}
    assert "keywords" in infos, f"plugins listed: {sorted(infos)}"
    return infos["keywords"]


def test_plugins_lists_keywords(client: nlpd.Client, keywords_info: nlpd_pb2.PluginInfo) -> None:
    info = keywords_info
    assert info.result_type == RESULT_TYPE
    assert info.version
    assert info.languages
    assert info.path.endswith("libnlpd_keywords.so")
    assert info.descriptor_set
    fds = descriptor_pb2.FileDescriptorSet.FromString(info.descriptor_set)
    names = [f.name for f in fds.file]
    assert "nlpd/keywords/v1/keywords.proto" in names
    described = {f"{f.package}.{m.name}" for f in fds.file for m in f.message_type}
    assert RESULT_TYPE in described
    listing = client.list_plugins()
    assert not listing.load_errors, [f"{e.path}: {e.message}" for e in listing.load_errors]


def _field(msg_desc: descriptor.Descriptor, name: str) -> descriptor.FieldDescriptor:
    assert name in msg_desc.fields_by_name, f"{msg_desc.full_name} has no field {name!r}"
    return msg_desc.fields_by_name[name]


def _keywords(client: nlpd.Client, text: str, **kw: str) -> tuple[nlpd_pb2.AnalyzeResponse, list]:
    response = client.analyze(text, ["keywords"], **kw)
    assert "keywords" in response.custom_results
    any_msg = response.custom_results["keywords"]
    assert any_msg.type_url == f"type.googleapis.com/{RESULT_TYPE}"
    result = client.custom_result(response, "keywords")
    assert result.DESCRIPTOR.full_name == RESULT_TYPE
    kw_field = _field(result.DESCRIPTOR, "keywords")
    assert kw_field.is_repeated and kw_field.type == descriptor.FieldDescriptor.TYPE_MESSAGE
    kw_desc = kw_field.message_type
    assert _field(kw_desc, "text").type == descriptor.FieldDescriptor.TYPE_STRING
    assert _field(kw_desc, "score").cpp_type == descriptor.FieldDescriptor.CPPTYPE_FLOAT
    mentions = _field(kw_desc, "mentions")
    assert mentions.message_type.full_name == "nlpd.v1.Span"
    return response, list(result.keywords)


def _check_keywords(response: nlpd_pb2.AnalyzeResponse, keywords: list) -> None:
    text = response.document.text
    raw = text.encode()
    assert keywords, "no keywords for a news paragraph"
    scores = [k.score for k in keywords]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert scores[0] == pytest.approx(1.0)
    for k in keywords:
        assert k.text and k.mentions, k
        for m in k.mentions:
            by_char = text[m.char_start : m.char_end]
            assert by_char == raw[m.byte_start : m.byte_end].decode()
            assert " ".join(by_char.split()).casefold() == k.text.casefold()
    info = [a for a in response.analyses if a.name == "keywords"]
    assert len(info) == 1 and info[0].outcome == nlpd_pb2.AnalysisInfo.OK
    assert not info[0].dependency


def test_keywords_german(client: nlpd.Client, keywords_info: nlpd_pb2.PluginInfo) -> None:
    response, keywords = _keywords(client, GERMAN)
    _check_keywords(response, keywords)
    texts = [k.text for k in keywords]
    assert any("Fernwärme" in t for t in texts), texts
    for k in keywords:
        if k.text == "Fernwärme":
            assert len(k.mentions) == 3  # every occurrence
        assert k.normalized == " ".join(k.text.split()).casefold()
    info = next(a for a in response.analyses if a.name == "keywords")
    assert info.version == keywords_info.version


def test_keywords_english(client: nlpd.Client) -> None:
    response, keywords = _keywords(client, ENGLISH)
    _check_keywords(response, keywords)
    texts = [k.text.casefold() for k in keywords]
    assert any("interest rates" in t for t in texts), texts


def test_keywords_in_json(client: nlpd.Client) -> None:
    d = client.to_dict(client.analyze(GERMAN, ["keywords"]))
    round_trip = json.loads(json.dumps(d))
    kw = round_trip["custom_results"]["keywords"]
    assert kw["@type"].endswith(RESULT_TYPE)
    first = kw["keywords"][0]
    assert isinstance(first["text"], str) and isinstance(first["score"], float)
    assert {"byte_start", "byte_end", "char_start", "char_end"} <= set(first["mentions"][0])


def test_custom_result_unknown_name(client: nlpd.Client) -> None:
    response = client.analyze(GERMAN, ["keywords"])
    with pytest.raises(LookupError, match="no custom result 'sentiment_x'"):
        client.custom_result(response, "sentiment_x")


def test_unsupported_language_is_reported(
    client: nlpd.Client, keywords_info: nlpd_pb2.PluginInfo
) -> None:
    if "*" in keywords_info.languages or "fi" in keywords_info.languages:
        pytest.skip(f"keywords supports {list(keywords_info.languages)}")
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="'keywords'"):
        response = client.analyze(
            "Helsingin kaupunki avaa uuden kirjaston.", ["keywords"], language="fi"
        )
    info = next(a for a in response.analyses if a.name == "keywords")
    assert info.outcome == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
    assert "keywords" not in response.custom_results
    reason = (
        f"'keywords' supports {', '.join(keywords_info.languages)}; the document's language is 'fi'"
    )
    assert info.reason == reason
    with pytest.raises(LookupError, match=re.escape(f"'keywords' was skipped: {reason}")):
        client.custom_result(response, "keywords")
