"""The nlpd client: a thin, typed wrapper around the nlpd.v1.AnalysisService stub."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol, TypeVar, overload

import grpc
from google.protobuf import json_format, message

from nlpd import _custom_results, bulk, descriptors
from nlpd._channel import DEFAULT_RETRIES, RetryPolicy, channel_config
from nlpd.errors import UnavailableError, from_rpc_error
from nlpd.skipped import report_skipped
from nlpd.v1 import admin_pb2, admin_pb2_grpc, document_pb2, nlpd_pb2, nlpd_pb2_grpc

__all__ = ["Client", "DEFAULT_TARGET"]

DEFAULT_TARGET = "127.0.0.1:50051"

_M = TypeVar("_M", bound=message.Message)


class _StreamCall(Protocol):
    """The part of gRPC's stream-stream call object that the client uses."""

    def __iter__(self) -> Iterator[nlpd_pb2.StreamResponse]: ...

    def cancel(self) -> bool: ...


#: The accepted ``document_view`` names and their ``nlpd.v1.DocumentView`` values.
DOCUMENT_VIEWS: dict[str, int] = {
    "full": nlpd_pb2.DOCUMENT_VIEW_FULL,
    "no_tokens": nlpd_pb2.DOCUMENT_VIEW_NO_TOKENS,
    "results_only": nlpd_pb2.DOCUMENT_VIEW_RESULTS_ONLY,
}


def _document_view(view: str | int) -> int:
    """``view`` ("full", "no_tokens", "results_only", in any case, or an
    ``nlpd.v1.DocumentView`` number) as its DocumentView number.

    Raises:
        ValueError: any other value.
    """
    accepted = ", ".join(repr(name) for name in DOCUMENT_VIEWS)
    if isinstance(view, str):
        name = view.strip().lower().replace("-", "_")
        name = name.removeprefix("document_view_")
        if name in DOCUMENT_VIEWS:
            return DOCUMENT_VIEWS[name]
    elif isinstance(view, int) and not isinstance(view, bool):
        if view in nlpd_pb2.DocumentView.values():
            return int(view)
    raise ValueError(
        f"document_view must be one of {accepted} (or an nlpd.v1.DocumentView number), got {view!r}"
    )


def _request_template(
    analyses: Sequence[str] | str,
    language: str | None,
    default_language: str | None,
    document_view: str | int = "full",
    results: Sequence[str] | str = (),
) -> nlpd_pb2.AnalyzeRequest:
    """An AnalyzeRequest with everything but the text: what a stream's or a batch's
    documents share (see :func:`_stream_request`).

    Raises:
        ValueError: a ``document_view`` that is not one of :data:`DOCUMENT_VIEWS`.
    """
    return nlpd_pb2.AnalyzeRequest(
        analyses=_analyses_list(analyses),
        language=language or "",
        default_language=default_language or "",
        document_view=_document_view(document_view),  # type: ignore[arg-type]
        results=_analyses_list(results),
    )


def _stream_request(
    item: object, index: int, template: nlpd_pb2.AnalyzeRequest
) -> nlpd_pb2.StreamRequest:
    """An ``analyze_stream`` item (a text, id: its index, or an ``(id, text)`` pair) as
    a StreamRequest of ``template`` with that text.

    Raises:
        TypeError: the item is neither ``str`` nor ``(str, str)``.
    """
    if isinstance(item, str):
        doc_id, text = str(index), item
    elif isinstance(item, tuple) and len(item) == 2:
        doc_id, text = item
        if not isinstance(doc_id, str) or not isinstance(text, str):
            raise TypeError(
                f"analyze_stream item {index}: (id, text) must both be str, "
                f"got ({type(doc_id).__name__}, {type(text).__name__})"
            )
    else:
        raise TypeError(
            f"analyze_stream item {index}: expected str or (id, text) tuple, "
            f"got {type(item).__name__}"
        )
    request = nlpd_pb2.StreamRequest(id=doc_id)
    request.request.CopyFrom(template)
    request.request.text = text
    return request


class _RequestIterator:
    """Feeds StreamRequests to gRPC lazily and remembers a failure of the caller's iterable.

    gRPC consumes the request iterator on its own thread and turns an exception there
    into a cancelled call; we keep the exception so the caller gets it instead.
    """

    def __init__(
        self, texts: Iterable[str | tuple[str, str]], template: nlpd_pb2.AnalyzeRequest
    ) -> None:
        self._texts = iter(texts)
        self._template = template
        self._index = 0
        self.error: BaseException | None = None

    def __iter__(self) -> _RequestIterator:
        return self

    def __next__(self) -> nlpd_pb2.StreamRequest:
        try:
            request = _stream_request(next(self._texts), self._index, self._template)
        except StopIteration:
            raise
        except BaseException as exc:
            self.error = exc
            raise
        self._index += 1
        return request


