"""The clients in other languages against the real server binary: the Go client
(clients/go, `go run ./cmd/analyze`), the Node.js client (clients/node, `node analyze.js`),
and docs/CLIENTS.md, whose commands (grpcurl with reflection alone, Go, Node.js) run
for real; then the API's buf configuration: `buf lint`, and the committed Go code is
what `buf generate` makes of the current .proto files.

scripts/install-deps provides what these need: grpcurl, buf, protoc-gen-go and
protoc-gen-go-grpc in .venv/bin, the Go client's modules, clients/node/node_modules.
A test skips only when Go or Node.js is not on the machine; on a machine that has them,
a missing piece fails with the command that installs it.

docs/CLIENTS.md is read as docs/PLUGINS.md is (test_plugins_doc.py): a ``console``
block's ``$ command`` lines run with bash from the repository root (``cd DIR`` changes
the directory for the commands that follow) with .venv/bin and Go on ``PATH``, and the
lines after each command must each match a line of its output (stdout and stderr), in
order; ``...`` within a line matches anything, a line that is only ``...`` skips lines.
``console norun`` blocks are not run. 127.0.0.1:50051 stands for the test's server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, Server, start_server, stop_server
from doc_examples import check_console_output, console_commands, fenced_blocks, section

TEXT = "Angela Merkel besuchte Paris."
DOC = REPO / "docs" / "CLIENTS.md"
DOC_ADDRESS = "127.0.0.1:50051"
GO_CLIENT = REPO / "clients" / "go"
NODE_CLIENT = REPO / "clients" / "node"
TIMEOUT_S = 300
TOKEN = "polyglot-token-5e1d"
INSTALL = "run scripts/install-deps"


def _venv_tool(name: str) -> str | None:
    """.venv/bin/NAME (the one running the tests, or the repository's), or NAME on PATH."""
    for candidate in (Path(sys.executable).parent / name, REPO / ".venv" / "bin" / name):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def _go() -> str | None:
    # scripts/install-deps looks in the same places.
    found = shutil.which("go")
    if found is None and os.access("/usr/local/go/bin/go", os.X_OK):
        found = "/usr/local/go/bin/go"
    return found


@pytest.fixture(scope="session")
def go() -> str:
    found = _go()
    if found is None:
        pytest.skip("Go is not installed (neither go on PATH nor /usr/local/go/bin/go)")
    return found


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("Node.js is not installed (no node on PATH)")
    if not (NODE_CLIENT / "node_modules" / "@grpc" / "grpc-js").is_dir():
        pytest.fail(f"{NODE_CLIENT}/node_modules is missing: {INSTALL} (npm ci)", pytrace=False)
    return found


@pytest.fixture(scope="session")
def go_analyze(go: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Go client, built once (`go run` itself is tested through docs/CLIENTS.md)."""
    binary = tmp_path_factory.mktemp("go") / "analyze"
    done = subprocess.run(
        [go, "build", "-o", str(binary), "./cmd/analyze"],
        cwd=GO_CLIENT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, f"go build ./cmd/analyze failed:\n{done.stderr}"
    return str(binary)


@pytest.fixture(params=["go", "node"])
def analyze(request: pytest.FixtureRequest) -> list[str]:
    """The command line of one client, up to its options: both take the same ones
    (Go's single-dash flags also accept two dashes)."""
    if request.param == "go":
        return [request.getfixturevalue("go_analyze")]
    return [request.getfixturevalue("node"), str(NODE_CLIENT / "analyze.js")]


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)  # type: ignore[call-overload]


def entity_lines(stdout: str) -> list[tuple[str, str]]:
    lines = stdout.splitlines()
    for line in lines:
        assert line.count("\t") == 1, f"not LABEL<TAB>text: {line!r} in {stdout!r}"
    return [tuple(line.split("\t")) for line in lines]  # type: ignore[misc]


def assert_merkel_in_paris(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, f"exit {done.returncode}; stderr:\n{done.stderr}"
    entities = entity_lines(done.stdout)
    assert ("PER", "Angela Merkel") in entities, done.stdout
    assert ("LOC", "Paris") in entities, done.stdout
    assert {label for label, _ in entities} <= {"PER", "LOC", "ORG", "MISC"}, done.stdout


def test_prints_the_entities(analyze: list[str], server: Server) -> None:
    assert_merkel_in_paris(run([*analyze, "--target", server.address, TEXT]))


def test_language_option(analyze: list[str], server: Server) -> None:
    assert_merkel_in_paris(run([*analyze, "--target", server.address, "--language", "de", TEXT]))
    english = run(
        [*analyze, "--target", server.address, "--language=en", "Barack Obama visited London."]
    )
    assert english.returncode == 0, english.stderr
    assert ("PER", "Barack Obama") in entity_lines(english.stdout)


def test_text_from_stdin(analyze: list[str], server: Server) -> None:
    assert_merkel_in_paris(run([*analyze, "--target", server.address, "-"], input=TEXT))


def test_no_entities_prints_nothing(analyze: list[str], server: Server) -> None:
    done = run([*analyze, "--target", server.address, "--language", "de", "Es regnet."])
    assert (done.returncode, done.stdout) == (0, ""), done.stderr


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        ([""], "INVALID_ARGUMENT", "text is empty"),
        (["--language", "x!", TEXT], "INVALID_ARGUMENT", "not a BCP-47 tag"),
    ],
)
def test_a_server_error_exits_1_with_the_status(
    analyze: list[str], server: Server, args: list[str], status: str, message: str
) -> None:
    done = run([*analyze, "--target", server.address, *args])
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert f"analyze: {status}: " in done.stderr and message in done.stderr, done.stderr


def test_an_unreachable_server_exits_1_unavailable(analyze: list[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
        done = run([*analyze, "--target", address, "--timeout", "10", TEXT])
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "analyze: UNAVAILABLE: " in done.stderr, done.stderr


@pytest.mark.parametrize("args", [[], ["one", "two"], ["--no-such-option", TEXT]])
def test_a_usage_error_exits_2(analyze: list[str], args: list[str]) -> None:
    done = run([*analyze, *args])
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "usage:" in done.stderr, done.stderr


# TLS, mutual TLS and a bearer token: one server that asks for all three.


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away CA, a server certificate for 127.0.0.1 and a client certificate."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make test certificates")
    d = tmp_path_factory.mktemp("pki")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=nlpd test CA", cwd=d)  # fmt: skip
    for name, subject, extensions in (
        ("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
        ("client", "/CN=nlpd test client", "extendedKeyUsage=clientAuth\n"),
    ):
        _openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject,
                 cwd=d)  # fmt: skip
        (d / f"{name}.ext").write_text(extensions)
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile",
                 f"{name}.ext", cwd=d)  # fmt: skip
    (d / "tokens").write_text(f"{TOKEN}\n")
    return d


@pytest.fixture(scope="module")
def secure_server(pki: Path) -> Iterator[Server]:
    srv = start_server(
        f"--tls_cert={pki / 'server.pem'}",
        f"--tls_key={pki / 'server.key'}",
        f"--tls_client_ca={pki / 'ca.pem'}",
        f"--auth_tokens={pki / 'tokens'}",
    )
    yield srv
    stop_server(srv)


def tls_args(pki: Path, *, client_certificate: bool = True) -> list[str]:
    args = ["--tls-ca", str(pki / "ca.pem")]
    if client_certificate:
        args += ["--tls-cert", str(pki / "client.pem"), "--tls-key", str(pki / "client.key")]
    return args


def test_tls_client_certificate_and_token(
    analyze: list[str], secure_server: Server, pki: Path
) -> None:
    command = [*analyze, "--target", secure_server.address, *tls_args(pki)]
    assert_merkel_in_paris(run([*command, "--token", TOKEN, TEXT]))
    # The token from $NLPD_TOKEN, as nlpctl takes it.
    assert_merkel_in_paris(run([*command, TEXT], env={**os.environ, "NLPD_TOKEN": TOKEN}))


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_missing_or_wrong_token_exits_1_unauthenticated(
    analyze: list[str], secure_server: Server, pki: Path, token: str | None
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "NLPD_TOKEN"}
    token_args = [] if token is None else ["--token", token]
    command = [*analyze, "--target", secure_server.address, *tls_args(pki), *token_args, TEXT]
    done = run(command, env=env)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "analyze: UNAUTHENTICATED: " in done.stderr, done.stderr


@pytest.mark.parametrize("client_certificate", [False, True])
def test_a_plaintext_or_certificateless_call_fails(
    analyze: list[str], secure_server: Server, pki: Path, client_certificate: bool
) -> None:
    """Plain text to the TLS port, or TLS without the client certificate it asks for."""
    security = tls_args(pki, client_certificate=False) if client_certificate else []
    command = [*analyze, "--target", secure_server.address, *security, "--token", TOKEN, TEXT]
    done = run(command)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "analyze: UNAVAILABLE: " in done.stderr, done.stderr


# docs/CLIENTS.md


def doc_commands(title: str) -> list[tuple[str, list[str]]]:
    """The (command, expected lines) of the console blocks of section ``## title``."""
    text = section(DOC.read_text(encoding="utf-8"), f"## {title}")
    return [
        command
        for block in fenced_blocks(text)
        if block.info == "console"
        for command in console_commands(block)
    ]


def run_doc_section(title: str, tools: list[str], server: Server | None) -> str:
    """Runs the commands of the section; all of them, joined, for the caller to check."""
    commands = doc_commands(title)
    assert commands, f"docs/CLIENTS.md has no section '## {title}' with console blocks"
    path = [str(Path(tool).parent) for tool in tools]
    env = {**os.environ, "PATH": os.pathsep.join([*path, os.environ["PATH"]])}
    env.pop("NLPD_TOKEN", None)
    cwd = REPO
    for command, expected in commands:
        real = command if server is None else command.replace(DOC_ADDRESS, server.address)
        if real.startswith("cd "):
            cwd = (cwd / real[3:].strip()).resolve()
            continue
        done = subprocess.run(
            ["bash", "-c", real],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_S,
        )
        check_console_output(command, expected, done.stdout)
    return "\n".join(command for command, _ in commands)


def grpcurl_tool() -> str:
    found = _venv_tool("grpcurl")
    if found is None:
        if _go() is None:
            pytest.skip("grpcurl is not installed, and Go to build it is not either")
        pytest.fail(f"grpcurl not found (.venv/bin/grpcurl): {INSTALL}", pytrace=False)
    return found


def test_doc_grpcurl(server: Server) -> None:
    ran = run_doc_section("grpcurl", [grpcurl_tool()], server)
    for needed in (
        " list",
        "grpc.health.v1.Health/Check",
        "AnalysisService/Analyze",
        "ListPlugins",
    ):
        assert needed in ran, f"docs/CLIENTS.md runs no grpcurl ...{needed} command"


def test_doc_go(go: str, server: Server) -> None:
    assert "go run ./cmd/analyze -target" in run_doc_section("Go", [go], server)


def test_doc_node(node: str, server: Server) -> None:
    assert "node analyze.js --target" in run_doc_section("Node.js", [node], server)


def test_doc_buf(go: str) -> None:
    """`buf lint` passes, and clients/go/gen is what the current .proto files give."""
    _buf()
    ran = run_doc_section("The .proto files and buf", [go], None)
    assert "buf lint" in ran and "clients/go/generate --check" in ran


# The API's buf configuration


def _buf() -> str:
    buf = _venv_tool("buf")
    if buf is None:
        pytest.fail(f"buf not found (.venv/bin/buf): {INSTALL}", pytrace=False)
    return buf
