"""Process isolation through the real server: a plugin run with --isolate that
segfaults, aborts, hangs past its deadline or outgrows its memory limit fails only
the calls it was serving (UNAVAILABLE naming the plugin and what happened), the
other plugins keep serving, and the plugin serves again after its restart.

A plugin hung in-process cannot be killed: the caller still gets DEADLINE_EXCEEDED
on time, the log names the stuck plugin, and a replacement worker keeps the other
plugins served."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from nlpd.v1 import config_pb2, nlpd_pb2
from texts import GERMAN


def _fault_dir() -> Path:
    directory = build_dir() / "test_plugins_fault"
    if not (directory / "libnlpd_test_fault.so").is_file():
        pytest.fail(f"test plugin missing: {directory}/libnlpd_test_fault.so (build the tests)")
    return directory


def _fault_plugin(client: nlpd.Client) -> nlpd_pb2.PluginInfo:
    return next(p for p in client.plugins() if p.name == "test_fault")


def _wait_ready(client: nlpd.Client, restarts: int, timeout: float = 20) -> nlpd_pb2.PluginInfo:
    """Wait until test_fault was restarted `restarts` times and serves again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = _fault_plugin(client)
        if info.restarts >= restarts and info.state == nlpd_pb2.PluginInfo.READY:
            return info
        time.sleep(0.05)
    pytest.fail(f"test_fault not restarted {restarts} times within {timeout} s: {info}")


def _entities_still_serve(client: nlpd.Client) -> None:
    assert client.analyze(GERMAN, ["entities"], timeout=30).entities.entities


@pytest.fixture(scope="module")
def isolated() -> Iterator[tuple[Server, nlpd.Client]]:
    srv = start_server(
        "--isolate=test_fault",
        "--plugin_memory_limit_mb=150",
        "--deadline_grace_seconds=0.5",
        plugin_dirs=[build_dir() / "plugins", _fault_dir()],
    )
    with nlpd.Client(srv.address, timeout=30) as client:
        client.wait_ready(timeout=10)
        yield srv, client
    stop_server(srv)


def test_an_isolated_plugin_runs_in_its_own_process(
    isolated: tuple[Server, nlpd.Client],
) -> None:
    _, client = isolated
    info = _fault_plugin(client)
    assert info.isolation == config_pb2.PROCESS
    assert info.state == nlpd_pb2.PluginInfo.READY
    entities = next(p for p in client.plugins() if p.name == "entities")
    assert entities.isolation == config_pb2.IN_PROCESS
    response = client.analyze("Guten Morgen, Berlin.", ["test_fault", "entities"])
    assert [e.label for e in response.entities.entities] != []


@pytest.mark.parametrize(
    ("fault", "what"),
    [
        ("FAULT_SEGFAULT", "killed by signal 11 (Segmentation fault)"),
        ("FAULT_ABORT", "killed by signal 6 (Aborted)"),
    ],
)
def test_a_crash_fails_only_its_call_and_the_plugin_comes_back(
    isolated: tuple[Server, nlpd.Client], fault: str, what: str
) -> None:
    srv, client = isolated
    restarts = _fault_plugin(client).restarts
    with pytest.raises(nlpd.UnavailableError) as lost:
        client.analyze(f"{fault} in diesem Text.", ["test_fault"])
    message = lost.value.message
    assert "plugin 'test_fault' (isolated, pid " in message
    assert what in message and "being restarted" in message
    _entities_still_serve(client)
    info = _wait_ready(client, restarts + 1)
    assert what in info.last_failure
    assert client.analyze("Wieder da.", ["test_fault"]).entities.entities
    assert f"plugin 'test_fault' (isolated, pid" in srv.stderr()
    assert "(isolated) restarted, pid" in srv.stderr()


def test_a_hang_past_the_deadline_kills_only_the_plugin_process(
    isolated: tuple[Server, nlpd.Client],
) -> None:
    srv, client = isolated
    restarts = _fault_plugin(client).restarts
    start = time.monotonic()
    with pytest.raises(nlpd.DeadlineExceededError):
        client.analyze("FAULT_HANG bitte.", ["test_fault"], timeout=1)
    assert time.monotonic() - start < 1.5  # on time, not after the plugin's 60 s
    info = _wait_ready(client, restarts + 1)
    assert "after its deadline" in info.last_failure
    _entities_still_serve(client)
    assert "still running" in srv.stderr()


def test_a_leak_over_the_memory_limit_restarts_the_plugin(
    isolated: tuple[Server, nlpd.Client],
) -> None:
    _, client = isolated
    restarts = _fault_plugin(client).restarts
    failures = []
    for _ in range(40):  # 10 MB per call against a 150 MiB limit
        try:
            client.analyze("FAULT_LEAK hier.", ["test_fault"])
        except nlpd.UnavailableError as exc:
            failures.append(exc.message)
            break
    assert failures, "the leaking plugin was never stopped"
    assert "over the limit of 150 MiB" in failures[0]
    info = _wait_ready(client, restarts + 1)
    assert "--plugin_memory_limit_mb" in info.last_failure
    assert client.analyze("Wieder da.", ["test_fault"]).entities.entities


def test_calls_in_flight_on_other_plugins_survive_a_crash(
    isolated: tuple[Server, nlpd.Client],
) -> None:
    _, client = isolated
    errors: list[str] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            try:
                _entities_still_serve(client)
            except nlpd.Error as exc:
                errors.append(exc.message)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        restarts = _fault_plugin(client).restarts
        for _ in range(3):
            with pytest.raises(nlpd.UnavailableError):
                client.analyze("FAULT_SEGFAULT.", ["test_fault"])
            restarts = _wait_ready(client, restarts + 1).restarts
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []


def test_a_hang_in_process_is_reported_and_does_not_starve_other_plugins() -> None:
    srv = start_server(
        "--workers=2",
        "--deadline_grace_seconds=0.5",
        "--shutdown_grace_seconds=1",
        plugin_dirs=[build_dir() / "plugins", _fault_dir()],
    )
    try:
        with nlpd.Client(srv.address) as client:
            client.wait_ready(timeout=10)
            codes: list[str] = []

            def hang() -> None:
                try:
                    client.analyze("FAULT_HANG bitte.", ["test_fault"], timeout=1)
                except nlpd.Error as exc:
                    codes.append(exc.code.name)

            threads = [threading.Thread(target=hang) for _ in range(2)]
            start = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=10)
            assert codes == ["DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED"]
            assert time.monotonic() - start < 2
            # Both workers hang in the plugin for a minute; replacements serve.
            assert client.analyze(GERMAN, ["entities"], timeout=10).entities.entities
            log = srv.stderr()
            assert log.count("a worker is stuck in plugin 'test_fault'") == 2
            assert "--isolate=test_fault" in log
        start = time.monotonic()
        code = srv.stop()
        assert code == 0
        assert time.monotonic() - start < 15  # not the plugin's 60 s
        assert "2 worker(s) were stuck in a plugin" in srv.stderr()
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
