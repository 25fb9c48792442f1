"""Retries on UNAVAILABLE (gRPC's retry policy from the channel's service config) in
nlpd.Client and nlpd.AsyncClient, against the real server binary: a call made before
the server is up succeeds once it is; retries=0 fails at once; the deadline covers all
attempts; streams and administration calls are never retried."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd._channel import channel_config
from texts import GERMAN

# Retries after about 0.5, 1, 2 and 4 s (7.5 s in all, ±20 %): a server started
# 0.2 s after the first attempt is up well within that, even on a busy machine.
PATIENT = nlpd.RetryPolicy(retries=4, initial_backoff=0.5, max_backoff=4.0)
SERVER_DELAY_S = 0.2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def late_server() -> Iterator[Callable[[], Server]]:
    """``start()`` starts a server on the address ``late_server.address`` was given."""
    started: list[Server] = []
    port = free_port()

    def start() -> Server:
        srv = start_server(f"--listen=127.0.0.1:{port}")
        assert srv.address == f"127.0.0.1:{port}"
        started.append(srv)
        return srv

    start.address = f"127.0.0.1:{port}"  # type: ignore[attr-defined]
    yield start
    for srv in started:
        stop_server(srv)


def _in_thread(call: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def run() -> None:
        start = time.monotonic()
        try:
            outcome["result"] = call()
        except BaseException as exc:  # reported to the test thread
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_call_made_before_the_server_is_up_succeeds(
    late_server: Callable[[], Server],
) -> None:
    address: str = late_server.address  # type: ignore[attr-defined]
    with nlpd.Client(address, timeout=30, retries=PATIENT) as client:
        thread, outcome = _in_thread(lambda: client.analyze(GERMAN, ["entities"]))
        time.sleep(SERVER_DELAY_S)  # the first attempt has failed: nothing listens yet
        assert thread.is_alive()
        late_server()
        thread.join(timeout=40)
        assert "error" not in outcome, outcome
        response = outcome["result"]
        assert isinstance(response, nlpd.v1.nlpd_pb2.AnalyzeResponse)
        assert response.entities.entities


def test_async_call_made_before_the_server_is_up_succeeds(
    late_server: Callable[[], Server],
) -> None:
    address: str = late_server.address  # type: ignore[attr-defined]

    async def main() -> list[str]:
        async with nlpd.AsyncClient(address, timeout=30, retries=PATIENT) as client:
            call = asyncio.ensure_future(client.plugins())
            await asyncio.sleep(SERVER_DELAY_S)
            assert not call.done()
            await asyncio.to_thread(late_server)
            return [p.name for p in await call]

    assert "entities" in asyncio.run(main())


@pytest.mark.parametrize("make", ["sync", "async"])
def test_retries_0_fails_at_once(make: str) -> None:
    address = f"127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(nlpd.UnavailableError, match="onnection refused"):
        if make == "sync":
            with nlpd.Client(address, timeout=30, retries=0) as client:
                client.analyze(GERMAN)
        else:

            async def main() -> None:
                async with nlpd.AsyncClient(address, timeout=30, retries=0) as client:
                    await client.analyze(GERMAN)

            asyncio.run(main())
    assert time.monotonic() - start < 1.0


def test_default_retries_give_up_after_about_3_s() -> None:
    """0.2 + 0.4 + 0.8 + 1.6 s of backoff (±20 %), then the last attempt's error."""
    with nlpd.Client(f"127.0.0.1:{free_port()}", timeout=30) as client:
        start = time.monotonic()
        with pytest.raises(nlpd.UnavailableError, match="onnection refused"):
            client.plugins()
        assert 2.0 < time.monotonic() - start < 6.0


def test_the_deadline_covers_all_attempts() -> None:
    slow = nlpd.RetryPolicy(retries=4, initial_backoff=2.0, max_backoff=10.0)
    with nlpd.Client(f"127.0.0.1:{free_port()}", timeout=1.0, retries=slow) as client:
        start = time.monotonic()
        with pytest.raises(nlpd.DeadlineExceededError):
            client.analyze(GERMAN)
        assert 0.9 < time.monotonic() - start < 1.8


def test_streams_and_admin_calls_are_not_retried() -> None:
    with nlpd.Client(f"127.0.0.1:{free_port()}", timeout=30, retries=PATIENT) as client:
        for call in (
            lambda: list(client.analyze_stream(["Eins."])),
            lambda: list(client.analyze_many(["Eins."])),
            client.reload_plugins,
            lambda: client.unload_plugin("entities"),
        ):
            start = time.monotonic()
            with pytest.raises(nlpd.UnavailableError):
                call()
            assert time.monotonic() - start < 1.0


def test_other_codes_are_not_retried(server: Server) -> None:
    with nlpd.Client(server.address, timeout=30, retries=PATIENT) as client:
        start = time.monotonic()
        with pytest.raises(nlpd.InvalidArgumentError):
            client.analyze("")
        assert time.monotonic() - start < 0.5


def test_the_service_config() -> None:
    config = channel_config("x:1", retries=3)
    options = dict(config.options)
    service_config = json.loads(options["grpc.service_config"])
    [method_config] = service_config["methodConfig"]
    assert method_config["name"] == [
        {"service": "nlpd.v1.AnalysisService", "method": "Analyze"},
        {"service": "nlpd.v1.AnalysisService", "method": "ListPlugins"},
    ]
    assert method_config["retryPolicy"] == {
        "maxAttempts": 4,
        "initialBackoff": "0.2s",
        "maxBackoff": "2s",
        "backoffMultiplier": 2.0,
        "retryableStatusCodes": ["UNAVAILABLE"],
    }
    assert service_config["loadBalancingConfig"] == [{"round_robin": {}}]
    assert service_config["healthCheckConfig"] == {"serviceName": ""}
    disabled = dict(channel_config("x:1", retries=0).options)
    assert disabled["grpc.enable_retries"] == 0
    assert "methodConfig" not in json.loads(disabled["grpc.service_config"])
    # The caller's options come last and win.
    mine = channel_config("x:1", options=[("grpc.service_config", "{}")]).options
    assert mine[-1] == ("grpc.service_config", "{}")
    with pytest.raises(ValueError, match="between 0 and 4"):
        nlpd.Client("x:1", retries=5)
    with pytest.raises(ValueError, match="max_backoff"):
        nlpd.RetryPolicy(initial_backoff=2.0, max_backoff=1.0)
    with pytest.raises(TypeError):
        nlpd.AsyncClient("x:1", retries=True)
