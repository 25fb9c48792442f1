"""Requested analyses that the server did not run, and how the clients report them.

The server runs what it can and says what it could not (``AnalyzeResponse.analyses``,
outcome other than ``OK``, with a reason); the clients turn that into an
:class:`nlpd.AnalysisSkippedWarning`, or with ``strict`` an
:class:`nlpd.AnalysisSkippedError`, so that a skipped analysis is never silent.
"""

from __future__ import annotations

import warnings

from nlpd.errors import AnalysisSkippedError, AnalysisSkippedWarning, SkippedAnalysis
from nlpd.readable import skip_reason
from nlpd.v1 import document_pb2, nlpd_pb2

__all__ = ["report_skipped", "skipped_analyses", "skipped_error"]


def skipped_analyses(response: nlpd_pb2.AnalyzeResponse) -> list[SkippedAnalysis]:
    """The analyses the caller asked for that ``response`` says did not run, each with
    the server's reason (which names the root cause when a dependency did not run).
    Empty when everything requested ran."""
    skipped = []
    for info in response.analyses:
        if info.dependency or info.outcome == nlpd_pb2.AnalysisInfo.OK:
            continue
        try:
            outcome = nlpd_pb2.AnalysisInfo.Outcome.Name(info.outcome)
        except ValueError:  # a value newer than this client
            outcome = str(info.outcome)
        skipped.append(
            SkippedAnalysis(info.name, outcome, skip_reason(info, response.document.language))
        )
    return skipped


def _language_source(document: document_pb2.Document) -> str:
    """How the document's language was chosen, for a message: "fallback", ..."""
    try:
        name = document_pb2.LanguageSource.Name(document.language_source)
    except ValueError:  # a value newer than this client
        return f"language source {document.language_source}"
    return name.removeprefix("LANGUAGE_SOURCE_").lower()


def _message(
    response: nlpd_pb2.AnalyzeResponse, skipped: list[SkippedAnalysis], context: str
) -> str:
    names = "analysis" if len(skipped) == 1 else "analyses"
    listed = "; ".join(str(s) for s in skipped)
    return (
        f"{context}{len(skipped)} requested {names} did not run (document language "
        f"{response.document.language!r}, {_language_source(response.document)}): {listed}"
    )


def skipped_error(
    response: nlpd_pb2.AnalyzeResponse, context: str = ""
) -> AnalysisSkippedError | None:
    """The strict-mode error for ``response``, or None when every requested analysis
    ran. ``context`` starts the message (``"document 'a7': "``)."""
    skipped = skipped_analyses(response)
    if not skipped:
        return None
    return AnalysisSkippedError(_message(response, skipped, context), skipped, response)


def report_skipped(
    response: nlpd_pb2.AnalyzeResponse, strict: bool, context: str = "", stacklevel: int = 3
) -> None:
    """Warns with :class:`nlpd.AnalysisSkippedWarning` (with ``strict``: raises
    :class:`nlpd.AnalysisSkippedError`) when a requested analysis did not run.
    ``stacklevel`` is passed to :func:`warnings.warn`, counted from the caller."""
    error = skipped_error(response, context)
    if error is None:
        return
    if strict:
        raise error
    warnings.warn(AnalysisSkippedWarning(error.message, error.skipped), stacklevel=stacklevel)
