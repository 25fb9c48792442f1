"""Python client for nlpd, the gRPC text-analysis server.

    >>> import nlpd
    >>> with nlpd.Client("127.0.0.1:50051") as client:
    ...     response = client.analyze("Der Bundestag tagt am 3. März.", ["keywords"])
    ...     keywords = client.custom_result(response, "keywords")

Generated messages live in :mod:`nlpd.v1` (``nlpd_pb2``, ``document_pb2``,
``results_pb2``, ``nlpd_pb2_grpc``). Failed calls raise :class:`nlpd.Error`.
:class:`nlpd.AsyncClient` is the same client for asyncio; ``analyze_many`` on either
analyzes large batches (:class:`nlpd.BulkResult`).
"""

from __future__ import annotations

import importlib.metadata as _metadata

from nlpd._channel import RetryPolicy
from nlpd.aio import AsyncClient
from nlpd.bulk import BulkResult
from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    Error,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    ResultNotFoundError,
    UnauthenticatedError,
    UnavailableError,
    from_status,
)

__all__ = [
    "DEFAULT_TARGET",
    "AsyncClient",
    "BulkResult",
    "Client",
    "RetryPolicy",
    "AlreadyExistsError",
    "DeadlineExceededError",
    "Error",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "ResultNotFoundError",
    "UnauthenticatedError",
    "UnavailableError",
    "from_status",
]

try:
    __version__ = _metadata.version("nlpd")
except _metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
