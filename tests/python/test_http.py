"""HTTP/JSON beside gRPC (--http_listen) through the real server binary: analyze,
list plugins, health, errors as JSON with matching HTTP statuses, and bearer tokens.
Uses urllib from the standard library; every request has a timeout."""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Server, build_dir, start_server, stop_server

GERMAN = (
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist. "
    "Dort sprach er mit dem französischen Präsidenten Emmanuel Macron über die Lage in der Ukraine."
)
READER = "http-reader-token-5d1e"
ADMIN = "http-admin-token-a93c"
TIMEOUT_S = 30.0
HTTP_LINE = re.compile(r"(HTTPS?) on (\S+):(\d+)")
# The test_echo plugin of <build>/test_plugins takes 0.5 s on this text.
SLOW_TEXT = "Eine SLOW_PLUGIN Meldung aus Bonn."


def http_base(srv: Server) -> str:
    """The gateway's base URL, from the "HTTP on HOST:PORT" log line."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if match := HTTP_LINE.search(srv.stderr()):
            return f"{match.group(1).lower()}://{match.group(2)}:{match.group(3)}"
        time.sleep(0.05)
    pytest.fail(f"no 'HTTP on HOST:PORT' in the log:\n{srv.stderr()[-4000:]}")


def call(
    url: str, body: bytes | str | dict[str, Any] | None = None, token: str | None = None,
    headers: dict[str, str] | None = None, context: ssl.SSLContext | None = None,
) -> tuple[int, str, bytes]:  # fmt: skip
    """GET (no body) or POST; returns status, content type and body, errors included."""
    data = body if isinstance(body, bytes | None) else (
        body.encode() if isinstance(body, str) else json.dumps(body).encode()
    )  # fmt: skip
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S, context=context) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def expect_error(status: int, body: bytes, http_status: int, code: str) -> str:
    assert status == http_status, body
    error = json.loads(body)
    assert error["code"] == code, error
    assert error["message"], error
    return str(error["message"])


@pytest.fixture(scope="module")
def http_server() -> Iterator[Server]:
    srv = start_server("--http_listen=127.0.0.1:0")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def base(http_server: Server) -> str:
    return http_base(http_server)


def test_analyze_german_entities(base: str) -> None:
    status, content_type, body = call(
        f"{base}/v1/analyze", {"text": GERMAN, "analyses": ["entities"]}
    )
    assert status == 200, body
    assert content_type.startswith("application/json")
    response = json.loads(body)
    assert response["document"]["language"] == "de"
    found = {(e["label"], e["text"]) for e in response["entities"]["entities"]}
    assert {("PER", "Olaf Scholz"), ("PER", "Emmanuel Macron"), ("LOC", "Paris")} <= found
    assert response["analyses"][0]["name"] == "entities"
    assert response["analyses"][0]["outcome"] == "OK"


def test_document_view_by_name(base: str) -> None:
    request = {"text": GERMAN, "analyses": ["entities"]}
    _, _, full = call(f"{base}/v1/analyze", request)
    for key in ("document_view", "documentView"):
        status, _, body = call(f"{base}/v1/analyze", {**request, key: "DOCUMENT_VIEW_RESULTS_ONLY"})
        assert status == 200, body
        response = json.loads(body)
        assert response["document"] == {
            k: v for k, v in json.loads(full)["document"].items()
            if k in ("language", "languageConfidence", "languageSource")
        }  # fmt: skip
        assert response["entities"] == json.loads(full)["entities"]
    status, _, body = call(
        f"{base}/v1/analyze", {**request, "document_view": "DOCUMENT_VIEW_NO_TOKENS"}
    )
    assert status == 200, body
    document = json.loads(body)["document"]
    assert document["text"] == GERMAN and document["sentences"] and "tokens" not in document
    status, _, body = call(f"{base}/v1/analyze", {**request, "document_view": "NO_SUCH_VIEW"})
    assert "document_view" in expect_error(status, body, 400, "INVALID_ARGUMENT")
    status, _, body = call(f"{base}/v1/analyze", {**request, "document_view": 7})
    message = expect_error(status, body, 400, "INVALID_ARGUMENT")
    assert "DOCUMENT_VIEW_RESULTS_ONLY" in message or "document_view" in message, message


def test_analyze_keywords_custom_result_is_typed_json(base: str) -> None:
    status, _, body = call(f"{base}/v1/analyze", {"text": GERMAN, "analyses": ["keywords"]})
    assert status == 200, body
    keywords = json.loads(body)["customResults"]["keywords"]
    assert keywords["@type"] == "type.googleapis.com/nlpd.keywords.v1.KeywordsResult"
    assert keywords["keywords"] and keywords["keywords"][0]["text"]


def test_malformed_json_is_400_with_the_parser_message(base: str) -> None:
    status, _, body = call(f"{base}/v1/analyze", '{"text": "Hallo", ')
    message = expect_error(status, body, 400, "INVALID_ARGUMENT")
    assert "malformed JSON" in message
    status, _, body = call(f"{base}/v1/analyze", {"text": "Hallo", "nope": 1})
    assert "nope" in expect_error(status, body, 400, "INVALID_ARGUMENT")


def test_unknown_analysis_is_404(base: str) -> None:
    status, _, body = call(f"{base}/v1/analyze", {"text": GERMAN, "analyses": ["nosuch"]})
    assert "nosuch" in expect_error(status, body, 404, "NOT_FOUND")


def test_empty_text_is_400(base: str) -> None:
    status, _, body = call(f"{base}/v1/analyze", {"text": ""})
    expect_error(status, body, 400, "INVALID_ARGUMENT")


def test_unknown_path_is_json_404(base: str) -> None:
    status, _, body = call(f"{base}/v1/nothing")
    expect_error(status, body, 404, "NOT_FOUND")


def test_plugins_lists_entities(base: str) -> None:
    status, _, body = call(f"{base}/v1/plugins")
    assert status == 200, body
    listing = json.loads(body)
    names = {plugin["name"] for plugin in listing["plugins"]}
    assert {"entities", "keywords"} <= names
    assert listing["server"]["version"]


def test_healthz(base: str) -> None:
    status, _, body = call(f"{base}/healthz")
    assert (status, body.strip()) == (200, b"SERVING")


def test_isolated_keywords_custom_result_is_typed_json() -> None:
    """An isolated plugin's result type is not in the server's generated pool; the
    gateway resolves it from the plugin's descriptor set."""
    srv = start_server("--http_listen=127.0.0.1:0", "--isolate=keywords")
    try:
        status, _, body = call(
            f"{http_base(srv)}/v1/analyze", {"text": GERMAN, "analyses": ["keywords"]}
        )
        assert status == 200, body
        keywords = json.loads(body)["customResults"]["keywords"]
        assert keywords["@type"] == "type.googleapis.com/nlpd.keywords.v1.KeywordsResult"
        assert keywords["keywords"][0]["text"]
    finally:
        stop_server(srv)


