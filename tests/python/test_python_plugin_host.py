"""The Python plugin host (python -m nlpd.plugin_host) and the plugin API (nlpd.plugin).

No nlpd server: each test starts the host as a real subprocess on a temporary Unix socket
and speaks nlpd.v1.PluginHost to it over a real gRPC channel, as the server does. The
example plugins of plugins/sdk/example_python and their generated _pb2 modules are
copied into one temporary directory per session; the error-case plugins are in
tests/python/data/python_plugins/.
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import grpc
import pytest
from google.protobuf import any_pb2, descriptor_pb2, message_factory

from nlpd import plugin as plugin_api
from nlpd.v1 import (
    document_pb2,
    nlpd_pb2,
    plugin_host_pb2,
    plugin_host_pb2_grpc,
    plugin_pb2,
    results_pb2,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "plugins" / "sdk" / "example_python"
DATA = Path(__file__).resolve().parent / "data" / "python_plugins"
READY_TIMEOUT = 60.0

TEXT = (
    "Die Europäische Zentralbank in München erhöht die Zinsen. "
    "Der Bundestag berät am 3. März über 10.000 Anträge! "
    "Acme Corp zieht nach New York — sagt Zoë."
)


# --- documents ------------------------------------------------------------------------


def make_document(text: str, language: str = "de") -> document_pb2.Document:
    """A Document as the server would send it, from a tiny tokenizer.

    Words are runs of letters (with inner hyphens), numbers runs of digits with inner
    '.' or ',', everything else non-space is one punctuation token; a sentence ends
    after '.', '!' or '?' followed by space or the end. Spans are computed here
    independently of nlpd.plugin.Spans.
    """
    import re

    def make_span(start: int, end: int) -> document_pb2.Span:
        return document_pb2.Span(
            byte_start=len(text[:start].encode()),
            byte_end=len(text[:end].encode()),
            char_start=start,
            char_end=end,
        )

    document = document_pb2.Document(text=text, language=language, language_confidence=1.0)
    pattern = re.compile(r"(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)|(?P<number>\d+(?:[.,]\d+)*)|\S")
    sentence_start = 0
    for match in pattern.finditer(text):
        kind = (
            document_pb2.TOKEN_KIND_WORD
            if match.group("word")
            else document_pb2.TOKEN_KIND_NUMBER
            if match.group("number")
            else document_pb2.TOKEN_KIND_PUNCTUATION
        )
        document.tokens.add(span=make_span(match.start(), match.end()), kind=kind)
        at_end = match.end() == len(text) or text[match.end()].isspace()
        if match.group() in ".!?" and at_end and not match.group("number"):
            if text[match.start() - 1 : match.start()].isdigit():
                continue  # "3." is an ordinal here
            tokens = document.tokens
            first = tokens[sentence_start].span
            document.sentences.add(
                span=make_span(first.char_start, match.end()),
                token_begin=sentence_start,
                token_end=len(tokens),
            )
            sentence_start = len(tokens)
    if sentence_start < len(document.tokens):
        first = document.tokens[sentence_start].span
        document.sentences.add(
            span=make_span(first.char_start, document.tokens[-1].span.char_end),
            token_begin=sentence_start,
            token_end=len(document.tokens),
        )
    return document


def request_for(
    document: document_pb2.Document, dependencies: dict[str, any_pb2.Any] | None = None
) -> plugin_host_pb2.HostAnalyzeRequest:
    request = plugin_pb2.PluginRequest(document=document)
    for name, value in (dependencies or {}).items():
        request.dependency_results[name].CopyFrom(value)
    return plugin_host_pb2.HostAnalyzeRequest(
        request=request.SerializeToString(),
        text=document.text.encode(),
        language=document.language,
    )


# --- running hosts --------------------------------------------------------------------


def host_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nlpd.plugin_host", *args]


def read_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from a pipe, or what arrived before the timeout or EOF."""
    deadline = time.monotonic() + timeout
    data = b""
    fd = stream.fileno()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 1)
        if not chunk:
            break
        data += chunk
    return data


