"""A human-readable rendering of an AnalyzeResponse, for ``nlpctl analyze --format text``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from google.protobuf import message

from nlpd.v1 import document_pb2, nlpd_pb2, results_pb2

__all__ = ["format_response", "skip_reason"]

_POLARITY = results_pb2.Polarity.Label.Name
_STANCE = results_pb2.Stance.Name
# The typed result fields of AnalyzeResponse, each the result of the plugin of its name.
_TYPED_FIELDS = ("entities", "sentiment", "stance")


def skip_reason(info: nlpd_pb2.AnalysisInfo, language: str) -> str:
    """Why an analysis did not run, for a human: ``info.reason``, or from a server older
    than that field, a sentence made of the outcome and the document's ``language``."""
    if info.reason:
        return info.reason
    if info.outcome == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE:
        return f"it does not support language {language!r}"
    try:
        return f"outcome {nlpd_pb2.AnalysisInfo.Outcome.Name(info.outcome)}"
    except ValueError:  # a value newer than this client
        return f"outcome {info.outcome}"


def _text(document: document_pb2.Document, span: document_pb2.Span) -> str:
    return document.text[span.char_start : span.char_end]


def _polarity(polarity: results_pb2.Polarity) -> str:
    return f"{_POLARITY(polarity.label):8} {polarity.score:+.2f}"


def _entities(
    title: str, document: document_pb2.Document, result: results_pb2.EntitiesResult
) -> list[str]:
    counts = Counter((e.label, e.text) for e in result.entities)
    lines = [title]
    for (label, text), count in counts.items():  # first-mention order
        lines.append(f"  {label:4} {text}" + (f"  ×{count}" if count > 1 else ""))
    return lines


def _sentiment(
    title: str, document: document_pb2.Document, result: results_pb2.SentimentResult
) -> list[str]:
    lines = [title, f"  document  {_polarity(result.document)}"]
    for summary in result.summaries:
        kind = summary.label if summary.source == results_pb2.ENTITY else "yours"
        if not summary.HasField("polarity"):
            lines.append(f"  {summary.name} ({kind}): not found in the text")
            continue
        mentions = len(summary.mentions)
        lines.append(
            f"  {_polarity(summary.polarity)}  {summary.name} ({kind}, "
            f"{mentions} mention{'s' if mentions != 1 else ''})"
        )
    return lines


def _stance(
    title: str, document: document_pb2.Document, result: results_pb2.StanceResult
) -> list[str]:
    lines = [
        f"{title}  balance {result.balance:+.2f}: {result.favor} favor, "
        f"{result.against} against, {result.none} none",
        "  actors",
    ]
    for actor in result.actors:
        lines.append(
            f"    {_STANCE(actor.stance):7}  {actor.actor}  "
            f"({actor.favor} favor, {actor.against} against)"
        )
    lines.append("  statements")
    for statement in result.statements:
        if statement.stance == results_pb2.NONE:
            continue
        cues = ", ".join(f"“{_text(document, cue)}”" for cue in statement.cues)
        lines.append(
            f"    {_STANCE(statement.stance):7} {statement.confidence:.2f}  "
            f"{statement.actor or '(no actor)'}: {_text(document, statement.span)}"
        )
        if cues:
            lines.append(f"      cues: {cues}")
    if result.events:
        lines.append("  escalatory events")
    for event in result.events:
        by = f" by {event.actor}" if event.actor else ""
        source = f", reported by {event.reported_by}" if event.reported_by else ""
        lines.append(f"    {event.kind}{by}{source}: “{_text(document, event.span)}”")
    return lines


# The readable section of each built-in result type, by message class: for the typed
# field of the plugin of that name and for another plugin's result of the same type
# (in custom_results, under that plugin's name).
_SECTIONS: dict[type[message.Message], Callable[..., list[str]]] = {
    results_pb2.EntitiesResult: _entities,
    results_pb2.SentimentResult: _sentiment,
    results_pb2.StanceResult: _stance,
}


def _builtin_result(response: nlpd_pb2.AnalyzeResponse, name: str) -> message.Message | None:
    """The result of analysis ``name`` when it is of a built-in type: the typed field
    named ``name``, or a custom result of an nlpd.v1 result type; else None."""
    if name in _TYPED_FIELDS and response.HasField(name):
        result: message.Message = getattr(response, name)
        return result
    any_msg = response.custom_results.get(name)
    if any_msg is None:
        return None
    for cls in _SECTIONS:
        if any_msg.type_url.rpartition("/")[2] == cls.DESCRIPTOR.full_name:
            return cls.FromString(any_msg.value)
    return None


def format_response(response: nlpd_pb2.AnalyzeResponse, custom: dict[str, Any]) -> str:
    """Renders ``response`` as text: document facts, then each analysis that ran, or why
    it did not.

    ``custom`` holds the decoded custom results by analysis name (as in
    ``Client.to_dict(response)["custom_results"]``); those of a built-in result type
    (another plugin's ``nlpd.v1.EntitiesResult``, ...) are shown like the built-in
    analysis, under the plugin's name, the others as JSON lines.
    """
    document = response.document
    lines = [
        f"language {document.language} ({document.language_confidence:.2f}), "
        f"{len(document.sentences)} sentences, {len(document.tokens)} tokens"
    ]
    for info in response.analyses:
        lines.append("")
        if info.outcome != nlpd_pb2.AnalysisInfo.OK:
            lines.append(f"{info.name}: skipped, {skip_reason(info, document.language)}")
        elif (result := _builtin_result(response, info.name)) is not None:
            lines.extend(_SECTIONS[type(result)](info.name, document, result))
        elif info.name in custom:
            lines.append(info.name)
            lines.append("  " + json.dumps(custom[info.name], ensure_ascii=False))
        else:
            lines.append(f"{info.name}: ran")
    return "\n".join(lines) + "\n"
