"""A spaCy pipeline component that analyzes each ``Doc`` with an nlpd server.

Installed with the extra ``nlpd[spacy]``; spaCy finds the factory through the
``spacy_factories`` entry point, so nothing needs importing::

    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("nlpd", config={"target": "127.0.0.1:50051"})
    doc = nlp("Angela Merkel besuchte Paris.")
    doc.ents                      # (Angela Merkel, Paris), labels PER, LOC
    doc.ents[0]._.nlpd_confidence # 0.848...
    doc._.nlpd_sentiment          # {"label": "NEUTRAL", "score": ..., ...}

Config (all JSON values, so ``nlp.config`` and ``nlp.to_disk`` hold them):

``target``
    ``HOST:PORT`` of the server (default ``127.0.0.1:50051``).
``analyses``
    Analyses to run (default ``["entities", "sentiment", "stance"]``).
``language``
    BCP-47 code sent with every text. ``null`` (the default): ``nlp.lang`` when it is a
    language code (``"de"``, ``"en"``; not spaCy's multi-language ``"xx"``), else the
    server identifies the language. ``"auto"``: always let the server identify it.
``timeout``
    Deadline in seconds of one call: one text, or one batch of ``nlp.pipe`` (default
    60; ``null``: none).
``token``
    Bearer token for a server started with ``--auth_tokens``. ``null`` (the default)
    reads ``$NLPD_TOKEN``; prefer that to a token in the config, which ``nlp.to_disk``
    would write out.
``batch_size``
    Texts per AnalyzeStream call in ``nlp.pipe`` (default 64); ``nlp.pipe``'s own
    ``batch_size`` does not change it.
``document_view``
    How much of the server's document model ``doc._.nlpd_response`` keeps:
    ``"results_only"`` (default: the results and the language, no text, sentences or
    tokens; spaCy has its own, and a response with tokens is several times the text
    in every saved ``DocBin``), ``"no_tokens"`` or ``"full"``.
``overwrite_ents``
    ``true`` (default): ``doc.ents`` becomes the server's entities. ``false``: entities
    already set (by an earlier ``ner``) stay, and the server's are added where they do
    not overlap them.

What it sets on each ``Doc`` (texts that are empty or only white space are left as they
are, with the extensions ``None``):

``doc.ents``
    When "entities" is among the ``analyses`` and ran: its mentions, labels ``PER``,
    ``LOC``, ``ORG``, ``MISC``. A mention whose character offsets fall inside a token
    grows to whole tokens (``Doc.char_span(..., alignment_mode="expand")``): "EZB" in
    the spaCy token "EZB-Präsidentin" becomes that token. One that cannot be placed, or
    that overlaps another after growing, is left out and counted in
    ``doc._.nlpd_skipped_ents`` and in the component's ``skipped_ents``.
``span._.nlpd_confidence``
    Probability in [0, 1] of each entity of ``doc.ents`` that came from nlpd (``None``
    for other spans).
``doc._.nlpd_sentiment``
    When "sentiment" ran: the document's polarity, ``{"label": "NEGATIVE" | "NEUTRAL" |
    "POSITIVE", "score": positive - negative, "negative": p, "neutral": p,
    "positive": p}``; else ``None``.
``doc._.nlpd_stance``
    When "stance" ran: ``{"favor": n, "against": n, "none": n, "balance": b,
    "statements": [...], "actors": [...]}``. A statement is ``{"text", "start", "end",
    "stance", "confidence", "actor", "actor_start", "actor_end", "cues"}`` (``cues`` a
    list of the cue words); an actor is ``{"actor", "stance", "favor", "against",
    "none", "statements"}`` (``statements`` indices into the statements). Stances are
    ``"FAVOR"``, ``"AGAINST"`` or ``"NONE"``; offsets are characters of ``doc.text``.
    Else ``None``.
``doc._.nlpd_response``
    The server's ``nlpd.v1.AnalyzeResponse`` (stored serialized in ``doc.user_data``,
    so ``DocBin`` and pickling keep it; each access parses it anew), in the config's
    ``document_view``. Its offsets are into the NFC form of ``doc.text``
    (``response.document.text`` in the ``"full"`` and ``"no_tokens"`` views).

Every value is plain data (dicts, lists, str, numbers), so ``DocBin(store_user_data=
True)`` and ``Doc.to_bytes`` serialize it. When ``doc.text`` is not in NFC (decomposed
umlauts), the server's offsets are mapped back onto ``doc.text``.

A failed call raises :class:`nlpd.Error` through spaCy's error handler
(``nlp.set_error_handler``), for a document in ``nlp.pipe`` too. The component holds
one gRPC channel, opened on first use (anew in a forked or unpickled copy) and closed
by :meth:`NlpdComponent.close` or when the component is garbage-collected.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import unicodedata
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import grpc
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from nlpd.client import DEFAULT_TARGET, Client, _document_view
from nlpd.errors import AnalysisSkippedWarning, error_class
from nlpd.tables import _float32
from nlpd.v1 import nlpd_pb2, results_pb2

__all__ = ["NlpdComponent", "make_nlpd_component"]

DEFAULT_ANALYSES = ("entities", "sentiment", "stance")
_POLARITIES = ("NEGATIVE", "NEUTRAL", "POSITIVE")
_STANCES = ("FAVOR", "AGAINST", "NONE")
# Where doc._.nlpd_response keeps the serialized response (the key format of spaCy's
# doc extensions, so Doc.to_bytes, DocBin and pickling carry it).
_RESPONSE_KEY = ("._.", "nlpd_response", None, None)
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _get_response(doc: Doc) -> nlpd_pb2.AnalyzeResponse | None:
    user_data: dict[Any, Any] = doc.user_data
    data = user_data.get(_RESPONSE_KEY)
    return None if data is None else nlpd_pb2.AnalyzeResponse.FromString(data)


def _set_response(doc: Doc, value: nlpd_pb2.AnalyzeResponse | None) -> None:
    user_data: dict[Any, Any] = doc.user_data
    if value is None:
        user_data.pop(_RESPONSE_KEY, None)
    else:
        user_data[_RESPONSE_KEY] = value.SerializeToString()


def _register_extensions() -> None:
    for name in ("nlpd_sentiment", "nlpd_stance"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("nlpd_skipped_ents"):
        Doc.set_extension("nlpd_skipped_ents", default=0)
    if not Doc.has_extension("nlpd_response"):
        Doc.set_extension("nlpd_response", getter=_get_response, setter=_set_response)
    if not Span.has_extension("nlpd_confidence"):
        Span.set_extension("nlpd_confidence", default=None)


_register_extensions()


def _offset_map(original: str, normalized: str) -> Callable[[int], int] | None:
    """Map code-point offsets of ``normalized`` (the server's NFC text) to offsets of
    ``original``; None when the two cannot be aligned."""
    if original == normalized:
        return lambda offset: offset
    for boundary in (
        lambda ch: unicodedata.combining(ch) == 0,  # NFC composes within these segments
        str.isspace,  # ... and never across white space
    ):
        starts = [i for i, ch in enumerate(original) if i == 0 or boundary(ch)]
        ends = [*starts[1:], len(original)]
        table: list[int] = []
        pieces = []
        for start, end in zip(starts, ends, strict=True):
            piece = unicodedata.normalize("NFC", original[start:end])
            pieces.append(piece)
            table.extend(min(start + k, end) for k in range(len(piece)))
        if "".join(pieces) == normalized:
            table.append(len(original))
            return lambda offset: table[min(offset, len(table) - 1)]
    return None


def _polarity(p: results_pb2.Polarity) -> dict[str, Any]:
    return {
        "label": _POLARITIES[p.label - 1] if p.label else None,
        "score": _float32(p.score),
        "negative": _float32(p.negative),
        "neutral": _float32(p.neutral),
        "positive": _float32(p.positive),
    }


def _stance(
    result: results_pb2.StanceResult, text: str, to_doc: Callable[[int], int]
) -> dict[str, Any]:
    def name(stance: int) -> str | None:
        return _STANCES[stance - 1] if stance else None

    statements = []
    for s in result.statements:
        has_actor = s.HasField("actor_span")
        statements.append(
            {
                "text": text[to_doc(s.span.char_start) : to_doc(s.span.char_end)],
                "start": to_doc(s.span.char_start),
                "end": to_doc(s.span.char_end),
                "stance": name(s.stance),
                "confidence": _float32(s.confidence),
                "actor": s.actor or None,
                "actor_start": to_doc(s.actor_span.char_start) if has_actor else None,
                "actor_end": to_doc(s.actor_span.char_end) if has_actor else None,
                "cues": [text[to_doc(c.char_start) : to_doc(c.char_end)] for c in s.cues],
            }
        )
    actors = [
        {
            "actor": a.actor,
            "stance": name(a.stance),
            "favor": a.favor,
            "against": a.against,
            "none": max(len(a.statements) - a.favor - a.against, 0),
            "statements": list(a.statements),
        }
        for a in result.actors
    ]
    return {
        "favor": result.favor,
        "against": result.against,
        "none": result.none,
        "balance": _float32(result.balance),
        "statements": statements,
        "actors": actors,
    }


@contextlib.contextmanager
def _own_skip_warnings() -> Iterator[None]:
    """Silences the client's per-call AnalysisSkippedWarning: set_annotations warns
    once per analysis instead (a warning per document would flood nlp.pipe). The
    filter is process-wide while it is set, as warnings filters are."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisSkippedWarning)
        yield


class NlpdComponent(Pipe):
    """The ``nlpd`` pipeline component (see the module's documentation)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "nlpd",
        *,
        target: str = DEFAULT_TARGET,
        analyses: Sequence[str] = DEFAULT_ANALYSES,
        language: str | None = None,
        timeout: float | None = 60.0,
        token: str | None = None,
        batch_size: int = 64,
        overwrite_ents: bool = True,
        document_view: str = "results_only",
    ) -> None:
        if isinstance(analyses, str):
            raise TypeError("analyses must be a list of names, not a str")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.name = name
        self.target = target
        self.analyses = list(analyses)
        if language is None:
            lang = (nlp.lang or "").lower()
            self.language = lang if _LANGUAGE_CODE.fullmatch(lang) and lang != "xx" else ""
        else:
            self.language = "" if language.lower() == "auto" else language
        self.timeout = timeout
        self._token = token
        self.batch_size = batch_size
        self.overwrite_ents = overwrite_ents
        _document_view(document_view)  # a ValueError now, not at the first text
        self.document_view = document_view
        #: Entities left out of doc.ents so far (not alignable, or overlapping).
        self.skipped_ents = 0
        self._client: Client | None = None
        self._finalizer: weakref.finalize[[], NlpdComponent] | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._warned: set[str] = set()

    # -- the channel -------------------------------------------------------------------

    @property
    def client(self) -> Client:
        """The :class:`nlpd.Client` of this component, connected on first use (and anew
        in a process forked after that)."""
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                token = self._token if self._token is not None else os.environ.get("NLPD_TOKEN")
                client = Client(self.target, timeout=self.timeout, token=token or None)
                if self._finalizer is not None and self._pid == os.getpid():
                    self._finalizer()
                self._client, self._pid = client, os.getpid()
                self._finalizer = weakref.finalize(self, client.close)
            return self._client

    def close(self) -> None:
        """Close the gRPC channel; a later call opens a new one."""
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()
            self._client = self._finalizer = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for key in ("_client", "_finalizer", "_lock"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("document_view", "results_only")  # pickled before the option
        self.__dict__.update(state)
        self._client = self._finalizer = None
        self._pid = 0
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.__getstate__(),))

    # -- processing --------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if not doc.text.strip():
            return doc
        with _own_skip_warnings():
            response = self.client.analyze(
                doc.text,
                self.analyses,
                language=self.language or None,
                timeout=self.timeout,
                document_view=self.document_view,
            )
        self.set_annotations(doc, response)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Analyze the docs over AnalyzeStream, ``batch_size`` (the config's) per call.

        A document the server refuses, or a batch whose call fails, goes to the error
        handler; if that returns, those documents are dropped, as spaCy's own
        components do."""
        error_handler = self.get_error_handler()
        for batch in minibatch(stream, size=self.batch_size):  # type: ignore[no-untyped-call]
            todo = [(str(i), doc.text) for i, doc in enumerate(batch) if doc.text.strip()]
            try:
                with _own_skip_warnings():
                    responses = list(
                        self.client.analyze_stream(
                            todo,
                            self.analyses,
                            language=self.language or None,
                            timeout=self.timeout,
                            document_view=self.document_view,
                        )
                    )
            except Exception as exc:
                error_handler(self.name, self, batch, exc)
                continue
            failed: set[int] = set()
            for item in responses:
                doc = batch[int(item.id)]
                if item.WhichOneof("outcome") == "error":
                    failed.add(int(item.id))
                    code = _status_code(item.error.code)
                    error_handler(
                        self.name, self, [doc], error_class(code)(code, item.error.message)
                    )
                    continue
                try:
                    self.set_annotations(doc, item.response)
                except Exception as exc:
                    failed.add(int(item.id))
                    error_handler(self.name, self, [doc], exc)
            yield from (doc for i, doc in enumerate(batch) if i not in failed)

    def set_annotations(self, doc: Doc, response: nlpd_pb2.AnalyzeResponse) -> None:
        """Set ``doc.ents`` and the ``nlpd_*`` extensions from ``response``, the
        server's analysis of ``doc.text`` in any ``document_view`` (without the text,
        ``"results_only"``, offsets are mapped from ``doc.text`` in NFC)."""
        skipped = [
            f"{info.name!r} ({nlpd_pb2.AnalysisInfo.Outcome.Name(info.outcome)}: {info.reason})"
            for info in response.analyses
            if info.outcome != nlpd_pb2.AnalysisInfo.OK and info.name not in self._warned
        ]
        if skipped:
            self._warned.update(a.name for a in response.analyses)
            warnings.warn(
                f"nlpd: did not run {', '.join(skipped)}; warning once per analysis",
                stacklevel=2,
            )
        # A response of document_view="results_only" carries no text; its offsets
        # still index the NFC text, which is doc.text normalized.
        normalized = response.document.text or unicodedata.normalize("NFC", doc.text)
        to_doc = _offset_map(doc.text, normalized)
        if to_doc is None:
            warnings.warn(
                "nlpd: the server's text does not align with doc.text; offsets are left out",
                stacklevel=2,
            )
        doc._.nlpd_response = response
        doc._.nlpd_sentiment = (
            _polarity(response.sentiment.document) if response.HasField("sentiment") else None
        )
        doc._.nlpd_stance = (
            _stance(response.stance, doc.text, to_doc)
            if response.HasField("stance") and to_doc is not None
            else None
        )
        if "entities" in self.analyses and _ran(response, "entities"):
            doc._.nlpd_skipped_ents = self._set_ents(doc, response.entities, to_doc)

    def _set_ents(
        self, doc: Doc, result: results_pb2.EntitiesResult, to_doc: Callable[[int], int] | None
    ) -> int:
        confidence: dict[tuple[int, int, str], float] = {}
        spans: list[Span] = []
        skipped = 0
        for entity in result.entities:
            span = None
            if to_doc is not None:
                start, end = to_doc(entity.span.char_start), to_doc(entity.span.char_end)
                span = doc.char_span(start, end, label=entity.label, alignment_mode="expand")
            if span is None or len(span) == 0:
                skipped += 1
                continue
            spans.append(span)
            confidence[(span.start_char, span.end_char, entity.label)] = _float32(entity.confidence)
        kept: list[Span] = []
        taken: set[int] = set()
        if not self.overwrite_ents:
            kept = list(doc.ents)
            for ent in kept:
                taken.update(range(ent.start, ent.end))
        for span in spans:  # text order; the server's never overlap, grown ones may
            if taken.intersection(range(span.start, span.end)):
                skipped += 1
                continue
            taken.update(range(span.start, span.end))
            kept.append(span)
        doc.ents = sorted(kept, key=lambda s: s.start)
        for ent in doc.ents:
            value = confidence.get((ent.start_char, ent.end_char, ent.label_))
            if value is not None:
                ent._.nlpd_confidence = value
        self.skipped_ents += skipped
        return skipped


def _ran(response: nlpd_pb2.AnalyzeResponse, name: str) -> bool:
    return any(a.name == name and a.outcome == nlpd_pb2.AnalysisInfo.OK for a in response.analyses)


def _status_code(number: int) -> grpc.StatusCode:
    return next((c for c in grpc.StatusCode if c.value[0] == number), grpc.StatusCode.UNKNOWN)


def _restore(state: dict[str, Any]) -> NlpdComponent:
    component = NlpdComponent.__new__(NlpdComponent)
    component.__setstate__(state)
    return component


@Language.factory(
    "nlpd",
    default_config={
        "target": DEFAULT_TARGET,
        "analyses": list(DEFAULT_ANALYSES),
        "language": None,
        "timeout": 60.0,
        "token": None,
        "batch_size": 64,
        "overwrite_ents": True,
        "document_view": "results_only",
    },
    assigns=[
        "doc.ents",
        "span._.nlpd_confidence",
        "doc._.nlpd_sentiment",
        "doc._.nlpd_stance",
        "doc._.nlpd_response",
        "doc._.nlpd_skipped_ents",
    ],
)
def make_nlpd_component(
    nlp: Language,
    name: str,
    target: str,
    analyses: list[str],
    language: str | None,
    timeout: float | None,
    token: str | None,
    batch_size: int,
    overwrite_ents: bool,
    document_view: str,
) -> NlpdComponent:
    """Create the ``nlpd`` component (``nlp.add_pipe("nlpd", config={...})``)."""
    return NlpdComponent(
        nlp,
        name,
        target=target,
        analyses=analyses,
        language=language,
        timeout=timeout,
        token=token,
        batch_size=batch_size,
        overwrite_ents=overwrite_ents,
        document_view=document_view,
    )