@dataclass
class Host:
    process: subprocess.Popen[bytes]
    socket: str
    channel: grpc.Channel
    stub: plugin_host_pb2_grpc.PluginHostStub
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


StartHost = Callable[[Path], Host]


@pytest.fixture
def socket_dir() -> Iterator[str]:
    # Short: a Unix socket path has at most 107 bytes, pytest's tmp_path can be longer.
    directory = tempfile.mkdtemp(prefix="nlpd-py-")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def spawn_host(
    plugin: Path, socket_dir: str, stderr_path: Path, name: str = "host"
) -> tuple[subprocess.Popen[bytes], str, bytes]:
    socket = os.path.join(socket_dir, f"{name}.sock")
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            host_command(f"--plugin={plugin}", f"--socket={socket}"),
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    assert process.stdout is not None
    return process, socket, read_line(process.stdout, READY_TIMEOUT)


@pytest.fixture
def start_host(socket_dir: str, tmp_path: Path) -> Iterator[StartHost]:
    """start_host(plugin) -> a serving Host (ready line read); stopped after the test."""
    hosts: list[Host] = []

    def start(plugin: Path) -> Host:
        stderr_path = tmp_path / f"host{len(hosts)}.stderr"
        process, socket, line = spawn_host(plugin, socket_dir, stderr_path, f"h{len(hosts)}")
        if line != b"ready\n":
            process.kill()
            process.wait()
            pytest.fail(f"host said {line!r}; stderr:\n{stderr_path.read_text()}")
        channel = grpc.insecure_channel(f"unix:{socket}")
        host = Host(
            process, socket, channel, plugin_host_pb2_grpc.PluginHostStub(channel), stderr_path
        )
        hosts.append(host)
        return host

    yield start
    for host in hosts:
        host.channel.close()
        host.process.kill()
        host.process.wait()


