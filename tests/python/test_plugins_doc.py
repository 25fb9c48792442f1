"""docs/PLUGINS.md, followed as a newcomer would: its tutorials run for real.

The tutorial's blocks are read in order:

* a fenced block whose info string has ``file=PATH`` (```` ```cpp file=acronyms/x.cc ````)
  is written to PATH in the work directory;
* a ``console`` block's ``$ command`` lines run with bash in the work directory (``cd DIR``
  changes it for the commands that follow, as in a shell), and the
  lines after each command are its expected output: each must match a line of the real
  output, in order (``...`` within a line matches anything; a line that is only ``...``
  skips any number of lines);
* ``console norun`` blocks (installing nlpd) are not run: the test provides the same
  set-up (nlpd installed into ``$HOME/nlpd`` from the build, the project's virtual
  environment on ``$PATH``);
* a ``console server`` block starts its one command in the background and waits for
  the server's ready line; the server is stopped at the end. The document's addresses
  (127.0.0.1:50051, ...) are replaced by free ports, so that a server already running
  on the default port does not get in the way.

``NLPD_DOC_RECORD=1`` prints every command's real output, for updating the document.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, build_dir
from doc_examples import check_console_output, console_commands, fenced_blocks

DOC = REPO / "docs" / "PLUGINS.md"
FENCE = re.compile(r"^```(\S*)(.*)$")
COMMAND_TIMEOUT_S = 600
ADDRESS = re.compile(r"127\.0\.0\.1:\d+")


def free_address(address: str, ports: dict[str, str]) -> str:
    """The free address standing in for the document's `address` (the same each time)."""
    if address not in ports:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports[address] = f"127.0.0.1:{probe.getsockname()[1]}"
    return ports[address]


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A home with nlpd installed in $HOME/nlpd, as the tutorial's set-up does."""
    home = tmp_path_factory.mktemp("home")
    prefix = home / "nlpd"
    subprocess.run(
        ["cmake", "--install", str(build_dir()), "--prefix", str(prefix)],
        check=True,
        capture_output=True,
    )
    venv_bin = Path(sys.executable).parent
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        PATH=f"{prefix / 'bin'}:{venv_bin}:{env['PATH']}",
        VIRTUAL_ENV=str(venv_bin.parent),
        NLPD_PLUGIN_TEST=str(prefix / "bin" / "nlpd-plugin-test"),
    )
    return env


def test_the_tutorials_run_as_written(environment: dict[str, str]) -> None:
    if shutil.which("cmake") is None:
        pytest.fail("cmake is missing (scripts/install-deps installs it)")
    work = Path(environment["HOME"]) / "work"
    work.mkdir()
    cwd = work
    record = os.environ.get("NLPD_DOC_RECORD") == "1"
    servers: list[subprocess.Popen[str]] = []
    ports: dict[str, str] = {}
    ran = 0
    try:
        for block in fenced_blocks(DOC.read_text(encoding="utf-8")):
            file_match = re.search(r"file=(\S+)", block.info)
            if file_match:
                path = work / file_match.group(1)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(block.text, encoding="utf-8")
                continue
            if block.language != "console" or "norun" in block.info:
                continue
            for command, expected in console_commands(block):
                ran += 1
                command = ADDRESS.sub(lambda m: free_address(m.group(0), ports), command)
                if command.startswith("cd "):
                    cwd = (cwd / command[3:].strip()).resolve()
                    continue
                if "server" in block.info:
                    servers.append(start_background(command, cwd, environment))
                    continue
                done = subprocess.run(
                    ["bash", "-c", command],
                    cwd=cwd,
                    env=environment,
                    capture_output=True,
                    text=True,
                    timeout=COMMAND_TIMEOUT_S,
                    check=False,
                )
                output = done.stdout + done.stderr
                if record:
                    print(f"\n$ {command}\n{output}", file=sys.stderr)
                if done.returncode != 0 and "|| true" not in command:
                    pytest.fail(f"$ {command}\nexited {done.returncode}:\n{output}")
                check_console_output(command, expected, output)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    assert ran >= 10, f"only {ran} commands found in {DOC}: are the blocks marked console?"


def start_background(command: str, work: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    server = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if line.startswith("nlpd listening on"):
            return server
        if not line and server.poll() is not None:
            break
    server.kill()
    pytest.fail(f"$ {command}\ndid not print its ready line")