def _analyses_list(analyses: Sequence[str] | str) -> list[str]:
    if isinstance(analyses, str):
        # A bare string would be split into characters; accept "a,b" as a convenience.
        return [a.strip() for a in analyses.split(",") if a.strip()]
    return list(analyses)


def _targets_list(targets: Sequence[str | tuple[int, int]]) -> list[document_pb2.Target]:
    """Caller's targets as ``nlpd.v1.Target``: a str names a text, a pair a range."""
    if isinstance(targets, str):
        raise TypeError("targets must be a sequence of str or (start, end); got a bare str")
    converted = []
    for index, target in enumerate(targets):
        if isinstance(target, str):
            converted.append(document_pb2.Target(text=target))
        elif (
            isinstance(target, tuple)
            and len(target) == 2
            and all(isinstance(offset, int) and offset >= 0 for offset in target)
        ):
            converted.append(
                document_pb2.Target(
                    range=document_pb2.CharRange(char_start=target[0], char_end=target[1])
                )
            )
        else:
            raise TypeError(
                f"target {index}: expected str or (start, end) code-point offsets, got {target!r}"
            )
    return converted


class Client:
    """A connection to an nlpd server.

    Errors: every failed RPC raises :class:`nlpd.Error` (a subclass per status code,
    e.g. :class:`nlpd.InvalidArgumentError`, :class:`nlpd.NotFoundError`), carrying the
    ``grpc.StatusCode`` in ``.code`` and the server's message verbatim in ``.message``.
    ``grpc.RpcError`` does not escape from this class.

    An analysis you asked for that the server did not run (the document's language is
    not one it supports, or could not be identified; a dependency did not run) does not
    fail the call: :meth:`analyze` and :meth:`analyze_stream` warn with
    :class:`nlpd.AnalysisSkippedWarning`, naming each analysis and the server's reason;
    with ``strict`` they raise :class:`nlpd.AnalysisSkippedError` instead.

    The client is thread-safe: one instance may be shared by many threads (gRPC channels
    multiplex calls). Use it as a context manager or call :meth:`close`.

    Args:
        target: ``HOST:PORT`` of the server (any gRPC target string).
        timeout: default deadline in seconds for :meth:`analyze` and :meth:`plugins`;
            ``None`` means no deadline. Not applied to :meth:`analyze_stream`, whose
            duration depends on how much the caller sends.
        credentials: TLS channel credentials; ``None`` for an insecure channel (unless
            a ``tls_*`` argument is given).
        options: extra gRPC channel options, appended to (and overriding) the defaults
            (receive limit of 256 MiB).
        token: a bearer token for a server started with ``--auth_tokens``; sent as
            ``authorization: Bearer <token>`` with every call.
        tls_ca: PEM file of the CA that signed the server's certificate: connect with
            TLS (``None`` with ``tls_cert`` uses the system's roots).
        tls_cert, tls_key: PEM files of this client's certificate and key, for a
            server that asks for them (``--tls_client_ca``, mutual TLS).
        retries: how often :meth:`analyze`, :meth:`list_plugins` and :meth:`plugins`
            are retried on ``UNAVAILABLE`` (server not up yet, restarting, connection
            lost), with exponential backoff: gRPC's own retry policy in the channel's
            service config. An int from 0 (no retries) to 4, or an
            :class:`nlpd.RetryPolicy` for other backoff times. The call's ``timeout``
            covers all attempts. :meth:`analyze_stream` and the administration calls
            are never retried.
        strict: raise :class:`nlpd.AnalysisSkippedError` instead of warning when a
            requested analysis did not run (the default for every call; a call's own
            ``strict=`` overrides it).
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
        self._config = config
        self._metadata = config.metadata
        self._channel = config.open()
        self._stub = nlpd_pb2_grpc.AnalysisServiceStub(self._channel)
        self._admin = admin_pb2_grpc.AdminStub(self._channel)
        self._plugin_types = _custom_results.PluginTypes()

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def channel(self) -> grpc.Channel:
        """The underlying gRPC channel (e.g. for the health or reflection services)."""
        return self._channel

    def close(self) -> None:
        """Close the channel. Calls in flight are cancelled; the client is unusable after."""
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the channel is connected.

        Raises:
            nlpd.UnavailableError: not connected within ``timeout`` seconds.
        """
        try:
            grpc.channel_ready_future(self._channel).result(timeout=timeout)
        except grpc.FutureTimeoutError:
            raise UnavailableError(
                grpc.StatusCode.UNAVAILABLE,
                f"could not connect to {self.target} within {timeout} s",
            ) from None

    def _timeout(self, timeout: float | None) -> float | None:
        return self.timeout if timeout is None else timeout

    # -- RPCs --------------------------------------------------------------------------

    def analyze(
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
        """Analyze one text.

        Args:
            text: the text (any Python str; sent as UTF-8). The server normalizes it to
                NFC: spans in the response refer to ``response.document.text``, which may
                differ from ``text``.
            analyses: analysis names, e.g. ``["keywords"]`` (a comma-separated ``str``
                is accepted too); the server adds their dependencies. Empty: only the
                text pipeline (language, sentences, tokens).
            language: BCP-47 code if known (``"de"``); ``None`` lets the server detect it.
            default_language: BCP-47 code to assume when the server cannot identify the
                language with confidence (short texts: headlines, posts); without it,
                the server falls back to the likeliest language the requested analyses
                support, or to ``"und"``. ``response.document.language_source`` says
                which happened.
            document_view: how much of the document model comes back in
                ``response.document`` (the results and ``response.analyses`` are the
                same in every view): ``"full"`` (default) the normalized text,
                language, sentences and tokens; ``"no_tokens"`` the same without the
                tokens (``document.tokens`` empty, each sentence's span kept, its
                ``token_begin``/``token_end`` 0); ``"results_only"`` only
                ``language``, ``language_confidence`` and ``language_source``: no
                text, sentences or tokens, the smallest and fastest response. Spans of
                the results always index the NFC-normalized text: with
                ``"results_only"``, slice ``unicodedata.normalize("NFC", text)``.
                An ``nlpd.v1.DocumentView`` number is accepted too.
            results: the analyses whose results come back, e.g. ``["stance"]``
                (each one the request runs, requested or a dependency); empty: all.
                The others still run and are listed in ``response.analyses``; a
                request for stance that only wants stance leaves out the entities.
            targets: your own targets for target-dependent analyses ("sentiment"): a
                ``str`` finds every occurrence (whole tokens, any case), a
                ``(start, end)`` pair is one code-point range of the text. Results
                carry ``source=REQUEST`` and the target's index in this list.
            timeout: deadline in seconds; ``None`` uses the client's default.
            strict: raise instead of warning when a requested analysis did not run;
                ``None`` uses the client's ``strict``.

        Returns:
            The generated ``nlpd.v1.AnalyzeResponse`` message. Decode custom results with
            :meth:`custom_result`.

        Warns:
            nlpd.AnalysisSkippedWarning: a requested analysis did not run; the message
                names each and the server's reason (``response.analyses[i].reason``).

        Raises:
            nlpd.AnalysisSkippedError: with ``strict``, a requested analysis did not run
                (``.skipped`` names them, ``.response`` is the response).
            nlpd.InvalidArgumentError: empty text, too large, not valid UTF-8, a
                malformed ``language`` or ``default_language``, a bad target (empty,
                or a range outside the text), or a name in ``results`` the request
                does not run.
            TypeError: a target is neither ``str`` nor a pair of ints.
            ValueError: a ``document_view`` other than ``"full"``, ``"no_tokens"``,
                ``"results_only"`` (or their numbers).
            nlpd.NotFoundError: an analysis no loaded plugin provides.
            nlpd.Error: any other failed call (see ``.code``).
        """
        request = _request_template(analyses, language, default_language, document_view, results)
        request.text = text
        request.targets.extend(_targets_list(targets))
        try:
            response: nlpd_pb2.AnalyzeResponse = self._stub.Analyze(
                request, timeout=self._timeout(timeout), metadata=self._metadata
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        report_skipped(response, self.strict if strict is None else strict)
        return response

    def list_plugins(self, *, timeout: float | None = None) -> nlpd_pb2.ListPluginsResponse:
        """The full ListPlugins response: loaded plugins and files that failed to load.

        Also refreshes the cache used by :meth:`custom_result`.

        Raises:
            nlpd.Error: the call failed.
        """
        try:
            response = self._stub.ListPlugins(
                nlpd_pb2.ListPluginsRequest(),
                timeout=self._timeout(timeout),
                metadata=self._metadata,
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        self._plugin_types.update(response)
        return response

    def plugins(self, *, timeout: float | None = None) -> list[nlpd_pb2.PluginInfo]:
        """The loaded plugins (generated ``nlpd.v1.PluginInfo`` messages), in server order.

        Raises:
            nlpd.Error: the call failed.
        """
        return list(self.list_plugins(timeout=timeout).plugins)

    # -- administration (nlpd.v1.Admin) ------------------------------------------------

    def reload_plugins(self, *, timeout: float | None = None) -> admin_pb2.PluginChanges:
        """Rescan the server's plugin directories, as SIGHUP does.

        Loads new plugin files, replaces plugins whose file changed, unloads those whose
        file is gone. Calls in flight finish on the plugins they started with.

        Returns:
            What changed (``changes``: action, name, path, versions, hashes, message).

        Raises:
            nlpd.Error: the call failed.
        """
        return self._admin_call(
            self._admin.ReloadPlugins, admin_pb2.ReloadPluginsRequest(), timeout
        )

    def load_plugin(self, path: str, *, timeout: float | None = None) -> admin_pb2.PluginChanges:
        """Load the plugin file ``path``, which must lie in one of the server's plugin
        directories.

        Raises:
            nlpd.InvalidArgumentError: the path is outside the plugin directories.
            nlpd.AlreadyExistsError: a plugin of that name is loaded.
            nlpd.FailedPreconditionError: the file was refused; the message says why.
            nlpd.Error: any other failure.
        """
        return self._admin_call(
            self._admin.LoadPlugin, admin_pb2.LoadPluginRequest(path=path), timeout
        )

    def unload_plugin(self, name: str, *, timeout: float | None = None) -> admin_pb2.PluginChanges:
        """Unload the plugin ``name``; it stays unloaded until :meth:`load_plugin`.

        Raises:
            nlpd.NotFoundError: no such plugin is loaded.
            nlpd.FailedPreconditionError: another loaded plugin depends on it.
            nlpd.Error: any other failure.
        """
        return self._admin_call(
            self._admin.UnloadPlugin, admin_pb2.UnloadPluginRequest(name=name), timeout
        )

    def _admin_call(
        self,
        method: Callable[..., admin_pb2.PluginChanges],
        request: message.Message,
        timeout: float | None,
    ) -> admin_pb2.PluginChanges:
        try:
            response: admin_pb2.PluginChanges = method(
                request, timeout=self._timeout(timeout), metadata=self._metadata
            )
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return response

    def analyze_stream(
        self,
        texts: Iterable[str | tuple[str, str]],
        analyses: Sequence[str] = (),
        *,
        language: str | None = None,
        default_language: str | None = None,
        document_view: str | int = "full",
        results: Sequence[str] = (),
        timeout: float | None = None,
        strict: bool | None = None,
    ) -> Iterator[nlpd_pb2.StreamResponse]:
        """Analyze many texts over one AnalyzeStream call.

        ``texts`` is consumed lazily, as the server makes room (gRPC flow control), so a
        generator of any length can be passed. Each item is a text, whose id is its
        position ("0", "1", ...), or an ``(id, text)`` tuple.

        Yields ``nlpd.v1.StreamResponse`` messages in request order. A document that
        fails (empty text, invalid language, ...) yields a response whose ``error`` is
        set (``error.code`` is a google.rpc.Code number, ``error.message`` the reason);
        the stream goes on. Use ``response.WhichOneof("outcome")`` to tell them apart.

        Args:
            texts: texts or ``(id, text)`` tuples.
            analyses: analysis names for every document.
            language: BCP-47 code for every document, or ``None`` to detect per document.
            default_language: BCP-47 code to assume for a document whose language the
                server cannot identify with confidence (see :meth:`analyze`).
            document_view: ``"full"`` (default), ``"no_tokens"`` or ``"results_only"``:
                how much of each document comes back (see :meth:`analyze`);
                ``"results_only"`` makes bulk work several times faster when the
                tokens and the text are not needed.
            results: the analyses whose results come back (see :meth:`analyze`).
            timeout: deadline in seconds for the whole stream; ``None``: no deadline
                (the client's default timeout is not applied to streams).
            strict: raise instead of warning when a requested analysis did not run on a
                document; ``None`` uses the client's ``strict``.

        Warns:
            nlpd.AnalysisSkippedWarning: a requested analysis did not run on a document
                (the message starts with the document's id).

        Raises:
            nlpd.AnalysisSkippedError: with ``strict``, a requested analysis did not run
                on a document; raised while iterating, which ends the stream.
            nlpd.Error: the stream as a whole failed (server unreachable, deadline, ...),
                raised while iterating.
            TypeError: at once, when ``texts`` is a single ``str`` (or ``bytes``), which
                would otherwise be read as one text per character; while iterating,
                when an item is neither ``str`` nor ``(str, str)``.
            ValueError: at once, a ``document_view`` not accepted by :meth:`analyze`.
            Any exception raised by ``texts`` itself is re-raised while iterating.
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError(
                "analyze_stream() takes an iterable of texts, not one text: pass [text], "
                "or call analyze(text) for a single document"
            )
        return self._analyze_stream(
            texts,
            _request_template(analyses, language, default_language, document_view, results),
            timeout,
            self.strict if strict is None else strict,
        )

    def _analyze_stream(
        self,
        texts: Iterable[str | tuple[str, str]],
        template: nlpd_pb2.AnalyzeRequest,
        timeout: float | None,
        be_strict: bool,
    ) -> Iterator[nlpd_pb2.StreamResponse]:
        # A generator: the call starts at the first next(), and closing the generator
        # (or breaking out of a for loop over it) cancels the call.
        requests = _RequestIterator(texts, template)
        call = self._stub.AnalyzeStream(requests, timeout=timeout, metadata=self._metadata)
        for item in self._stream_responses(call, requests):
            if item.HasField("response"):
                report_skipped(item.response, be_strict, f"document {item.id!r}: ")
            yield item

    @staticmethod
    def _stream_responses(
        call: _StreamCall, requests: _RequestIterator
    ) -> Iterator[nlpd_pb2.StreamResponse]:
        try:
            yield from call
        except grpc.RpcError as exc:
            if requests.error is not None:
                raise requests.error from None
            raise from_rpc_error(exc) from exc
        finally:
            call.cancel()  # no-op when finished; stops the call if the caller breaks off
        if requests.error is not None:
            raise requests.error

    def analyze_many(
        self,
        records: Iterable[object],
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
    ) -> Iterator[bulk.BulkResult]:
        """Analyze many records over AnalyzeStream, one :class:`nlpd.BulkResult` each.

        Records: a text (its id is its position, ``"0"``, ``"1"``, ...), an ``(id,
        text)`` tuple, a mapping with ``"text"`` and optionally ``"id"``, or an object
        with ``.text`` and optionally ``.id``; ids are converted with ``str()``.
        ``records`` is read lazily: a generator of any length works, and at most
        ``window`` records are read but not yet handed out, in order or not. The
        batch runs on a private asyncio event loop in a thread of its own (with a
        ``grpc.aio`` channel of this client's settings), which also reads ``records``.

        Each result has ``index`` (position in the input), ``id``, and either
        ``response`` (the ``AnalyzeResponse``) or ``error`` (an :class:`nlpd.Error`
        subclass: a bad record fails alone, the batch goes on).

        Args:
            analyses: analysis names for every record.
            language: BCP-47 code for every record, or ``None`` to detect per record.
            default_language: BCP-47 code to assume for a record whose language the
                server cannot identify with confidence (see :meth:`analyze`).
            document_view: ``"full"`` (default), ``"no_tokens"`` or ``"results_only"``:
                how much of each record's document comes back (see :meth:`analyze`).
            results: the analyses whose results come back (see :meth:`analyze`).
            concurrency: AnalyzeStream calls (on one connection) to spread the records
                over; 16 by default, the fastest measured (twice one stream's texts/s).
            ordered: yield in input order (default); ``False`` yields each result as
                it comes.
            progress: show a tqdm progress bar on stderr (``pip install
                'nlpd[progress]'``; without tqdm, a warning and a plain progress line).
            window: the most records read from ``records`` whose result was not yet
                yielded (default 512); lower it for very large texts.
            timeout: deadline in seconds for each stream, i.e. the whole batch; ``None``
                (default): none. The client's default timeout does not apply.
            strict: a record on which a requested analysis did not run is a failed
                record (``error`` an :class:`nlpd.AnalysisSkippedError`); without it,
                ``BulkResult.skipped`` names them and the batch warns once
                (:class:`nlpd.AnalysisSkippedWarning`). ``None`` uses the client's.

        Raises:
            TypeError: at once when ``records`` is a single ``str`` or ``bytes``; while
                iterating, for a record of none of the shapes above (after the results
                of the records before it).
            ValueError: at once, ``concurrency`` or ``window`` below 1, or a
                ``document_view`` not accepted by :meth:`analyze`.
            nlpd.Error: a stream as a whole failed (server unreachable, wrong token,
                deadline), raised while iterating; the other streams are cancelled.
            Any exception raised by ``records``, after the results before it.
        """
        if isinstance(records, (str, bytes)):
            raise TypeError(
                "analyze_many() takes an iterable of texts, not one text: pass [text], "
                "or call analyze(text) for a single document"
            )
        options = bulk.BulkOptions.make(
            _request_template(analyses, language, default_language, document_view, results),
            concurrency,
            ordered,
            progress,
            window,
            timeout,
            self.strict if strict is None else strict,
        )
        return bulk.analyze_many(self._config, records, options)

    # -- custom results ----------------------------------------------------------------

    @overload
    def custom_result(self, response: nlpd_pb2.AnalyzeResponse, name: str) -> message.Message: ...

    @overload
    def custom_result(
        self, response: nlpd_pb2.AnalyzeResponse, name: str, result_type: type[_M]
    ) -> _M: ...

    def custom_result(
        self,
        response: nlpd_pb2.AnalyzeResponse,
        name: str,
        result_type: type[message.Message] | None = None,
    ) -> message.Message:
        """Decode ``response.custom_results[name]`` into a message of the plugin's type.

        With ``result_type`` (a generated class of the plugin's result message, such as
        one made from its .proto with ``python -m nlpd.protoc``), the result is decoded
        into that class, and type checkers know it: ``client.custom_result(response,
        "textstats", TextStats).words`` is an ``int`` to mypy. Without it, the class is
        found or built at run time, as below, and typed as ``Message``.

        Every plugin's result is in ``custom_results`` under the plugin's name, except
        that of a plugin named as a typed field of the response with that field's type
        (``entities``, ``sentiment``, ``stance``: read ``response.entities``, ...).

        A result of an nlpd.v1 type (``nlpd.v1.EntitiesResult`` from a plugin not named
        ``entities``) is decoded with the generated class (``results_pb2``). Any other
        type is built at run time from the plugin's ``PluginInfo.descriptor_set``
        (fetched with ListPlugins on first use and cached per plugin name and version;
        refetched when the response reports another plugin version). The returned
        object is a normal protobuf message: read its fields as attributes.

        Raises:
            nlpd.ResultNotFoundError (a LookupError): the response has no result of that
                name (not requested, or skipped: the message says why), or the server
                does not describe its type.
            TypeError: ``result_type`` is not the result's type.
            nlpd.Error: ListPlugins failed.
        """
        any_msg = _custom_results.find(response, name)
        known = _custom_results.decode_known(any_msg, name, result_type)
        if known is not None:
            return known
        if not self._plugin_types.knows(name, _custom_results.plugin_version(response, name)):
            self.list_plugins()
        return descriptors.unpack(any_msg, self._plugin_types.pool(name))

    def to_dict(
        self, response: nlpd_pb2.AnalyzeResponse, *, proto_field_names: bool = True
    ) -> dict[str, Any]:
        """A JSON-able dict of ``response`` (protobuf JSON mapping) with every custom
        result decoded into an object (``{"@type": type_url, ...fields}``), not base64.

        Fields without presence are always printed (a span starting at 0 shows
        ``char_start: 0``). 64-bit integers are strings, per the protobuf JSON mapping.

        Args:
            proto_field_names: keep ``snake_case`` names as in the .proto files;
                ``False`` gives the lowerCamelCase JSON names.

        Raises:
            nlpd.ResultNotFoundError: a custom result's type cannot be resolved.
        """
        bare = nlpd_pb2.AnalyzeResponse()
        bare.CopyFrom(response)
        bare.ClearField("custom_results")
        out = json_format.MessageToDict(
            bare,
            always_print_fields_with_no_presence=True,
            preserving_proto_field_name=proto_field_names,
        )
        custom: dict[str, Any] = {}
        for name in sorted(response.custom_results):
            decoded = self.custom_result(response, name)
            fields = json_format.MessageToDict(
                decoded,
                always_print_fields_with_no_presence=True,
                preserving_proto_field_name=proto_field_names,
                descriptor_pool=decoded.DESCRIPTOR.file.pool,
            )
            custom[name] = {"@type": response.custom_results[name].type_url, **fields}
        out["custom_results" if proto_field_names else "customResults"] = custom
        return out
