"""nlpd.render and nlpctl render: the HTML page of an analysis, against the real server,
and as Debian's chromium shows it (DOM and screenshot; skipped when chromium is absent)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

import nlpd
from conftest import REPO, Server
from nlpd.v1 import document_pb2, nlpd_pb2, results_pb2

ANALYSES = ["entities", "sentiment", "stance"]

# Known to the built-in plugins: three entities, Merkel's warning (AGAINST escalation)
# and the army spokesman's threat (FAVOR).
GERMAN = (
    "Bundeskanzlerin Angela Merkel warnte in Berlin vor einer gefährlichen Eskalation des "
    "Konflikts und rief zu Verhandlungen auf. Ein Sprecher der Armee sagte, man werde jeden "
    "Angriff mit aller Härte vergelten. Die Vereinten Nationen zeigten sich besorgt."
)
# Markup and ampersands to escape, and astral characters (one code point, two UTF-16
# units, four UTF-8 bytes) before and inside entities, so byte or UTF-16 offsets would
# show as shifted marks.
HOSTILE = (
    "🙂 Angela Merkel warnte in Berlin vor einer Eskalation: "
    '<script>alert("x & y")</script> – Müller & Söhne, <b>fett</b> &amp; „Zitat“ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.'
)
ENGLISH = (
    "The foreign minister of Ghana urged both sides to return to negotiations. "
    "General Amos Okoro said his forces would strike the rebel positions unless they "
    "withdrew by Friday."
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    text: str = ""  # the text inside, descendants' included

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def ancestors(self) -> list[Element]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class Page(HTMLParser):
    """Parses a page and fails on an end tag that does not close the open element."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[Element] = []
        self.feed(markup)
        self.close()
        assert not self._stack, f"unclosed: {[e.tag for e in self._stack]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._stack[-1] if self._stack else None
        element = Element(tag, {k: v or "" for k, v in attrs}, parent)
        self.elements.append(element)
        if tag not in VOID:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in VOID, f"<{tag}/> is not a void element"
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}, None))

    def handle_endtag(self, tag: str) -> None:
        assert self._stack, f"</{tag}> closes nothing"
        assert self._stack[-1].tag == tag, f"</{tag}> closes <{self._stack[-1].tag}>"
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        for element in self._stack:
            element.text += data

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def text_div(self, number: int = 1) -> Element:
        article = next(e for e in self.find("article") if e.attrs.get("id") == f"doc-{number}")
        return next(e for e in self.find("div", "text") if article in e.ancestors())

    def marks(self, within: Element | None = None) -> list[tuple[str, str]]:
        return [
            (e.attrs["data-label"], e.text)
            for e in self.find("mark", "ent")
            if within is None or within in e.ancestors()
        ]

    def statements(self) -> list[tuple[str, str, str]]:
        return [
            (e.attrs["data-stance"], e.attrs["data-actor"], e.text)
            for e in self.find("span", "stmt")
            if e.attrs.get("data-actor") is not None
        ]


def check_page(markup: str) -> Page:
    """What every page must be: well nested, self-contained, script-free."""
    page = Page(markup)
    lowered = markup.lower()
    for forbidden in ("<script", "<link", "<img", "<iframe", "src=", "url(", "@import", " on"):
        if forbidden == " on":
            assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), "an event handler"
        else:
            assert forbidden not in lowered, f"{forbidden} in the page"
    assert page.find("html")[0].attrs.get("lang"), "no lang on <html>"
    legend = page.find("aside", "legend")
    words = ("person", "location", "organization", "favors escalation", "opposes escalation")
    assert legend and all(word in legend[0].text for word in words), "legend"
    return page


def _statement(response: nlpd_pb2.AnalyzeResponse, stance: int) -> results_pb2.StanceStatement:
    found = [s for s in response.stance.statements if s.stance == stance]
    assert found, f"the stance plugin marks no {results_pb2.Stance.Name(stance)} statement"
    return found[0]


def test_page_of_a_german_text(client: nlpd.Client) -> None:
    response = client.analyze(GERMAN, ANALYSES)
    page = check_page(nlpd.render.html(response))
    assert page.find("html")[0].attrs["lang"] == "de"
    text = page.text_div()
    assert text.attrs["lang"] == "de"
    assert text.text == response.document.text  # every character once, in order
    assert page.marks(text) == [
        ("PER", "Angela Merkel"),
        ("LOC", "Berlin"),
        ("ORG", "Vereinten Nationen"),
    ]
    merkel = next(e for e in page.find("mark") if e.text == "Angela Merkel")
    assert merkel.attrs["title"].startswith("PER (person), confidence 0.")
    assert float(merkel.attrs["data-confidence"]) > 0.5

    against = _statement(response, results_pb2.AGAINST)
    favor = _statement(response, results_pb2.FAVOR)
    statements = page.statements()
    assert ("AGAINST", "Angela Merkel", GERMAN[: GERMAN.index(" Ein Sprecher")]) in statements
    assert any(
        stance == "FAVOR" and "Sprecher der Armee" in actor and words.startswith("Ein Sprecher")
        for stance, actor, words in statements
    ), statements
    assert len(statements) == response.stance.favor + response.stance.against
    # The entity is inside its statement; the statement's cue words are marked.
    assert any("stance-against" in a.classes for a in merkel.ancestors())
    cues = [e.text for e in page.find("span", "cue")]
    for statement in (against, favor):
        for cue in statement.cues:
            assert GERMAN[cue.char_start : cue.char_end] in cues

    actors = page.find("table", "actors")[0]
    rows = [e for e in page.find("tr") if actors in e.ancestors() and "data-stance" in e.attrs]
    by_actor = {
        next(c.text for c in page.find("th") if c.parent is r): r.attrs["data-stance"] for r in rows
    }
    assert by_actor["Angela Merkel"] == "AGAINST"
    assert by_actor[favor.actor] == "FAVOR"
    sentiment = page.find("p", "sentiment")[0]
    label = results_pb2.Polarity.Label.Name(response.sentiment.document.label)
    assert sentiment.attrs["data-polarity"] == label and label in sentiment.text
    assert "Angela Merkel" in page.find("table", "sentiment-targets")[0].text


