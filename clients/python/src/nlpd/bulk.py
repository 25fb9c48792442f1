"""Bulk analysis over AnalyzeStream: the engine of :meth:`nlpd.Client.analyze_many` and
:meth:`nlpd.AsyncClient.analyze_many`.

Records are read lazily from the caller's iterable and spread over ``concurrency``
lanes on one channel, each a series of AnalyzeStream calls of at most
:data:`STREAM_RECORDS` records (each call a new pick of the channel's load balancer,
for replicas); each stream takes the next record when gRPC flow control lets it send
one (a faster stream takes more). At most ``window`` records are
between the input and the caller at any time (read but whose result was not yet handed
out), so memory does not grow with the length of the input, in order or as completed.

The engine is asyncio (``grpc.aio``). :meth:`nlpd.AsyncClient.analyze_many` runs it in
the caller's event loop; :meth:`nlpd.Client.analyze_many` runs it on a private event
loop in a thread of its own, with a ``grpc.aio`` channel made from the client's
settings, and hands the results over in batches.

One :class:`BulkResult` comes out per record: a per-record failure (empty text, unknown
analysis, ...) is a result with ``error`` set, and the batch goes on. A failure of a
stream as a whole (server unreachable, wrong token, deadline) stops the batch with
:class:`nlpd.Error`.
"""

from __future__ import annotations

import asyncio
import contextlib
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

from nlpd._channel import ChannelConfig
from nlpd.errors import (
    AnalysisSkippedWarning,
    Error,
    SkippedAnalysis,
    from_rpc_error,
    from_status,
)
from nlpd.skipped import skipped_analyses, skipped_error
from nlpd.v1 import nlpd_pb2

__all__ = [
    "BulkResult",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WINDOW",
    "record_parts",
    "stream_error",
]

# Measured with 10,000 short texts, client and server on one 2-core machine
# (clients/python/README.md, "Bulk analysis"): texts/s grow with the streams up to about
# 16 (twice as many as one stream gives: client and server both do less work per text
# when each wake-up finds several), and no further.
DEFAULT_CONCURRENCY = 16
# Records between input and caller: 32 per default stream, far more than the server
# keeps in flight per stream (--stream_window, 2 per worker), so it never waits for us;
# more did not help. About 512 texts plus 512 responses in memory.
DEFAULT_WINDOW = 512
# Records per AnalyzeStream call: each lane starts a new call after this many, which
# the channel's load balancer may send to another replica (a batch's first calls all go
# to the replica that was connected first). Measured cost: see clients/python/README.md,
# "Bulk analysis".
STREAM_RECORDS = 128

_METHOD = "/nlpd.v1.AnalysisService/AnalyzeStream"
_END = object()


@dataclass(frozen=True, slots=True)
class BulkResult:
    """The outcome of one record of ``analyze_many`` (:meth:`nlpd.Client.analyze_many`,
    :meth:`nlpd.AsyncClient.analyze_many`).

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

    @property
    def skipped(self) -> list[SkippedAnalysis]:
        """The requested analyses that did not run on this record, with the server's
        reasons; empty when all ran. With ``strict``, such a record has ``error`` (an
        :class:`nlpd.AnalysisSkippedError`, whose ``response`` holds the rest) instead."""
        return skipped_analyses(self.response) if self.response is not None else []


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
    """Checked arguments of ``analyze_many`` (internal). ``template`` is the
    AnalyzeRequest every record's text goes into."""

    template: nlpd_pb2.AnalyzeRequest
    concurrency: int
    ordered: bool
    progress: bool
    window: int
    timeout: float | None
    strict: bool

    @classmethod
    def make(
        cls,
        template: nlpd_pb2.AnalyzeRequest,
        concurrency: int,
        ordered: bool,
        progress: bool,
        window: int,
        timeout: float | None,
        strict: bool,
    ) -> BulkOptions:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise ValueError(f"window must be an int >= 1, got {window!r}")
        return cls(template, concurrency, ordered, progress, window, timeout, strict)

    def request(self, doc_id: str, text: str) -> nlpd_pb2.StreamRequest:
        request = nlpd_pb2.StreamRequest(id=doc_id)
        request.request.CopyFrom(self.template)
        request.request.text = text
        return request

    def result(self, index: int, doc_id: str, r: nlpd_pb2.StreamResponse) -> BulkResult:
        """The BulkResult of record ``index`` from its StreamResponse ``r``."""
        if r.id != doc_id:
            # The server answers in request order; anything else is a bug to report.
            raise RuntimeError(f"AnalyzeStream answered id {r.id!r} where {doc_id!r} was due")
        if r.WhichOneof("outcome") == "error":
            return BulkResult(index, doc_id, None, from_status(r.error.code, r.error.message))
        if self.strict:
            error = skipped_error(r.response, f"document {doc_id!r}: ")
            if error is not None:
                return BulkResult(index, doc_id, None, error)
        return BulkResult(index, doc_id, r.response, None)


