"""Test an nlpd plugin from pytest, without a server.

The checks are those of ``nlpd-plugin-test`` (built and installed next to the server),
which this module runs: the plugin file (.so or .py) is loaded as the server loads it,
run on each text with its dependencies from the built-in plugins, and every breach of
the plugin contract (refused at load, an error or exception, a crash, bytes that are not
the declared result type, spans outside the text or inside a UTF-8 sequence) fails the
test with the tool's message. An author's test is three lines::

    def test_counts_words(nlpd_plugin):
        stats = nlpd_plugin("textstats.py").run("Zwei Wörter.", language="de")
        assert stats.words == 2

``nlpd_plugin`` is a pytest fixture, registered through the ``pytest11`` entry point
when the nlpd package is installed; a relative path is taken from the test file's
directory. The binary is ``$NLPD_PLUGIN_TEST`` or ``nlpd-plugin-test`` on ``$PATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from google.protobuf import json_format
from google.protobuf.message import Message

from nlpd import descriptors
from nlpd.v1 import nlpd_pb2

if TYPE_CHECKING:
    import pytest

__all__ = [
    "PluginBreach",
    "PluginNotRun",
    "PluginUnderTest",
    "TextRun",
    "find_plugin_test_binary",
    "nlpd_plugin",
]


class PluginBreach(AssertionError):
    """The plugin broke its contract; the message is nlpd-plugin-test's."""


class PluginNotRun(LookupError):
    """The plugin did not run on the text (it does not support its language)."""


@dataclass(frozen=True)
class TextRun:
    """What became of one text."""

    outcome: str  # "ok", "skipped" or "breach"
    language: str
    took_us: int
    message: str
    # The decoded result (an instance of the plugin's result type) when outcome is "ok".
    result: Message | None


def find_plugin_test_binary() -> str:
    """The nlpd-plugin-test binary: ``$NLPD_PLUGIN_TEST``, else the one on ``$PATH``.

    Raises:
        FileNotFoundError: neither is there.
    """
    configured = os.environ.get("NLPD_PLUGIN_TEST")
    if configured:
        if not os.access(configured, os.X_OK):
            raise FileNotFoundError(f"$NLPD_PLUGIN_TEST={configured} is not an executable")
        return configured
    found = shutil.which("nlpd-plugin-test")
    if found is None:
        raise FileNotFoundError(
            "nlpd-plugin-test is not on $PATH; install nlpd or set $NLPD_PLUGIN_TEST to "
            "<build>/bin/nlpd-plugin-test"
        )
    return found


def _result_class(info: nlpd_pb2.PluginInfo) -> type[Message]:
    """The message class of the plugin's result type, as the client decodes it: the
    generated class for an nlpd.v1 type, else one built from the plugin's descriptor set.

    Raises:
        ValueError: the descriptor set is unusable.
        KeyError: it does not define the result type.
    """
    builtin = descriptors.builtin_class(info.result_type)
    if builtin is not None:
        return builtin
    pool = descriptors.build_pool(info.descriptor_set)
    return descriptors.message_class(pool, info.result_type)


