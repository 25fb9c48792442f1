"""Server reflection describes every plugin's result type, wherever the plugin runs.

grpcurl decodes a custom result (a google.protobuf.Any) only from what reflection
tells it. Before the server had its own reflection service (issue 12) that worked for
in-process C++ plugins only; an isolated or Python plugin's result came out as base64
under "@value". These tests run the real grpcurl (.venv/bin/grpcurl, which
scripts/install-deps builds, or grpcurl on PATH) against the real server binary, and
speak the reflection protocol directly (v1 and v1alpha) for its error answers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2
from grpc_reflection.v1alpha import reflection_pb2

import nlpd
from conftest import REPO, Server, start_server, stop_server
from nlpd.v1 import config_pb2

TEXT = "Die Regierung beschließt Sanktionen."
V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
V1ALPHA = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
NOT_FOUND = grpc.StatusCode.NOT_FOUND.value[0]


def _find_grpcurl() -> str | None:
    for candidate in (Path(sys.executable).parent / "grpcurl", REPO / ".venv" / "bin" / "grpcurl"):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("grpcurl")


@pytest.fixture(scope="session")
def grpcurl_binary() -> str:
    found = _find_grpcurl()
    if found is None:
        pytest.skip(
            "grpcurl not found (neither .venv/bin/grpcurl nor grpcurl on PATH); "
            "scripts/install-deps builds it with Go"
        )
    return found


def grpcurl(
    binary: str,
    server: Server,
    *args: str,
    data: dict[str, Any] | None = None,
    headers: tuple[str, ...] = (),
) -> str:
    """Run grpcurl against ``server`` (plain text); its stdout. Fails on a non-zero exit."""
    command = [binary, "-plaintext", *(f"-H={header}" for header in headers)]
    if data is not None:
        command += ["-d", json.dumps(data)]
    command += [server.address, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stderr}"
    return done.stdout


def analyze_keywords(binary: str, server: Server) -> dict[str, Any]:
    """The keywords result of TEXT as grpcurl decodes it."""
    out = grpcurl(
        binary,
        server,
        "nlpd.v1.AnalysisService/Analyze",
        data={"text": TEXT, "analyses": ["keywords"]},
    )
    result: dict[str, Any] = json.loads(out)["custom_results"]["keywords"]
    return result


def assert_decoded_keywords(result: dict[str, Any]) -> None:
    """Decoded fields, not grpcurl's fallback ("@error" and base64 "@value")."""
    assert "@value" not in result and "@error" not in result, result
    assert result["@type"] == "type.googleapis.com/nlpd.keywords.v1.KeywordsResult"
    keywords = result["keywords"]
    assert keywords, result
    normalized = [keyword["normalized"] for keyword in keywords]
    assert "sanktionen" in normalized, result
    mention = keywords[normalized.index("sanktionen")]["mentions"][0]
    assert mention["byte_start"] == 26 and mention["char_start"] == 25, mention


@pytest.fixture(scope="module")
def isolated_server() -> Iterator[Server]:
    srv = start_server("--isolate=keywords")
    yield srv
    stop_server(srv)


def test_grpcurl_lists_services(grpcurl_binary: str, server: Server) -> None:
    services = grpcurl(grpcurl_binary, server, "list").split()
    assert set(services) == {
        "nlpd.v1.AnalysisService",
        "nlpd.v1.Admin",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    }, services
    methods = grpcurl(grpcurl_binary, server, "list", "nlpd.v1.AnalysisService").split()
    assert "nlpd.v1.AnalysisService.Analyze" in methods


@pytest.mark.parametrize("where", ["in_process", "isolated"])
def test_grpcurl_describes_plugin_result_type(
    grpcurl_binary: str, where: str, server: Server, isolated_server: Server
) -> None:
    srv = server if where == "in_process" else isolated_server
    out = grpcurl(grpcurl_binary, srv, "describe", "nlpd.keywords.v1.Keyword")
    assert "message Keyword {" in out, out
    assert "string normalized = 4;" in out, out
    assert "repeated .nlpd.v1.Span mentions = 3;" in out, out