class _SkipWarning:
    """Without ``strict``: one :class:`nlpd.AnalysisSkippedWarning` per batch, for the
    first record whose requested analyses did not all run (a warning per record would
    flood a batch of thousands); ``BulkResult.skipped`` tells each."""

    def __init__(self, enabled: bool) -> None:
        self._pending = enabled

    def check(self, result: BulkResult) -> None:
        if not self._pending or result.response is None:
            return
        error = skipped_error(result.response, f"document {result.id!r}: ")
        if error is None:
            return
        self._pending = False
        warnings.warn(
            AnalysisSkippedWarning(
                f"{error.message} (warned once per batch: BulkResult.skipped names the "
                "analyses not run on each record)",
                error.skipped,
            ),
            stacklevel=3,
        )


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


# -- the engine ---------------------------------------------------------------------------


class _Window:
    """Counts records read from the input whose result the caller has not got yet;
    readers wait at the limit. Lives in one event loop; :meth:`release` and
    :meth:`close` are plain functions, so another thread can call them through
    ``loop.call_soon_threadsafe``."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._closed = False
        self._waiters: list[asyncio.Future[None]] = []

    async def acquire(self) -> bool:
        """Wait for room; False when the window was closed."""
        while self._free == 0 and not self._closed:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter
        if self._closed:
            return False
        self._free -= 1
        return True

    def release(self, count: int = 1) -> None:
        self._free += count
        self._wake()

    def close(self) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)


class _Feeder:
    """The caller's records, shared by the streams' request iterators. A failure of
    the iterable or a bad record ends the input; it is kept in ``error`` and raised to
    the caller after the results of the records before it."""

    def __init__(
        self,
        records: Iterable[object] | AsyncIterable[object],
        window: _Window,
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
        self._lock = asyncio.Lock()  # an async generator must not be entered twice
        self._index = 0
        self._ended = False
        self.error: BaseException | None = None

    @property
    def ended(self) -> bool:
        """True once the input is exhausted, failed, or a record was bad."""
        return self._ended

    async def _next(self) -> object:
        """The next record, or ``_END`` (StopIteration must not leave a coroutine)."""
        if self._async is not None:
            return await anext(self._async, _END)
        assert self._sync is not None
        return next(self._sync, _END)

    async def take(self) -> tuple[int, str, nlpd_pb2.StreamRequest] | None:
        """The next record as ``(index, id, request)``; None at the end of the input."""
        if not await self._window.acquire():
            return None
        async with self._lock:
            if not self._ended:
                index = self._index
                try:
                    record = await self._next()
                    if record is not _END:
                        doc_id, text = record_parts(record, index)
                        self._index += 1
                        return index, doc_id, self._options.request(doc_id, text)
                except Exception as exc:
                    self.error = exc
                self._ended = True
        self._window.release()
        return None


async def _requests(
    feeder: _Feeder, due: deque[tuple[int, str]], limit: int
) -> AsyncIterator[nlpd_pb2.StreamRequest]:
    """At most ``limit`` records of the feeder, as one call's requests."""
    for _ in range(limit):
        taken = await feeder.take()
        if taken is None:
            return
        index, doc_id, request = taken
        due.append((index, doc_id))  # before gRPC sends it: its answer cannot come sooner
        yield request


