"""What an operations team watches, through the real server binary: Prometheus
metrics at --metrics_listen, one log line per request with its request id (taken from
x-request-id or made up, and sent back), and JSON log lines with --log_format=json."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator

import grpc
import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd.v1 import nlpd_pb2, nlpd_pb2_grpc
from texts import GERMAN


def _metrics_url(srv: Server) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(r"metrics on (http://\S+/metrics)", srv.stderr())
        if found:
            return found.group(1)
        time.sleep(0.05)
    pytest.fail(f"no metrics address in the log:\n{srv.stderr()[-2000:]}")


def _scrape(srv: Server) -> str:
    with urllib.request.urlopen(_metrics_url(srv), timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()


@pytest.fixture(scope="module")
def observed() -> Iterator[Server]:
    srv = start_server("--metrics_listen=127.0.0.1:0", "--log_format=json")
    yield srv
    stop_server(srv)


def test_metrics_count_requests_and_time_plugins(observed: Server) -> None:
    with nlpd.Client(observed.address, timeout=30) as client:
        for _ in range(3):
            client.analyze(GERMAN, ["entities", "sentiment"])
        with pytest.raises(nlpd.InvalidArgumentError):
            client.analyze("", ["entities"])
    page = _scrape(observed)
    names = {line.split("{")[0].split(" ")[0] for line in page.splitlines() if line[:1] != "#"}
    assert names and all(name.startswith("nlpd_") for name in names), names
    ok = re.search(r'nlpd_requests_total\{method="Analyze",code="OK"\} (\d+)', page)
    assert ok and int(ok.group(1)) >= 3
    assert 'nlpd_requests_total{method="Analyze",code="INVALID_ARGUMENT"}' in page
    bucket = re.search(
        r'nlpd_plugin_duration_seconds_bucket\{plugin="entities",le="\+Inf"\} (\d+)', page
    )
    assert bucket and int(bucket.group(1)) >= 3
    assert 'nlpd_request_duration_seconds_bucket{method="Analyze",le="0.5"}' in page
    for gauge in (
        "nlpd_queue_depth",
        "nlpd_calls_in_flight",
        "nlpd_workers_stuck",
        "nlpd_process_resident_memory_bytes",
    ):
        assert re.search(rf"^{gauge} \d+$", page, re.MULTILINE), gauge
    assert re.search(
        r'nlpd_plugin_info\{plugin="entities",version="[^"]+",sha256="[0-9a-f]{64}"', page
    )
    assert 'nlpd_plugin_restarts_total{plugin="entities"} 0' in page
    assert re.search(
        r'nlpd_build_info\{version="[^"]+",build_type="[^"]*",abi_version="1\.1"\} 1', page
    )


def test_each_request_logs_one_json_line_with_its_request_id(observed: Server) -> None:
    with grpc.insecure_channel(observed.address) as channel:
        stub = nlpd_pb2_grpc.AnalysisServiceStub(channel)
        request = nlpd_pb2.AnalyzeRequest(text=GERMAN, analyses=["entities"])
        _, call = stub.Analyze.with_call(
            request, metadata=(("x-request-id", "trace-42"),), timeout=30
        )
        assert ("x-request-id", "trace-42") in call.initial_metadata()
        _, call = stub.Analyze.with_call(request, timeout=30)
        made_up = dict(call.initial_metadata())["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{16}", made_up)
    time.sleep(0.2)
    lines = [json.loads(line) for line in observed.stderr().splitlines() if line.strip()]
    assert all({"time", "level", "message"} <= line.keys() for line in lines)
    requests = [line for line in lines if line["message"] == "request"]
    mine = [line for line in requests if line["id"] == "trace-42"]
    assert len(mine) == 1
    assert mine[0]["method"] == "Analyze"
    assert mine[0]["analyses"] == "entities"
    assert mine[0]["status"] == "OK"
    assert int(mine[0]["bytes_in"]) > len(GERMAN.encode()) > 0
    assert int(mine[0]["bytes_out"]) > 0
    assert float(mine[0]["ms"]) > 0
    assert [line["id"] for line in requests].count(made_up) == 1


def test_text_log_lines_carry_the_same_fields() -> None:
    srv = start_server()
    try:
        with nlpd.Client(srv.address, timeout=30) as client:
            client.analyze(GERMAN, ["entities"])
        time.sleep(0.2)
        assert re.search(
            r"INFO request id=[0-9a-f]{16} method=Analyze analyses=entities bytes_in=\d+ "
            r"bytes_out=\d+ status=OK ms=[0-9.]+",
            srv.stderr(),
        )
    finally:
        stop_server(srv)
