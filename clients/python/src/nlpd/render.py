"""Pictures of analyses: a self-contained HTML page of one or more AnalyzeResponses.

    >>> import nlpd, nlpd.render
    >>> with nlpd.Client() as client:
    ...     response = client.analyze(text, ["entities", "sentiment", "stance"])
    >>> Path("page.html").write_text(nlpd.render.html(response), encoding="utf-8")

The page has inline CSS only (no scripts, fonts, images or links to fetch) and shows,
for each document: the text with its entities highlighted by type (``<mark
class="ent ent-per" data-label="PER" ...>``) and the statements that favor or oppose
escalation (``<span class="stmt stance-favor" data-stance="FAVOR" ...>``, their cue words
in ``<span class="cue">``), the document sentiment and a table of the sentiment toward
each entity, and the stance of each actor as a table. ``nlpctl render FILE -o page.html``
does the same from the command line.
"""

from __future__ import annotations

import html as _html
import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from google.protobuf import json_format

import nlpd
from nlpd.readable import skip_reason
from nlpd.v1 import document_pb2, nlpd_pb2, results_pb2

__all__ = ["html", "responses_from_json"]

# Entity types: CSS class suffix and what the label means (legend, tooltips).
_ENTITY_TYPES: dict[str, str] = {
    "PER": "person",
    "LOC": "location",
    "ORG": "organization",
    "MISC": "other name",
}
_STANCE_WORDS: dict[int, tuple[str, str]] = {
    results_pb2.FAVOR: ("FAVOR", "favors escalation"),
    results_pb2.AGAINST: ("AGAINST", "opposes escalation"),
    results_pb2.NONE: ("NONE", "takes no side"),
    results_pb2.STANCE_UNSPECIFIED: ("UNSPECIFIED", "no stance"),
}

# Colors: dark text on light backgrounds, all pairs above WCAG AA (4.5:1); the label
# badges are white on dark. Never color alone: every mark shows its label, every
# statement its stance, and the two stances are underlined differently.
_CSS = """
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 2rem;
  font: 16px/1.5 "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  color: #1a1a1a; background: #fff; }
h1 { font-size: 1.4rem; margin: .2rem 0 .6rem; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 .3rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: #3d3d3d; margin: 0 0 .5rem; }
.legend { border: 1px solid #c8c8c8; border-radius: 6px; padding: .3rem .8rem;
  margin: 0 0 1rem; background: #fafafa; }
.legend h2 { font-size: 1rem; margin: .2rem 0; }
.legend ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .3rem 1.4rem; }
.legend li { margin: .15rem 0; }
.text { white-space: pre-wrap; overflow-wrap: break-word; font-size: 1.05rem;
  line-height: 2; border-left: 4px solid #d0d0d0; padding: .2rem 0 .2rem 1rem;
  margin: .4rem 0 1rem; }
mark.ent { color: #1a1a1a; border-radius: 3px; padding: .05em .15em;
  box-shadow: inset 0 -2px 0 rgba(0, 0, 0, .35); -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
mark.ent::after { content: attr(data-label); font-size: .68em; font-weight: 700;
  letter-spacing: .03em; color: #fff; border-radius: 2px; padding: 0 .25em;
  margin-left: .25em; vertical-align: .2em; line-height: 1; }
mark.ent.more::after { content: none; }
.ent-per { background: #ffd8a8; } .ent-per::after { background: #8f3800; }
.ent-loc { background: #b2f2bb; } .ent-loc::after { background: #1f6a2d; }
.ent-org { background: #a5d8ff; } .ent-org::after { background: #124f8c; }
.ent-misc { background: #e5dbff; } .ent-misc::after { background: #5a32a3; }
.ent-other { background: #e9ecef; } .ent-other::after { background: #495057; }
.stmt { padding: .15em 0; text-decoration-thickness: 2px; text-underline-offset: .3em;
  text-decoration-line: underline; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
.stmt::before { font-size: .68em; font-weight: 700; letter-spacing: .03em;
  border-radius: 2px; padding: 0 .3em; margin-right: .3em; vertical-align: .2em;
  line-height: 1; color: #fff; }
.stmt.cont::before { content: none; }
.stance-favor { background: #ffe3e3; text-decoration-color: #b3261e;
  text-decoration-style: solid; }
.stmt.stance-favor::before { content: "\\25B2 FAVOR"; background: #b3261e; }
.stance-against { background: #dff3ea; text-decoration-color: #0b6e4f;
  text-decoration-style: dashed; }
.stmt.stance-against::before { content: "\\25BC AGAINST"; background: #0b6e4f; }
.cue { font-weight: 700; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; }
caption { text-align: left; font-weight: 700; padding: .2rem 0; }
th, td { border: 1px solid #c8c8c8; padding: .2rem .6rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { font-weight: 700; border-radius: 3px; padding: 0 .3em; }
.badge.stance-favor, .badge.stance-against { text-decoration: none; }
.panels { display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start; }
.panels > section { flex: 1 1 26rem; min-width: 0; }
.panels p { margin: .3rem 0; }
.skipped { color: #3d3d3d; font-style: italic; }
footer { color: #4d4d4d; font-size: .85rem; margin-top: 2rem; }
"""