@dataclass(frozen=True)
class _StreamEnd:
    error: BaseException | None


async def _lane(
    stream: grpc.aio.StreamStreamMultiCallable[nlpd_pb2.StreamRequest, nlpd_pb2.StreamResponse],
    metadata: tuple[tuple[str, str], ...],
    feeder: _Feeder,
    options: BulkOptions,
    deadline: float | None,
    out: asyncio.Queue[BulkResult | _StreamEnd],
) -> None:
    """One of the ``concurrency`` lanes: AnalyzeStream calls one after another, each of
    at most :data:`STREAM_RECORDS` records, until the input ends. A new call is a new
    pick of the channel's load balancer, so the lanes spread over replicas that were
    not connected yet when the batch began, or that came back. Ends with a
    :class:`_StreamEnd` in ``out``, carrying the exception that ended it, if any."""
    try:
        while not feeder.ended:
            due: deque[tuple[int, str]] = deque()
            timeout = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            call = stream(
                _requests(feeder, due, STREAM_RECORDS), timeout=timeout, metadata=metadata
            )
            sent = 0
            try:
                async for response in call:
                    index, doc_id = due.popleft()
                    out.put_nowait(options.result(index, doc_id, response))
                    sent += 1
            finally:
                call.cancel()  # no-op when finished; stops it when the lane is cancelled
            if sent == 0:
                break  # the input ended (or the window closed) before this call's first
    except BaseException as exc:
        # Also CancelledError: grpc.aio raises it for a call that was cancelled here,
        # by the client's close(): the caller must hear of it.
        out.put_nowait(_StreamEnd(exc))
        if not isinstance(exc, Exception):
            raise
    else:
        out.put_nowait(_StreamEnd(None))


async def stream_error(
    channel: grpc.aio.Channel, metadata: tuple[tuple[str, str], ...], exc: grpc.RpcError
) -> Error:
    """The :class:`nlpd.Error` for a failed ``grpc.aio`` stream.

    grpc.aio loses the server's status when the server ends a stream while a request
    is being written, as it does when it refuses the stream at once (no or a wrong
    token, shutting down): the call then reports ``INTERNAL: Internal error from Core``
    (grpc/grpc#36066). In that case the reason is asked for with a ListPlugins call on
    the same terms, whose error (``UNAUTHENTICATED``, ...) is returned; when that call
    succeeds, the INTERNAL error is.
    """
    error = from_rpc_error(exc)
    debug = getattr(exc, "debug_error_string", None)
    lost = (
        error.code == grpc.StatusCode.INTERNAL
        and error.message == "Internal error from Core"
        and callable(debug)
        and "SendMessageOperation" in str(debug())
    )
    if not lost:
        return error
    list_plugins = channel.unary_unary(
        "/nlpd.v1.AnalysisService/ListPlugins",
        request_serializer=nlpd_pb2.ListPluginsRequest.SerializeToString,
        response_deserializer=nlpd_pb2.ListPluginsResponse.FromString,
    )
    try:
        await list_plugins(nlpd_pb2.ListPluginsRequest(), timeout=10, metadata=metadata)
    except grpc.RpcError as probe:
        return from_rpc_error(probe)
    return error


