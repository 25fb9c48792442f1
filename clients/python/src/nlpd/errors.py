"""Exceptions raised by the nlpd client.

Every failed RPC is raised as an :class:`Error` (or the subclass for its status code).
The gRPC status code is kept in :attr:`Error.code` and the server's message is kept
verbatim in :attr:`Error.message` (and is ``str(error)``); the original
:class:`grpc.RpcError` is chained as ``__cause__``.

Per-document failures inside :meth:`nlpd.Client.analyze_stream` are *not* raised; they
arrive as ``StreamResponse.error``.

An analysis the caller asked for that the server did not run (its language is not
the document's, the language could not be identified, a dependency did not run) is
not a failed call: the client warns with :class:`AnalysisSkippedWarning`, or raises
:class:`AnalysisSkippedError` when asked to be strict.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

__all__ = [
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "FailedPreconditionError",
    "ResourceExhaustedError",
    "DeadlineExceededError",
    "UnavailableError",
    "InternalError",
    "ResultNotFoundError",
    "AlreadyExistsError",
    "UnauthenticatedError",
    "PermissionDeniedError",
    "AnalysisSkippedError",
    "AnalysisSkippedWarning",
    "SkippedAnalysis",
    "from_rpc_error",
    "from_status",
]


class Error(Exception):
    """A failed call to the nlpd server.

    Attributes:
        code: the gRPC status code (``grpc.StatusCode``).
        message: the server's status message, unchanged.
    """

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code.name}, message={self.message!r})"


class InvalidArgumentError(Error):
    """INVALID_ARGUMENT: empty text, text not UTF-8, text over the size limit, ..."""


class NotFoundError(Error):
    """NOT_FOUND: an analysis name that no loaded plugin provides."""


class AlreadyExistsError(Error):
    """ALREADY_EXISTS: loading a plugin whose name is already loaded."""


class FailedPreconditionError(Error):
    """FAILED_PRECONDITION: a plugin that could not be loaded or misses dependencies."""


class ResourceExhaustedError(Error):
    """RESOURCE_EXHAUSTED: the server's queue is full; retry with backoff."""


class DeadlineExceededError(Error):
    """DEADLINE_EXCEEDED: the call's deadline passed before the work finished."""


class UnavailableError(Error):
    """UNAVAILABLE: the server cannot be reached (not running, wrong address, ...), or
    an isolated plugin's process was lost during the call (the message names the plugin
    and what happened; the server restarts it: retry)."""


class InternalError(Error):
    """INTERNAL: a plugin failed on this document; the message names it."""


class UnauthenticatedError(Error):
    """UNAUTHENTICATED: the server asks for a token (``Client(token=...)``) and got
    none, or one it does not know."""


class PermissionDeniedError(Error):
    """PERMISSION_DENIED: the token may analyze but not administer the server."""


@dataclass(frozen=True)
class SkippedAnalysis:
    """A requested analysis that the server did not run (an ``AnalysisInfo`` whose
    outcome is not ``OK``).

    Attributes:
        name: the analysis (plugin) name.
        outcome: the ``AnalysisInfo.Outcome`` name (``"UNSUPPORTED_LANGUAGE"``,
            ``"LANGUAGE_UNDETERMINED"``, ``"DEPENDENCY_NOT_RUN"``, ...).
        reason: why, from the server (``AnalysisInfo.reason``).
    """

    name: str
    outcome: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name!r} ({self.outcome}): {self.reason}"


class AnalysisSkippedWarning(UserWarning):
    """The server did not run an analysis the caller asked for; the call succeeded and
    the response holds everything else. ``str()`` names each analysis and why.

    Attributes:
        skipped: the analyses not run (:class:`SkippedAnalysis`), in execution order.
    """

    def __init__(self, message: str, skipped: list[SkippedAnalysis]) -> None:
        super().__init__(message)
        self.skipped = skipped


class AnalysisSkippedError(Error):
    """Strict mode (``Client(strict=True)`` or ``analyze(..., strict=True)``): the
    server did not run an analysis the caller asked for. The call itself succeeded;
    ``code`` is FAILED_PRECONDITION, as the document (its language) did not allow the
    analysis.

    Attributes:
        skipped: the analyses not run (:class:`SkippedAnalysis`), in execution order.
        response: the server's response (the document and the results of the analyses
            that did run).
    """

    def __init__(self, message: str, skipped: list[SkippedAnalysis], response: object) -> None:
        super().__init__(grpc.StatusCode.FAILED_PRECONDITION, message)
        self.skipped = skipped
        self.response = response


class ResultNotFoundError(LookupError):
    """A custom result that is not in the response, or whose type the server does not
    describe (no plugin of that name, or an empty descriptor set)."""


_BY_CODE: dict[grpc.StatusCode, type[Error]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.INTERNAL: InternalError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
}


def error_class(code: grpc.StatusCode) -> type[Error]:
    """The :class:`Error` subclass for a status code (``Error`` for unlisted codes)."""
    return _BY_CODE.get(code, Error)


def from_rpc_error(exc: grpc.RpcError) -> Error:
    """Convert a ``grpc.RpcError`` raised by a call into an :class:`Error`.

    Works for the blocking API's errors and for ``grpc.aio.AioRpcError``.

    The code and details are taken from the call; the details string is not altered.
    """
    code_fn = getattr(exc, "code", None)
    details_fn = getattr(exc, "details", None)
    code = code_fn() if callable(code_fn) else grpc.StatusCode.UNKNOWN
    details = details_fn() if callable(details_fn) else None
    if code is None:
        code = grpc.StatusCode.UNKNOWN
    return error_class(code)(code, details if details is not None else str(exc))


_STATUS_BY_NUMBER: dict[int, grpc.StatusCode] = {s.value[0]: s for s in grpc.StatusCode}


def from_status(code: int | grpc.StatusCode, message: str) -> Error:
    """An :class:`Error` for a status given as a number or ``grpc.StatusCode``, such as
    a streamed document's ``StreamResponse.error`` (``from_status(e.code, e.message)``).

    An unknown number gives ``grpc.StatusCode.UNKNOWN``.
    """
    if not isinstance(code, grpc.StatusCode):
        code = _STATUS_BY_NUMBER.get(code, grpc.StatusCode.UNKNOWN)
    return error_class(code)(code, message)
