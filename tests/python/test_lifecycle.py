"""Plugins change while the server runs: SIGHUP and the Admin service reload,
load and unload them under load without failing a call, and a plugin file that
clashes with another is refused by name while the rest serve."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from nlpd.v1 import admin_pb2
from texts import GERMAN

BUILT_IN = ("entities", "keywords", "sentiment", "stance")
LOAD_SECONDS = 1.5


def _copy_plugins(directory: Path, names: tuple[str, ...] = BUILT_IN) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(build_dir() / "plugins" / f"libnlpd_{name}.so", directory)
    return directory


def _replace_with_new_version(path: Path) -> None:
    """Give the plugin file new content (a trailing marker the loader ignores) and
    swap it in atomically, as `install` does: a library in use is never written."""
    fresh = path.with_name(path.name + ".new")
    shutil.copy2(path, fresh)
    with fresh.open("ab") as out:
        out.write(f"\nnlpd-test-version {time.time_ns()}\n".encode())
    fresh.replace(path)


def _wait_for_log(server: Server, needle: str, count: int = 1, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.stderr()
        if log.count(needle) >= count:
            return log
        time.sleep(0.05)
    pytest.fail(
        f"no {needle!r} (x{count}) in the log within {timeout} s:\n{server.stderr()[-3000:]}"
    )


class _Load:
    """Callers that analyze continuously and count every failure."""

    def __init__(self, client: nlpd.Client, analyses: list[str], threads: int = 4) -> None:
        self.client = client
        self.analyses = analyses
        self.ok = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run) for _ in range(threads)]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                response = self.client.analyze(GERMAN, self.analyses, timeout=30)
                assert response.entities.entities, "no entities"
                with self._lock:
                    self.ok += 1
            except (nlpd.Error, AssertionError) as exc:
                with self._lock:
                    self.failures.append(repr(exc))

    def __enter__(self) -> _Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Path:
    return _copy_plugins(tmp_path / "plugins")


@pytest.fixture
def live(plugin_dir: Path) -> Iterator[tuple[Server, nlpd.Client]]:
    srv = start_server("--workers=2", plugin_dirs=[plugin_dir])
    with nlpd.Client(srv.address, timeout=30) as client:
        client.wait_ready(timeout=10)
        yield srv, client
    stop_server(srv)


def _sha(client: nlpd.Client, name: str) -> str:
    return next(p.sha256 for p in client.plugins() if p.name == name)


def test_sighup_reloads_a_changed_plugin_under_load_without_failing_a_call(
    live: tuple[Server, nlpd.Client], plugin_dir: Path
) -> None:
    srv, client = live
    before = _sha(client, "entities")
    assert len(before) == 64
    with _Load(client, ["entities", "sentiment"]) as load:
        time.sleep(LOAD_SECONDS / 2)
        _replace_with_new_version(plugin_dir / "libnlpd_entities.so")
        srv.proc.send_signal(signal.SIGHUP)
        log = _wait_for_log(srv, "reloaded plugin 'entities'")
        time.sleep(LOAD_SECONDS / 2)
    assert load.failures == []
    assert load.ok > 10
    assert "received SIGHUP" in log
    after = _sha(client, "entities")
    assert after != before
    assert f"(sha256 {before[:12]})" in log and f"(sha256 {after[:12]}" in log
    # Unchanged plugins were left alone.
    assert "reloaded plugin 'sentiment'" not in log


def test_admin_reload_under_load_fails_no_call_and_reports_changes(
    live: tuple[Server, nlpd.Client], plugin_dir: Path
) -> None:
    srv, client = live
    with _Load(client, ["entities", "sentiment"]) as load:
        time.sleep(LOAD_SECONDS / 2)
        _replace_with_new_version(plugin_dir / "libnlpd_sentiment.so")
        (plugin_dir / "libnlpd_keywords.so").unlink()
        changes = client.reload_plugins()
        time.sleep(LOAD_SECONDS / 2)
    assert load.failures == []
    actions = {(c.name, c.action) for c in changes.changes}
    assert actions == {
        ("sentiment", admin_pb2.PluginChange.RELOADED),
        ("keywords", admin_pb2.PluginChange.UNLOADED),
    }
    reloaded = next(c for c in changes.changes if c.name == "sentiment")
    assert reloaded.old_sha256 != reloaded.new_sha256
    with pytest.raises(nlpd.NotFoundError):
        client.analyze(GERMAN, ["keywords"])
    # Nothing changed since: a second reload changes nothing.
    assert list(client.reload_plugins().changes) == []
    _wait_for_log(srv, "unloaded plugin 'keywords'")


def test_admin_unload_and_load(live: tuple[Server, nlpd.Client], plugin_dir: Path) -> None:
    _, client = live
    with pytest.raises(nlpd.FailedPreconditionError) as needed:
        client.unload_plugin("entities")
    assert "needed by" in needed.value.message and "sentiment" in needed.value.message
    with pytest.raises(nlpd.NotFoundError):
        client.unload_plugin("no_such_plugin")

    changes = client.unload_plugin("keywords")
    assert [(c.name, c.action) for c in changes.changes] == [
        ("keywords", admin_pb2.PluginChange.UNLOADED)
    ]
    with pytest.raises(nlpd.NotFoundError):
        client.analyze(GERMAN, ["keywords"])
    # An unloaded plugin stays unloaded across rescans...
    client.reload_plugins()
    assert "keywords" not in [p.name for p in client.plugins()]
    # ...until it is loaded again by path.
    path = str(plugin_dir / "libnlpd_keywords.so")
    changes = client.load_plugin(path)
    assert [(c.name, c.action) for c in changes.changes] == [
        ("keywords", admin_pb2.PluginChange.LOADED)
    ]
    assert client.analyze(GERMAN, ["keywords"]).custom_results["keywords"].value
    with pytest.raises(nlpd.AlreadyExistsError):
        client.load_plugin(path)
    with pytest.raises(nlpd.InvalidArgumentError) as outside:
        client.load_plugin(str(build_dir() / "plugins" / "libnlpd_keywords.so"))
    assert "not in a plugin directory" in outside.value.message


def test_a_second_copy_of_a_plugin_is_refused_by_name_and_the_rest_serve(
    tmp_path: Path,
) -> None:
    first = _copy_plugins(tmp_path / "a")
    second = _copy_plugins(tmp_path / "b", ("entities",))
    srv = start_server(plugin_dirs=[first, second])
    try:
        with nlpd.Client(srv.address, timeout=30) as client:
            client.wait_ready(timeout=10)
            listing = client.list_plugins()
            assert sorted(p.name for p in listing.plugins) == sorted(BUILT_IN)
            [error] = listing.load_errors
            assert error.path == str(second / "libnlpd_entities.so")
            assert str(first / "libnlpd_entities.so") in error.message
            assert "name 'entities' already loaded" in error.message
            assert client.analyze(GERMAN, ["entities"]).entities.entities
            # A rescan lists the refusal again but reports no change.
            assert list(client.reload_plugins().changes) == []
            assert list(client.list_plugins().load_errors) == [error]
        assert srv.stderr().count(error.message) == 1  # logged once
    finally:
        stop_server(srv)


def test_strict_plugins_makes_a_refused_plugin_fatal(tmp_path: Path) -> None:
    first = _copy_plugins(tmp_path / "a", ("entities",))
    second = _copy_plugins(tmp_path / "b", ("entities",))
    binary = build_dir() / "bin" / "nlpd"
    result = subprocess.run(
        [
            str(binary),
            "--listen=127.0.0.1:0",
            f"--plugin_dir={first}",
            f"--plugin_dir={second}",
            "--strict_plugins",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "--strict_plugins" in result.stderr
    assert f"{second / 'libnlpd_entities.so'}: name 'entities' already loaded from " in (
        result.stderr
    )


def test_health_and_reflection_still_answer_after_reload(
    live: tuple[Server, nlpd.Client],
) -> None:
    _, client = live
    client.reload_plugins()
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    health = health_pb2_grpc.HealthStub(client.channel)
    status = health.Check(health_pb2.HealthCheckRequest(), timeout=10).status
    assert status == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError):  # the plugin host's service is not served here
        client.channel.unary_unary("/nlpd.v1.PluginHost/Start")(b"", timeout=10)


def test_nlpctl_reload_unload_load(live: tuple[Server, nlpd.Client], plugin_dir: Path) -> None:
    from test_nlpctl import run

    srv, _ = live
    assert run(srv, "reload").stdout == "no changes\n"
    unloaded = run(srv, "unload", "keywords")
    assert unloaded.returncode == 0, unloaded.stderr
    assert unloaded.stdout.startswith("unloaded keywords ")
    loaded = run(srv, "load", str(plugin_dir / "libnlpd_keywords.so"))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("loaded keywords 1.0.0 ")
    listing = run(srv, "plugins")
    assert "RUNS" in listing.stdout.splitlines()[0]
    assert "in-process" in listing.stdout
    again = run(srv, "load", str(plugin_dir / "libnlpd_keywords.so"))
    assert again.returncode == 1
    assert "ALREADY_EXISTS" in again.stderr
