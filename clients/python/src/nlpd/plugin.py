"""The API for writing nlpd plugins in Python.

A Python plugin is one ``.py`` file holding exactly one subclass of :class:`Plugin`::

    from nlpd.plugin import Plugin, PluginError, Spans
    from nlpd.v1 import results_pb2


    class Shout(Plugin):
        \"\"\"Finds words written in capitals.\"\"\"   # the description (first line)

        name = "shout"                     # the analysis name clients ask for
        version = "1.0.0"
        languages = ["*"]                  # BCP-47 primary tags, "*" = any (default)
        dependencies = []                  # analyses whose results analyze() gets
        result_type = results_pb2.EntitiesResult

        def setup(self, config: bytes) -> None:     # optional, once, before analyze()
            ...

        def analyze(self, document, dependencies):  # per document
            spans = Spans(document)
            ...
            return results_pb2.EntitiesResult(...)

The server runs the file in its own process (``python -m nlpd.plugin_host``, see
:mod:`nlpd.plugin_host`), started with ``nlpd --python_plugin=FILE.py``. The file's
directory is put first on ``sys.path``, so the plugin can import modules next to it, such
as the ``*_pb2.py`` modules ``grpc_tools.protoc`` generates for its own result type.
Name the plugin file differently from such a package (``textstats_plugin.py`` next to
``textstats/v1/textstats_pb2.py``, not ``textstats.py``): a module file shadows a package
directory of the same name.

Contract of the class attributes, checked when the file is loaded (a violation refuses the
file with a message naming the file and the attribute):

* ``name`` (required): the analysis name, ``[a-z0-9_]+`` (what the server's loader
  accepts).
* ``version`` (required): a non-empty string.
* ``result_type`` (required): a protobuf message class, either a built-in result of
  ``nlpd.v1`` (``nlpd.v1.results_pb2.EntitiesResult``) or the plugin's own generated
  class. The server learns the schema of a type outside ``nlpd.v1`` from the
  ``FileDescriptorSet`` of its ``.proto`` file, which the host ships.
* ``languages``: non-empty list of language codes, default ``["*"]``.
* ``dependencies``: list of analysis names, default ``[]``.
* ``description``: default the first line of the class docstring.
* ``thread_safe``: default ``True``: ``analyze`` is called from several threads at once;
  ``False`` serializes the calls.

Errors: raise :class:`PluginError` to fail one document with a chosen status code; any
other exception fails it with ``INTERNAL`` and the message
``"ExceptionType: message (file.py:line)"`` while the traceback goes to the log.

Spans: ``Document.text`` is a Python ``str``, so plugins compute ``str`` indices (code
points); :func:`span` and :class:`Spans` turn them into ``nlpd.v1.Span`` messages carrying
both the code-point and the UTF-8 byte offsets the server checks.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import ClassVar

import grpc
from google.protobuf import message

from nlpd.v1 import document_pb2

__all__ = ["Plugin", "PluginError", "Spans", "span", "text_of"]

# google.rpc.Code values 1..16 (CANCELLED .. UNAUTHENTICATED); 0 is OK, not an error.
_MAX_CODE = 16


class PluginError(Exception):
    """Fails the current document (or ``setup``) with a status code and message.

    ``code`` is a :class:`grpc.StatusCode` or a google.rpc code number (1..16, not OK);
    the default is ``INTERNAL``. Use ``INVALID_ARGUMENT`` for documents the plugin cannot
    handle, ``FAILED_PRECONDITION`` for missing configuration, ``UNAVAILABLE`` for a
    backend that is down. The server returns it to the caller as
    ``plugin '<name>': <message>`` with that code.

    Raises:
        ValueError: ``code`` is OK or not a google.rpc code.
    """

    def __init__(
        self, message: str, code: grpc.StatusCode | int = grpc.StatusCode.INTERNAL
    ) -> None:
        super().__init__(message)
        number = code.value[0] if isinstance(code, grpc.StatusCode) else code
        if not isinstance(number, int) or not 0 < number <= _MAX_CODE:
            raise ValueError(f"PluginError code must be a non-OK google.rpc code, not {code!r}")
        self.message = message
        #: The google.rpc code number (3 = INVALID_ARGUMENT, 13 = INTERNAL, ...).
        self.code: int = number

    def __str__(self) -> str:
        return self.message


class Plugin:
    """Base class of a Python plugin; see the module documentation for the contract.

    The host creates one instance per process, calls :meth:`setup` once, then
    :meth:`analyze` for every document. Subclasses set the class attributes below and
    override :meth:`analyze`.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    result_type: ClassVar[type[message.Message]]
    languages: ClassVar[Sequence[str]] = ("*",)
    dependencies: ClassVar[Sequence[str]] = ()
    description: ClassVar[str | None] = None
    thread_safe: ClassVar[bool] = True

    @property
    def logger(self) -> logging.Logger:
        """A logger tagged with the plugin's name; the host writes it to stderr."""
        return logging.getLogger(f"nlpd.plugin.{type(self).name}")

    def setup(self, config: bytes) -> None:
        """Called once before any :meth:`analyze` with ``ServerConfig.plugins[name].config``.

        ``config`` is the configured bytes verbatim (empty when none was configured).
        Raising fails the plugin's start (the server reports FAILED_PRECONDITION with the
        message and keeps retrying with backoff). The default does nothing.
        """

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> message.Message:
        """Analyzes one document; returns an instance of :attr:`result_type`.

        ``document`` is the server's ``nlpd.v1.Document`` (normalized text, language,
        sentences, tokens). ``dependencies`` maps each name in :attr:`dependencies` to
        that analysis's result. A result is decoded into its message class when the type
        is in protobuf's default descriptor pool (the ``nlpd.v1`` built-in results, and
        any type whose generated ``_pb2`` module the plugin imported); otherwise it is
        left as the ``google.protobuf.Any`` the server sent (decode it with ``Unpack``).

        Must not modify ``document``. Called concurrently unless ``thread_safe = False``.
        """
        raise NotImplementedError(f"{type(self).__name__}.analyze is not implemented")