def test_escaping_and_code_point_offsets(client: nlpd.Client) -> None:
    response = client.analyze(HOSTILE, ANALYSES)
    markup = nlpd.render.html(response)
    page = check_page(markup)  # no <script> element, no <b> from the text
    assert not page.find("b")
    assert "&lt;script&gt;alert(&quot;" in markup
    assert "&amp;amp;" in markup  # the text's "&amp;" shown as written
    text = page.text_div()
    assert text.text == response.document.text == HOSTILE
    marks = page.marks(text)
    assert ("PER", "Angela Merkel") in marks
    assert ("LOC", "Berlin") in marks
    # Every mark shows exactly its entity's text (code points, not bytes or UTF-16).
    assert [m[1] for m in marks] == [e.text for e in response.entities.entities]
    for element in page.find("mark", "ent"):
        if text in element.ancestors():
            assert element.attrs["title"].startswith(element.attrs["data-label"] + " (")


def test_crossing_and_odd_spans_nest() -> None:
    """Hand-made spans the server does not make today: an entity across a statement's
    end, a statement starting inside an entity, equal spans, spans off the text."""
    text = "Alpha Beta Gamma. Delta Epsilon Zeta. <Eta> & Theta."
    response = nlpd_pb2.AnalyzeResponse()
    response.document.text = text
    response.document.language = "en"

    def span(start: int, end: int) -> document_pb2.Span:
        return document_pb2.Span(char_start=start, char_end=end)

    def entity(word: str, label: str = "PER") -> None:
        start = text.index(word)
        response.entities.entities.add(
            span=span(start, start + len(word)), label=label, confidence=0.5, text=word
        )

    def statement(words: str, stance: int, actor: str = "X", cue: str = "") -> None:
        start = text.index(words)
        s = response.stance.statements.add(
            span=span(start, start + len(words)), stance=stance, actor=actor, confidence=0.9
        )
        if cue:
            s.cues.append(span(text.index(cue), text.index(cue) + len(cue)))

    entity("Beta Gamma")  # crosses the end of "Alpha Beta"
    entity("Epsilon Zeta", "ORG")  # "Zeta. <Eta> &" starts inside it
    entity("<Eta>", "LOC")  # equal to a statement
    entity("Theta", "BRAND")  # an unknown label
    statement("Alpha Beta", results_pb2.FAVOR, cue="Alpha")
    statement("Zeta. <Eta> &", results_pb2.AGAINST, actor="")
    statement("<Eta>", results_pb2.FAVOR)
    statement("Delta", results_pb2.NONE)  # not highlighted
    response.stance.statements.add(span=span(46, 400), stance=results_pb2.FAVOR)  # clipped
    response.stance.statements.add(span=span(9, 9), stance=results_pb2.FAVOR)  # empty
    response.entities.entities.add(span=span(500, 510), label="PER")  # off the text

    page = check_page(nlpd.render.html(response))
    div = page.text_div()
    assert div.text == text
    # Entities stay whole; the statements they cross are cut into pieces.
    marks = [(e.text, e.classes) for e in page.find("mark", "ent") if div in e.ancestors()]
    assert [m[0] for m in marks] == ["Beta Gamma", "Epsilon Zeta", "<Eta>", "Theta"]
    assert not any({"more", "cont"} & set(m[1]) for m in marks)
    assert "ent-other" in marks[-1][1]
    stmts = [(e.text, e.classes) for e in page.find("span", "stmt") if div in e.ancestors()]
    assert [s[0] for s in stmts] == ["Alpha ", "Beta", "Zeta", ". <Eta> &", "<Eta>", "Theta."]
    assert [{"more", "cont"} & set(s[1]) for s in stmts] == [
        {"more"},
        {"cont"},
        {"more"},
        {"cont"},
        set(),
        set(),
    ]
    beta = next(e for e in page.find("span", "stmt") if e.text == "Beta")
    assert beta.parent is not None and beta.parent.tag == "mark"
    eta = next(e for e in page.find("mark") if e.text == "<Eta>")
    assert [a.attrs.get("data-stance") for a in eta.ancestors()][:2] == ["FAVOR", "AGAINST"]
    assert [e.text for e in page.find("span", "cue") if div in e.ancestors()] == ["Alpha"]


