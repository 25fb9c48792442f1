"""Writes the training text of the language model for short texts from ../shared/data.

Only training splits are read, so the evaluation set (snippets.py: dev sets, GerNTSA,
Wikigold, PLOVER, the stance dev set) stays unseen; a sentence that also occurs in the
evaluation's sources all the same is left out. One line per sentence, tab-separated:

    language  source  sentence

German: GermEval 2014 train. English: BTC train (tweets), CrossNER train (five
domains), GUM train, NewsMTSC train. There is no French or Spanish training text in
../shared/data, so the model knows German and English only.

    python3 corpus.py DATA_DIR [--output langid_corpus.tsv]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from snippets import conll_sentences, gum_sentences, json_lines, sources


def training_sources(data: str) -> Iterator[tuple[str, str, Iterator[str]]]:
    """(language, source name, sentences) of every training split used."""

    def p(*parts: str) -> str:
        return os.path.join(data, *parts)

    yield "de", "germeval2014", conll_sentences(p("germeval2014", "germ.train.iob2"))
    yield "en", "btc", conll_sentences(p("btc", "btc.train"))
    yield (
        "en",
        "crossner",
        (
            s
            for d in ("politics", "science", "music", "literature", "ai")
            for s in conll_sentences(p("crossner", d, "train.txt"))
        ),
    )
    yield "en", "gum", gum_sentences(p("gum", "train"))
    yield "en", "newsmtsc", json_lines(p("newsmtsc", "train.jsonl"), "sentence_normalized")


def write(data: str, out: TextIO) -> None:
    """Writes the training sentences of ``data`` to ``out``, none of the evaluation's."""
    evaluation = {" ".join(s.split()) for _, _, sentences in sources(data) for s in sentences}
    for language, source, sentences in training_sources(data):
        seen: set[str] = set()
        dropped = 0
        for sentence in sentences:
            sentence = " ".join(sentence.split())
            if not sentence or sentence in seen:
                continue
            seen.add(sentence)
            if sentence in evaluation:
                dropped += 1
                continue
            out.write(f"{language}\t{source}\t{sentence}\n")
        print(
            f"corpus.py: {language} {source}: {len(seen) - dropped} sentences"
            f" ({dropped} also in the evaluation set, left out)",
            file=sys.stderr,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the shared data folder (../shared/data)")
    parser.add_argument("--output", help="the file to write (default: stdout)")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            write(args.data, out)
    else:
        write(args.data, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
