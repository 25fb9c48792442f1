"""Bulk analysis over AnalyzeStream: the engine of :meth:`nlpd.Client.analyze_many` and
:meth:`nlpd.AsyncClient.analyze_many`.

Records are read lazily from the caller's iterable and spread over ``concurrency``
AnalyzeStream calls; each stream takes the next record when gRPC flow control lets it
send one (a faster stream takes more). At most ``window`` records are between the
input and the caller at any time (read but whose result was not yet handed out), so
memory does not grow with the length of the input, in order or as completed.

One :class:`BulkResult` comes out per record: a per-record failure (empty text, unknown
analysis, ...) is a result with ``error`` set, and the batch goes on. A failure of a
stream as a whole (server unreachable, wrong token, deadline) stops the batch with
:class:`nlpd.Error`.
"""

from __future__ import annotations

import asyncio
import queue
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from dataclasses import dataclass
from typing import Protocol, TextIO

import grpc
import grpc.aio

from nlpd.errors import Error, from_rpc_error, from_status
from nlpd.v1 import nlpd_pb2

__all__ = [
    "BulkResult",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WINDOW_PER_STREAM",
    "record_parts",
]

# Measured on a 2-core machine with client and server on it (clients/python/README.md,
# "Bulk analysis"): one stream is as fast as several; more only cost threads.
DEFAULT_CONCURRENCY = 1
# Records per stream between input and caller; far more than the server keeps in
# flight per stream (--stream_window, 2 per worker), so the server never waits for us.
DEFAULT_WINDOW_PER_STREAM = 256

_METHOD = "/nlpd.v1.AnalysisService/AnalyzeStream"
_END = object()


@dataclass(frozen=True, slots=True)
class BulkResult:
    """The outcome of one record of :meth:`nlpd.Client.analyze_many`.

    Exactly one of ``response`` and ``error`` is set.

    Attributes:
        index: the record's position in the input (0, 1, ...).
        id: the record's id as a ``str`` (``str(record_id)``); for a record without an
            id, its index (``"0"``, ``"1"``, ...). Sent to the server as
            ``StreamRequest.id``.
        response: the ``nlpd.v1.AnalyzeResponse``, or ``None`` when the record failed.
        error: why the record failed, an :class:`nlpd.Error` subclass by status code
            (``nlpd.InvalidArgumentError`` for an empty text, ``nlpd.NotFoundError``
            for an unknown analysis, ...), with the server's message; else ``None``.
    """

    index: int
    id: str
    response: nlpd_pb2.AnalyzeResponse | None
    error: Error | None

    @property
    def ok(self) -> bool:
        """True when the record was analyzed (``response`` is set)."""
        return self.error is None


def record_parts(record: object, index: int) -> tuple[str, str]:
    """``(id, text)`` of one input record of ``analyze_many``.

    Accepted records: a ``str`` (the text; id: ``str(index)``); an ``(id, text)``
    tuple; a mapping with a ``"text"`` key and optionally ``"id"``; any object with a
    ``text`` attribute and optionally ``id`` (a dataclass, a named tuple). An id is
    converted with ``str()``; a missing or ``None`` id is the index.

    Raises:
        TypeError: any other record, or a text that is not a ``str``.
    """
    doc_id: object
    if isinstance(record, str):
        return str(index), record
    if isinstance(record, tuple) and len(record) == 2 and not hasattr(record, "_fields"):
        doc_id, text = record
    elif isinstance(record, Mapping):
        if "text" not in record:
            raise TypeError(f"analyze_many record {index}: a mapping needs a 'text' key")
        doc_id, text = record.get("id"), record["text"]
    elif hasattr(record, "text"):
        doc_id, text = getattr(record, "id", None), record.text
    else:
        raise TypeError(
            f"analyze_many record {index}: expected str, (id, text), a mapping with "
            f"'text' (and 'id') or an object with .text (and .id), got {type(record).__name__}"
        )
    if not isinstance(text, str):
        raise TypeError(
            f"analyze_many record {index}: the text must be str, got {type(text).__name__}"
        )
    return (str(index) if doc_id is None else str(doc_id)), text