# Characters per checkpoint of Spans' byte-offset table.
_BLOCK = 64


class Spans:
    """Converts ``str`` indices of one text into ``nlpd.v1.Span`` messages and back.

    Construction is O(n) once: for text that is not pure ASCII it records the UTF-8 byte
    offset of every 64th character (len(text) / 64 slices encoded in C). Each conversion
    is then O(1): a table lookup plus encoding at most 63 characters (nothing at all for
    ASCII text). Make one per document and reuse it for all its spans. Immutable and
    thread-safe.
    """

    __slots__ = ("text", "_checkpoints")

    def __init__(self, document: document_pb2.Document | str) -> None:
        #: The text the indices refer to.
        self.text: str = document if isinstance(document, str) else document.text
        # _checkpoints[b] is the byte offset of character b * _BLOCK; None for ASCII text,
        # where byte and character offsets agree.
        self._checkpoints: list[int] | None = None
        if not self.text.isascii():
            text = self.text
            blocks = (len(text[i : i + _BLOCK].encode()) for i in range(0, len(text), _BLOCK))
            self._checkpoints = [0, *itertools.accumulate(blocks)]

    def byte_offset(self, index: int) -> int:
        """The UTF-8 byte offset of ``str`` index ``index`` (0 <= index <= len(text)).

        Raises:
            ValueError: ``index`` is outside the text.
        """
        if not 0 <= index <= len(self.text):
            raise ValueError(f"index {index} is outside the text (length {len(self.text)})")
        if self._checkpoints is None:
            return index
        block, within = divmod(index, _BLOCK)
        offset = self._checkpoints[block]
        if within:
            start = index - within
            offset += len(self.text[start:index].encode())
        return offset

    def span(self, start: int, end: int) -> document_pb2.Span:
        """The span of ``text[start:end]``, with char and UTF-8 byte offsets.

        Raises:
            ValueError: unless 0 <= start <= end <= len(text) (no negative indices).
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span [{start}, {end}) is not inside the text (length {len(self.text)})"
            )
        return document_pb2.Span(
            byte_start=self.byte_offset(start),
            byte_end=self.byte_offset(end),
            char_start=start,
            char_end=end,
        )

    def text_of(self, span: document_pb2.Span) -> str:
        """The text a span covers, sliced by its char offsets.

        Raises:
            ValueError: the span is not inside the text.
        """
        if not span.char_start <= span.char_end <= len(self.text):
            raise ValueError(
                f"span [{span.char_start}, {span.char_end}) is not inside the text "
                f"(length {len(self.text)})"
            )
        return self.text[span.char_start : span.char_end]


# The Spans of the document the convenience functions saw last, per thread. Keyed by the
# Document object's identity: reading Document.text copies the text, so keying by text
# would cost O(n) per call. The host clears it after each analyze() call.
_last = threading.local()


def _spans_of(document: document_pb2.Document) -> Spans:
    if getattr(_last, "document", None) is not document:
        _last.spans = Spans(document)
        _last.document = document
    spans: Spans = _last.spans
    return spans


def _forget_cached_spans() -> None:
    """Drops this thread's cached document (called by the host after each document)."""
    _last.__dict__.clear()


def span(document: document_pb2.Document, start: int, end: int) -> document_pb2.Span:
    """The ``nlpd.v1.Span`` of ``document.text[start:end]`` (``str`` indices).

    Caches the :class:`Spans` of the last document used on this thread, so many calls on
    one document cost O(n) once, not per call. The cache assumes ``document.text`` does
    not change between calls; use :class:`Spans` directly for text you are editing.

    Raises:
        ValueError: unless 0 <= start <= end <= len(document.text).
    """
    return _spans_of(document).span(start, end)


def text_of(document: document_pb2.Document, span: document_pb2.Span) -> str:
    """The text of ``document`` that ``span`` covers (cached like :func:`span`).

    Raises:
        ValueError: the span is not inside the text.
    """
    return _spans_of(document).text_of(span)


def _description_of(cls: type[Plugin]) -> str:
    """The class's ``description``, else the first line of its own docstring, else ''."""
    if cls.description is not None:
        return cls.description
    doc = cls.__doc__
    if not doc:
        return ""
    lines = inspect.cleandoc(doc).splitlines()
    return lines[0].strip() if lines else ""
