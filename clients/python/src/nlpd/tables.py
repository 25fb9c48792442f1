"""Tidy tables and JSON from nlpd results.

:func:`to_records` and :func:`to_pandas` turn analysis results into one row per entity,
sentence, stance statement or actor; :func:`to_json` and :func:`from_json` write results
as protobuf JSON and read them back.

Every function takes ``results`` in any of these forms (mixed freely):

* ``nlpd.v1.AnalyzeResponse`` messages (from :meth:`nlpd.Client.analyze`);
* ``nlpd.v1.StreamResponse`` messages (from :meth:`nlpd.Client.analyze_stream`): their
  ``id`` becomes the ``id`` column. One whose outcome is ``error`` gives no rows (its
  ``doc`` number is not reused);
* :class:`nlpd.BulkResult` objects (from :meth:`nlpd.Client.analyze_many`): their
  ``id`` becomes the ``id`` column; a failed one gives no rows, as above;
* ``(id, response)`` pairs, e.g. ``zip(my_ids, responses)``;
* mappings ``{"id": ..., "response": ...}``;
* a single response instead of an iterable.

Column ``doc`` is the item's position in ``results`` (0, 1, ...). Column ``id``, right
after it, is there when any item carries an id (``None`` for those that do not).
Offsets ``start``/``end`` are code points of ``response.document.text`` (the NFC text
the server analyzed): ``text[start:end]`` in Python. Labels are strings: the entity type
(``"PER"``, ``"LOC"``, ``"ORG"``, ``"MISC"``), the polarity (``"NEGATIVE"``,
``"NEUTRAL"``, ``"POSITIVE"``) and the stance (``"FAVOR"``, ``"AGAINST"``, ``"NONE"``).
A value that does not apply is ``None``. The columns of each kind are in
:data:`COLUMNS`, in order:

``entities`` (``response.entities``), one row per mention:
    ``doc, [id], text, label, start, end, confidence, sentence, sentiment,
    sentiment_score`` — ``sentence`` is the index into ``document.sentences`` of the
    sentence the mention starts in; ``sentiment`` and ``sentiment_score`` (in [-1, 1])
    are the polarity toward the mention when "sentiment" ran, else ``None``.
``sentences`` (``document.sentences``), one row per sentence:
    ``doc, [id], sentence, text, start, end, label, probability, negative, neutral,
    positive, score`` — ``sentence`` is the index; the rest is the sentence's polarity
    when "sentiment" ran (``probability`` is that of ``label``), else ``None``.
``statements`` (``response.stance.statements``), one row per statement:
    ``doc, [id], text, start, end, stance, confidence, actor, actor_start, actor_end,
    cue, sentence`` — ``actor`` is the actor's name (``None`` when no actor was found),
    ``actor_start``/``actor_end`` the actor phrase as written, ``cue`` the words that
    carry the stance, joined with ``"; "``.
``actors`` (``response.stance.actors``), one row per actor and document:
    ``doc, [id], actor, stance, favor, against, none, statements, balance`` — the
    dominant ``stance``, the actor's statements counted by stance and in all, and
    ``balance`` = (favor - against) / (favor + against), 0 when neither. No offsets.

What each kind needs of ``response.document`` (``AnalyzeRequest.document_view``):
``sentences`` and ``statements`` slice the text, so they need ``document_view="full"``
or ``"no_tokens"`` and raise ``ValueError`` on a ``"results_only"`` response;
``entities`` work on any (the ``sentence`` column is ``None`` without sentences), and
``actors`` need no document.

:func:`to_pandas` gives the same columns with dtypes: ``doc`` and counts ``int64``;
offsets and ``sentence`` ``Int64`` (nullable); labels ``category`` (polarity ordered
NEGATIVE < NEUTRAL < POSITIVE); texts ``string``; ``id`` ``string`` when every id is a
``str`` (else ``object``); probabilities and scores ``float64`` (``NaN`` when absent).
"""