@pytest.mark.parametrize("where", ["in_process", "isolated"])
def test_grpcurl_decodes_keywords_result(
    grpcurl_binary: str, where: str, server: Server, isolated_server: Server
) -> None:
    srv = server if where == "in_process" else isolated_server
    with nlpd.Client(srv.address) as client:
        isolation = {p.name: p.isolation for p in client.plugins()}["keywords"]
    assert isolation == (config_pb2.PROCESS if where == "isolated" else config_pb2.IN_PROCESS)
    assert_decoded_keywords(analyze_keywords(grpcurl_binary, srv))


def test_grpcurl_unknown_symbol_is_not_found(grpcurl_binary: str, server: Server) -> None:
    done = subprocess.run(
        [grpcurl_binary, "-plaintext", server.address, "describe", "nlpd.nosuch.v1.Thing"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "nlpd.nosuch.v1.Thing" in done.stderr and "not found" in done.stderr, done.stderr


# -- the protocol itself -------------------------------------------------------------


def ask(
    channel: grpc.Channel, *requests: reflection_pb2.ServerReflectionRequest, method: str = V1ALPHA
) -> list[reflection_pb2.ServerReflectionResponse]:
    """Send ``requests`` on one reflection stream; the answers, in order. v1 and v1alpha
    messages are the same on the wire, so the v1alpha classes serve both."""
    call = channel.stream_stream(
        method,
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    return list(call(iter(requests), timeout=30))


def file_names(response: reflection_pb2.ServerReflectionResponse) -> list[str]:
    return [
        descriptor_pb2.FileDescriptorProto.FromString(raw).name
        for raw in response.file_descriptor_response.file_descriptor_proto
    ]


@pytest.mark.parametrize("method", [V1, V1ALPHA])
def test_both_versions_answer_in_order_on_one_stream(channel: grpc.Channel, method: str) -> None:
    requests = [
        reflection_pb2.ServerReflectionRequest(host="h", list_services=""),
        reflection_pb2.ServerReflectionRequest(
            file_containing_symbol="nlpd.keywords.v1.KeywordsResult"
        ),
        reflection_pb2.ServerReflectionRequest(file_by_filename="nlpd/v1/nlpd.proto"),
    ]
    listed, keywords, api = ask(channel, *requests, method=method)
    assert listed.valid_host == "h"
    assert listed.original_request == requests[0]
    assert "nlpd.v1.AnalysisService" in {s.name for s in listed.list_services_response.service}
    assert keywords.original_request == requests[1]
    names = file_names(keywords)
    assert names[0] == "nlpd/keywords/v1/keywords.proto"
    assert "nlpd/v1/document.proto" in names
    names = file_names(api)
    assert names[0] == "nlpd/v1/nlpd.proto"
    assert len(names) == len(set(names)), names
    assert "google/protobuf/any.proto" in names


def test_errors_name_what_was_not_found(channel: grpc.Channel) -> None:
    symbol, file, extension, numbers = ask(
        channel,
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="nlpd.nosuch.v1.Thing"),
        reflection_pb2.ServerReflectionRequest(file_by_filename="nlpd/nosuch.proto"),
        reflection_pb2.ServerReflectionRequest(
            file_containing_extension=reflection_pb2.ExtensionRequest(
                containing_type="nlpd.v1.Span", extension_number=1000
            )
        ),
        reflection_pb2.ServerReflectionRequest(all_extension_numbers_of_type="nlpd.nosuch.v1.X"),
    )
    for response, name in (
        (symbol, "nlpd.nosuch.v1.Thing"),
        (file, "nlpd/nosuch.proto"),
        (extension, "nlpd.v1.Span"),
        (numbers, "nlpd.nosuch.v1.X"),
    ):
        assert response.error_response.error_code == NOT_FOUND, response
        assert name in response.error_response.error_message, response
    (none,) = ask(
        channel,
        reflection_pb2.ServerReflectionRequest(all_extension_numbers_of_type="nlpd.v1.Span"),
    )
    assert none.all_extension_numbers_response.base_type_name == "nlpd.v1.Span"
    assert list(none.all_extension_numbers_response.extension_number) == []


def test_reflection_needs_no_token(grpcurl_binary: str, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("reader-token-5d1e\n")
    srv = start_server(f"--auth_tokens={tokens}", "--isolate=keywords")
    try:
        assert "nlpd.v1.AnalysisService" in grpcurl(grpcurl_binary, srv, "list").split()
        assert "normalized" in grpcurl(grpcurl_binary, srv, "describe", "nlpd.keywords.v1.Keyword")
        done = subprocess.run(
            [grpcurl_binary, "-plaintext", "-d", json.dumps({"text": TEXT}), srv.address,
             "nlpd.v1.AnalysisService/Analyze"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode != 0 and "Unauthenticated" in done.stderr, done.stderr
        out = grpcurl(
            grpcurl_binary,
            srv,
            "nlpd.v1.AnalysisService/Analyze",
            data={"text": TEXT, "analyses": ["keywords"]},
            headers=("authorization: Bearer reader-token-5d1e",),
        )
        assert_decoded_keywords(json.loads(out)["custom_results"]["keywords"])
    finally:
        stop_server(srv)


# -- a Python plugin, and a reload that changes its result type ----------------------

TEXTSTATS_PROTO = REPO / "plugins" / "sdk" / "example" / "textstats" / "v1" / "textstats.proto"
SPAN_FIELD = re.compile(r"\n  // Where the longest word is.*?longest_word_span = 7;\n", re.S)
SPAN_IMPORT = re.compile(r"\n// The SDK installs.*?import \"nlpd/v1/document.proto\";\n", re.S)


def _generate_textstats(directory: Path, with_span: bool) -> None:
    """textstats/v1/textstats_pb2.py in ``directory``: the example's result type, or,
    without ``with_span``, an older version of it without longest_word_span."""
    from grpc_tools import protoc

    source = directory / "proto"
    (source / "textstats" / "v1").mkdir(parents=True, exist_ok=True)
    text = TEXTSTATS_PROTO.read_text()
    if not with_span:
        text, fields = SPAN_FIELD.subn("\n", text)
        text, imports = SPAN_IMPORT.subn("\n", text)
        assert fields == imports == 1, "textstats.proto changed: update this test"
    (source / "textstats" / "v1" / "textstats.proto").write_text(text)
    args = ["protoc", f"-I{source}", f"-I{REPO / 'proto'}", f"--python_out={directory}"]
    assert protoc.main([*args, "textstats/v1/textstats.proto"]) == 0


def test_python_plugin_result_decodes_and_follows_a_reload(
    grpcurl_binary: str, python_plugin_dir: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "py"
    directory.mkdir()
    shutil.copy(python_plugin_dir / "textstats_plugin.py", directory)
    _generate_textstats(directory, with_span=False)
    plugin = directory / "textstats_plugin.py"
    srv = start_server(f"--python_plugin={plugin}", f"--python={sys.executable}")
    try:
        described = grpcurl(grpcurl_binary, srv, "describe", "textstats.v1.TextStats")
        assert "longest_word = 6;" in described and "longest_word_span" not in described
        request = {"text": TEXT, "analyses": ["textstats"]}
        out = grpcurl(grpcurl_binary, srv, "nlpd.v1.AnalysisService/Analyze", data=request)
        stats = json.loads(out)["custom_results"]["textstats"]
        assert "@value" not in stats, stats
        assert stats["longest_word"] == "beschließt" and stats["words"] == 4, stats

        # A new version of the plugin whose result type has a new field.
        _generate_textstats(directory, with_span=True)
        plugin.write_text(plugin.read_text() + "\n# version 2\n")
        with nlpd.Client(srv.address, timeout=60) as client:
            changes = client.reload_plugins()
        assert [c.name for c in changes.changes] == ["textstats"], changes
        described = grpcurl(grpcurl_binary, srv, "describe", "textstats.v1.TextStats")
        assert ".nlpd.v1.Span longest_word_span = 7;" in described, described
        out = grpcurl(grpcurl_binary, srv, "nlpd.v1.AnalysisService/Analyze", data=request)
        stats = json.loads(out)["custom_results"]["textstats"]
        assert stats["longest_word_span"] == {
            "byte_start": 14, "byte_end": 25, "char_start": 14, "char_end": 24,
        }, stats  # fmt: skip
    finally:
        stop_server(srv)
