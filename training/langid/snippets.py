"""Writes the language-identification evaluation set from ../shared/data.

Every sentence of the German and English datasets (and the few French and Spanish
items of the stance dev set) gives its first 2, 3, 4, 5 and 6 words, as headlines and
short posts are, and itself whole. One line per text, tab-separated:

    language  split  words  source  text

``split`` is "tune" or "test" by the SHA-256 of the sentence, so a sentence and all
its snippets are on one side: thresholds are chosen on "tune", figures are reported on
"test". At most ``--per-source`` sentences are taken from each source (the first ones
in file order, after dropping duplicates), so that no corpus dominates.

    python3 snippets.py DATA_DIR [--output langid_snippets.tsv]
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from typing import TextIO

SNIPPET_WORDS = (2, 3, 4, 5, 6)

# Detokenization of CoNLL token lists: no space before closing punctuation, none
# after opening punctuation.
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]}“'’%]|n't|'s)")
_NO_SPACE_AFTER = re.compile(r"([(\[{„‚]) ")


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


def conll_sentences(path: str, column: int = 0, sep: str | None = "\t") -> Iterator[str]:
    tokens: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if tokens:
                    yield detokenize(tokens)
                tokens = []
                continue
            if line.startswith("#"):
                continue
            tokens.append(line.split(sep)[column])
    if tokens:
        yield detokenize(tokens)


def gum_sentences(folder: str) -> Iterator[str]:
    for path in sorted(glob.glob(os.path.join(folder, "*.conllu"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# text = "):
                    yield line[len("# text = ") :].strip()


def json_file(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        records: list[dict[str, str]] = json.load(f)
    return records


def json_lines(path: str, key: str) -> Iterator[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)[key]


def sources(data: str) -> Iterator[tuple[str, str, Iterator[str]]]:
    """(language, source name, sentences) of every dataset used."""

    def p(*parts: str) -> str:
        return os.path.join(data, *parts)

    yield "de", "germeval2014", conll_sentences(p("germeval2014", "germ.dev.iob2"))
    yield (
        "de",
        "gerntsa",
        (r["opinion_snippet"] for r in json_file(p("gerntsa", "gerntsa.trainval.json"))),
    )
    yield "en", "btc", conll_sentences(p("btc", "btc.dev"))
    yield (
        "en",
        "crossner",
        (
            s
            for d in ("politics", "science", "music", "literature", "ai")
            for s in conll_sentences(p("crossner", d, "dev.txt"))
        ),
    )
    yield "en", "gum", gum_sentences(p("gum", "dev"))
    yield (
        "en",
        "newsmtsc",
        json_lines(p("newsmtsc", "newsmtsc-rw", "dev.jsonl"), "sentence_normalized"),
    )
    yield "en", "wikigold", conll_sentences(p("wikigold", "wikigold.conll.txt"), sep=" ")
    yield (
        "en",
        "plover",
        (r["text"] for r in json_file(p("plover-gsr", "PLOVER_GSR_CAMEO.txt")) if "text" in r),
    )
    with open(p("stance", "dev.jsonl"), encoding="utf-8") as f:
        stance = [json.loads(line) for line in f]
    for language in ("de", "en", "fr", "es"):
        yield language, "stance", (r["text"] for r in stance if r["lang"] == language)


def split_of(sentence: str) -> str:
    return "test" if hashlib.sha256(sentence.encode()).digest()[0] % 2 else "tune"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the shared data folder (../shared/data)")
    parser.add_argument("--per-source", type=int, default=1000)
    parser.add_argument("--output", help="the file to write (default: stdout)")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            write(args.data, args.per_source, out)
    else:
        write(args.data, args.per_source, sys.stdout)
    return 0


def write(data: str, per_source: int, out: TextIO) -> None:
    """Writes the snippets of every source in ``data`` to ``out``."""
    for language, source, sentences in sources(data):
        seen: set[str] = set()
        for sentence in sentences:
            sentence = " ".join(sentence.split())
            words = sentence.split(" ")
            # At least 3 words: a one- or two-word "sentence" (a heading, a table
            # cell) says little about the language of longer texts.
            if len(words) < 3 or sentence in seen:
                continue
            seen.add(sentence)
            split = split_of(sentence)
            for n in SNIPPET_WORDS:
                if n < len(words):
                    out.write(f"{language}\t{split}\t{n}\t{source}\t{' '.join(words[:n])}\n")
            out.write(f"{language}\t{split}\t{len(words)}\t{source}\t{sentence}\n")
            if len(seen) >= per_source:
                break


if __name__ == "__main__":
    sys.exit(main())
