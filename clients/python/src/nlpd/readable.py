"""A human-readable rendering of an AnalyzeResponse, for ``nlpctl analyze --format text``."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from nlpd.v1 import document_pb2, nlpd_pb2, results_pb2

__all__ = ["format_response"]

_POLARITY = results_pb2.Polarity.Label.Name
_STANCE = results_pb2.Stance.Name


def _text(document: document_pb2.Document, span: document_pb2.Span) -> str:
    return document.text[span.char_start : span.char_end]


def _polarity(polarity: results_pb2.Polarity) -> str:
    return f"{_POLARITY(polarity.label):8} {polarity.score:+.2f}"


def _entities(response: nlpd_pb2.AnalyzeResponse) -> list[str]:
    counts = Counter((e.label, e.text) for e in response.entities.entities)
    lines = ["entities"]
    for (label, text), count in counts.items():  # first-mention order
        lines.append(f"  {label:4} {text}" + (f"  ×{count}" if count > 1 else ""))
    return lines


def _sentiment(response: nlpd_pb2.AnalyzeResponse) -> list[str]:
    result = response.sentiment
    lines = ["sentiment", f"  document  {_polarity(result.document)}"]
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


def _stance(response: nlpd_pb2.AnalyzeResponse) -> list[str]:
    document = response.document
    result = response.stance
    lines = [
        f"stance  balance {result.balance:+.2f}: {result.favor} favor, "
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


def format_response(response: nlpd_pb2.AnalyzeResponse, custom: dict[str, Any]) -> str:
    """Renders ``response`` as text: document facts, then each analysis that ran.

    ``custom`` holds the decoded custom results by analysis name (as in
    ``Client.to_dict(response)["custom_results"]``); they are shown as JSON lines.
    """
    document = response.document
    lines = [
        f"language {document.language} ({document.language_confidence:.2f}), "
        f"{len(document.sentences)} sentences, {len(document.tokens)} tokens"
    ]
    sections = {"entities": _entities, "sentiment": _sentiment, "stance": _stance}
    for info in response.analyses:
        lines.append("")
        if info.outcome == nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE:
            lines.append(f"{info.name}: skipped, language {document.language} not supported")
        elif info.name in sections and response.HasField(info.name):
            lines.extend(sections[info.name](response))
        elif info.name in custom:
            lines.append(info.name)
            lines.append("  " + json.dumps(custom[info.name], ensure_ascii=False))
        else:
            lines.append(f"{info.name}: ran")
    return "\n".join(lines) + "\n"
