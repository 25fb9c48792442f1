"""A test plugin whose behaviour the document text chooses (test_python_plugin_host.py).

Not thread-safe on purpose, prints to stdout at import, and its setup() fails on request.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping

import grpc
from google.protobuf import message

from nlpd.plugin import Plugin, PluginError, span
from nlpd.v1 import document_pb2, results_pb2

# Neither may reach the probe's answer or the ready line.
print("misbehaving: a print at import")
os.write(1, b"misbehaving: a raw write to fd 1 at import\n")

_lock = threading.Lock()
_running = 0
_most = 0


def _fail_deeper(text: str) -> None:
    raise ValueError(f"bad value in {text!r}")


class Misbehaving(Plugin):
    """Does what the document says"""

    name = "misbehaving"
    version = "0.1"
    dependencies = ["entities", "mystery"]
    result_type = results_pb2.EntitiesResult
    thread_safe = False

    def setup(self, config: bytes) -> None:
        if config == b"raise":
            raise RuntimeError("setup cannot cope")
        if config == b"plugin-error":
            raise PluginError("needs a model path", grpc.StatusCode.FAILED_PRECONDITION)

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> message.Message:
        global _running, _most
        text = document.text
        if text == "value-error":
            _fail_deeper(text)
        if text == "plugin-error":
            raise PluginError("cannot handle this document", grpc.StatusCode.INVALID_ARGUMENT)
        if text == "wrong-type":
            return results_pb2.SentimentResult()
        if text == "none":
            return None  # type: ignore[return-value]
        if text == "print":
            print("misbehaving: a print during analyze")
            os.write(1, b"misbehaving: a raw write during analyze\n")
        result = results_pb2.EntitiesResult()
        if text == "sleep":
            with _lock:
                _running += 1
                _most = max(_most, _running)
            time.sleep(0.05)
            with _lock:
                _running -= 1
                most = _most
            result.entities.add(label="most_concurrent", text=str(most))
        for name in sorted(dependencies):
            result.entities.add(label=name, text=dependencies[name].DESCRIPTOR.full_name)
        if text and text not in ("sleep", "print"):
            result.entities.add(label="all", span=span(document, 0, len(text)), text=text)
        return result