def test_tokens(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# one token per line, ' admin' after admin ones\n{READER}\n{ADMIN} admin\n")
    srv = start_server("--http_listen=127.0.0.1:0", f"--auth_tokens={tokens}")
    try:
        base = http_base(srv)
        request = {"text": GERMAN, "analyses": ["entities"]}
        status, _, body = call(f"{base}/v1/analyze", request)
        expect_error(status, body, 401, "UNAUTHENTICATED")
        status, _, body = call(f"{base}/v1/analyze", request, token="wrong")
        expect_error(status, body, 401, "UNAUTHENTICATED")
        status, _, body = call(f"{base}/v1/plugins")
        expect_error(status, body, 401, "UNAUTHENTICATED")
        for token in (READER, ADMIN):
            status, _, body = call(f"{base}/v1/analyze", request, token=token)
            assert status == 200, body
            status, _, body = call(f"{base}/v1/plugins", token=token)
            assert status == 200, body
        # Health needs no token.
        assert call(f"{base}/healthz")[0] == 200
    finally:
        stop_server(srv)


def test_overload_is_429_and_deadline_is_504() -> None:
    """One worker and a queue of one: of 6 slow calls at once, some get 429. A call
    with X-Timeout-Seconds shorter than the plugin's 0.5 s gets 504."""
    srv = start_server(
        "--http_listen=127.0.0.1:0", "--workers=1", "--queue_size=1",
        plugin_dirs=[build_dir() / "test_plugins"],
    )  # fmt: skip
    try:
        base = http_base(srv)
        statuses: list[int] = []
        lock = threading.Lock()

        def run() -> None:
            status, _, body = call(
                f"{base}/v1/analyze", {"text": SLOW_TEXT, "analyses": ["test_echo"]}
            )
            if status == 429:
                expect_error(status, body, 429, "RESOURCE_EXHAUSTED")
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=run, daemon=True) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT_S)
        assert len(statuses) == 6, statuses
        assert 200 in statuses and 429 in statuses, statuses
        assert set(statuses) <= {200, 429}, statuses

        status, _, body = call(
            f"{base}/v1/analyze", {"text": SLOW_TEXT, "analyses": ["test_echo"]},
            headers={"X-Timeout-Seconds": "0.1"},
        )  # fmt: skip
        expect_error(status, body, 504, "DEADLINE_EXCEEDED")
        status, _, body = call(
            f"{base}/v1/analyze", {"text": SLOW_TEXT}, headers={"X-Timeout-Seconds": "soon"}
        )
        expect_error(status, body, 400, "INVALID_ARGUMENT")
    finally:
        stop_server(srv)