from __future__ import annotations

import bisect
import json
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from google.protobuf import json_format, message

from nlpd import descriptors
from nlpd.bulk import BulkResult
from nlpd.v1 import document_pb2, nlpd_pb2, results_pb2

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas  # type: ignore[import-untyped,unused-ignore]

    from nlpd.client import Client

__all__ = [
    "COLUMNS",
    "KINDS",
    "Results",
    "document_rows",
    "from_json",
    "polarity_fields",
    "to_json",
    "to_pandas",
    "to_records",
]

_Response = nlpd_pb2.AnalyzeResponse | nlpd_pb2.StreamResponse | BulkResult
#: What the functions of this module take as ``results``: responses, StreamResponses,
#: BulkResults, ``(id, response)`` pairs or ``{"id", "response"}`` mappings, or one
#: response.
Results = _Response | Iterable[_Response | tuple[Any, _Response] | Mapping[str, Any]]

#: The table kinds, in the order the documentation lists them.
KINDS: tuple[str, ...] = ("entities", "sentences", "statements", "actors")

#: The columns of each kind, in order (``id`` after ``doc`` when the results carry ids).
COLUMNS: dict[str, tuple[str, ...]] = {
    "entities": (
        "doc", "text", "label", "start", "end", "confidence", "sentence", "sentiment",
        "sentiment_score",
    ),
    "sentences": (
        "doc", "sentence", "text", "start", "end", "label", "probability", "negative",
        "neutral", "positive", "score",
    ),
    "statements": (
        "doc", "text", "start", "end", "stance", "confidence", "actor", "actor_start",
        "actor_end", "cue", "sentence",
    ),
    "actors": (
        "doc", "actor", "stance", "favor", "against", "none", "statements", "balance",
    ),
}  # fmt: skip

_POLARITIES = ("NEGATIVE", "NEUTRAL", "POSITIVE")
_STANCES = ("FAVOR", "AGAINST", "NONE")
_ENTITY_LABELS = ("PER", "LOC", "ORG", "MISC")
_CUE_SEPARATOR = "; "

# pandas dtype of each column (float64 when not listed); "category", "polarity" and
# "stance" are categorical (see _dtype).
_DTYPES: dict[str, str] = {
    "doc": "int64",
    "text": "string",
    "actor": "string",
    "cue": "string",
    "label": "category",
    "sentiment": "polarity",
    "stance": "stance",
    "start": "Int64",
    "end": "Int64",
    "actor_start": "Int64",
    "actor_end": "Int64",
    "sentence": "Int64",
    "favor": "int64",
    "against": "int64",
    "none": "int64",
    "statements": "int64",
}
_NO_ID = object()


def _float32(value: float) -> float:
    """A float32 field as the shortest Python float that reads back as the same float32
    (0.848276436 rather than 0.8482764363288879)."""
    if value != value or value in (float("inf"), float("-inf")):
        return value
    packed = struct.pack("<f", value)
    for digits in range(6, 10):
        short = float(f"{value:.{digits}g}")
        if struct.pack("<f", short) == packed:
            return short
    return value


def _check_kind(kind: str) -> None:
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")


def _items(results: Results) -> Iterator[tuple[Any, nlpd_pb2.AnalyzeResponse | None]]:
    """(id or _NO_ID, response or None for a failed document) for each item."""
    if isinstance(results, (nlpd_pb2.AnalyzeResponse, nlpd_pb2.StreamResponse, BulkResult)):
        results = [results]
    elif isinstance(results, (str, bytes, Mapping)):
        raise TypeError(f"results must be an iterable of responses, got {type(results).__name__}")
    for index, item in enumerate(results):
        if isinstance(item, nlpd_pb2.AnalyzeResponse):
            yield _NO_ID, item
        elif isinstance(item, nlpd_pb2.StreamResponse):
            ok = item.WhichOneof("outcome") == "response"
            yield item.id, item.response if ok else None
        elif isinstance(item, BulkResult):
            yield item.id, item.response
        elif isinstance(item, tuple) and len(item) == 2:
            yield item[0], _response(item[1], index)
        elif isinstance(item, Mapping) and "response" in item:
            yield item.get("id"), _response(item["response"], index)
        else:
            raise TypeError(
                f"results item {index}: expected an AnalyzeResponse, a StreamResponse, a "
                f"BulkResult, an (id, response) pair or a mapping with 'id' and 'response', "
                f"got {type(item).__name__}"
            )


