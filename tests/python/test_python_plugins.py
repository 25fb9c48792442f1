"""Python plugins served by the real server (--python_plugin): listed, decoded and
supervised like any isolated plugin, so a client cannot tell them from C++ ones.

The plugins are the examples of plugins/sdk/example_python (textstats, spaCy entities)
and data/python_plugins/breaches.py; the server runs each with this interpreter.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from nlpd.v1 import config_pb2, document_pb2, nlpd_pb2, results_pb2

CALL_TIMEOUT_S = 30.0
GERMAN = "Die Bundesregierung in Berlin beschließt neue Sanktionen. Moskau protestiert."
ENGLISH = "The European Central Bank met officials in New York on Monday."


def start_with(directory: Path, *files: str, extra: tuple[str, ...] = ()) -> Server:
    return start_server(
        *(f"--python_plugin={directory / name}" for name in files),
        f"--python={sys.executable}",
        *extra,
    )


@pytest.fixture(scope="module")
def served(python_plugin_dir: Path) -> Iterator[tuple[Server, nlpd.Client]]:
    pytest.importorskip("spacy", reason="spaCy is not installed (pip install spacy)")
    srv = start_with(
        python_plugin_dir, "textstats_plugin.py", "spacy_entities_plugin.py", "breaches.py"
    )
    with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
        yield srv, client
    stop_server(srv)


def status(client: nlpd.Client, name: str) -> nlpd_pb2.PluginInfo:
    return next(p for p in client.plugins() if p.name == name)


def host_pid(server: Server, plugin_file: str) -> int:
    """The pid of the server's child that hosts `plugin_file`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server.proc.pid and any(arg.endswith(plugin_file.encode()) for arg in cmdline):
            return int(entry.name)
    raise AssertionError(f"no child of the server hosts {plugin_file}")


def test_listed_like_any_isolated_plugin(served: tuple[Server, nlpd.Client]) -> None:
    _, client = served
    textstats = status(client, "textstats")
    assert textstats.isolation == config_pb2.PROCESS
    assert textstats.state == nlpd_pb2.PluginInfo.READY
    assert textstats.result_type == "textstats.v1.TextStats"
    assert textstats.descriptor_set  # clients build the type from it
    assert textstats.path.endswith("textstats_plugin.py")
    assert len(textstats.sha256) == 64
    spacy_entities = status(client, "spacy_entities")
    assert spacy_entities.result_type == "spacy_entities.v1.SpacyEntities"
    assert list(spacy_entities.languages) == ["en", "de"]


def test_textstats_result_agrees_with_the_document(served: tuple[Server, nlpd.Client]) -> None:
    _, client = served
    response = client.analyze(GERMAN, ["textstats"], language="de")
    stats = client.custom_result(response, "textstats")
    assert stats.sentences == len(response.document.sentences) == 2
    assert stats.tokens == len(response.document.tokens)
    words = [
        response.document.text[t.span.char_start : t.span.char_end]
        for t in response.document.tokens
        if t.kind == document_pb2.TOKEN_KIND_WORD
    ]
    assert stats.words == len(words) == 9
    assert stats.distinct_words == len(set(words))
    assert stats.longest_word == "Bundesregierung"


def test_spacy_entities_decode_with_the_client(served: tuple[Server, nlpd.Client]) -> None:
    _, client = served
    response = client.analyze(ENGLISH, ["spacy_entities"], language="en")
    result = client.custom_result(response, "spacy_entities")
    assert result.spacy_language == "en"
    found = {(e.label, e.text) for e in result.entities}
    assert found == {("ORG", "European Central Bank"), ("GPE", "New York")}, found
    for entity in result.entities:
        assert ENGLISH[entity.span.char_start : entity.span.char_end] == entity.text
        start, end = entity.span.byte_start, entity.span.byte_end
        assert ENGLISH.encode()[start:end].decode() == entity.text


