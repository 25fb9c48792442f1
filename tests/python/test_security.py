"""TLS, mutual TLS and bearer tokens through the real server binary, and plugin files
that other users could change. Certificates are made for each run with the openssl
command (a throw-away CA, a server certificate for localhost and 127.0.0.1, a client
certificate it signed, and a self-signed one it did not)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from texts import GERMAN

READER = "reader-token-3f9a1c"
ADMIN = "admin-token-77b2e0"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _key_and_request(name: str, subject: str, cwd: Path) -> None:
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, cwd=cwd,
    )  # fmt: skip


def _sign(name: str, extensions: str, cwd: Path) -> None:
    (cwd / f"{name}.ext").write_text(extensions)
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext",
        cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make test certificates")
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=nlpd test CA", cwd=d,
    )  # fmt: skip
    _key_and_request("server", "/CN=localhost", d)
    _sign("server", "subjectAltName=DNS:localhost,IP:127.0.0.1\n", d)
    _key_and_request("client", "/CN=nlpd test client", d)
    _sign("client", "extendedKeyUsage=clientAuth\n", d)
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "rogue.key", "-out", "rogue.pem", "-days", "2",
        "-subj", "/CN=rogue", cwd=d,
    )  # fmt: skip
    (d / "tokens").write_text(f"# readers and admins\n{READER}\n\n{ADMIN} admin\n")
    return d


@pytest.fixture(scope="module")
def tls_server(pki: Path) -> Iterator[Server]:
    srv = start_server(
        f"--tls_cert={pki / 'server.pem'}",
        f"--tls_key={pki / 'server.key'}",
        f"--auth_tokens={pki / 'tokens'}",
    )
    yield srv
    stop_server(srv)


def _client(srv: Server, pki: Path, **kwargs: object) -> nlpd.Client:
    return nlpd.Client(srv.address, timeout=10, tls_ca=pki / "ca.pem", **kwargs)  # type: ignore[arg-type]


def test_a_listed_token_is_served_over_tls(tls_server: Server, pki: Path) -> None:
    with _client(tls_server, pki, token=READER) as client:
        assert client.analyze(GERMAN, ["entities"]).entities.entities
        assert [p.name for p in client.plugins()]
        streamed = list(client.analyze_stream(["Erste Meldung.", "Zweite Meldung."]))
        assert [r.WhichOneof("outcome") for r in streamed] == ["response", "response"]


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_a_missing_or_wrong_token_is_unauthenticated(
    tls_server: Server, pki: Path, token: str | None
) -> None:
    with _client(tls_server, pki, token=token) as client:
        with pytest.raises(nlpd.UnauthenticatedError):
            client.analyze(GERMAN, ["entities"])
        with pytest.raises(nlpd.UnauthenticatedError):
            client.plugins()
        with pytest.raises(nlpd.UnauthenticatedError):
            list(client.analyze_stream(["Eine Meldung."]))
        # Health checks need no token (load balancers probe them).
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        health = health_pb2_grpc.HealthStub(client.channel)
        assert health.Check(health_pb2.HealthCheckRequest(), timeout=10).status == 1


def test_a_reader_token_may_not_administer(tls_server: Server, pki: Path) -> None:
    with _client(tls_server, pki, token=READER) as client:
        with pytest.raises(nlpd.PermissionDeniedError) as denied:
            client.reload_plugins()
        assert "admin" in denied.value.message
    with _client(tls_server, pki, token=ADMIN) as client:
        assert list(client.reload_plugins().changes) == []
        assert client.analyze(GERMAN, ["entities"]).entities.entities


def test_a_plaintext_caller_is_refused(tls_server: Server) -> None:
    with nlpd.Client(tls_server.address, timeout=5, token=READER) as client:
        with pytest.raises(nlpd.UnavailableError):
            client.analyze(GERMAN, ["entities"])


def test_nlpctl_takes_the_token_and_the_ca(tls_server: Server, pki: Path, tmp_path: Path) -> None:
    from test_nlpctl import run

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(GERMAN, encoding="utf-8")
    ok = run(tls_server, "--tls-ca", str(pki / "ca.pem"), "--token", READER, "plugins")
    assert ok.returncode == 0, ok.stderr
    assert "entities" in ok.stdout
    refused = run(tls_server, "--tls-ca", str(pki / "ca.pem"), "plugins")
    assert refused.returncode == 4  # nlpctl's exit status for a refused token
    assert refused.stderr.startswith("nlpctl: error: UNAUTHENTICATED: ")
    # The same status for a bulk analysis, whose streams the server refuses.
    refused = run(tls_server, "--tls-ca", str(pki / "ca.pem"), "analyze", str(tmp_path))
    assert refused.returncode == 4, refused.stderr
    assert refused.stderr.startswith("nlpctl: error: UNAUTHENTICATED: ")
    # A reader's token may analyze but not administer: PERMISSION_DENIED, 4 too.
    denied = run(tls_server, "--tls-ca", str(pki / "ca.pem"), "--token", READER, "reload")
    assert denied.returncode == 4, denied.stderr
    assert denied.stderr.startswith("nlpctl: error: PERMISSION_DENIED: ")


@pytest.fixture(scope="module")
def mtls_server(pki: Path) -> Iterator[Server]:
    srv = start_server(
        f"--tls_cert={pki / 'server.pem'}",
        f"--tls_key={pki / 'server.key'}",
        f"--tls_client_ca={pki / 'ca.pem'}",
    )
    yield srv
    stop_server(srv)


def test_mutual_tls_serves_a_client_certificate_of_the_ca(mtls_server: Server, pki: Path) -> None:
    with _client(
        mtls_server, pki, tls_cert=pki / "client.pem", tls_key=pki / "client.key"
    ) as client:
        assert client.analyze(GERMAN, ["entities"]).entities.entities


@pytest.mark.parametrize("cert", [None, "rogue"])
def test_mutual_tls_refuses_a_client_without_a_certificate_of_the_ca(
    mtls_server: Server, pki: Path, cert: str | None
) -> None:
    kwargs = (
        {} if cert is None else {"tls_cert": pki / f"{cert}.pem", "tls_key": pki / f"{cert}.key"}
    )
    with _client(mtls_server, pki, **kwargs) as client:
        with pytest.raises(nlpd.UnavailableError):
            client.analyze(GERMAN, ["entities"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--tls_cert=/nonexistent.pem"], "--tls_cert and --tls_key go together"),
        (["--tls_client_ca=/x.pem"], "--tls_client_ca needs --tls_cert and --tls_key"),
        (["--auth_tokens=/nonexistent/tokens"], "auth_tokens /nonexistent/tokens: cannot read"),
    ],
)
def test_incomplete_security_settings_stop_the_server(flags: list[str], message: str) -> None:
    result = subprocess.run(
        [str(build_dir() / "bin" / "nlpd"), "--listen=127.0.0.1:0", *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert message in result.stderr


def test_a_plugin_others_can_write_is_refused_unless_allowed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    for name in ("entities", "keywords"):
        shutil.copy2(build_dir() / "plugins" / f"libnlpd_{name}.so", shared)
    shared.chmod(0o777)  # any user could swap the code the server runs
    srv = start_server(plugin_dirs=[shared])
    try:
        with nlpd.Client(srv.address, timeout=10) as client:
            listing = client.list_plugins()
            assert list(listing.plugins) == []
            assert len(listing.load_errors) == 2
            assert all("writable by every user" in e.message for e in listing.load_errors)
            assert all("--allow_insecure_plugins" in e.message for e in listing.load_errors)
    finally:
        stop_server(srv)
    srv = start_server("--allow_insecure_plugins", plugin_dirs=[shared])
    try:
        with nlpd.Client(srv.address, timeout=10) as client:
            assert sorted(p.name for p in client.plugins()) == ["entities", "keywords"]
        assert "loading it although" in srv.stderr()
    finally:
        stop_server(srv)


def test_a_rpc_error_never_escapes_the_client(tls_server: Server, pki: Path) -> None:
    with _client(tls_server, pki, token="nope") as client:
        try:
            client.analyze(GERMAN)
        except grpc.RpcError:  # pragma: no cover - the assertion is that this is not hit
            pytest.fail("grpc.RpcError escaped nlpd.Client")
        except nlpd.Error as exc:
            assert exc.code == grpc.StatusCode.UNAUTHENTICATED
