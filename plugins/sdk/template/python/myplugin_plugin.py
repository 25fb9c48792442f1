"""myplugin: finds the words written in capitals ("EU", "NATO", "UNO").

Word tokens of two or more characters that are all upper-case letters, with their spans.
The result type comes from ``myplugin/v1/myplugin.proto``; generate its module first::

    python -m nlpd.protoc -I . --python_out=. myplugin/v1/myplugin.proto

(the tests do it for you, see conftest.py). Serve with ``nlpd --python_plugin=$PWD/
myplugin_plugin.py``. The file is not called ``myplugin.py``: a module of that name would
shadow the generated package ``myplugin/``.
"""

from __future__ import annotations

from collections.abc import Mapping

from google.protobuf import message
from nlpd.plugin import Plugin, Spans
from nlpd.v1 import document_pb2

from myplugin.v1 import myplugin_pb2


def is_capitals(word: str) -> bool:
    """Two or more characters, each an upper-case letter."""
    return len(word) >= 2 and all(c.isupper() for c in word)


class MypluginPlugin(Plugin):
    """Finds words written in capitals"""

    name = "myplugin"
    version = "0.1.0"
    languages = ["*"]
    result_type = myplugin_pb2.MypluginResult

    def setup(self, config: bytes) -> None:
        """Once, before the first document: read the configuration, load data."""

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> myplugin_pb2.MypluginResult:
        """Per document, from several threads at once."""
        spans = Spans(document)
        result = myplugin_pb2.MypluginResult()
        for token in document.tokens:
            if token.kind != document_pb2.TOKEN_KIND_WORD:
                continue
            word = spans.text_of(token.span)
            if is_capitals(word):
                result.matches.add(text=word, span=token.span)  # the server's spans are valid
        return result