async def _results(
    channel: grpc.aio.Channel,
    metadata: tuple[tuple[str, str], ...],
    records: Iterable[object] | AsyncIterable[object],
    options: BulkOptions,
    window: _Window,
) -> AsyncGenerator[BulkResult, None]:
    """The results, in input order or as completed. Each yielded result still holds
    its place in ``window``: the consumer releases it when the caller has it."""
    stream: grpc.aio.StreamStreamMultiCallable[nlpd_pb2.StreamRequest, nlpd_pb2.StreamResponse]
    stream = channel.stream_stream(
        _METHOD,
        request_serializer=nlpd_pb2.StreamRequest.SerializeToString,
        response_deserializer=nlpd_pb2.StreamResponse.FromString,
    )
    feeder = _Feeder(records, window, options)
    # Unbounded, but never holds more than `window` results: each was taken first.
    out: asyncio.Queue[BulkResult | _StreamEnd] = asyncio.Queue()
    deadline = None if options.timeout is None else time.monotonic() + options.timeout
    lanes = []
    try:
        for _ in range(options.concurrency):
            lanes.append(
                asyncio.ensure_future(_lane(stream, metadata, feeder, options, deadline, out))
            )
        running = options.concurrency
        held: dict[int, BulkResult] = {}  # ordered: results that came before their turn
        turn = 0
        while running:
            item = await out.get()
            if isinstance(item, _StreamEnd):
                running -= 1
                if isinstance(item.error, grpc.RpcError):
                    raise await stream_error(channel, metadata, item.error) from item.error
                if item.error is not None:
                    raise item.error
                continue
            if not options.ordered:
                yield item
                continue
            held[item.index] = item
            while turn in held:
                turn += 1
                yield held.pop(turn - 1)
        if feeder.error is not None:
            raise feeder.error
    finally:
        window.close()
        for lane in lanes:
            lane.cancel()  # cancels its call
        await asyncio.gather(*lanes, return_exceptions=True)


async def analyze_many_async(
    channel: grpc.aio.Channel,
    metadata: tuple[tuple[str, str], ...],
    records: Iterable[object] | AsyncIterable[object],
    options: BulkOptions,
) -> AsyncGenerator[BulkResult, None]:
    """The engine of :meth:`nlpd.AsyncClient.analyze_many`, in the caller's event loop
    (an async generator; closing it cancels the streams)."""
    window = _Window(options.window)
    progress = _progress(options.progress, records)
    skip_warning = _SkipWarning(not options.strict)
    results = _results(channel, metadata, records, options, window)
    try:
        async for result in results:
            window.release()
            progress.update(result)
            skip_warning.check(result)
            yield result
    finally:
        await results.aclose()
        progress.close()


def analyze_many(
    config: ChannelConfig, records: Iterable[object], options: BulkOptions
) -> Iterator[BulkResult]:
    """The engine of :meth:`nlpd.Client.analyze_many`: the asyncio engine on a private
    event loop in a thread of its own, with its own ``grpc.aio`` channel made from the
    client's settings. Several streams cost no extra threads there, and gRPC's
    blocking streams take two threads each. Results come over in batches (all that
    are ready at once); a batch's places in the window are given back when the caller
    asks for the result after it.

    A generator: nothing happens before the first ``next()``; closing it cancels the
    streams and ends the thread.
    """
    progress = _progress(options.progress, records)
    skip_warning = _SkipWarning(not options.strict)
    window = _Window(options.window)
    handoff: queue.SimpleQueue[list[BulkResult] | BaseException | None] = queue.SimpleQueue()
    loop = asyncio.new_event_loop()

    async def pump() -> None:
        batch: list[BulkResult] = []

        def flush() -> None:
            nonlocal batch
            if batch:
                handoff.put(batch)
                batch = []

        try:
            async with config.open_aio() as channel:
                results = _results(channel, config.metadata, records, options, window)
                try:
                    async for result in results:
                        batch.append(result)
                        if len(batch) == 1:
                            # Runs once the loop has nothing more to do: a batch holds
                            # every result that was ready.
                            loop.call_soon(flush)
                finally:
                    await results.aclose()
            flush()
        except Exception as exc:
            flush()
            handoff.put(exc)
        else:
            handoff.put(None)

    task = loop.create_task(pump())

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):  # the caller closed early
            loop.run_until_complete(task)

    thread = threading.Thread(target=run, name="nlpd-analyze-many", daemon=True)
    finished = False
    try:
        thread.start()
        while True:
            item = handoff.get()
            if item is None:
                finished = True
                return
            if isinstance(item, BaseException):
                finished = True
                raise item
            for result in item:
                progress.update(result)
                skip_warning.check(result)
                yield result
            loop.call_soon_threadsafe(window.release, len(item))
    finally:
        if not finished and thread.is_alive():
            loop.call_soon_threadsafe(task.cancel)
        thread.join()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        progress.close()