@dataclass
class _Span:
    """A span to wrap in the text: its tag and attributes, and where it is."""

    start: int
    end: int
    layer: int  # breaks ties between equal spans: statements outside, entities inside
    tag: str
    classes: list[str]
    attrs: dict[str, str]
    order: int = 0  # identifies the span; its pieces share it
    whole_end: int = -1  # the end of the whole span, of which this may be a piece

    def __post_init__(self) -> None:
        if self.whole_end < 0:
            self.whole_end = self.end


@dataclass
class _Open:
    span: _Span
    cont: bool  # continues a piece closed before (a crossing span)
    more: bool = False  # closed before the span's end; another piece follows


def _esc(value: object) -> str:
    return _html.escape(str(value), quote=True)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{_esc(value)}"' for name, value in attrs.items())


def _stance_name(stance: int) -> str:
    return _STANCE_WORDS.get(stance, (f"STANCE_{stance}", ""))[0]


def _polarity_name(label: int) -> str:
    try:
        name: str = results_pb2.Polarity.Label.Name(label)
        return name
    except ValueError:
        return f"LABEL_{label}"


def _clip(span: document_pb2.Span, length: int) -> tuple[int, int] | None:
    start, end = min(span.char_start, length), min(span.char_end, length)
    return (start, end) if start < end else None


def _collect_spans(response: nlpd_pb2.AnalyzeResponse) -> list[_Span]:
    text_length = len(response.document.text)
    spans: list[_Span] = []
    if response.HasField("stance"):
        for statement in response.stance.statements:
            if statement.stance not in (results_pb2.FAVOR, results_pb2.AGAINST):
                continue
            where = _clip(statement.span, text_length)
            if where is None:
                continue
            name, meaning = _STANCE_WORDS[statement.stance]
            actor = statement.actor or "no actor found"
            spans.append(
                _Span(
                    *where,
                    layer=0,
                    tag="span",
                    classes=["stmt", f"stance-{name.lower()}"],
                    attrs={
                        "data-stance": name,
                        "data-actor": statement.actor,
                        "data-confidence": f"{statement.confidence:.2f}",
                        "title": f"{name}: {meaning} ({actor}), "
                        f"confidence {statement.confidence:.2f}",
                    },
                )
            )
            for cue in statement.cues:
                cue_where = _clip(cue, text_length)
                if cue_where is not None:
                    spans.append(_Span(*cue_where, layer=1, tag="span", classes=["cue"], attrs={}))
    if response.HasField("entities"):
        for entity in response.entities.entities:
            where = _clip(entity.span, text_length)
            if where is None:
                continue
            label = entity.label or "?"
            kind = _ENTITY_TYPES.get(label)
            css = f"ent-{label.lower()}" if kind else "ent-other"
            spans.append(
                _Span(
                    *where,
                    layer=2,
                    tag="mark",
                    classes=["ent", css],
                    attrs={
                        "data-label": label,
                        "data-confidence": f"{entity.confidence:.2f}",
                        "title": f"{label} ({kind or 'entity'}), "
                        f"confidence {entity.confidence:.2f}",
                    },
                )
            )
    for order, span in enumerate(spans):
        span.order = order
    return spans


_ENTITY_LAYER = 2