def test_spacy_entities_decode_with_grpcurl(served: tuple[Server, nlpd.Client]) -> None:
    srv, _ = served
    grpcurl = Path(sys.executable).parent / "grpcurl"
    if not grpcurl.exists():
        pytest.skip(f"{grpcurl} is missing: scripts/install-deps builds it (needs Go)")
    request = json.dumps({"text": ENGLISH, "analyses": ["spacy_entities"], "language": "en"})
    done = subprocess.run(
        [str(grpcurl), "-plaintext", "-d", request, srv.address, "nlpd.v1.AnalysisService/Analyze"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"@type": "type.googleapis.com/spacy_entities.v1.SpacyEntities"' in done.stdout
    assert '"text": "European Central Bank"' in done.stdout, done.stdout


def test_errors_are_those_of_any_plugin(served: tuple[Server, nlpd.Client]) -> None:
    _, client = served
    with pytest.raises(nlpd.Error) as raised:
        client.analyze("PY_RAISE here", ["py_breaches"])
    assert raised.value.code == grpc.StatusCode.INTERNAL
    assert "plugin 'py_breaches'" in str(raised.value)
    assert "ValueError: PY_RAISE: raising as asked" in str(raised.value)
    with pytest.raises(nlpd.Error) as raised:
        client.analyze("PY_PLUGIN_ERROR here", ["py_breaches"])
    assert raised.value.code == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(nlpd.Error) as raised:
        client.analyze("PY_BAD_SPAN here", ["py_breaches"])
    assert raised.value.code == grpc.StatusCode.INTERNAL
    assert "invalid span" in str(raised.value)


def test_killing_the_host_fails_only_its_calls_and_it_restarts(
    served: tuple[Server, nlpd.Client],
) -> None:
    srv, client = served
    before = status(client, "py_breaches").restarts
    pid = host_pid(srv, "breaches.py")
    with futures.ThreadPoolExecutor(max_workers=1) as pool:
        # A call in flight (the plugin sleeps 3 s) when its host is killed.
        in_flight = pool.submit(client.analyze, "PY_SLEEP please", ["py_breaches"])
        time.sleep(1.0)
        os.kill(pid, signal.SIGKILL)
        # Other plugins serve meanwhile, the Python ones included.
        stats = client.custom_result(client.analyze(GERMAN, ["textstats"]), "textstats")
        assert stats.words == 9
        with pytest.raises(nlpd.Error) as raised:
            in_flight.result(timeout=CALL_TIMEOUT_S)
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert "py_breaches" in str(raised.value)
    assert "killed by signal 9" in str(raised.value)
    # Restarted: the next call is served (it waits for the restart).
    response = client.analyze("hello again", ["py_breaches"])
    assert client.custom_result(response, "py_breaches").entities
    info = status(client, "py_breaches")
    assert info.restarts == before + 1
    assert "killed by signal 9" in info.last_failure
    assert host_pid(srv, "breaches.py") != pid


def test_a_segfault_fails_the_call_and_the_host_restarts(
    served: tuple[Server, nlpd.Client],
) -> None:
    _, client = served
    before = status(client, "py_breaches").restarts
    with pytest.raises(nlpd.Error) as raised:
        client.analyze("PY_SEGFAULT now", ["py_breaches"])
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert "Segmentation fault" in str(raised.value)
    # Restarted: counted, and ready again.
    deadline = time.monotonic() + 20
    while True:
        info = status(client, "py_breaches")
        if info.restarts == before + 1 and info.state == nlpd_pb2.PluginInfo.READY:
            break
        assert time.monotonic() < deadline, f"not restarted: {info}"
        time.sleep(0.1)
    response = client.analyze("wieder da", ["py_breaches"])
    assert client.custom_result(response, "py_breaches").entities


def test_missing_interpreter_package_is_explained(python_plugin_dir: Path, tmp_path: Path) -> None:
    """A Python without the nlpd package: the plugin is refused with a message that says
    what to install; the server serves its other plugins."""
    bare = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    srv = start_server(
        f"--python_plugin={python_plugin_dir / 'breaches.py'}",
        f"--python={bare / 'bin' / 'python'}",
    )
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            listing = client.list_plugins()
            [error] = [e for e in listing.load_errors if e.path.endswith("breaches.py")]
            assert "cannot import nlpd.plugin_host" in error.message
            assert "--python=PATH" in error.message
            assert client.analyze(GERMAN, ["entities"]).entities.entities
    finally:
        stop_server(srv)


def test_plugin_test_command_runs_a_python_plugin(python_plugin_dir: Path) -> None:
    binary = build_dir() / "bin" / "nlpd-plugin-test"
    plugin = python_plugin_dir / "breaches.py"
    good = subprocess.run(
        [str(binary), str(plugin), f"--python={sys.executable}", "--text", "Grüße aus Köln"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert '"text": "Grüße"' in good.stdout
    for keyword, expected in [
        ("PY_RAISE", "ValueError: PY_RAISE: raising as asked"),
        ("PY_WRONG_TYPE", "SentimentResult"),
        ("PY_BAD_SPAN", "byte_end 1000 is past the end"),
        ("PY_SPLIT_UTF8", "is inside the 2-byte character"),
        ("PY_SEGFAULT", "Segmentation fault"),
    ]:
        done = subprocess.run(
            [str(binary), str(plugin), f"--python={sys.executable}", "--text", f"{keyword} Köln"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, (keyword, done.stdout, done.stderr)
        assert expected in done.stdout, (keyword, done.stdout)


def test_a_builtin_result_type_is_addressed_by_plugin_name(
    served: tuple[Server, nlpd.Client],
) -> None:
    _, client = served
    response = client.analyze("Grüße aus Köln", ["py_breaches"])
    # Only the plugin named "entities" owns the typed field.
    assert not response.HasField("entities")
    result = client.custom_result(response, "py_breaches")
    assert isinstance(result, results_pb2.EntitiesResult)
    [entity] = result.entities
    assert (entity.text, entity.span.byte_end, entity.span.char_end) == ("Grüße", 7, 5)
