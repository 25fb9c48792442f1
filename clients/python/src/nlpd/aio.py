"""The asyncio client: :class:`AsyncClient`, the :class:`nlpd.Client` surface on
``grpc.aio``.

    >>> async with nlpd.AsyncClient("127.0.0.1:50051", timeout=30) as client:
    ...     response = await client.analyze("Der Bundestag tagt am 3. März.", ["keywords"])
    ...     async for r in client.analyze_stream(["Eins.", "Zwei."]):
    ...         print(r.id, r.WhichOneof("outcome"))
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from types import TracebackType
from typing import Any, TypeVar, overload

import grpc
import grpc.aio
from google.protobuf import json_format, message

from nlpd import _custom_results, bulk, descriptors
from nlpd._channel import DEFAULT_RETRIES, RetryPolicy, channel_config
from nlpd.bulk import BulkResult
from nlpd.client import (
    DEFAULT_TARGET,
    _request_template,
    _stream_request,
    _targets_list,
)
from nlpd.errors import (
    Error,
    UnavailableError,
    from_rpc_error,
    from_status,
)
from nlpd.skipped import report_skipped
from nlpd.v1 import admin_pb2, nlpd_pb2

__all__ = ["AsyncClient"]

_SERVICE = "/nlpd.v1.AnalysisService/"
_ADMIN = "/nlpd.v1.Admin/"

StreamItem = str | tuple[str, str]
R = TypeVar("R")
_M = TypeVar("_M", bound=message.Message)


def _refuse_one_text(texts: object, method: str) -> None:
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{method}() takes an iterable of texts, not one text: pass [text], "
            "or call analyze(text) for a single document"
        )


class _AsyncRequests:
    """Feeds StreamRequests to grpc.aio and keeps a failure of the caller's iterable.

    grpc.aio consumes the request iterator in its own task and turns an exception
    there into a cancelled call; the exception is kept so that the caller gets it.
    """

    def __init__(
        self,
        texts: Iterable[StreamItem] | AsyncIterable[StreamItem],
        template: nlpd_pb2.AnalyzeRequest,
    ) -> None:
        self._texts = texts
        self._template = template
        self.error: BaseException | None = None

    async def __aiter__(self) -> AsyncIterator[nlpd_pb2.StreamRequest]:
        index = 0
        try:
            if isinstance(self._texts, AsyncIterable):
                async for item in self._texts:
                    yield _stream_request(item, index, self._template)
                    index += 1
            else:
                for item in self._texts:
                    yield _stream_request(item, index, self._template)
                    index += 1
        except Exception as exc:
            self.error = exc
            raise


class AsyncClient:
    """A connection to an nlpd server for asyncio code (``grpc.aio``).

    The same methods, arguments, results and errors as :class:`nlpd.Client`, as
    coroutines; :meth:`analyze_stream` and :meth:`analyze_many` are async iterators.
    Every failed RPC raises :class:`nlpd.Error` (a subclass per status code);
    ``grpc.RpcError`` (``grpc.aio.AioRpcError``) does not escape.

    Create it inside the event loop that uses it (in a coroutine), and close it there:
    ``async with AsyncClient(...) as client`` or ``await client.close()``. Any number
    of tasks of that loop may share one client.

    Args:
        target: ``HOST:PORT`` of the server (any gRPC target string).
        timeout: default deadline in seconds for unary calls (:meth:`analyze`,
            :meth:`plugins`, administration); ``None``: no deadline. Not applied to
            streams.
        credentials, options, token, tls_ca, tls_cert, tls_key: as for
            :class:`nlpd.Client` (the same helper builds both clients' channels).
        retries: as for :class:`nlpd.Client`: retries of :meth:`analyze` and
            :meth:`list_plugins` on ``UNAVAILABLE`` (0 to 4, or an
            :class:`nlpd.RetryPolicy`); the deadline covers all attempts; streams and
            administration calls are never retried.
        strict: as for :class:`nlpd.Client`: raise :class:`nlpd.AnalysisSkippedError`
            instead of warning when a requested analysis did not run.
    """

    def __init__(
        self,
        target: str = DEFAULT_TARGET,
        *,
        timeout: float | None = None,
        credentials: grpc.ChannelCredentials | None = None,
        options: Sequence[tuple[str, Any]] = (),
        token: str | None = None,
        tls_ca: str | os.PathLike[str] | None = None,
        tls_cert: str | os.PathLike[str] | None = None,
        tls_key: str | os.PathLike[str] | None = None,
        retries: int | RetryPolicy = DEFAULT_RETRIES,
        strict: bool = False,
    ) -> None:
        self.target = target
        self.timeout = timeout
        self.strict = strict
        config = channel_config(
            target,
            credentials=credentials,
            options=options,
            token=token,
            tls_ca=tls_ca,
            tls_cert=tls_cert,
            tls_key=tls_key,
            retries=retries,
        )
        self._metadata = config.metadata
        self._channel = config.open_aio()
        ch = self._channel
        self._analyze = ch.unary_unary(
            _SERVICE + "Analyze",
            request_serializer=nlpd_pb2.AnalyzeRequest.SerializeToString,
            response_deserializer=nlpd_pb2.AnalyzeResponse.FromString,
        )
        self._list_plugins = ch.unary_unary(
            _SERVICE + "ListPlugins",
            request_serializer=nlpd_pb2.ListPluginsRequest.SerializeToString,
            response_deserializer=nlpd_pb2.ListPluginsResponse.FromString,
        )
        self._stream: grpc.aio.StreamStreamMultiCallable[
            nlpd_pb2.StreamRequest, nlpd_pb2.StreamResponse
        ] = ch.stream_stream(
            _SERVICE + "AnalyzeStream",
            request_serializer=nlpd_pb2.StreamRequest.SerializeToString,
            response_deserializer=nlpd_pb2.StreamResponse.FromString,
        )
        self._reload = ch.unary_unary(
            _ADMIN + "ReloadPlugins",
            request_serializer=admin_pb2.ReloadPluginsRequest.SerializeToString,
            response_deserializer=admin_pb2.PluginChanges.FromString,
        )
        self._load = ch.unary_unary(
            _ADMIN + "LoadPlugin",
            request_serializer=admin_pb2.LoadPluginRequest.SerializeToString,
            response_deserializer=admin_pb2.PluginChanges.FromString,
        )
        self._unload = ch.unary_unary(
            _ADMIN + "UnloadPlugin",
            request_serializer=admin_pb2.UnloadPluginRequest.SerializeToString,
            response_deserializer=admin_pb2.PluginChanges.FromString,
        )
        self._closed = False
        self._plugin_types = _custom_results.PluginTypes()

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def channel(self) -> grpc.aio.Channel:
        """The underlying ``grpc.aio`` channel (e.g. for the health service)."""
        return self._channel

    async def close(self) -> None:
        """Close the channel. Calls in flight are cancelled; the client is unusable after."""
        self._closed = True
        await self._channel.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Wait until the channel is connected.

        Raises:
            nlpd.UnavailableError: not connected within ``timeout`` seconds.
        """
        try:
            await asyncio.wait_for(self._channel.channel_ready(), timeout)
        except asyncio.TimeoutError:
            raise UnavailableError(
                grpc.StatusCode.UNAVAILABLE,
                f"could not connect to {self.target} within {timeout} s",
            ) from None

    def _timeout(self, timeout: float | None) -> float | None:
        return self.timeout if timeout is None else timeout

    # -- RPCs --------------------------------------------------------------------------

    async def analyze(
        self,
        text: str,
        analyses: Sequence[str] = (),
        *,
        language: str | None = None,
        default_language: str | None = None,
        document_view: str | int = "full",
        results: Sequence[str] = (),
        targets: Sequence[str | tuple[int, int]] = (),
        timeout: float | None = None,
        strict: bool | None = None,
    ) -> nlpd_pb2.AnalyzeResponse:
        """Analyze one text; see :meth:`nlpd.Client.analyze` for the arguments.

        Returns:
            The generated ``nlpd.v1.AnalyzeResponse`` message.

        Warns:
            nlpd.AnalysisSkippedWarning: a requested analysis did not run.

        Raises:
            nlpd.AnalysisSkippedError: with ``strict``, a requested analysis did not run.
            nlpd.InvalidArgumentError: empty text, too large, not UTF-8, or a bad target.
            TypeError: a target is neither ``str`` nor a pair of ints.
            ValueError: a ``document_view`` other than ``"full"``, ``"no_tokens"``,
                ``"results_only"`` (or their numbers).
            nlpd.NotFoundError: an analysis no loaded plugin provides.
            nlpd.Error: any other failed call (see ``.code``).
        """
        request = _request_template(analyses, language, default_language, document_view, results)
        request.text = text
        request.targets.extend(_targets_list(targets))
        response = await self._unary(
            self._analyze(request, timeout=self._timeout(timeout), metadata=self._metadata)
        )
        report_skipped(response, self.strict if strict is None else strict)
        return response

    async def list_plugins(self, *, timeout: float | None = None) -> nlpd_pb2.ListPluginsResponse:
        """The full ListPlugins response; also refreshes the :meth:`custom_result` cache.

        Raises:
            nlpd.Error: the call failed.
        """
        response = await self._unary(
            self._list_plugins(
                nlpd_pb2.ListPluginsRequest(),
                timeout=self._timeout(timeout),
                metadata=self._metadata,
            )
        )
        self._plugin_types.update(response)
        return response

    async def plugins(self, *, timeout: float | None = None) -> list[nlpd_pb2.PluginInfo]:
        """The loaded plugins (``nlpd.v1.PluginInfo`` messages), in server order.

        Raises:
            nlpd.Error: the call failed.
        """
        return list((await self.list_plugins(timeout=timeout)).plugins)

    # -- administration (nlpd.v1.Admin; never retried) ---------------------------------

    async def reload_plugins(self, *, timeout: float | None = None) -> admin_pb2.PluginChanges:
        """Rescan the server's plugin directories, as SIGHUP does; see
        :meth:`nlpd.Client.reload_plugins`.

        Raises:
            nlpd.Error: the call failed.
        """
        return await self._unary(self._reload(
            admin_pb2.ReloadPluginsRequest(),
            timeout=self._timeout(timeout),
            metadata=self._metadata,
        ))  # fmt: skip

    async def load_plugin(
        self, path: str, *, timeout: float | None = None
    ) -> admin_pb2.PluginChanges:
        """Load the plugin file ``path`` (in one of the server's plugin directories).

        Raises:
            nlpd.InvalidArgumentError: the path is outside the plugin directories.
            nlpd.AlreadyExistsError: a plugin of that name is loaded.
            nlpd.FailedPreconditionError: the file was refused; the message says why.
            nlpd.Error: any other failure.
        """
        return await self._unary(self._load(
            admin_pb2.LoadPluginRequest(path=path),
            timeout=self._timeout(timeout),
            metadata=self._metadata,
        ))  # fmt: skip

    async def unload_plugin(
        self, name: str, *, timeout: float | None = None
    ) -> admin_pb2.PluginChanges:
        """Unload the plugin ``name``.

        Raises:
            nlpd.NotFoundError: no such plugin is loaded.
            nlpd.FailedPreconditionError: another loaded plugin depends on it.
            nlpd.Error: any other failure.
        """
        return await self._unary(self._unload(
            admin_pb2.UnloadPluginRequest(name=name),
            timeout=self._timeout(timeout),
            metadata=self._metadata,
        ))  # fmt: skip

    async def _unary(self, call: grpc.aio.UnaryUnaryCall[Any, R]) -> R:
        try:
            return await call
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        except asyncio.CancelledError:
            raise self._cancelled_by_close() from None

    def _cancelled_by_close(self) -> Error:
        """Call in an ``except asyncio.CancelledError`` block. grpc.aio raises
        CancelledError in a call that :meth:`close` cancelled: for the caller that is
        an :class:`nlpd.Error` (``CANCELLED``), returned to be raised. Any other
        CancelledError is the cancellation of the caller's task: re-raised here."""
        if not self._closed:
            raise  # the CancelledError being handled
        return from_status(grpc.StatusCode.CANCELLED, f"the client of {self.target} was closed")

    # -- streams -----------------------------------------------------------------------

    def analyze_stream(
        self,
        texts: Iterable[StreamItem] | AsyncIterable[StreamItem],
        analyses: Sequence[str] = (),
        *,
        language: str | None = None,
        default_language: str | None = None,
        document_view: str | int = "full",
        results: Sequence[str] = (),
        timeout: float | None = None,
        strict: bool | None = None,
    ) -> AsyncIterator[nlpd_pb2.StreamResponse]:
        """Analyze many texts over one AnalyzeStream call: ``async for r in ...``.

        As :meth:`nlpd.Client.analyze_stream`: items are texts (id: the position) or
        ``(id, text)`` tuples, consumed lazily as the server makes room; responses come
        in request order, a failed document as a response with ``error`` set. ``texts``
        may be an async iterable; a plain iterable is read in the event loop, so it
        should not block.

        ``document_view`` (``"full"``, ``"no_tokens"``, ``"results_only"``) chooses how
        much of each document comes back, and ``results`` which analyses' results, as
        in :meth:`nlpd.Client.analyze`.

        Warns:
            nlpd.AnalysisSkippedWarning: a requested analysis did not run on a document
                (the message starts with the document's id).

        Raises:
            nlpd.AnalysisSkippedError: with ``strict``, a requested analysis did not run
                on a document; raised while iterating, which ends the stream.
            TypeError: at once, when ``texts`` is a single ``str`` or ``bytes``; while
                iterating, when an item is neither ``str`` nor ``(str, str)``.
            ValueError: at once, a ``document_view`` not accepted by
                :meth:`nlpd.Client.analyze`.
            nlpd.Error: the stream as a whole failed, raised while iterating.
            Any exception raised by ``texts`` itself is re-raised while iterating.
        """
        _refuse_one_text(texts, "analyze_stream")
        return self._analyze_stream(
            texts,
            _request_template(analyses, language, default_language, document_view, results),
            timeout,
            self.strict if strict is None else strict,
        )

    async def _analyze_stream(
        self,
        texts: Iterable[StreamItem] | AsyncIterable[StreamItem],
        template: nlpd_pb2.AnalyzeRequest,
        timeout: float | None,
        be_strict: bool,
    ) -> AsyncIterator[nlpd_pb2.StreamResponse]:
        requests = _AsyncRequests(texts, template)
        call = self._stream(requests.__aiter__(), timeout=timeout, metadata=self._metadata)
        try:
            async for response in call:
                if response.HasField("response"):
                    report_skipped(response.response, be_strict, f"document {response.id!r}: ")
                yield response
        except grpc.RpcError as exc:
            if requests.error is not None:
                raise requests.error from None
            raise await self._stream_error(exc) from exc
        except asyncio.CancelledError:
            # grpc.aio cancels the call when the request iterator raises.
            if requests.error is not None:
                raise requests.error from None
            raise self._cancelled_by_close() from None
        finally:
            call.cancel()
        if requests.error is not None:
            raise requests.error

    def analyze_many(
        self,
        records: Iterable[object] | AsyncIterable[object],
        analyses: Sequence[str] = (),
        *,
        language: str | None = None,
        default_language: str | None = None,
        document_view: str | int = "full",
        results: Sequence[str] = (),
        concurrency: int = bulk.DEFAULT_CONCURRENCY,
        ordered: bool = True,
        progress: bool = False,
        window: int = bulk.DEFAULT_WINDOW,
        timeout: float | None = None,
        strict: bool | None = None,
    ) -> AsyncIterator[BulkResult]:
        """Bulk analysis: ``async for result in client.analyze_many(records)``.

        The same contract as :meth:`nlpd.Client.analyze_many` (records, ids, order,
        one :class:`nlpd.BulkResult` per record, bounded memory, progress bar,
        ``document_view``, ``results``). ``records`` may be an async iterable; a plain one is read
        in the event loop.

        Raises:
            TypeError: at once for a single ``str``/``bytes``; while iterating for a
                record of an unknown shape.
            ValueError: at once, ``concurrency`` or ``window`` below 1, or a
                ``document_view`` not accepted by :meth:`nlpd.Client.analyze`.
            nlpd.Error: a stream as a whole failed (server unreachable, deadline, ...).
            Any exception raised by ``records`` (after the results before it).
        """
        _refuse_one_text(records, "analyze_many")
        options = bulk.BulkOptions.make(
            _request_template(analyses, language, default_language, document_view, results),
            concurrency,
            ordered,
            progress,
            window,
            timeout,
            self.strict if strict is None else strict,
        )
        return self._analyze_many(records, options)

    async def _analyze_many(
        self, records: Iterable[object] | AsyncIterable[object], options: bulk.BulkOptions
    ) -> AsyncIterator[BulkResult]:
        results = bulk.analyze_many_async(self._channel, self._metadata, records, options)
        try:
            async for result in results:
                yield result
        except asyncio.CancelledError:
            raise self._cancelled_by_close() from None
        finally:
            await results.aclose()

    async def _stream_error(self, exc: grpc.RpcError) -> Error:
        """The :class:`nlpd.Error` for a failed stream (see :func:`nlpd.bulk.stream_error`:
        works around grpc.aio losing the server's status, grpc/grpc#36066)."""
        if self._closed:
            return from_rpc_error(exc)
        return await bulk.stream_error(self._channel, self._metadata, exc)

    # -- custom results ----------------------------------------------------------------

    @overload
    async def custom_result(
        self, response: nlpd_pb2.AnalyzeResponse, name: str
    ) -> message.Message: ...

    @overload
    async def custom_result(
        self, response: nlpd_pb2.AnalyzeResponse, name: str, result_type: type[_M]
    ) -> _M: ...

    async def custom_result(
        self,
        response: nlpd_pb2.AnalyzeResponse,
        name: str,
        result_type: type[message.Message] | None = None,
    ) -> message.Message:
        """Decode ``response.custom_results[name]``; see :meth:`nlpd.Client.custom_result`
        (a coroutine here: the first use of a plugin's type may call ListPlugins).

        With ``result_type`` (the plugin's generated result class), the result is
        decoded into that class and typed as it, without ListPlugins.

        Raises:
            nlpd.ResultNotFoundError (a LookupError): no result of that name (not
                requested, or skipped: the message says why), or its type is unknown.
            TypeError: ``result_type`` is not the result's type.
            nlpd.Error: ListPlugins failed.
        """
        any_msg = _custom_results.find(response, name)
        known = _custom_results.decode_known(any_msg, name, result_type)
        if known is not None:
            return known
        if not self._plugin_types.knows(name, _custom_results.plugin_version(response, name)):
            await self.list_plugins()
        return descriptors.unpack(any_msg, self._plugin_types.pool(name))

    async def to_dict(
        self, response: nlpd_pb2.AnalyzeResponse, *, proto_field_names: bool = True
    ) -> dict[str, Any]:
        """A JSON-able dict of ``response`` with custom results decoded; see
        :meth:`nlpd.Client.to_dict`.

        Raises:
            nlpd.ResultNotFoundError: a custom result's type cannot be resolved.
        """
        bare = nlpd_pb2.AnalyzeResponse()
        bare.CopyFrom(response)
        bare.ClearField("custom_results")
        out: dict[str, Any] = json_format.MessageToDict(
            bare,
            always_print_fields_with_no_presence=True,
            preserving_proto_field_name=proto_field_names,
        )
        custom: dict[str, Any] = {}
        for name in sorted(response.custom_results):
            decoded = await self.custom_result(response, name)
            fields = json_format.MessageToDict(
                decoded,
                always_print_fields_with_no_presence=True,
                preserving_proto_field_name=proto_field_names,
                descriptor_pool=decoded.DESCRIPTOR.file.pool,  # type: ignore[arg-type]
            )
            custom[name] = {"@type": response.custom_results[name].type_url, **fields}
        out["custom_results" if proto_field_names else "customResults"] = custom
        return out
