"""Python client for nlpd, the gRPC text-analysis server.

    >>> import nlpd
    >>> with nlpd.Client("127.0.0.1:50051") as client:
    ...     response = client.analyze("Der Bundestag tagt am 3. März.", ["keywords"])
    ...     keywords = client.custom_result(response, "keywords")

Generated messages live in :mod:`nlpd.v1` (``nlpd_pb2``, ``document_pb2``,
``results_pb2``, ``nlpd_pb2_grpc``). Failed calls raise :class:`nlpd.Error`.
:func:`nlpd.render.html` makes an HTML page of responses.

Tables and JSON (:mod:`nlpd.tables`): :func:`to_records`, :func:`to_pandas` (needs the
extra ``nlpd[pandas]``), :func:`to_json`, :func:`from_json`. A spaCy component
(:mod:`nlpd.spacy_component`, extra ``nlpd[spacy]``): ``nlp.add_pipe("nlpd")``.
:class:`nlpd.AsyncClient` is the same client for asyncio; ``analyze_many`` on either
analyzes large batches (:class:`nlpd.BulkResult`).
"""

from __future__ import annotations

import importlib.metadata as _metadata

from nlpd import render as render  # nlpd.render.html after import nlpd
from nlpd._channel import RetryPolicy
from nlpd.aio import AsyncClient
from nlpd.bulk import BulkResult
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
    from_status,
)
from nlpd.skipped import skipped_analyses
from nlpd.tables import from_json, to_json, to_pandas, to_records

__all__ = [
    "DEFAULT_TARGET",
    "AsyncClient",
    "BulkResult",
    "Client",
    "RetryPolicy",
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
    "from_status",
    "skipped_analyses",
    "from_json",
    "to_json",
    "to_pandas",
    "to_records",
]

try:
    __version__ = _metadata.version("nlpd")
except _metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
