"""Annotate a text column of an Apache Spark DataFrame with nlpd, from the executors.

    >>> from nlpd.spark import annotate
    >>> out = annotate(df, text_col="text", target="dns:///nlpd.nlp.svc:50051",
    ...                analyses=["entities", "sentiment", "stance"])

:func:`annotate` is lazy, like any DataFrame transformation: it returns a DataFrame with
the input's columns and typed result columns, and the work runs when an action (a write,
``count()``, ``collect()``) runs it. Each partition is sent by the executor that holds it
(``DataFrame.mapInPandas``), through one :class:`nlpd.AsyncClient` (one gRPC channel)
per partition and its ``analyze_many``: ``concurrency`` AnalyzeStream calls at a time,
each a new pick of the channel's round-robin balancer over the replicas that ``target``
names (``"ipv4:10.0.0.1:50051,10.0.0.2:50051"``, ``"dns:///nlpd-headless:50051"``; see
docs/SCALING.md).

A row never fails the job. A row whose text was refused (empty, too long, ...) or whose
analysis failed gets ``null`` results and a reason in ``error``. Rows refused for a
passing reason (``UNAVAILABLE``, ``RESOURCE_EXHAUSTED``, ``DEADLINE_EXCEEDED``,
``ABORTED``), and the rows without a result of a stream that failed with one of those,
``INTERNAL`` (how grpc.aio reports a connection lost mid-stream, as when a replica is
killed) or ``CANCELLED`` (which grpc.aio gave streams when no replica was reachable), are
sent again, up to ``retries`` times with a growing pause; what still fails then is
written to ``error`` too.

Result columns (those of the analyses asked for; :func:`output_schema`):

``language`` string
    the language the server analyzed the text as (BCP-47).
``entities`` array<struct<text, label, start, end, confidence>> (with ``"entities"``)
    the named entities; ``start``/``end`` are code points of the NFC text (Python's
    ``text[start:end]``), ``label`` ``PER``, ``LOC``, ``ORG`` or ``MISC``.
``sentiment`` struct<label, probability, negative, neutral, positive, score> (with
    ``"sentiment"``) the document's sentiment; ``label`` ``NEGATIVE``, ``NEUTRAL`` or
    ``POSITIVE``, ``score`` in [-1, 1].
``statements`` array<struct<text, start, end, stance, confidence, actor, actor_start,
    actor_end, cue, sentence>> (with ``"stance"``) the stance statements.
``actors`` array<struct<actor, stance, favor, against, none, statements, balance>> (with
    ``"stance"``) the stance of each actor.
``error`` string
    ``null`` when the row was analyzed, else ``"CODE: message"`` (``"INVALID_ARGUMENT:
    text is empty"``); the row's result columns are then ``null``.

The fields of the structs are the columns of :func:`nlpd.to_records` of the same kind
(``nlpd.tables``, which builds both), without ``doc``, ``id`` and, for entities,
``sentence`` and the per-entity sentiment; the document's sentiment has the polarity
columns of a ``sentences`` row; floats are float32, as in the protobuf messages. Needs the extra
``nlpd[spark]`` (PySpark with pandas and PyArrow) on the driver and the executors.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc

from nlpd import tables
from nlpd._channel import DEFAULT_RETRIES as _CHANNEL_RETRIES
from nlpd.aio import AsyncClient
from nlpd.bulk import DEFAULT_CONCURRENCY
from nlpd.client import DEFAULT_TARGET
from nlpd.errors import Error
from nlpd.v1 import nlpd_pb2

try:
    from pyspark.sql import types as T
except ImportError as _exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nlpd.spark needs PySpark, which is not installed; install the extra nlpd[spark] "
        "(pip install 'nlpd[spark]')"
    ) from _exc

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas  # type: ignore[import-untyped,unused-ignore]
    from pyspark.sql import DataFrame

__all__ = ["ANALYSES", "DEFAULT_RETRIES", "annotate", "output_schema"]

#: The analyses that have typed columns, and the columns each adds.
ANALYSES: dict[str, tuple[str, ...]] = {
    "entities": ("entities",),
    "sentiment": ("sentiment",),
    "stance": ("statements", "actors"),
}
#: How often the rows of a batch without a result are sent again.
DEFAULT_RETRIES = 3
# Pause before retry n: _BACKOFF_S * 2 ** (n - 1), at most _MAX_BACKOFF_S.
_BACKOFF_S = 0.5
_MAX_BACKOFF_S = 8.0
# Failures worth another attempt: the replica went away or is overloaded, or the batch's
# deadline passed. Anything else (an empty text, a wrong token) fails the same way again.
_RETRYABLE = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.ABORTED,
    }
)
# A stream (not a row) that failed with INTERNAL or CANCELLED is retried too: grpc.aio
# reports a connection lost while a request was being written, as when a replica is
# killed, as "INTERNAL: Internal error from Core" (grpc/grpc#36066; nlpd.bulk.stream_error),
# and ends streams as CANCELLED when no replica is reachable (see _stream_failure). A
# row's INTERNAL (its plugin failed) is not retried.
_RETRYABLE_STREAM = _RETRYABLE | {grpc.StatusCode.INTERNAL, grpc.StatusCode.CANCELLED}
_ENTITY_FIELDS = ("text", "label", "start", "end", "confidence")
# Spark type of each field of tables.COLUMNS that the structs carry.
_FIELD_TYPES: dict[str, T.DataType] = {
    "text": T.StringType(),
    "label": T.StringType(),
    "stance": T.StringType(),
    "actor": T.StringType(),
    "cue": T.StringType(),
    "start": T.IntegerType(),
    "end": T.IntegerType(),
    "actor_start": T.IntegerType(),
    "actor_end": T.IntegerType(),
    "sentence": T.IntegerType(),
    "favor": T.IntegerType(),
    "against": T.IntegerType(),
    "none": T.IntegerType(),
    "statements": T.IntegerType(),
}
_SENTIMENT_FIELDS = ("label", "probability", "negative", "neutral", "positive", "score")


def _struct(fields: Sequence[str]) -> T.StructType:
    return T.StructType(
        [T.StructField(name, _FIELD_TYPES.get(name, T.FloatType())) for name in fields]
    )


_COLUMN_TYPES: dict[str, T.DataType] = {
    "entities": T.ArrayType(_struct(_ENTITY_FIELDS)),
    "sentiment": _struct(_SENTIMENT_FIELDS),
    "statements": T.ArrayType(_struct(tables.COLUMNS["statements"][1:])),
    "actors": T.ArrayType(_struct(tables.COLUMNS["actors"][1:])),
}


def _result_columns(analyses: Sequence[str]) -> list[str]:
    return [column for name in ANALYSES if name in analyses for column in ANALYSES[name]]


def output_schema(schema: T.StructType, analyses: Sequence[str]) -> T.StructType:
    """The schema :func:`annotate` returns for an input of ``schema``: its fields, then
    ``language``, the result columns of ``analyses`` and ``error``.

    Raises:
        ValueError: ``analyses`` is empty or names one without typed columns, or the
            input already has a column of an output's name.
    """
    if isinstance(analyses, str):
        raise TypeError("analyses must be a list of names, not a str")
    if not analyses:
        raise ValueError(f"analyses must name at least one of: {', '.join(ANALYSES)}")
    unknown = [name for name in analyses if name not in ANALYSES]
    if unknown:
        raise ValueError(
            f"nlpd.spark.annotate has typed columns for {', '.join(ANALYSES)}; not for "
            f"{', '.join(unknown)} (use nlpd.Client.analyze_many for other analyses)"
        )
    added = ["language", *_result_columns(analyses), "error"]
    clash = [name for name in added if name in schema.fieldNames()]
    if clash:
        raise ValueError(
            f"the DataFrame already has column(s) {', '.join(clash)}, which annotate adds; "
            "rename or drop them first"
        )
    fields = [
        T.StructField("language", T.StringType()),
        *(T.StructField(c, _COLUMN_TYPES[c]) for c in _result_columns(analyses)),
        T.StructField("error", T.StringType()),
    ]
    return T.StructType([*schema.fields, *fields])


def annotate(
    df: DataFrame,
    text_col: str = "text",
    target: str = DEFAULT_TARGET,
    analyses: Sequence[str] = ("entities", "sentiment", "stance"),
    *,
    language: str | None = None,
    default_language: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    retries: int = DEFAULT_RETRIES,
    timeout: float | None = None,
    token: str | None = None,
    tls_ca: str | os.PathLike[str] | None = None,
    strict: bool = False,
) -> DataFrame:
    """``df`` with typed nlpd results of its ``text_col``, computed on the executors.

    Args:
        df: any DataFrame with a string column ``text_col``.
        text_col: the column to analyze; a ``null`` text is a row with an error.
        target: the replicas, as for :class:`nlpd.Client`: ``"HOST:PORT"``,
            ``"ipv4:HOST:PORT,HOST:PORT,..."`` or ``"dns:///NAME:PORT"``. Resolved on
            each executor, so it must name the replicas as the executors see them.
        analyses: some of ``"entities"``, ``"sentiment"``, ``"stance"`` (their
            dependencies run too, as always); each adds its columns (see the module).
        language: the BCP-47 code of every text, or ``None`` to identify it per text.
        default_language: the code to assume for a text too short to identify.
        concurrency: AnalyzeStream calls per partition at a time (``analyze_many``'s
            ``concurrency``); a partition's calls go round-robin to the replicas.
        retries: how often rows without a result are sent again after a retryable
            failure (of the row or its stream: ``UNAVAILABLE``, ``RESOURCE_EXHAUSTED``,
            ``DEADLINE_EXCEEDED``, ``ABORTED``; of a stream also ``INTERNAL``),
            pausing 0.5 s, 1 s, 2 s, ... (at most 8 s) before each; 0 sends each row
            once.
        timeout: deadline in seconds for each attempt of one Arrow batch (at most
            ``spark.sql.execution.arrow.maxRecordsPerBatch`` rows, 10,000 by default);
            ``None``: none.
        token: bearer token for a server started with ``--auth_tokens``.
        tls_ca: CA certificate file for a TLS server (read on the driver, so the
            executors need no copy); ``None``: plaintext.
        strict: a row on which a requested analysis did not run (a language it does
            not support) gets an ``error`` (``FAILED_PRECONDITION: ...``) instead of
            empty results.

    Returns:
        A DataFrame of :func:`output_schema`: every input row once, in each partition
        in input order.

    Raises:
        ValueError: as :func:`output_schema`, or ``text_col`` is missing, or a bad
            ``concurrency`` or ``retries``.
        TypeError: ``text_col`` is not a string column.
    """
    if text_col not in df.columns:
        raise ValueError(f"no column {text_col!r}; the DataFrame has: {', '.join(df.columns)}")
    column_type = df.schema[text_col].dataType
    if not isinstance(column_type, T.StringType):
        raise TypeError(f"column {text_col!r} must be a string column, not {column_type}")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an int >= 0, got {retries!r}")
    schema = output_schema(df.schema, analyses)
    ca = None
    if tls_ca is not None:
        with open(tls_ca, "rb") as f:
            ca = f.read()
    job = _Job(
        text_col=text_col,
        target=target,
        analyses=tuple(analyses),
        language=language,
        default_language=default_language,
        concurrency=concurrency,
        retries=retries,
        timeout=timeout,
        token=token,
        tls_ca=ca,
        strict=strict,
    )
    return df.mapInPandas(job, schema)


@dataclass(frozen=True)
class _Job:
    """What an executor needs to annotate its partitions; pickled to them. Calling it
    with a partition's Arrow batches (as pandas DataFrames) yields the annotated
    batches."""

    text_col: str
    target: str
    analyses: tuple[str, ...]
    language: str | None
    default_language: str | None
    concurrency: int
    retries: int
    timeout: float | None
    token: str | None
    tls_ca: bytes | None
    strict: bool

    def __call__(self, batches: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
        # One event loop and one client (one channel) per partition, for all its batches.
        loop = asyncio.new_event_loop()
        try:
            client = loop.run_until_complete(self._open())
            try:
                for batch in batches:
                    yield loop.run_until_complete(self._annotate(client, batch))
            finally:
                loop.run_until_complete(client.close())
        finally:
            loop.close()

    async def _open(self) -> AsyncClient:
        credentials = None
        if self.tls_ca is not None:
            credentials = grpc.ssl_channel_credentials(root_certificates=self.tls_ca)
        return AsyncClient(
            self.target,
            credentials=credentials,
            token=self.token,
            retries=_CHANNEL_RETRIES,
            strict=self.strict,
        )

    async def _annotate(self, client: AsyncClient, batch: pandas.DataFrame) -> pandas.DataFrame:
        texts = batch[self.text_col].tolist()
        responses: dict[int, nlpd_pb2.AnalyzeResponse] = {}
        errors: dict[int, str] = {}
        todo = []
        for index, text in enumerate(texts):
            if isinstance(text, str):
                todo.append(index)
            else:
                errors[index] = f"INVALID_ARGUMENT: column {self.text_col!r} is null"
        attempt = 0
        while todo:
            # Rows left without a result or an error after this attempt are retried.
            final = attempt == self.retries
            try:
                async for result in client.analyze_many(
                    ((str(i), texts[i]) for i in todo),
                    self.analyses,
                    language=self.language,
                    default_language=self.default_language,
                    document_view="no_tokens",
                    concurrency=self.concurrency,
                    ordered=False,
                    timeout=self.timeout,
                ):
                    index = int(result.id)
                    if result.response is not None:
                        responses[index] = result.response
                    elif result.error is not None:
                        if final or result.error.code not in _RETRYABLE:
                            errors[index] = _reason(result.error)
            except (Error, asyncio.CancelledError) as failure:
                # A stream failed as a whole: the rows it did not answer share its error.
                code, reason = _stream_failure(failure)
                if final or code not in _RETRYABLE_STREAM:
                    for index in todo:
                        if index not in responses:
                            errors.setdefault(index, reason)
            todo = [i for i in todo if i not in responses and i not in errors]
            if todo:
                attempt += 1
                await asyncio.sleep(min(_BACKOFF_S * 2 ** (attempt - 1), _MAX_BACKOFF_S))
        return self._frame(batch, responses, errors)

    def _frame(
        self,
        batch: pandas.DataFrame,
        responses: dict[int, nlpd_pb2.AnalyzeResponse],
        errors: dict[int, str],
    ) -> pandas.DataFrame:
        columns: dict[str, list[Any]] = {"language": []}
        result_columns = _result_columns(self.analyses)
        for column in result_columns:
            columns[column] = []
        columns["error"] = []
        for index in range(len(batch)):
            response = responses.get(index)
            columns["error"].append(errors.get(index))
            columns["language"].append(response.document.language if response else None)
            for column in result_columns:
                columns[column].append(_column_value(column, response))
        out = batch.copy()
        for name, values in columns.items():
            out[name] = values
        return out


def _column_value(column: str, response: nlpd_pb2.AnalyzeResponse | None) -> Any:  # noqa: ANN401
    """One row's value of a result column (``None`` for a failed row)."""
    if response is None:
        return None
    if column == "entities":
        return [
            {field: row[field] for field in _ENTITY_FIELDS}
            for row in tables.document_rows(response, "entities")
        ]
    if column == "sentiment":
        if not response.HasField("sentiment"):
            return None  # the analysis was skipped (its outcome says why)
        return tables.polarity_fields(response.sentiment.document)
    return tables.document_rows(response, column)


def _reason(error: Error) -> str:
    return f"{error.code.name}: {error.message}"


def _stream_failure(failure: BaseException) -> tuple[grpc.StatusCode, str]:
    """The code and ``error`` text of a failed ``analyze_many``.

    A ``CancelledError`` that reaches here while this task is not being cancelled comes
    from a gRPC stream that gRPC itself ended as CANCELLED: seen when every connection
    failed (no replica reachable) with many streams starting at once. It is a stream
    failure like another, and retried. One that cancels this task is raised again.
    """
    if isinstance(failure, Error):
        return failure.code, _reason(failure)
    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)  # Python >= 3.11
    if cancelling is not None and cancelling():
        raise failure
    return grpc.StatusCode.CANCELLED, "CANCELLED: gRPC cancelled the stream"