def _response(value: object, index: int) -> nlpd_pb2.AnalyzeResponse | None:
    if isinstance(value, nlpd_pb2.AnalyzeResponse):
        return value
    if isinstance(value, nlpd_pb2.StreamResponse):
        return value.response if value.WhichOneof("outcome") == "response" else None
    raise TypeError(
        f"results item {index}: the response of an (id, response) item must be an "
        f"AnalyzeResponse, got {type(value).__name__}"
    )


def _polarity_label(polarity: results_pb2.Polarity) -> str | None:
    return _POLARITIES[polarity.label - 1] if polarity.label else None


def _stance_name(stance: int) -> str | None:
    return _STANCES[stance - 1] if stance else None


class _Doc:
    """What the row builders need from one response."""

    def __init__(self, response: nlpd_pb2.AnalyzeResponse) -> None:
        self.response = response
        self.text = response.document.text
        self._starts = [s.span.char_start for s in response.document.sentences]

    def sentence_of(self, char_start: int) -> int | None:
        index = bisect.bisect_right(self._starts, char_start) - 1
        return index if index >= 0 else None

    def slice(self, span: document_pb2.Span) -> str:
        return self.text[span.char_start : span.char_end]


def _entity_rows(doc: _Doc) -> Iterator[dict[str, Any]]:
    response = doc.response
    polarity_at: dict[tuple[int, int], results_pb2.Polarity] = {}
    if response.HasField("sentiment"):
        for target in response.sentiment.targets:
            if target.source == results_pb2.ENTITY:
                polarity_at[(target.span.char_start, target.span.char_end)] = target.polarity
    for entity in response.entities.entities:
        span = entity.span
        polarity = polarity_at.get((span.char_start, span.char_end))
        yield {
            "text": entity.text or doc.slice(span),
            "label": entity.label or None,
            "start": span.char_start,
            "end": span.char_end,
            "confidence": _float32(entity.confidence),
            "sentence": doc.sentence_of(span.char_start),
            "sentiment": _polarity_label(polarity) if polarity is not None else None,
            "sentiment_score": _float32(polarity.score) if polarity is not None else None,
        }


def polarity_fields(polarity: results_pb2.Polarity) -> dict[str, Any]:
    """A ``Polarity`` as plain values: ``label`` (``"NEGATIVE"``, ``"NEUTRAL"``,
    ``"POSITIVE"`` or ``None``), ``probability`` (that of ``label``, ``None`` without
    one), ``negative``, ``neutral``, ``positive`` and ``score`` (in [-1, 1]). The
    columns of a ``sentences`` row, and the document sentiment of :mod:`nlpd.spark`."""
    label = _polarity_label(polarity)
    probability = {
        "NEGATIVE": polarity.negative,
        "NEUTRAL": polarity.neutral,
        "POSITIVE": polarity.positive,
    }
    return {
        "label": label,
        "probability": _float32(probability[label]) if label else None,
        "negative": _float32(polarity.negative),
        "neutral": _float32(polarity.neutral),
        "positive": _float32(polarity.positive),
        "score": _float32(polarity.score),
    }


