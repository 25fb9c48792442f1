"""Python client for nlpd, the gRPC text-analysis server.

    >>> import nlpd
    >>> with nlpd.Client("127.0.0.1:50051") as client:
    ...     response = client.analyze("Der Bundestag tagt am 3. März.", ["keywords"])
    ...     keywords = client.custom_result(response, "keywords")

Generated messages live in :mod:`nlpd.v1` (``nlpd_pb2``, ``document_pb2``,
``results_pb2``, ``nlpd_pb2_grpc``). Failed calls raise :class:`nlpd.Error`.
"""

from __future__ import annotations

import importlib.metadata as _metadata

from nlpd.client import DEFAULT_TARGET, Client
from nlpd.errors import (
    AlreadyExistsError,
    AnalysisSkippedError,
    AnalysisSkippedWarning,
    DeadlineExceededError,
    Error,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    ResultNotFoundError,
    SkippedAnalysis,
    UnauthenticatedError,
    UnavailableError,
)

__all__ = [
    "DEFAULT_TARGET",
    "Client",
    "AlreadyExistsError",
    "AnalysisSkippedError",
    "AnalysisSkippedWarning",
    "DeadlineExceededError",
    "Error",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "ResultNotFoundError",
    "SkippedAnalysis",
    "UnauthenticatedError",
    "UnavailableError",
]

try:
    __version__ = _metadata.version("nlpd")
except _metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