def _split_at_entities(spans: list[_Span]) -> list[_Span]:
    """``spans`` with each statement and cue cut where an entity crosses its start or
    end, so that no piece crosses an entity: entities stay whole."""
    entities = sorted((s for s in spans if s.layer == _ENTITY_LAYER), key=lambda s: s.start)
    starts = [e.start for e in entities]
    out: list[_Span] = []
    for span in spans:
        if span.layer == _ENTITY_LAYER:
            out.append(span)
            continue
        cuts: set[int] = set()
        # Entities do not overlap: the ones that overlap span are consecutive.
        i = max(bisect_right(starts, span.start) - 1, 0)
        while i < len(entities) and entities[i].start < span.end:
            entity = entities[i]
            if entity.end > span.start and not (
                span.start <= entity.start and entity.end <= span.end
            ):
                cuts.update(c for c in (entity.start, entity.end) if span.start < c < span.end)
            i += 1
        edges = [span.start, *sorted(cuts), span.end]
        out.extend(replace(span, start=a, end=b) for a, b in zip(edges, edges[1:], strict=False))
    return out


def _highlight(text: str, spans: list[_Span]) -> str:
    """``text`` escaped, with each span wrapped in its tag.

    Spans nest by position: the one that starts first (the longer one on a tie, then
    the lower layer: statements, cues, entities) is outside. Where two spans cross, one
    is closed at the crossing and continued in a new element of the same tag and
    attributes (the pieces but the last get class ``more``, those but the first
    ``cont``), so the HTML always nests: a statement or cue is cut where an entity
    crosses it, any other crossing span where it leaves the enclosing one.
    """
    if not spans:
        return _esc(text)
    spans = _split_at_entities(spans)

    def key(span: _Span) -> tuple[int, int, int, int]:
        return (span.start, -span.end, span.layer, span.order)

    by_start = sorted(spans, key=key)
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str | _Open] = []  # text pieces and placeholders for opening tags
    stack: list[_Open] = []  # the open elements, outermost first
    active: list[_Span] = []  # the spans that cover the current piece
    opened: set[int] = set()
    next_span = 0
    for left, right in zip(bounds, bounds[1:], strict=False):
        active = [s for s in active if s.end > left]
        while next_span < len(by_start) and by_start[next_span].start <= left:
            active.append(by_start[next_span])
            next_span += 1
        wanted = sorted(active, key=key)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep].span is wanted[keep]:
            keep += 1
        for item in reversed(stack[keep:]):
            item.more = item.span.whole_end > left
            out.append(f"</{item.span.tag}>")
        del stack[keep:]
        for span in wanted[keep:]:
            item = _Open(span, cont=span.order in opened)
            opened.add(span.order)
            stack.append(item)
            out.append(item)
        out.append(_esc(text[left:right]))
    for item in reversed(stack):
        out.append(f"</{item.span.tag}>")

    def opening(item: _Open) -> str:
        span = item.span
        classes = [
            *span.classes,
            *(["cont"] if item.cont else []),
            *(["more"] if item.more else []),
        ]
        return f'<{span.tag} class="{_esc(" ".join(classes))}"{_attrs(span.attrs)}>'

    return "".join(piece if isinstance(piece, str) else opening(piece) for piece in out)


def _stance_badge(stance: int) -> str:
    name, meaning = _STANCE_WORDS.get(stance, (_stance_name(stance), ""))
    css = f" stance-{name.lower()}" if stance in (results_pb2.FAVOR, results_pb2.AGAINST) else ""
    return f'<span class="badge{css}" title="{_esc(meaning)}">{_esc(name)}</span>'