def _sentence_rows(doc: _Doc) -> Iterator[dict[str, Any]]:
    response = doc.response
    polarities: Sequence[results_pb2.Polarity] = (
        response.sentiment.sentences if response.HasField("sentiment") else ()
    )
    for index, sentence in enumerate(response.document.sentences):
        row: dict[str, Any] = {
            "sentence": index,
            "text": doc.slice(sentence.span),
            "start": sentence.span.char_start,
            "end": sentence.span.char_end,
        }
        if index < len(polarities):
            row.update(polarity_fields(polarities[index]))
        yield row


def _statement_rows(doc: _Doc) -> Iterator[dict[str, Any]]:
    for statement in doc.response.stance.statements:
        span = statement.span
        has_actor = statement.HasField("actor_span")
        yield {
            "text": doc.slice(span),
            "start": span.char_start,
            "end": span.char_end,
            "stance": _stance_name(statement.stance),
            "confidence": _float32(statement.confidence),
            "actor": statement.actor or None,
            "actor_start": statement.actor_span.char_start if has_actor else None,
            "actor_end": statement.actor_span.char_end if has_actor else None,
            "cue": _CUE_SEPARATOR.join(doc.slice(c) for c in statement.cues) or None,
            "sentence": doc.sentence_of(span.char_start),
        }


def _actor_rows(doc: _Doc) -> Iterator[dict[str, Any]]:
    for actor in doc.response.stance.actors:
        sided = actor.favor + actor.against
        yield {
            "actor": actor.actor,
            "stance": _stance_name(actor.stance),
            "favor": actor.favor,
            "against": actor.against,
            "none": max(len(actor.statements) - sided, 0),
            "statements": len(actor.statements),
            "balance": (actor.favor - actor.against) / sided if sided else 0.0,
        }


_ROWS: dict[str, Callable[[_Doc], Iterator[dict[str, Any]]]] = {
    "entities": _entity_rows,
    "sentences": _sentence_rows,
    "statements": _statement_rows,
    "actors": _actor_rows,
}


# The kinds whose rows slice the document's text, which a response of
# document_view="results_only" does not carry.
_NEEDS_TEXT = frozenset({"sentences", "statements"})


def _check_document(response: nlpd_pb2.AnalyzeResponse, kind: str, index: int) -> None:
    """Raise when ``response`` lacks the document parts that ``kind``'s rows need.

    The server never sends an empty text except under ``document_view="results_only"``.
    """
    if kind in _NEEDS_TEXT and not response.document.text:
        raise ValueError(
            f"kind {kind!r} needs each document's text and sentences, which results item "
            f"{index} does not carry (a response of document_view='results_only'); "
            "analyze with document_view='full' or 'no_tokens'"
        )


def _table(results: Results, kind: str) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    _check_kind(kind)
    build = _ROWS[kind]
    rows: list[tuple[Any, int, dict[str, Any]]] = []
    with_ids = False
    for index, (doc_id, response) in enumerate(_items(results)):
        with_ids = with_ids or doc_id is not _NO_ID
        if response is None:
            continue
        _check_document(response, kind, index)
        for row in build(_Doc(response)):
            rows.append((doc_id, index, row))
    base = COLUMNS[kind]
    columns = (base[0], "id", *base[1:]) if with_ids else base
    records = []
    for doc_id, index, row in rows:
        record: dict[str, Any] = {"doc": index}
        if with_ids:
            record["id"] = None if doc_id is _NO_ID else doc_id
        for column in base[1:]:
            record[column] = row.get(column)
        records.append(record)
    return columns, records


def document_rows(response: nlpd_pb2.AnalyzeResponse, kind: str) -> list[dict[str, Any]]:
    """The rows of one response, without ``doc`` and ``id``: what :func:`to_records`
    gives for it, one dict per entity, sentence, statement or actor with the kind's
    other :data:`COLUMNS` as keys. :mod:`nlpd.spark` makes its array columns of them.

    Raises:
        ValueError: an unknown ``kind``, or ``"sentences"`` or ``"statements"`` of a
            ``document_view="results_only"`` response (see :func:`to_records`).
    """
    _check_kind(kind)
    _check_document(response, kind, 0)
    columns = COLUMNS[kind][1:]
    return [{c: row.get(c) for c in columns} for row in _ROWS[kind](_Doc(response))]


