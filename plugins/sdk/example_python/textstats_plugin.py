"""textstats: the C++ SDK example (plugins/sdk/example/textstats_plugin.cc) in Python.

Standard library only. It reads the server's tokens and returns the same result message
as the C++ plugin, ``textstats.v1.TextStats`` (plugins/sdk/example/textstats/v1/
textstats.proto), computed the same way, so the two give equal results on a document.

Generate the result type's module next to this file first (from the repository root)::

    python -m nlpd.protoc -I plugins/sdk/example \\
        --python_out=plugins/sdk/example_python textstats/v1/textstats.proto

then run it with ``nlpd --python_plugin=plugins/sdk/example_python/textstats_plugin.py``.
The file is not called ``textstats.py``: a module of that name would shadow the generated
package ``textstats/`` next to it.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

from google.protobuf import message
from textstats.v1 import textstats_pb2

from nlpd.plugin import Plugin, Spans
from nlpd.v1 import document_pb2

# Set by newer versions of textstats.proto: the span of the longest word.
_HAS_SPAN = "longest_word_span" in textstats_pb2.TextStats.DESCRIPTOR.fields_by_name


def _float32(value: float) -> float:
    """``value`` rounded to a C++ float, as static_cast<float> does."""
    rounded: float = struct.unpack("f", struct.pack("f", value))[0]
    return rounded


class TextStatsPlugin(Plugin):
    """Counts sentences, tokens and words"""

    name = "textstats"
    version = "1.0.0"
    languages = ["*"]
    result_type = textstats_pb2.TextStats

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> textstats_pb2.TextStats:
        spans = Spans(document)
        stats = textstats_pb2.TextStats(
            sentences=len(document.sentences), tokens=len(document.tokens)
        )
        words = 0
        distinct: set[str] = set()
        total_length = 0
        longest = 0
        for token in document.tokens:
            if token.kind != document_pb2.TOKEN_KIND_WORD:
                continue
            word = spans.text_of(token.span)
            length = token.span.char_end - token.span.char_start
            words += 1
            distinct.add(word)
            total_length += length
            if length > longest:
                longest = length
                stats.longest_word = word
                if _HAS_SPAN:
                    stats.longest_word_span.CopyFrom(token.span)
        stats.words = words
        stats.distinct_words = len(distinct)
        if words > 0:
            # As C++ computes it: float(total) / float(words), rounded once to float.
            stats.mean_word_length = _float32(_float32(total_length) / _float32(words))
        return stats
