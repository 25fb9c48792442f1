"""Overload and SIGTERM through the real server binary, with the test_echo plugin of
<build>/test_plugins (the text "SLOW_PLUGIN" makes it take 0.5 s).

tests/cpp/server/server_test.cc checks the same two behaviours on the Server class in
the test process (4 callers against a queue of 1; Server::Shutdown with one call in
flight). These tests add what only the binary shows: many callers at once with the
server's memory watched, and the SIGTERM handler with a full house of calls, ending
in exit code 0.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest

import nlpd
from conftest import STOP_TIMEOUT_S, Server, build_dir, start_server, stop_server

CALL_TIMEOUT_S = 30.0
ECHO = "test_echo"
SLOW_TEXT = "Eine SLOW_PLUGIN Meldung aus Bonn."
Code = grpc.StatusCode


def _rss_kib(pid: int) -> int:
    status = open(f"/proc/{pid}/status", encoding="ascii").read()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert match, status
    return int(match.group(1))


def _run_callers(count: int, call: Callable[[int], Code], join_timeout: float) -> list[Code]:
    """Runs `call(i)` for i < count on as many threads, all at once; returns the codes
    in order and fails if any thread is still running after `join_timeout`."""
    codes: list[Code | None] = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        start.wait(timeout=join_timeout)
        codes[index] = call(index)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + join_timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    hanging = [i for i, thread in enumerate(threads) if thread.is_alive()]
    assert not hanging, f"calls {hanging} still running after {join_timeout} s"
    return [code for code in codes if code is not None]


def _echo_call(client: nlpd.Client, text: str) -> Code:
    try:
        response = client.analyze(text, [ECHO], timeout=CALL_TIMEOUT_S)
    except nlpd.Error as error:
        if error.code == Code.RESOURCE_EXHAUSTED:
            assert "server busy" in error.message, error.message
        return error.code
    assert [e.label for e in client.custom_result(response, ECHO).entities] == ["TEST"]
    return Code.OK


def _echo_plugin_dir() -> list[Path]:
    return [build_dir() / "test_plugins"]


def test_overload_answers_ok_or_resource_exhausted_and_memory_stays_bounded() -> None:
    srv = start_server("--workers=1", "--queue_size=2", plugin_dirs=_echo_plugin_dir())
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            client.wait_ready(timeout=10)
            assert _echo_call(client, "Warm up.") == Code.OK
            rss_before = _rss_kib(srv.proc.pid)
            totals: Counter[Code] = Counter()
            for _ in range(3):  # rounds, so that growth per round would show
                codes = _run_callers(48, lambda _: _echo_call(client, SLOW_TEXT), 40)
                totals.update(codes)
                assert len(codes) == 48
                assert set(codes) <= {Code.OK, Code.RESOURCE_EXHAUSTED}, Counter(codes)
                assert Code.OK in codes and Code.RESOURCE_EXHAUSTED in codes, Counter(codes)
                # One runs and two wait: the rest of a simultaneous burst is refused.
                assert codes.count(Code.OK) <= 12, Counter(codes)
            rss_after = _rss_kib(srv.proc.pid)
            # After the bursts the server answers at once again.
            assert _echo_call(client, "Wieder ruhig.") == Code.OK
        assert srv.proc.poll() is None
        # Generous: 144 refused or served calls must not cost 64 MiB.
        assert rss_after - rss_before < 64 * 1024, (rss_before, rss_after, totals)
    finally:
        stop_server(srv)


def _wait_for_log_count(server: Server, needle: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.stderr().count(needle) >= count:
            return
        time.sleep(0.02)
    found = server.stderr().count(needle)
    pytest.fail(f"{found} of {count} {needle!r} in the log within {timeout} s")


def _cleanup(server: Server) -> str:
    """Stops the server if it still runs (a failed test); returns its log."""
    stderr = server.stderr()
    if server.proc.poll() is None:
        stop_server(server)
    else:
        server.stderr_path.unlink(missing_ok=True)
    return stderr


def test_sigterm_under_load_answers_every_accepted_call_and_exits_0() -> None:
    """16 slow calls, all running in the plugin (test_echo logs "analyzing" as each
    starts), then SIGTERM: every one is answered OK and the server exits 0."""
    calls = 16
    srv = start_server(f"--workers={calls}", "--queue_size=16", plugin_dirs=_echo_plugin_dir())
    results: list[Code] = []
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            client.wait_ready(timeout=10)
            before = srv.stderr().count("analyzing")
            caller = threading.Thread(
                target=lambda: results.extend(
                    _run_callers(calls, lambda _: _echo_call(client, SLOW_TEXT), 40)
                ),
                daemon=True,
            )
            caller.start()
            # Every call reached the plugin (each takes 0.5 s, so none has ended).
            _wait_for_log_count(srv, "analyzing", before + calls, timeout=10)
            srv.proc.send_signal(signal.SIGTERM)
            caller.join(timeout=40)
            assert not caller.is_alive(), "calls still running 40 s after SIGTERM"
            code = srv.proc.wait(timeout=STOP_TIMEOUT_S)
    finally:
        stderr = _cleanup(srv)
    assert results == [Code.OK] * calls, Counter(results)
    assert code == 0, f"exit code {code}; stderr:\n{stderr[-3000:]}"
    assert not srv.extra_stdout, srv.extra_stdout


def test_sigterm_with_queued_calls_answers_them_all_and_exits_0() -> None:
    """2 workers, 16 slow calls: 2 run, 14 wait in the queue when SIGTERM comes. The
    queued calls were accepted too, so they must be served, not dropped: 4 s of work,
    well inside the default 30 s grace."""
    calls = 16
    srv = start_server("--workers=2", "--queue_size=32", plugin_dirs=_echo_plugin_dir())
    results: list[Code] = []
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            client.wait_ready(timeout=10)
            before = srv.stderr().count("analyzing")
            caller = threading.Thread(
                target=lambda: results.extend(
                    _run_callers(calls, lambda _: _echo_call(client, SLOW_TEXT), 40)
                ),
                daemon=True,
            )
            caller.start()
            _wait_for_log_count(srv, "analyzing", before + 2, timeout=10)
            # The other 14 left the client together with the first two; give them
            # time to be read off the loopback and queued (a call still on its way
            # when the signal comes may be refused; the first round ends at 0.5 s).
            time.sleep(0.3)
            srv.proc.send_signal(signal.SIGTERM)
            caller.join(timeout=40)
            assert not caller.is_alive(), "calls still running 40 s after SIGTERM"
            code = srv.proc.wait(timeout=STOP_TIMEOUT_S)
    finally:
        stderr = _cleanup(srv)
    assert results == [Code.OK] * calls, Counter(results)
    assert code == 0, f"exit code {code}; stderr:\n{stderr[-3000:]}"