@dataclass(frozen=True)
class BulkOptions:
    """Checked arguments of ``analyze_many`` (internal)."""

    analyses: list[str]
    language: str
    concurrency: int
    ordered: bool
    progress: bool
    window: int
    timeout: float | None

    @classmethod
    def make(
        cls,
        analyses: list[str],
        language: str | None,
        concurrency: int | None,
        ordered: bool,
        progress: bool,
        window: int | None,
        timeout: float | None,
    ) -> BulkOptions:
        streams = DEFAULT_CONCURRENCY if concurrency is None else concurrency
        if isinstance(streams, bool) or not isinstance(streams, int) or streams < 1:
            raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
        size = DEFAULT_WINDOW_PER_STREAM * streams if window is None else window
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"window must be an int >= 1, got {window!r}")
        return cls(analyses, language or "", streams, ordered, progress, size, timeout)

    def request(self, doc_id: str, text: str) -> nlpd_pb2.StreamRequest:
        return nlpd_pb2.StreamRequest(
            id=doc_id,
            request=nlpd_pb2.AnalyzeRequest(
                text=text, analyses=self.analyses, language=self.language
            ),
        )


def _result(index: int, doc_id: str, r: nlpd_pb2.StreamResponse) -> BulkResult:
    if r.id != doc_id:
        # The server answers in request order; anything else is a bug to report.
        raise RuntimeError(f"AnalyzeStream answered id {r.id!r} where {doc_id!r} was due")
    if r.WhichOneof("outcome") == "error":
        return BulkResult(index, doc_id, None, from_status(r.error.code, r.error.message))
    return BulkResult(index, doc_id, r.response, None)


# -- progress ----------------------------------------------------------------------------


class _Progress(Protocol):
    def update(self, result: BulkResult) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def update(self, result: BulkResult) -> None:
        pass

    def close(self) -> None:
        pass


class _Bar(Protocol):
    """The part of a tqdm bar that is used."""

    def update(self, n: int = 1) -> object: ...

    def set_postfix(self, *, refresh: bool = ..., **kwargs: int) -> None: ...

    def close(self) -> None: ...


