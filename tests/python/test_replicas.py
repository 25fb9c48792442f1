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
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

import nlpd
from conftest import Replica, running_replicas

CALLS = 600
TEXT = "Der Zug nach Kiel fährt heute von Gleis 4."


@pytest.fixture
def replicas() -> Iterator[list[Replica]]:
    with running_replicas(3) as started:
        yield started


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