def probe(plugin: Path) -> tuple[plugin_host_pb2.PluginProbe, subprocess.CompletedProcess[bytes]]:
    done = subprocess.run(
        host_command("--probe", f"--plugin={plugin}"), capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return plugin_host_pb2.PluginProbe.FromString(done.stdout), done


def start(host: Host, config: bytes = b"") -> plugin_host_pb2.StartPluginResponse:
    response: plugin_host_pb2.StartPluginResponse = host.stub.Start(
        plugin_host_pb2.StartPluginRequest(config=config), timeout=60
    )
    return response


def analyze(host: Host, request: plugin_host_pb2.HostAnalyzeRequest) -> bytes:
    """The result bytes; fails the test on a plugin error."""
    response = host.stub.Analyze(request, timeout=30)
    assert response.WhichOneof("outcome") == "result", response
    result: bytes = response.result
    return result


def analyze_error(host: Host, request: plugin_host_pb2.HostAnalyzeRequest) -> nlpd_pb2.Error:
    response = host.stub.Analyze(request, timeout=30)
    assert response.WhichOneof("outcome") == "error", response
    error: nlpd_pb2.Error = response.error
    return error


def gone(pid: int) -> bool:
    """True when the process no longer runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


# --- nlpd.plugin span helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii text", TEXT, "naïve café 😀 日本語 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓", "ä", "ä😀x日" * 64],
)
def test_spans_match_utf8_encoding(text: str) -> None:
    spans = plugin_api.Spans(text)
    for start in range(len(text) + 1):
        assert spans.byte_offset(start) == len(text[:start].encode())
    for start, end in [(0, len(text)), (len(text) // 3, len(text) // 2)]:
        span = spans.span(start, end)
        assert (span.char_start, span.char_end) == (start, end)
        assert text.encode()[span.byte_start : span.byte_end].decode() == text[start:end]
        assert spans.text_of(span) == text[start:end]


def test_span_functions_cache_per_document() -> None:
    document = make_document(TEXT)
    for token in document.tokens:
        got = plugin_api.span(document, token.span.char_start, token.span.char_end)
        assert got == token.span
        assert plugin_api.text_of(document, got) == TEXT[got.char_start : got.char_end]
    other = document_pb2.Document(text="ö ö")
    assert plugin_api.span(other, 2, 3).byte_start == 3  # not the first document's offsets


@pytest.mark.parametrize("bounds", [(-1, 2), (3, 2), (0, len(TEXT) + 1)])
def test_span_outside_the_text_is_refused(bounds: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="not inside the text"):
        plugin_api.Spans(TEXT).span(*bounds)


def test_plugin_error_codes() -> None:
    assert plugin_api.PluginError("x").code == 13
    assert plugin_api.PluginError("x", grpc.StatusCode.INVALID_ARGUMENT).code == 3
    assert plugin_api.PluginError("x", 5).code == 5
    with pytest.raises(ValueError):
        plugin_api.PluginError("x", grpc.StatusCode.OK)


# --- textstats ------------------------------------------------------------------------


def expected_textstats(document: document_pb2.Document) -> dict[str, object]:
    """What textstats_plugin.cc computes, written out independently."""
    words = [
        document.text[t.span.char_start : t.span.char_end]
        for t in document.tokens
        if t.kind == document_pb2.TOKEN_KIND_WORD
    ]
    longest = max(words, key=len)  # the first of the longest
    mean = sum(map(len, words)) / len(words)
    return {
        "sentences": len(document.sentences),
        "tokens": len(document.tokens),
        "words": len(words),
        "distinct_words": len(set(words)),
        "mean_word_length": struct.unpack("f", struct.pack("f", mean))[0],
        "longest_word": longest,
    }


def test_textstats_probe_describes_the_plugin(python_plugin_dir: Path) -> None:
    answer, done = probe(python_plugin_dir / "textstats_plugin.py")
    assert answer.error == ""
    assert list(answer.registered_files) == []
    info = answer.info
    assert info.name == "textstats"
    assert info.version == "1.0.0"
    assert info.description == "Counts sentences, tokens and words"
    assert list(info.languages) == ["*"]
    assert list(info.dependencies) == []
    assert info.result_type == "textstats.v1.TextStats"
    assert info.path == str(python_plugin_dir / "textstats_plugin.py")
    assert info.abi_version == "1.1"
    assert not info.checks_cancellation
    files = descriptor_pb2.FileDescriptorSet.FromString(info.descriptor_set).file
    names = [f.name for f in files]
    assert names[-1] == "textstats/v1/textstats.proto"
    for position, file in enumerate(files):  # dependencies first
        assert set(file.dependency) <= set(names[:position])


def test_textstats_serves_the_same_stats(python_plugin_dir: Path, start_host: StartHost) -> None:
    host = start_host(python_plugin_dir / "textstats_plugin.py")
    started = start(host)
    assert started.pid == host.process.pid
    probed, _ = probe(python_plugin_dir / "textstats_plugin.py")
    assert started.info == probed.info

    # The client's way: the class from the shipped descriptor set alone.
    classes = message_factory.GetMessages(
        descriptor_pb2.FileDescriptorSet.FromString(started.info.descriptor_set).file
    )
    text_stats = classes["textstats.v1.TextStats"]
    document = make_document(TEXT)
    stats = text_stats.FromString(analyze(host, request_for(document)))
    expected = expected_textstats(document)
    assert {field: getattr(stats, field) for field in expected} == expected
    assert stats.longest_word == "Europäische"
    if "longest_word_span" in text_stats.DESCRIPTOR.fields_by_name:
        span = stats.longest_word_span
        assert TEXT[span.char_start : span.char_end] == "Europäische"
        assert TEXT.encode()[span.byte_start : span.byte_end] == "Europäische".encode()

    empty = text_stats.FromString(analyze(host, request_for(make_document(""))))
    assert (empty.words, empty.mean_word_length, empty.longest_word) == (0, 0.0, "")


def test_textstats_matches_the_cpp_plugin(
    python_plugin_dir: Path, start_host: StartHost, socket_dir: str, tmp_path: Path
) -> None:
    build = Path(os.environ.get("NLPD_BUILD_DIR", REPO / "build"))
    cpp_host = build / "bin" / "nlpd-plugin-host"
    external = os.environ.get("NLPD_EXTERNAL_PLUGIN_DIR", str(build / "external"))
    library = Path(external) / "libnlpd_textstats.so"
    if not (cpp_host.is_file() and library.is_file()):
        pytest.skip(f"the C++ textstats plugin is not built ({cpp_host}, {library})")
    python = start_host(python_plugin_dir / "textstats_plugin.py")
    start(python)
    socket = os.path.join(socket_dir, "cpp.sock")
    with open(tmp_path / "cpp.stderr", "wb") as stderr:
        cpp = subprocess.Popen(
            [str(cpp_host), f"--plugin={library}", f"--socket={socket}"],
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        assert cpp.stdout is not None
        assert read_line(cpp.stdout, READY_TIMEOUT) == b"ready\n"
        with grpc.insecure_channel(f"unix:{socket}") as channel:
            stub = plugin_host_pb2_grpc.PluginHostStub(channel)
            cpp_info = stub.Start(plugin_host_pb2.StartPluginRequest(), timeout=60).info
            classes = message_factory.GetMessages(
                descriptor_pb2.FileDescriptorSet.FromString(cpp_info.descriptor_set).file
            )
            text_stats = classes["textstats.v1.TextStats"]
            for text in (TEXT, "", "Ein Satz.", "ö " * 50 + "Überraschungsei."):
                request = request_for(make_document(text))
                from_cpp = stub.Analyze(request, timeout=30)
                assert from_cpp.WhichOneof("outcome") == "result", from_cpp
                ours = text_stats.FromString(analyze(python, request))
                theirs = text_stats.FromString(from_cpp.result)
                assert ours == theirs, f"{text!r}: python {ours} vs C++ {theirs}"
    finally:
        cpp.kill()
        cpp.wait()
    probed, _ = probe(python_plugin_dir / "textstats_plugin.py")
    for field in ("name", "version", "description", "languages", "dependencies", "result_type"):
        assert getattr(probed.info, field) == getattr(cpp_info, field), field


# --- spaCy ----------------------------------------------------------------------------


def test_spacy_entities(python_plugin_dir: Path, start_host: StartHost) -> None:
    pytest.importorskip("spacy", reason="spaCy is not installed (pip install spacy)")
    answer, _ = probe(python_plugin_dir / "spacy_entities_plugin.py")
    assert answer.error == ""
    assert answer.info.result_type == "spacy_entities.v1.SpacyEntities"
    assert list(answer.info.languages) == ["en", "de"]
    names = [
        f.name for f in descriptor_pb2.FileDescriptorSet.FromString(answer.info.descriptor_set).file
    ]
    assert names == ["nlpd/v1/document.proto", "spacy_entities/v1/spacy_entities.proto"]
    classes = message_factory.GetMessages(
        descriptor_pb2.FileDescriptorSet.FromString(answer.info.descriptor_set).file
    )
    entities_class = classes["spacy_entities.v1.SpacyEntities"]

    host = start_host(python_plugin_dir / "spacy_entities_plugin.py")
    start(host)
    result = entities_class.FromString(analyze(host, request_for(make_document(TEXT, "de"))))
    assert result.spacy_language == "de"
    found = [(e.label, e.text, e.pattern_id) for e in result.entities]
    assert found == [
        ("ORG", "Europäische Zentralbank", "ecb"),
        ("GPE", "München", "munich"),
        ("ORG", "Bundestag", "bundestag"),
        ("ORG", "Acme Corp", "acme"),
        ("GPE", "New York", "new_york"),
    ]
    encoded = TEXT.encode()
    for entity in result.entities:
        assert TEXT[entity.span.char_start : entity.span.char_end] == entity.text
        assert encoded[entity.span.byte_start : entity.span.byte_end] == entity.text.encode()

    english = "The European Central Bank met in Munich, not in Berlin."
    result = entities_class.FromString(analyze(host, request_for(make_document(english, "en"))))
    assert [(e.label, e.text) for e in result.entities] == [
        ("ORG", "European Central Bank"),
        ("GPE", "Munich"),
        ("GPE", "Berlin"),
    ]
    error = analyze_error(host, request_for(make_document(english, "fr")))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "'fr' is not supported" in error.message


def test_spacy_entities_bad_config_fails_start(
    python_plugin_dir: Path, start_host: StartHost
) -> None:
    pytest.importorskip("spacy", reason="spaCy is not installed (pip install spacy)")
    host = start_host(python_plugin_dir / "spacy_entities_plugin.py")
    with pytest.raises(grpc.RpcError) as raised:
        start(host, b'{"patterns": "missing.jsonl"}')
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "cannot read patterns" in raised.value.details()


# --- protocol and errors --------------------------------------------------------------


def test_analyze_before_start_and_start_twice(
    python_plugin_dir: Path, start_host: StartHost
) -> None:
    host = start_host(python_plugin_dir / "misbehaving.py")
    with pytest.raises(grpc.RpcError) as raised:
        host.stub.Analyze(request_for(make_document("x")), timeout=30)
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert raised.value.details() == "Analyze before Start"
    start(host)
    with pytest.raises(grpc.RpcError) as raised:
        start(host)
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_prints_reach_neither_probe_nor_ready_line(
    python_plugin_dir: Path, start_host: StartHost
) -> None:
    answer, done = probe(python_plugin_dir / "misbehaving.py")
    assert answer.info.name == "misbehaving"
    assert b"a print at import" in done.stderr
    assert b"a raw write to fd 1 at import" in done.stderr
    host = start_host(python_plugin_dir / "misbehaving.py")
    start(host)
    analyze(host, request_for(make_document("print")))
    assert "a print during analyze" in host.stderr()
    assert "a raw write during analyze" in host.stderr()


def test_plugin_exceptions_become_errors(python_plugin_dir: Path, start_host: StartHost) -> None:
    host = start_host(python_plugin_dir / "misbehaving.py")
    start(host)
    error = analyze_error(host, request_for(make_document("value-error")))
    assert error.code == 13
    assert error.message.startswith("plugin 'misbehaving': ValueError: bad value in 'value-error'")
    assert "(misbehaving.py:" in error.message
    assert "Traceback" in host.stderr() and "_fail_deeper" in host.stderr()

    error = analyze_error(host, request_for(make_document("plugin-error")))
    assert (error.code, error.message) == (
        grpc.StatusCode.INVALID_ARGUMENT.value[0],
        "plugin 'misbehaving': cannot handle this document",
    )
    error = analyze_error(host, request_for(make_document("wrong-type")))
    assert (error.code, error.message) == (
        13,
        "plugin 'misbehaving': analyze() returned nlpd.v1.SentimentResult, "
        "expected nlpd.v1.EntitiesResult",
    )
    error = analyze_error(host, request_for(make_document("none")))
    assert error.code == 13 and "analyze() returned NoneType" in error.message
    bad = plugin_host_pb2.HostAnalyzeRequest(request=b"\xff\xff\xff")
    assert analyze_error(host, bad).code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    # The host survived all of it.
    result = results_pb2.EntitiesResult.FromString(analyze(host, request_for(make_document("ok"))))
    assert result.entities[-1].text == "ok"


def test_dependencies_are_decoded_when_known(
    python_plugin_dir: Path, start_host: StartHost
) -> None:
    host = start_host(python_plugin_dir / "misbehaving.py")
    start(host)
    entities = any_pb2.Any()
    entities.Pack(results_pb2.EntitiesResult(entities=[results_pb2.Entity(label="PER")]))
    unknown = any_pb2.Any(type_url="type.googleapis.com/mystery.v1.Unknown", value=b"\x08\x01")
    document = make_document("Zoë")
    request = request_for(document, {"entities": entities, "mystery": unknown})
    result = results_pb2.EntitiesResult.FromString(analyze(host, request))
    assert [(e.label, e.text) for e in result.entities] == [
        ("entities", "nlpd.v1.EntitiesResult"),
        ("mystery", "google.protobuf.Any"),
        ("all", "Zoë"),
    ]
    assert result.entities[-1].span == document_pb2.Span(
        byte_start=0, byte_end=4, char_start=0, char_end=3
    )


def test_not_thread_safe_plugin_is_serialized(
    python_plugin_dir: Path, start_host: StartHost
) -> None:
    host = start_host(python_plugin_dir / "misbehaving.py")
    start(host)
    request = request_for(make_document("sleep"))
    with futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: analyze(host, request), range(8)))
    most = max(int(results_pb2.EntitiesResult.FromString(r).entities[0].text) for r in results)
    assert most == 1


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (b"raise", "setup failed: RuntimeError: setup cannot cope (misbehaving.py:"),
        (b"plugin-error", "setup failed: needs a model path"),
    ],
)
def test_setup_failure_fails_start(
    python_plugin_dir: Path, start_host: StartHost, config: bytes, why: str
) -> None:
    host = start_host(python_plugin_dir / "misbehaving.py")
    with pytest.raises(grpc.RpcError) as raised:
        start(host, config)
    assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    path = python_plugin_dir / "misbehaving.py"
    assert raised.value.details().startswith(f"plugin {path} ('misbehaving'): {why}")


@pytest.mark.parametrize(
    ("file", "why"),
    [
        ("syntax_error.py", r"cannot import: SyntaxError: .* \(syntax_error\.py:6\)"),
        (
            "import_error.py",
            r"cannot import: ModuleNotFoundError: "
            r"No module named 'no_such_module_for_nlpd' \(import_error\.py:1\)",
        ),
        ("two_plugins.py", r"defines 2 subclasses of nlpd.plugin.Plugin \(First, Second\)"),
        ("no_plugin.py", r"defines no subclass of nlpd.plugin.Plugin"),
        ("no_name.py", r"class Nameless has no class attribute 'name'"),
        ("bad_name.py", r"class BadName: invalid plugin name 'Bad-Name'"),
        ("bad_result_type.py", r"class BadResultType: result_type must be a protobuf message"),
        ("no_analyze.py", r"class NoAnalyze does not define analyze"),
        ("missing.py", r"no such file"),
    ],
)
def test_refused_files(
    python_plugin_dir: Path, socket_dir: str, tmp_path: Path, file: str, why: str
) -> None:
    import re

    path = python_plugin_dir / file
    answer, _ = probe(path)
    assert not answer.HasField("info")
    assert re.match(rf"plugin {re.escape(str(path))}: {why}", answer.error), answer.error
    # Serving refuses it the same way: one "error: " line, exit 1.
    process, _, line = spawn_host(path, socket_dir, tmp_path / "stderr")
    assert process.wait(timeout=60) == 1
    assert line.decode() == f"error: {answer.error}\n"


def test_usage_errors() -> None:
    assert subprocess.run(host_command(), capture_output=True).returncode == 2
    done = subprocess.run(host_command("--plugin=x.py"), capture_output=True)
    assert done.returncode == 2 and b"--socket or --probe is required" in done.stderr


def test_host_dies_with_its_parent(python_plugin_dir: Path, socket_dir: str) -> None:
    socket = os.path.join(socket_dir, "orphan.sock")
    command = shlex.join(host_command(f"--plugin={python_plugin_dir / 'misbehaving.py'}"))
    parent = subprocess.Popen(
        ["sh", "-c", f'{command} --socket="$0" & echo $!; wait', socket],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert parent.stdout is not None
    pid = int(read_line(parent.stdout, READY_TIMEOUT))
    try:
        assert read_line(parent.stdout, READY_TIMEOUT) == b"ready\n"
        assert not gone(pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 2
        while not gone(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert gone(pid), "the host outlived its parent"
    finally:
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)