def to_records(results: Results, kind: str) -> list[dict[str, Any]]:
    """One dict per entity, sentence, stance statement or actor of ``results``.

    Args:
        results: responses, ``StreamResponse`` messages, ``(id, response)`` pairs or
            ``{"id", "response"}`` mappings, or a single response (see the module's
            documentation).
        kind: ``"entities"``, ``"sentences"``, ``"statements"`` or ``"actors"``.

    Returns:
        A list of dicts whose keys are the kind's :data:`COLUMNS` in that order, with
        ``"id"`` after ``"doc"`` when the results carry ids. Values are plain Python
        objects (``int``, ``float``, ``str``, ``None``): ``json.dumps`` takes them.

    Raises:
        ValueError: an unknown ``kind`` (the message lists the kinds), or ``"sentences"``
            or ``"statements"`` of a response without the document's text
            (``document_view="results_only"``).
        TypeError: an item of ``results`` is none of the accepted forms.
    """
    return _table(results, kind)[1]


def _import_pandas() -> ModuleType:
    try:
        import pandas  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(
            "nlpd.to_pandas needs pandas, which is not installed; install the extra "
            "nlpd[pandas] (pip install 'nlpd[pandas]') or pandas itself"
        ) from exc
    module: ModuleType = pandas
    return module


def _dtype(pd: ModuleType, table: str, column: str, values: list[Any]) -> object:
    kind = _DTYPES.get(column, "float64")
    if column == "id":
        ids = [v for v in values if v is not None]
        return "string" if ids and all(isinstance(v, str) for v in ids) else object
    if column == "label" and table == "sentences":
        kind = "polarity"
    if kind == "polarity":
        return pd.CategoricalDtype(list(_POLARITIES), ordered=True)
    if kind == "stance":
        return pd.CategoricalDtype(list(_STANCES))
    if kind == "category":  # the entity label: the four known types, then any others
        extra = sorted({v for v in values if v is not None and v not in _ENTITY_LABELS})
        return pd.CategoricalDtype([*_ENTITY_LABELS, *extra])
    return kind


def to_pandas(results: Results, kind: str) -> pandas.DataFrame:
    """:func:`to_records` as a ``pandas.DataFrame`` with typed columns.

    Dtypes: ``doc`` and counts ``int64``; ``start``, ``end``, ``actor_start``,
    ``actor_end``, ``sentence`` ``Int64``; ``label``, ``sentiment``, ``stance``
    ``category`` (polarity ordered NEGATIVE < NEUTRAL < POSITIVE; the entity label's
    categories are PER, LOC, ORG, MISC and any other label found); texts ``string``;
    ``id`` ``string`` when every id given is a str, else ``object``; the rest ``float64``.
    An empty table still has every column, with these dtypes.

    Raises:
        ImportError: pandas is not installed (install ``nlpd[pandas]``).
        ValueError: an unknown ``kind``, or one that needs the document's text of a
            ``document_view="results_only"`` response (see :func:`to_records`).
        TypeError: an item of ``results`` is none of the accepted forms.
    """
    _check_kind(kind)
    pd = _import_pandas()
    columns, records = _table(results, kind)
    data = {}
    for column in columns:
        values = [record[column] for record in records]
        dtype = _dtype(pd, kind, column, values)
        if dtype == "float64":
            values = [float("nan") if v is None else v for v in values]
        data[column] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(columns))


# -- JSON ------------------------------------------------------------------------------


