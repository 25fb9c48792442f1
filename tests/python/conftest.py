"""Fixtures that run the real nlpd server binary with the real plugins.

The build directory is $NLPD_BUILD_DIR, default <repo>/build; the server is
<build>/bin/nlpd and the plugins are in <build>/plugins. A missing binary fails the
server tests (it does not skip them).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest

import nlpd

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
READY_PREFIX = "nlpd listening on "

# Make `import texts` work however pytest is invoked.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def build_dir() -> Path:
    return Path(os.environ.get("NLPD_BUILD_DIR", REPO / "build")).resolve()


@dataclass
class Server:
    """A running nlpd process."""

    proc: subprocess.Popen[str]
    address: str
    stderr_path: Path
    extra_stdout: list[str] = field(default_factory=list)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM, wait, and return the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(
                    f"nlpd did not exit within {STOP_TIMEOUT_S} s of SIGTERM; "
                    f"stderr:\n{self.stderr()[-4000:]}"
                )
        return self.proc.returncode


def start_server(
    *extra_args: str, plugin_dirs: list[Path] | None = None, binary: Path | None = None
) -> Server:
    """Start <build>/bin/nlpd on a free port and wait for its ready line.

    ``plugin_dirs`` replaces the default plugin directory (<build>/plugins); ``[]``
    passes no --plugin_dir. ``binary`` replaces <build>/bin/nlpd.
    """
    build = build_dir()
    binary = binary if binary is not None else build / "bin" / "nlpd"
    dirs = plugin_dirs if plugin_dirs is not None else [build / "plugins"]
    if not binary.is_file():
        pytest.fail(
            f"nlpd server binary not found at {binary}. Build it first "
            f"(cmake -S {REPO} -B {build} -G Ninja && ninja -C {build}) or point "
            "NLPD_BUILD_DIR at a build directory.",
            pytrace=False,
        )
    stderr_file = tempfile.NamedTemporaryFile(prefix="nlpd-stderr-", suffix=".log", delete=False)
    cmd = [
        str(binary),
        "--listen=127.0.0.1:0",
        *(f"--plugin_dir={d}" for d in dirs),
        *extra_args,
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=stderr_file, text=True, encoding="utf-8"
    )
    stderr_file.close()
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, name="nlpd-stdout", daemon=True).start()
    server = Server(proc, "", Path(stderr_file.name))
    try:
        first = lines.get(timeout=READY_TIMEOUT_S)
    except queue.Empty:
        proc.kill()
        proc.wait()
        pytest.fail(
            f"{' '.join(cmd)}: no ready line within {READY_TIMEOUT_S} s; stderr:\n"
            f"{server.stderr()[-4000:]}",
            pytrace=False,
        )
    if first is None or not first.startswith(READY_PREFIX):
        proc.kill()
        code = proc.wait()
        pytest.fail(
            f"{' '.join(cmd)}: expected '{READY_PREFIX}HOST:PORT' on stdout, got {first!r} "
            f"(exit code {code}); stderr:\n{server.stderr()[-4000:]}",
            pytrace=False,
        )
    server.address = first[len(READY_PREFIX) :].strip()

    def collect_rest() -> None:
        while (line := lines.get()) is not None:
            server.extra_stdout.append(line)

    threading.Thread(target=collect_rest, name="nlpd-stdout-rest", daemon=True).start()
    return server


def stop_server(server: Server) -> None:
    """Stop a server; fail unless it exits 0 and printed nothing else on stdout."""
    code = server.stop()
    stderr = server.stderr()
    server.stderr_path.unlink(missing_ok=True)
    assert code == 0, f"nlpd exited with {code} after SIGTERM; stderr:\n{stderr[-4000:]}"
    assert not server.extra_stdout, f"nlpd printed more than its ready line: {server.extra_stdout}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """A server on a fixed port (so that it can come back on it), with metrics: one of
    several replicas (test_replicas.py, test_spark.py)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.metrics_port = free_port()
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

    def kill(self) -> None:
        """SIGKILL: the replica goes away without finishing its calls in flight."""
        assert self.server is not None
        self.server.proc.kill()
        self.server.proc.wait()
        self.server.stderr_path.unlink(missing_ok=True)
        self.server = None

    def metric(self, series: str) -> float:
        """The value of one series (name and labels as written, e.g.
        ``nlpd_calls_in_flight``) from this process's metrics; 0 when absent."""
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
        found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def served(self, method: str = "Analyze") -> int:
        """OK calls of ``method`` since this process started, from its metrics."""
        return int(self.metric(f'nlpd_requests_total{{method="{method}",code="OK"}}'))


@contextlib.contextmanager
def running_replicas(count: int) -> Iterator[list[Replica]]:
    """``count`` started replicas; the ones still running are stopped at the end."""
    started = [Replica() for _ in range(count)]
    try:
        for replica in started:
            replica.start()
        yield started
    finally:
        for replica in started:
            if replica.server is not None:
                replica.stop()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The shared nlpd server (default settings, built plugins)."""
    srv = start_server()
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[nlpd.Client]:
    with nlpd.Client(server.address, timeout=60) as c:
        c.wait_ready(timeout=10)
        yield c


@pytest.fixture(scope="session")
def channel(server: Server) -> Iterator[grpc.Channel]:
    """A raw channel to the shared server, for hand-built requests."""
    with grpc.insecure_channel(server.address) as ch:
        yield ch


PYTHON_EXAMPLES = REPO / "plugins" / "sdk" / "example_python"
PYTHON_TEST_PLUGINS = Path(__file__).resolve().parent / "data" / "python_plugins"


@pytest.fixture(scope="session")
def python_plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example Python plugins (plugins/sdk/example_python) with their generated
    result modules, and the test plugins of data/python_plugins, in one directory."""
    from grpc_tools import protoc

    directory = tmp_path_factory.mktemp("python_plugins")
    for pattern in ("*.py", "*.jsonl"):
        for source in (*PYTHON_EXAMPLES.glob(pattern), *PYTHON_TEST_PLUGINS.glob(pattern)):
            shutil.copy(source, directory)
    for include, proto in (
        (REPO / "plugins" / "sdk" / "example", "textstats/v1/textstats.proto"),
        (PYTHON_EXAMPLES, "spacy_entities/v1/spacy_entities.proto"),
    ):
        args = ["protoc", f"-I{include}", f"-I{REPO / 'proto'}", f"--python_out={directory}"]
        assert protoc.main([*args, proto]) == 0, f"protoc failed on {proto}"
    return directory