class PluginUnderTest:
    """One plugin file and how to run it. Each run starts nlpd-plugin-test once; pass
    several texts to :meth:`run_all` to pay the start (about half a second) once.

    Args:
        path: the plugin library (.so) or Python plugin (.py).
        binary: nlpd-plugin-test (default: :func:`find_plugin_test_binary`).
        python: the interpreter of a .py plugin (default: this one).
        plugin_dirs: where the dependencies come from (default: the built-in plugins).
        config: the plugin's configuration (ServerConfig.plugins[name].config).
        timeout: seconds allowed per text.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        binary: str | None = None,
        python: str | None = None,
        plugin_dirs: Sequence[str | os.PathLike[str]] = (),
        config: str = "",
        timeout: float = 30.0,
    ) -> None:
        self.path = Path(path)
        self._binary = binary
        self._python = python if python is not None else sys.executable
        self._plugin_dirs = [str(d) for d in plugin_dirs]
        self._config = config
        self._timeout = timeout
        self.info: nlpd_pb2.PluginInfo | None = None

    def run(self, text: str, language: str | None = None) -> Message:
        """Runs the plugin on ``text`` and returns its decoded result.

        Raises:
            PluginBreach: the plugin broke its contract (or was refused at load).
            PluginNotRun: it did not run (the text's language is not one of its own).
        """
        [run] = self.run_all([text], language)
        if run.outcome == "skipped":
            raise PluginNotRun(f"{self.path.name} did not run: {run.message}")
        assert run.result is not None
        return run.result

    def run_all(self, texts: Iterable[str], language: str | None = None) -> list[TextRun]:
        """Runs the plugin on each text; one :class:`TextRun` per text, in order.

        Raises:
            PluginBreach: on the first text that breached the contract, or at load.
            ValueError: a text holds a line break (texts travel one per line).
        """
        texts = list(texts)
        for text in texts:
            if "\n" in text or "\r" in text:
                raise ValueError("a text must be one line; join paragraphs with spaces")
        command = [
            self._binary or find_plugin_test_binary(),
            str(self.path),
            "--file=-",
            "--json",
            f"--python={self._python}",
            f"--timeout_seconds={self._timeout}",
            *(f"--plugin_dir={d}" for d in self._plugin_dirs),
        ]
        if language:
            command.append(f"--language={language}")
        if self._config:
            command.append(f"--config={self._config}")
        completed = subprocess.run(
            command,
            input="".join(f"{text}\n" for text in texts),
            capture_output=True,
            text=True,
            timeout=60 + self._timeout * max(1, len(texts)),
            check=False,
        )
        if completed.returncode == 2:
            raise ValueError(f"nlpd-plugin-test refused the call: {completed.stderr.strip()}")
        runs = list(self._parse(completed.stdout, completed.stderr))
        for index, run in enumerate(runs, start=1):
            if run.outcome == "breach":
                raise PluginBreach(f"{self.path.name}, text {index}: {run.message}")
        if len(runs) != len(texts):
            raise PluginBreach(
                f"{self.path.name}: nlpd-plugin-test answered {len(runs)} of {len(texts)} "
                f"texts (exit {completed.returncode}): {completed.stderr.strip()}"
            )
        return runs

    def _parse(self, stdout: str, stderr: str) -> Iterator[TextRun]:
        result_class: type[Message] | None = None
        for line in stdout.splitlines():
            record = json.loads(line)
            if "load_error" in record:
                raise PluginBreach(f"{self.path.name} was refused: {record['load_error']}")
            if "plugin" in record:
                self.info = json_format.ParseDict(record["plugin"], nlpd_pb2.PluginInfo())
                result_class = _result_class(self.info)
                continue
            result = None
            if record["outcome"] == "ok":
                if result_class is None:
                    raise PluginBreach(f"nlpd-plugin-test printed no plugin line: {stderr}")
                result = json_format.ParseDict(record["result"], result_class())
            yield TextRun(
                outcome=record["outcome"],
                language=record.get("language", ""),
                took_us=int(record.get("took_us", 0)),
                message=record.get("message", ""),
                result=result,
            )


def _plugin_factory(base: Path) -> Callable[..., PluginUnderTest]:
    def make(path: str | os.PathLike[str], **options: object) -> PluginUnderTest:
        resolved = Path(path)
        if not resolved.is_absolute():
            resolved = base / resolved
        return PluginUnderTest(resolved, **options)  # type: ignore[arg-type]

    return make


try:
    import pytest as _pytest
except ImportError:  # the module is usable without pytest
    pass
else:

    @_pytest.fixture
    def nlpd_plugin(request: pytest.FixtureRequest) -> Callable[..., PluginUnderTest]:
        """A factory: ``nlpd_plugin(path, **options)`` is a :class:`PluginUnderTest`;
        a relative path is taken from the test file's directory."""
        return _plugin_factory(Path(request.path).parent)