class _TqdmProgress:
    def __init__(self, bar: _Bar) -> None:
        self._bar = bar
        self._errors = 0

    def update(self, result: BulkResult) -> None:
        if result.error is not None:
            self._errors += 1
            self._bar.set_postfix(errors=self._errors, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


class _PlainProgress:
    """Without tqdm: one line on stderr, rewritten in place on a terminal, else a new
    line at most every 10 s; and a last line at the end."""

    def __init__(self, total: int | None, stream: TextIO) -> None:
        self._total = total
        self._stream = stream
        self._tty = stream.isatty()
        self._start = self._last = time.monotonic()
        self._done = self._errors = 0

    def _line(self) -> str:
        elapsed = max(time.monotonic() - self._start, 1e-9)
        of = f"/{self._total}" if self._total is not None else ""
        return (
            f"analyze_many: {self._done}{of} done, {self._errors} errors, "
            f"{self._done / elapsed:.0f} docs/s"
        )

    def update(self, result: BulkResult) -> None:
        self._done += 1
        self._errors += result.error is not None
        now = time.monotonic()
        if now - self._last >= (0.5 if self._tty else 10.0):
            self._last = now
            self._stream.write(
                ("\r" if self._tty else "") + self._line() + ("" if self._tty else "\n")
            )
            self._stream.flush()

    def close(self) -> None:
        self._stream.write(("\r" if self._tty else "") + self._line() + "\n")
        self._stream.flush()


def _progress(enabled: bool, records: object) -> _Progress:
    if not enabled:
        return _NoProgress()
    total = len(records) if isinstance(records, Sized) else None
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        warnings.warn(
            "analyze_many(progress=True) shows a bar with tqdm, which is not installed "
            "(pip install 'nlpd[progress]'); printing a plain progress line instead",
            stacklevel=4,
        )
        return _PlainProgress(total, sys.stderr)
    return _TqdmProgress(tqdm(total=total, unit="doc", desc="analyze_many"))


# -- blocking engine ---------------------------------------------------------------------


class _Window:
    """Counts records read from the input whose result the caller has not got yet, and
    holds readers back at the limit. Closing it releases every waiting reader."""

    def __init__(self, size: int) -> None:
        self._free = size
        # A full window wakes its reader only when an eighth of it is free again, not
        # at each result: waking a thread per record costs more than the record.
        self._wake_at = max(1, size // 8)
        self._waiting = False
        self._closed = False
        self._cond = threading.Condition()

    def acquire(self) -> bool:
        """Wait for room; False when the window was closed."""
        with self._cond:
            while self._free == 0 and not self._closed:
                self._waiting = True
                self._cond.wait()
            if self._closed:
                return False
            self._free -= 1
            return True

    def release(self) -> None:
        with self._cond:
            self._free += 1
            if self._waiting and self._free >= self._wake_at:
                self._waiting = False
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class _Feeder:
    """The caller's records, shared by the streams' request iterators (each on a gRPC
    thread). A failure of the iterable or a bad record ends the input; it is kept in
    ``error`` and raised to the caller after the results of the records before it."""

    def __init__(self, records: Iterable[object], window: _Window, options: BulkOptions) -> None:
        self._records = iter(records)
        self._window = window
        self._options = options
        self._lock = threading.Lock()
        self._index = 0
        self._ended = False
        self.error: BaseException | None = None

    def take(self) -> tuple[int, str, nlpd_pb2.StreamRequest] | None:
        """The next record as ``(index, id, request)``; None at the end of the input."""
        if not self._window.acquire():
            return None
        with self._lock:
            if self._ended:
                self._window.release()
                return None
            index = self._index
            try:
                doc_id, text = record_parts(next(self._records), index)
            except StopIteration:
                self._ended = True
                self._window.release()
                return None
            except Exception as exc:
                self._ended = True
                self.error = exc
                self._window.release()
                return None
            self._index += 1
        return index, doc_id, self._options.request(doc_id, text)


def _requests(feeder: _Feeder, due: deque[tuple[int, str]]) -> Iterator[nlpd_pb2.StreamRequest]:
    while (taken := feeder.take()) is not None:
        index, doc_id, request = taken
        due.append((index, doc_id))  # before gRPC sends it: its answer cannot come sooner
        yield request


@dataclass(frozen=True)
class _StreamEnd:
    error: BaseException | None


def _read_stream(
    call: Iterable[nlpd_pb2.StreamResponse],
    due: deque[tuple[int, str]],
    out: queue.SimpleQueue[BulkResult | _StreamEnd],
) -> None:
    try:
        for response in call:
            index, doc_id = due.popleft()
            out.put(_result(index, doc_id, response))
    except BaseException as exc:  # handed to the caller's thread
        out.put(_StreamEnd(exc))
    else:
        out.put(_StreamEnd(None))


def analyze_many(
    channel: grpc.Channel,
    metadata: tuple[tuple[str, str], ...],
    records: Iterable[object],
    options: BulkOptions,
) -> Iterator[BulkResult]:
    """The blocking engine of :meth:`nlpd.Client.analyze_many` (a generator: nothing
    happens before the first ``next()``; closing it cancels the streams)."""
    stream = channel.stream_stream(
        _METHOD,
        request_serializer=nlpd_pb2.StreamRequest.SerializeToString,
        response_deserializer=nlpd_pb2.StreamResponse.FromString,
    )
    window = _Window(options.window)
    feeder = _Feeder(records, window, options)
    out: queue.SimpleQueue[BulkResult | _StreamEnd] = queue.SimpleQueue()
    progress = _progress(options.progress, records)
    calls = []
    try:
        if options.concurrency == 1:
            # One stream answers in input order: read it in this thread, no hand-off.
            due: deque[tuple[int, str]] = deque()
            call = stream(_requests(feeder, due), timeout=options.timeout, metadata=metadata)
            calls.append(call)
            try:
                for response in call:
                    index, doc_id = due.popleft()
                    result = _result(index, doc_id, response)
                    window.release()
                    progress.update(result)
                    yield result
            except grpc.RpcError as exc:
                raise from_rpc_error(exc) from exc
            if feeder.error is not None:
                raise feeder.error
            return
        for k in range(options.concurrency):
            due = deque()
            call = stream(_requests(feeder, due), timeout=options.timeout, metadata=metadata)
            calls.append(call)
            threading.Thread(
                target=_read_stream, args=(call, due, out), name=f"nlpd-bulk-{k}", daemon=True
            ).start()
        running = options.concurrency
        held: dict[int, BulkResult] = {}  # ordered: results that came before their turn
        turn = 0
        while running:
            item = out.get()
            if isinstance(item, _StreamEnd):
                running -= 1
                if isinstance(item.error, grpc.RpcError):
                    raise from_rpc_error(item.error) from item.error
                if item.error is not None:
                    raise item.error
                continue
            if not options.ordered:
                window.release()
                progress.update(item)
                yield item
                continue
            held[item.index] = item
            while turn in held:
                ready = held.pop(turn)
                turn += 1
                window.release()
                progress.update(ready)
                yield ready
        if feeder.error is not None:
            raise feeder.error
    finally:
        window.close()
        for call in calls:
            call.cancel()
        progress.close()


# -- asyncio engine ----------------------------------------------------------------------


class _AsyncWindow:
    """:class:`_Window` for one event loop."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._closed = False
        self._cond = asyncio.Condition()

    async def acquire(self) -> bool:
        async with self._cond:
            await self._cond.wait_for(lambda: self._free > 0 or self._closed)
            if self._closed:
                return False
            self._free -= 1
            return True

    async def release(self) -> None:
        async with self._cond:
            self._free += 1
            self._cond.notify()

    async def close(self) -> None:
        async with self._cond:
            self._closed = True
            self._cond.notify_all()


class _AsyncFeeder:
    """:class:`_Feeder` for one event loop; reads sync or async iterables."""

    def __init__(
        self,
        records: Iterable[object] | AsyncIterable[object],
        window: _AsyncWindow,
        options: BulkOptions,
    ) -> None:
        self._async: AsyncIterator[object] | None = None
        self._sync: Iterator[object] | None = None
        if isinstance(records, AsyncIterable):
            self._async = aiter(records)
        else:
            self._sync = iter(records)
        self._window = window
        self._options = options
        self._lock = asyncio.Lock()
        self._index = 0
        self._ended = False
        self.error: BaseException | None = None

    async def _next(self) -> object:
        """The next record, or ``_END`` (StopIteration must not leave a coroutine)."""
        if self._async is not None:
            return await anext(self._async, _END)
        assert self._sync is not None
        return next(self._sync, _END)

    async def take(self) -> tuple[int, str, nlpd_pb2.StreamRequest] | None:
        if not await self._window.acquire():
            return None
        async with self._lock:
            if self._ended:
                await self._window.release()
                return None
            index = self._index
            try:
                record = await self._next()
                if record is _END:
                    self._ended = True
                    await self._window.release()
                    return None
                doc_id, text = record_parts(record, index)
            except Exception as exc:
                self._ended = True
                self.error = exc
                await self._window.release()
                return None
            self._index += 1
        return index, doc_id, self._options.request(doc_id, text)


async def _async_requests(
    feeder: _AsyncFeeder, due: deque[tuple[int, str]]
) -> AsyncIterator[nlpd_pb2.StreamRequest]:
    while (taken := await feeder.take()) is not None:
        index, doc_id, request = taken
        due.append((index, doc_id))
        yield request


async def _async_read_stream(
    call: grpc.aio.StreamStreamCall[nlpd_pb2.StreamRequest, nlpd_pb2.StreamResponse],
    due: deque[tuple[int, str]],
    out: asyncio.Queue[BulkResult | _StreamEnd],
) -> None:
    try:
        async for response in call:
            index, doc_id = due.popleft()
            out.put_nowait(_result(index, doc_id, response))
    except BaseException as exc:
        # Also CancelledError: grpc.aio raises it for a call that was cancelled here,
        # by the client's close(): the caller must hear of it.
        out.put_nowait(_StreamEnd(exc))
        if not isinstance(exc, Exception):
            raise
    else:
        out.put_nowait(_StreamEnd(None))


async def analyze_many_async(
    stream: grpc.aio.StreamStreamMultiCallable[nlpd_pb2.StreamRequest, nlpd_pb2.StreamResponse],
    metadata: tuple[tuple[str, str], ...],
    records: Iterable[object] | AsyncIterable[object],
    options: BulkOptions,
) -> AsyncGenerator[BulkResult, None]:
    """The asyncio engine of :meth:`nlpd.AsyncClient.analyze_many` (an async
    generator; closing it cancels the streams)."""
    window = _AsyncWindow(options.window)
    feeder = _AsyncFeeder(records, window, options)
    # Unbounded, but never holds more than `window` results: each was taken first.
    out: asyncio.Queue[BulkResult | _StreamEnd] = asyncio.Queue()
    progress = _progress(options.progress, records)
    calls = []
    readers = []
    try:
        for _ in range(options.concurrency):
            due: deque[tuple[int, str]] = deque()
            call = stream(_async_requests(feeder, due), timeout=options.timeout, metadata=metadata)
            calls.append(call)
            readers.append(asyncio.ensure_future(_async_read_stream(call, due, out)))
        running = options.concurrency
        held: dict[int, BulkResult] = {}
        turn = 0
        while running:
            item = await out.get()
            if isinstance(item, _StreamEnd):
                running -= 1
                if isinstance(item.error, grpc.RpcError):
                    raise from_rpc_error(item.error) from item.error
                if item.error is not None:
                    raise item.error
                continue
            if not options.ordered:
                await window.release()
                progress.update(item)
                yield item
                continue
            held[item.index] = item
            while turn in held:
                ready = held.pop(turn)
                turn += 1
                await window.release()
                progress.update(ready)
                yield ready
        if feeder.error is not None:
            raise feeder.error
    finally:
        await window.close()
        for call in calls:
            call.cancel()
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        progress.close()
