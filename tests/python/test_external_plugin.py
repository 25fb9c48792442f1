"""A plugin built outside the source tree, against the installed SDK, served by the real server.

scripts/test installs the SDK (cmake --install) and builds plugins/sdk/example with
find_package(nlpd) into $NLPD_EXTERNAL_PLUGIN_DIR. Without that variable this module does
the same into a temporary directory, so it also runs on its own.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import nlpd
from conftest import REPO, Server, build_dir, start_server, stop_server
from nlpd.v1 import document_pb2

TEXT = (
    "Die Stadtwerke erhöhen die Preise für Fernwärme zum ersten Januar. "
    "Verbraucherschützer halten die Erhöhung für überzogen. "
    "Eine Entscheidung des Stadtrats steht noch aus."
)


def _build_external_plugin(work: Path) -> Path:
    prefix = work / "install"
    out = work / "external"
    steps = [
        ["cmake", "--install", str(build_dir()), "--prefix", str(prefix)],
        [
            "cmake",
            "-S",
            str(REPO / "plugins/sdk/example"),
            "-B",
            str(out),
            "-G",
            "Ninja",
            f"-DCMAKE_PREFIX_PATH={prefix}",
        ],
        ["cmake", "--build", str(out)],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="module")
def external_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("NLPD_EXTERNAL_PLUGIN_DIR")
    directory = Path(given) if given else _build_external_plugin(tmp_path_factory.mktemp("sdk"))
    plugin = directory / "libnlpd_textstats.so"
    assert plugin.is_file(), f"external plugin not built: {plugin} is missing"
    return directory


@pytest.fixture(scope="module")
def external_server(external_dir: Path) -> Iterator[Server]:
    # --plugin_dir repeats: the built-in plugins and the external one.
    srv = start_server(f"--plugin_dir={external_dir}")
    yield srv
    stop_server(srv)


def test_plugin_was_built_outside_the_tree(external_dir: Path) -> None:
    cache = (external_dir / "CMakeCache.txt").read_text()
    # Found through the installed package config, not the source tree.
    nlpd_dir = next(line for line in cache.splitlines() if line.startswith("nlpd_DIR:"))
    assert "/lib/cmake/nlpd" in nlpd_dir
    assert str(REPO / "plugins" / "sdk" / "cmake") not in nlpd_dir
    assert shutil.which("cmake")


def test_external_plugin_is_listed_with_its_schema(external_server: Server) -> None:
    with nlpd.Client(external_server.address, timeout=30) as client:
        plugins = {p.name: p for p in client.plugins()}
    assert {"keywords", "textstats"} <= plugins.keys()
    info = plugins["textstats"]
    assert info.result_type == "textstats.v1.TextStats"
    assert info.descriptor_set
    assert info.path.endswith("libnlpd_textstats.so")


def test_external_result_decodes_without_generated_code(external_server: Server) -> None:
    # No Python module exists for the plugin's proto: decoding must use the
    # descriptor set the server publishes.
    assert importlib.util.find_spec("textstats") is None
    with nlpd.Client(external_server.address, timeout=30) as client:
        response = client.analyze(TEXT, ["textstats", "keywords"])
        stats = client.custom_result(response, "textstats")
    assert stats.DESCRIPTOR.full_name == "textstats.v1.TextStats"
    document = response.document
    words = [
        document.text[t.span.char_start : t.span.char_end]
        for t in document.tokens
        if t.kind == document_pb2.TOKEN_KIND_WORD
    ]
    assert stats.sentences == len(document.sentences) == 3
    assert stats.tokens == len(document.tokens)
    assert stats.words == len(words)
    assert stats.distinct_words == len(set(words))
    assert stats.longest_word == max(words, key=len) == "Verbraucherschützer"
    # An nlpd.v1.Span from the plugin's own message (its .proto imports
    # nlpd/v1/document.proto): both kinds of offsets point at the word.
    span = stats.longest_word_span
    assert span.DESCRIPTOR.full_name == "nlpd.v1.Span"
    assert document.text[span.char_start : span.char_end] == "Verbraucherschützer"
    text_bytes = document.text.encode()
    assert text_bytes[span.byte_start : span.byte_end].decode() == "Verbraucherschützer"
    assert span.char_start == document.text.index("Verbraucherschützer")
    assert stats.mean_word_length == pytest.approx(sum(map(len, words)) / len(words), rel=1e-5)
    assert "keywords" in response.custom_results