def _sentiment_section(result: results_pb2.SentimentResult) -> list[str]:
    doc = result.document
    lines = [
        "<section>",
        "<h3>Sentiment</h3>",
        f'<p class="sentiment" data-polarity="{_esc(_polarity_name(doc.label))}">'
        f"Document sentiment: <strong>{_esc(_polarity_name(doc.label))}</strong>, "
        f"score {doc.score:+.2f} (positive {doc.positive:.2f}, neutral {doc.neutral:.2f}, "
        f"negative {doc.negative:.2f})</p>",
    ]
    if result.summaries:
        lines += [
            '<table class="sentiment-targets">',
            "<caption>Sentiment toward each entity and target</caption>",
            '<thead><tr><th scope="col">Target</th><th scope="col">Type</th>'
            '<th scope="col">Polarity</th><th scope="col">Score</th>'
            '<th scope="col">Mentions</th></tr></thead>',
            "<tbody>",
        ]
        for summary in result.summaries:
            kind = summary.label if summary.source == results_pb2.ENTITY else "your target"
            if summary.HasField("polarity"):
                polarity = _esc(_polarity_name(summary.polarity.label))
                score = f"{summary.polarity.score:+.2f}"
            else:
                polarity, score = "not found", ""
            lines.append(
                f'<tr><th scope="row">{_esc(summary.name)}</th><td>{_esc(kind)}</td>'
                f'<td>{polarity}</td><td class="num">{score}</td>'
                f'<td class="num">{len(summary.mentions)}</td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    lines.append("</section>")
    return lines


def _stance_section(result: results_pb2.StanceResult) -> list[str]:
    lines = [
        "<section>",
        "<h3>Stance toward escalation</h3>",
        f'<p class="balance">Balance {result.balance:+.2f}: {result.favor} favor, '
        f"{result.against} against, {result.none} none "
        "(from −1, all against escalation, to +1, all for it)</p>",
    ]
    if result.actors:
        lines += [
            '<table class="actors">',
            "<caption>Stance of each actor</caption>",
            '<thead><tr><th scope="col">Actor</th><th scope="col">Stance</th>'
            '<th scope="col">Favor</th><th scope="col">Against</th>'
            '<th scope="col">Statements</th></tr></thead>',
            "<tbody>",
        ]
        for actor in result.actors:
            lines.append(
                f'<tr data-stance="{_esc(_stance_name(actor.stance))}">'
                f'<th scope="row">{_esc(actor.actor or "(no actor)")}</th>'
                f"<td>{_stance_badge(actor.stance)}</td>"
                f'<td class="num">{actor.favor}</td><td class="num">{actor.against}</td>'
                f'<td class="num">{len(actor.statements)}</td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    else:
        lines.append("<p>No statement names an actor.</p>")
    lines.append("</section>")
    return lines


def _skipped(response: nlpd_pb2.AnalyzeResponse) -> list[str]:
    notes = [
        f"<li>{_esc(info.name)}: {_esc(skip_reason(info, response.document.language))}</li>"
        for info in response.analyses
        if info.outcome != nlpd_pb2.AnalysisInfo.OK
    ]
    return (
        ['<p class="skipped">Not run:</p>', '<ul class="skipped">', *notes, "</ul>"]
        if notes
        else []
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _article(response: nlpd_pb2.AnalyzeResponse, number: int, count: int) -> list[str]:
    document = response.document
    language = document.language or "und"
    heading = "Document" if count == 1 else f"Document {number}"
    facts = [
        f"language {_esc(language)} ({document.language_confidence:.2f})",
        _count(len(document.sentences), "sentence", "sentences"),
        _count(len(response.entities.entities), "entity", "entities"),
    ]
    if response.HasField("stance"):
        statements = response.stance.favor + response.stance.against
        facts.append(_count(statements, "statement", "statements") + " taking a side")
    lines = [
        f'<article id="doc-{number}" lang="en">',
        f"<h2>{heading}</h2>",
        f'<p class="meta">{", ".join(facts)}</p>',
        f'<div class="text" lang="{_esc(language)}">'
        f"{_highlight(document.text, _collect_spans(response))}</div>",
    ]
    lines.append('<div class="panels">')
    if response.HasField("sentiment"):
        lines += _sentiment_section(response.sentiment)
    if response.HasField("stance"):
        lines += _stance_section(response.stance)
    lines.append("</div>")
    lines += _skipped(response)
    lines.append("</article>")
    return lines


def _legend() -> list[str]:
    items = [
        f'<li><mark class="ent ent-{label.lower()}" data-label="{label}">{meaning}</mark></li>'
        for label, meaning in _ENTITY_TYPES.items()
    ]
    items += [
        '<li><span class="stmt stance-favor" data-stance="FAVOR">statement that favors '
        "escalation</span> (solid underline)</li>",
        '<li><span class="stmt stance-against" data-stance="AGAINST">statement that opposes '
        "escalation</span> (dashed underline)</li>",
        '<li><span class="cue">bold</span>: the cue words of a statement</li>',
        "<li>Hover over a mark for its confidence.</li>",
    ]
    return [
        '<aside class="legend" aria-labelledby="legend">',
        '<h2 id="legend">Legend</h2>',
        "<ul>",
        *items,
        "</ul>",
        "</aside>",
    ]


def html(result: nlpd_pb2.AnalyzeResponse | Iterable[nlpd_pb2.AnalyzeResponse]) -> str:
    """A self-contained HTML page (inline CSS, no scripts, nothing to fetch) of
    ``result``: one AnalyzeResponse, or several (one section each).

    Uses the typed ``entities``, ``sentiment`` and ``stance`` results where present
    (analyze with ``["entities", "sentiment", "stance"]``); spans are the code-point
    offsets (``char_start``/``char_end``) into ``document.text``. All text is escaped.
    The page's ``lang`` is the documents' language when they share one; each document's
    text carries its own.

    Raises:
        ValueError: a response without the document's text (analyzed with
            ``document_view="results_only"``; ``"no_tokens"`` is enough).
    """
    responses: Sequence[nlpd_pb2.AnalyzeResponse] = (
        [result] if isinstance(result, nlpd_pb2.AnalyzeResponse) else list(result)
    )
    for index, response in enumerate(responses):
        # The server sends an empty text only under document_view="results_only".
        if not response.document.text:
            raise ValueError(
                f"nlpd.render.html needs each document's text, which response {index} does "
                "not carry (document_view='results_only'); analyze with "
                "document_view='full' or 'no_tokens'"
            )
    languages = {r.document.language or "und" for r in responses}
    page_language = languages.pop() if len(languages) == 1 else "en"
    first = responses[0].document.text if responses else ""
    snippet = " ".join(first.split())
    title = snippet[:60] + ("…" if len(snippet) > 60 else "") if snippet else "no text"
    count = len(responses)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(page_language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>nlpd analysis: {_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<header lang="en">',
        "<h1>nlpd analysis</h1>",
        f'<p class="meta">{count} document{"s" if count != 1 else ""}: entities, '
        "sentiment and stance toward escalation</p>",
        "</header>",
        *['<div lang="en">', *_legend(), "</div>"],
        "<main>",
    ]
    for number, response in enumerate(responses, start=1):
        lines += _article(response, number, count)
    lines += [
        "</main>",
        f'<footer lang="en">Made by nlpd {_esc(nlpd.__version__)} (nlpd.render).</footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def _from_dict(doc: dict[str, Any]) -> nlpd_pb2.AnalyzeResponse:
    # Custom results are saved decoded ({"@type": ..., fields}); the page does not
    # show them, and without the plugin's schema they would not parse: drop them.
    bare = {k: v for k, v in doc.items() if k not in ("custom_results", "customResults")}
    response = nlpd_pb2.AnalyzeResponse()
    json_format.ParseDict(bare, response, ignore_unknown_fields=True)
    return response


# The keys of an ``nlpctl analyze`` JSON object that belong to the document.
_DOCUMENT_KEYS = (
    "text",
    "language",
    "language_source",
    "language_confidence",
    "sentences",
    "tokens",
)


def _saved_response(item: dict[str, Any]) -> dict[str, Any] | None:
    """The AnalyzeResponse (as a JSON dict) of one saved document: a line of ``nlpctl
    batch`` (``{"id", "response"}``) or of ``nlpctl analyze`` (flat: ``id``, the
    document's keys, ``analyses`` and the results); None for a failed document.

    Raises:
        ValueError: an analyze line without ``text`` (saved with ``--fields``).
    """
    if "response" in item:
        return item["response"] if isinstance(item["response"], dict) else None
    if "error" in item:
        return None
    if "text" not in item:
        raise ValueError(
            f"document {item.get('id')!r} was saved without its text (nlpctl analyze "
            "--fields ...): the page needs it"
        )
    document = {k: item[k] for k in _DOCUMENT_KEYS if k in item}
    rest = {k: v for k, v in item.items() if k not in document and k != "id"}
    return {"document": document, **rest}


def responses_from_json(data: str) -> list[nlpd_pb2.AnalyzeResponse] | None:
    """The responses in saved ``nlpctl`` output: the JSON Lines of ``nlpctl analyze``
    (one flat object per document, ``id`` first), the response JSON with ``document``
    it printed before, or the JSON Lines of ``nlpctl batch``; failed documents are
    left out. None when ``data`` is none of these (a text to analyze).

    Raises:
        ValueError: the JSON looks like a response but does not parse as one, or a
            document was saved without its text.
    """
    stripped = data.strip()
    if not stripped.startswith("{"):
        return None
    try:
        whole = json.loads(stripped)
    except ValueError:
        whole = None
    if isinstance(whole, dict):
        if isinstance(whole.get("document"), dict):
            return [_from_dict(whole)]
        if "id" not in whole:
            return None
        items = [whole]  # one document
    else:
        items = []
        for line in stripped.splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                return None
            if not (isinstance(item, dict) and "id" in item):
                return None
            items.append(item)
    saved = [_saved_response(item) for item in items]
    return [_from_dict(response) for response in saved if response is not None]