def test_several_documents_one_page(client: nlpd.Client) -> None:
    responses = [client.analyze(t, ANALYSES) for t in (GERMAN, ENGLISH)]
    page = check_page(nlpd.render.html(responses))
    assert page.find("html")[0].attrs["lang"] == "en"  # the page's own words
    assert [page.text_div(n).attrs["lang"] for n in (1, 2)] == ["de", "en"]
    assert ("PER", "Amos Okoro") in page.marks(page.text_div(2))
    assert len(page.find("table", "actors")) == 2
    assert "document" in nlpd.render.html([])  # an empty page, still a page


def _contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two #rrggbb colors."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_colors_have_contrast() -> None:
    """Text on every highlight, and the white labels on their badges, meet WCAG AA."""
    css = nlpd.render.html([]).split("<style>")[1].split("</style>")[0]
    text_color = re.search(r"mark\.ent \{ color: (#[0-9a-f]{6})", css)
    assert text_color
    pairs = 0
    for selector, background in re.findall(
        r"([.\w:-]+) \{ (?:content: [^;]+; )?background: (#[0-9a-f]{6})", css
    ):
        badge = selector.endswith(("::before", "::after"))  # white on dark
        foreground = "#ffffff" if badge else text_color.group(1)
        assert _contrast(foreground, background) >= 4.5, (selector, foreground, background)
        pairs += 1
    assert pairs >= 12, css


def _nlpctl(server: Server | None, *args: str, stdin: str | None = None) -> str:
    exe = Path(sys.executable).parent / "nlpctl"
    target = server.address if server else "127.0.0.1:1"  # nothing listens there
    proc = subprocess.run(
        [str(exe) if exe.is_file() else "nlpctl", "--target", target, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_nlpctl_render(server: Server, tmp_path: Path) -> None:
    source = tmp_path / "text.txt"
    source.write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "page.html"
    assert _nlpctl(server, "render", str(source), "-o", str(out)) == ""
    from_file = out.read_text(encoding="utf-8")
    page = check_page(from_file)
    assert ("PER", "Angela Merkel") in page.marks()
    assert _nlpctl(server, "render", "-", stdin=GERMAN) == from_file
    # Saved JSON renders without a server, to the same page; custom results are ignored.
    saved = tmp_path / "saved.json"
    saved.write_text(
        _nlpctl(server, "analyze", str(source), "--analyses", ",".join([*ANALYSES, "keywords"])),
        encoding="utf-8",
    )
    assert _nlpctl(None, "render", str(saved)) == from_file
    batch = _nlpctl(server, "batch", "--quiet", str(source), str(source))
    two = Page(_nlpctl(None, "render", "-", stdin=batch))
    assert len(two.find("article")) == 2


# --- in a browser -------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip(
            "chromium not installed (Debian: apt-get install chromium, or scripts/install-deps)"
        )
    return found


def _run_chromium(tmp_path: Path, *args: str) -> str:
    proc = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    bpp = 3 if color == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    prev, rows = bytearray(stride), []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride) if kind else ():
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(b for x in range(0, stride, bpp) for b in line[x : x + 3]))
        prev = line
    return width, height, rows


def test_chromium_dom_and_screenshot(client: nlpd.Client, tmp_path: Path) -> None:
    _chromium()
    markup = nlpd.render.html(client.analyze(GERMAN, ANALYSES))
    page_file = tmp_path / "page.html"
    page_file.write_text(markup, encoding="utf-8")
    url = page_file.as_uri()

    dom = _run_chromium(tmp_path, "--dump-dom", url)
    assert '<mark class="ent ent-per" data-label="PER"' in dom
    page = Page(dom)
    assert ("PER", "Angela Merkel") in page.marks()
    assert ("LOC", "Berlin") in page.marks()
    stances = {s[0] for s in page.statements()}
    assert stances == {"FAVOR", "AGAINST"}, stances
    assert page.text_div().text == GERMAN

    shot = tmp_path / "page.png"
    _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", url)
    data = shot.read_bytes()
    assert len(data) > 10_000, f"screenshot of {len(data)} bytes"
    width, height, rows = decode_png(data)
    assert (width, height) == (1200, 900)
    colors = {row[x : x + 3] for row in rows for x in range(0, len(row), 3)}
    assert len(colors) > 200, f"{len(colors)} colors: a blank page?"
    # The highlights are painted: each CSS background color is in the picture.
    for css_class in ("ent-per", "ent-loc", "ent-org", "stance-favor", "stance-against"):
        match = re.search(rf"\.{css_class} {{ background: #([0-9a-f]{{6}})", markup)
        assert match, css_class
        assert bytes.fromhex(match.group(1)) in colors, f".{css_class} not painted"


def test_docs_screenshot_is_small() -> None:
    picture = REPO / "docs" / "render.png"
    data = picture.read_bytes()
    assert len(data) < 150_000, f"{picture}: {len(data)} bytes"
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/render.png" in readme and "nlpctl render" in readme