class _TypeResolver:
    """Message classes of custom results: nlpd.v1 types are known; others come from the
    descriptor sets that the server's plugins publish (one ListPlugins per resolver)."""

    def __init__(self, client: Client | None) -> None:
        self._client = client
        self._plugins: dict[str, nlpd_pb2.PluginInfo] | None = None
        self._classes: dict[tuple[str, str], type[message.Message]] = {}

    def message_class(self, plugin: str, type_url: str) -> type[message.Message]:
        full_name = type_url.rpartition("/")[2]
        builtin = descriptors.builtin_class(full_name)
        if builtin is not None:
            return builtin
        key = (plugin, full_name)
        if key in self._classes:
            return self._classes[key]
        if self._client is None:
            raise ValueError(
                f"custom result {plugin!r} is a {full_name}, which is not an nlpd.v1 type: "
                "pass client= (an nlpd.Client connected to a server with that plugin) so "
                "its schema can be fetched"
            )
        if self._plugins is None:
            self._plugins = {p.name: p for p in self._client.plugins()}
        # The plugin of that name, else any plugin of that result type.
        candidates = [self._plugins[plugin]] if plugin in self._plugins else []
        candidates += [p for p in self._plugins.values() if p.result_type == full_name]
        for info in candidates:
            if info.result_type != full_name or not info.descriptor_set:
                continue
            pool = descriptors.build_pool(info.descriptor_set)
            self._classes[key] = descriptors.message_class(pool, full_name)
            return self._classes[key]
        raise ValueError(
            f"custom result {plugin!r}: no plugin of the server at {self._client.target} "
            f"describes its type {full_name}"
        )


def _response_to_dict(
    response: nlpd_pb2.AnalyzeResponse, resolver: _TypeResolver
) -> dict[str, Any]:
    bare = nlpd_pb2.AnalyzeResponse()
    bare.CopyFrom(response)
    bare.ClearField("custom_results")
    out: dict[str, Any] = json_format.MessageToDict(
        bare, always_print_fields_with_no_presence=True, preserving_proto_field_name=True
    )
    custom = {}
    for name in sorted(response.custom_results):
        any_msg = response.custom_results[name]
        decoded = resolver.message_class(name, any_msg.type_url).FromString(any_msg.value)
        fields = json_format.MessageToDict(
            decoded,
            always_print_fields_with_no_presence=True,
            preserving_proto_field_name=True,
            descriptor_pool=decoded.DESCRIPTOR.file.pool,
        )
        custom[name] = {"@type": any_msg.type_url, **fields}
    out["custom_results"] = custom
    return out


def _response_from_dict(
    value: Mapping[str, Any], resolver: _TypeResolver, index: int
) -> nlpd_pb2.AnalyzeResponse:
    if not isinstance(value, Mapping):
        raise ValueError(f"item {index}: expected a JSON object, got {type(value).__name__}")
    fields = dict(value)
    custom = fields.pop("custom_results", None) or fields.pop("customResults", None) or {}
    response = nlpd_pb2.AnalyzeResponse()
    try:
        json_format.ParseDict(fields, response)
    except json_format.ParseError as exc:
        raise ValueError(f"item {index}: not an nlpd.v1.AnalyzeResponse: {exc}") from exc
    for name, result in custom.items():
        if not isinstance(result, Mapping) or "@type" not in result:
            raise ValueError(f"item {index}: custom result {name!r} has no '@type'")
        body = dict(result)
        type_url = body.pop("@type")
        cls = resolver.message_class(name, type_url)
        decoded = cls()
        try:
            json_format.ParseDict(body, decoded, descriptor_pool=cls.DESCRIPTOR.file.pool)
        except json_format.ParseError as exc:
            raise ValueError(f"item {index}: custom result {name!r}: {exc}") from exc
        any_msg = response.custom_results[name]
        any_msg.type_url = type_url
        any_msg.value = decoded.SerializeToString()
    return response


