"""Replicas behind the client's own load balancing (issue 15): one client, several
servers, round robin over those that are up and SERVING, calls retried onto another
replica when one goes away.

Three servers on loopback; 600 calls through one client that names all three; the first
replica is stopped a third of the way in and started again (same port) at two thirds.
Every call must succeed, and each replica, the restarted one in its second life too,
must have served some of them (its own metrics say how many).
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

import nlpd
from conftest import Server, start_server, stop_server

CALLS = 600
TEXT = "Der Zug nach Kiel fährt heute von Gleis 4."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """A server on a fixed port (so that it can come back on it), with metrics."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.metrics_port = _free_port()
        self.server: Server | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = start_server(
            f"--listen={self.address}", f"--metrics_listen=127.0.0.1:{self.metrics_port}"
        )

    def stop(self) -> None:
        assert self.server is not None
        stop_server(self.server)
        self.server = None

    def served(self, method: str = "Analyze") -> int:
        """OK calls of ``method`` since this process started, from its metrics."""
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
        found = re.search(
            rf'^nlpd_requests_total{{method="{method}",code="OK"}} (\d+)$', text, re.MULTILINE
        )
        return int(found.group(1)) if found else 0


@pytest.fixture
def replicas() -> Iterator[list[Replica]]:
    started = [Replica() for _ in range(3)]
    try:
        for replica in started:
            replica.start()
        yield started
    finally:
        for replica in started:
            if replica.server is not None:
                replica.stop()


def _target(replicas: list[Replica]) -> str:
    return "ipv4:" + ",".join(r.address for r in replicas)


def test_a_replica_that_goes_and_comes_back(replicas: list[Replica]) -> None:
    first = replicas[0]
    served_before_stop = 0
    with nlpd.Client(_target(replicas), timeout=30) as client:
        for call in range(CALLS):
            if call == CALLS // 3:
                served_before_stop = first.served()
                first.stop()
            elif call == 2 * CALLS // 3:
                first.start()
            response = client.analyze(TEXT, language="de")  # raises if a call fails
            assert response.document.language == "de"
            # Paced, so that the last third spans the reconnect backoff (at most 2 s
            # with the default retry policy) after the first replica is back.
            time.sleep(0.01)
    served = [served_before_stop, first.served(), replicas[1].served(), replicas[2].served()]
    assert all(count > 0 for count in served), served
    # ListPlugins at start-up aside, every call was counted once.
    assert sum(served) == CALLS, served


def test_analyze_many_and_the_async_client_spread_over_the_replicas(
    replicas: list[Replica],
) -> None:
    texts = [f"Meldung {i}: {TEXT}" for i in range(3000)]
    with nlpd.Client(_target(replicas), timeout=30) as client:
        results = list(client.analyze_many(texts, language="de"))
    assert [r.index for r in results if r.ok] == list(range(3000))
    # Its lanes start a new stream every bulk.STREAM_RECORDS records: the first ones go
    # to the replica connected first, later ones to all. A stream is counted when the
    # server has finished it, just after the client.
    deadline = time.monotonic() + 10
    while not all(r.served("AnalyzeStream") > 0 for r in replicas):
        assert time.monotonic() < deadline, [r.served("AnalyzeStream") for r in replicas]
        time.sleep(0.05)

    async def main() -> list[str]:
        async with nlpd.AsyncClient(_target(replicas), timeout=30) as client:
            # A new channel connects to the replicas one by one; calls made before the
            # others are connected all go to the first (gRPC's round robin picks among
            # connected replicas). A long-lived client is past that.
            await client.wait_ready(timeout=10)
            await asyncio.sleep(0.5)
            responses = await asyncio.gather(
                *(client.analyze(text, language="de") for text in texts[:60])
            )
        return [r.document.language for r in responses]

    before = [r.served() for r in replicas]
    assert asyncio.run(main()) == ["de"] * 60
    assert all(r.served() > count for r, count in zip(replicas, before, strict=True))


def test_nlpctl_takes_the_same_targets(replicas: list[Replica]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nlpd.cli", "--target", _target(replicas), "health"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, "SERVING\n"), done.stderr
