"""A Python test plugin that breaks the plugin contract when the text asks it to
(test_python_plugins.py, test_plugin_test_command.py). Keywords, first match wins:

PY_RAISE       raises ValueError              PY_PLUGIN_ERROR  raises PluginError(INVALID_ARGUMENT)
PY_BAD_SPAN    a span ending at byte 1000     PY_SPLIT_UTF8    a span ending inside a character
PY_WRONG_TYPE  returns a SentimentResult      PY_SEGFAULT      reads address 0 (SIGSEGV)
PY_SLEEP       sleeps 3 s, then answers

Anything else: one entity "FIRST_WORD" over the first word, with correct offsets.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Mapping

import grpc
from google.protobuf import message

from nlpd.plugin import Plugin, PluginError, span
from nlpd.v1 import document_pb2, results_pb2


class Breaches(Plugin):
    """Breaks the contract on request"""

    name = "py_breaches"
    version = "1.0.0"
    result_type = results_pb2.EntitiesResult

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> message.Message:
        text = document.text
        if "PY_RAISE" in text:
            raise ValueError("PY_RAISE: raising as asked")
        if "PY_PLUGIN_ERROR" in text:
            raise PluginError("PY_PLUGIN_ERROR: refusing", grpc.StatusCode.INVALID_ARGUMENT)
        if "PY_WRONG_TYPE" in text:
            return results_pb2.SentimentResult()
        if "PY_SEGFAULT" in text:
            ctypes.string_at(0)  # a real segmentation fault, not a signal sent later
        if "PY_SLEEP" in text:
            time.sleep(3)
        result = results_pb2.EntitiesResult()
        entity = result.entities.add(label="FIRST_WORD", confidence=1.0)
        if "PY_BAD_SPAN" in text:
            entity.span.byte_end = entity.span.char_end = 1000
            return result
        if "PY_SPLIT_UTF8" in text:
            first = next(i for i, c in enumerate(text) if ord(c) > 0x7F)
            head = len(text[:first].encode())
            entity.span.byte_end = head + 1
            entity.span.char_end = first + 1
            return result
        words = text.split()
        end = text.index(words[0]) + len(words[0]) if words else 0
        entity.span.CopyFrom(span(document, text.index(words[0]) if words else 0, end))
        entity.text = text[entity.span.char_start : entity.span.char_end]
        return result