def to_json(
    results: Results,
    *,
    client: Client | None = None,
    indent: int | None = None,
    lines: bool = False,
) -> str:
    """``results`` as a JSON array, in the protobuf JSON mapping (proto field names).

    Each item is an ``nlpd.v1.AnalyzeResponse`` object; an item that carries an id
    (``StreamResponse``, ``(id, response)``, ``{"id", "response"}``) is written as
    ``{"id": id, "response": {...}}``, the JSON of a ``StreamResponse``. Custom results
    are written as ``google.protobuf.Any`` in JSON: an object with ``"@type"`` (the
    type URL) and the decoded fields. Fields with default values are written too.
    :func:`from_json` reads the text back.

    Args:
        results: as for :func:`to_records`.
        client: resolves custom results whose type is not an nlpd.v1 type (a plugin's
            own message, e.g. "keywords") through the schema the server publishes;
            without one, such a result is a ValueError.
        indent: passed to ``json.dumps`` (``None``: one line).
        lines: JSON Lines instead of an array: one item per line (``indent`` ignored),
            as ``nlpctl batch`` prints them.

    Raises:
        ValueError: a ``StreamResponse`` whose outcome is an error (filter those out
            first), or a custom result whose type cannot be resolved.
        TypeError: an item of ``results`` is none of the accepted forms.
    """
    resolver = _TypeResolver(client)
    items: list[Any] = []
    for index, (doc_id, response) in enumerate(_items(results)):
        if response is None:
            raise ValueError(
                f"results item {index} (id {doc_id!r}) is a failed document (a "
                "StreamResponse or BulkResult with an error), which JSON of AnalyzeResponse "
                "cannot hold; filter it out"
            )
        body = _response_to_dict(response, resolver)
        items.append(body if doc_id is _NO_ID else {"id": doc_id, "response": body})
    if lines:
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    return json.dumps(items, ensure_ascii=False, indent=indent)


def _load(text: str | bytes) -> list[Any]:
    """A JSON array, a single JSON object, or JSON Lines, as a list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not exc.msg.startswith("Extra data"):
            raise ValueError(f"not JSON: {exc}") from exc
        lines = text.decode() if isinstance(text, bytes) else text
        data = []
        for number, line in enumerate(lines.splitlines(), 1):
            if line.strip():
                try:
                    data.append(json.loads(line))
                except json.JSONDecodeError as line_exc:
                    raise ValueError(f"JSON Lines, line {number}: {line_exc}") from line_exc
        return data
    if isinstance(data, Mapping):
        return [data]
    if not isinstance(data, list):
        raise ValueError(f"expected a JSON array of responses, got {type(data).__name__}")
    return data


def from_json(
    text: str | bytes, *, client: Client | None = None, with_ids: bool = False
) -> list[Any]:
    """Read what :func:`to_json` wrote: a JSON array (or a single object, or JSON Lines)
    of ``AnalyzeResponse`` objects, or of ``{"id": ..., "response": {...}}`` objects
    (so also the output of ``nlpctl batch``).

    Returns:
        A list of ``nlpd.v1.AnalyzeResponse``; with ``with_ids=True``, a list of
        ``(id, response)`` pairs (id ``None`` for an item written without one), which
        :func:`to_records` and :func:`to_json` accept as they are.

    Args:
        client: resolves custom results whose type is not an nlpd.v1 type, as for
            :func:`to_json`.

    Raises:
        ValueError: not JSON, not responses, an ``{"id", "error"}`` item (a failed
            document of ``nlpctl batch``), or a custom result's type that cannot be
            resolved.
    """
    resolver = _TypeResolver(client)
    out: list[Any] = []
    for index, item in enumerate(_load(text)):
        doc_id: Any = None
        body = item
        if isinstance(item, Mapping) and "error" in item and "response" not in item:
            raise ValueError(
                f"item {index} (id {item.get('id')!r}) is a failed document: {item['error']}"
            )
        if isinstance(item, Mapping) and "response" in item:
            doc_id, body = item.get("id"), item["response"]
        response = _response_from_dict(body, resolver, index)
        out.append((doc_id, response) if with_ids else response)
    return out