def test_https_with_the_grpc_certificate(tmp_path: Path) -> None:
    """With --tls_cert/--tls_key the gateway speaks HTTPS only, with the same files."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make a test certificate")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", "server.key", "-out", "server.pem", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        cwd=tmp_path, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{READER}\n")
    srv = start_server(
        "--http_listen=127.0.0.1:0", f"--tls_cert={tmp_path / 'server.pem'}",
        f"--tls_key={tmp_path / 'server.key'}", f"--auth_tokens={tokens}",
    )  # fmt: skip
    try:
        base = http_base(srv)
        assert base.startswith("https://"), base
        context = ssl.create_default_context(cafile=str(tmp_path / "server.pem"))
        status, _, body = call(
            f"{base}/v1/analyze", {"text": GERMAN, "analyses": ["entities"]},
            token=READER, context=context,
        )  # fmt: skip
        assert status == 200, body
        assert json.loads(body)["entities"]["entities"]
        status, _, body = call(f"{base}/v1/plugins", context=context)
        expect_error(status, body, 401, "UNAUTHENTICATED")
        # Plain HTTP on the HTTPS port does not get an answer.
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            call(base.replace("https://", "http://") + "/healthz")
    finally:
        stop_server(srv)


def test_a_busy_http_port_is_an_error(http_server: Server, base: str) -> None:
    """A second server on the gateway's port exits 1 instead of sharing it."""
    port = base.rsplit(":", 1)[1]
    proc = subprocess.run(
        [str(build_dir() / "bin" / "nlpd"), "--listen=127.0.0.1:0",
         f"--http_listen=127.0.0.1:{port}", f"--plugin_dir={build_dir() / 'plugins'}"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "cannot listen for HTTP" in proc.stderr
    assert proc.stdout == ""


def test_sigterm_lets_an_http_call_in_flight_finish() -> None:
    srv = start_server("--http_listen=127.0.0.1:0", plugin_dirs=[build_dir() / "test_plugins"])
    base = http_base(srv)
    result: list[int] = []

    def run() -> None:
        request = {"text": SLOW_TEXT, "analyses": ["test_echo"]}
        result.append(call(f"{base}/v1/analyze", request)[0])

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while "analyzing" not in srv.stderr() and time.monotonic() < deadline:
        time.sleep(0.02)
    stop_server(srv)  # SIGTERM; fails unless the exit code is 0
    thread.join(timeout=TIMEOUT_S)
    assert result == [200]
