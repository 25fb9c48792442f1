"""spacy_entities: named entities from a spaCy pipeline, as an nlpd plugin.

Each supported language gets ``spacy.blank(lang)`` with an ``entity_ruler`` fed from
the JSONL pattern file next to this one (spacy_entities_patterns.jsonl), so nothing is
downloaded: no statistical model, only spaCy's tokenizer and rule matcher. spaCy
tokenizes ``Document.text`` itself; its character offsets become ``nlpd.v1.Span``s
through :class:`nlpd.plugin.Spans`.

Pattern file: one spaCy entity-ruler pattern per line (``{"label": ..., "pattern": ...,
"id": ...}``), plus an optional ``"lang"`` that limits the line to one language.
Configuration (``ServerConfig.plugins["spacy_entities"].config``): empty, or JSON
``{"patterns": "FILE.jsonl"}`` naming another pattern file (relative to this directory).

The result type is this example's own message, spacy_entities.v1.SpacyEntities
(spacy_entities/v1/spacy_entities.proto). Generate its module first (from the repository
root)::

    python -m nlpd.protoc -I plugins/sdk/example_python \\
        --python_out=plugins/sdk/example_python spacy_entities/v1/spacy_entities.proto

Needs ``pip install spacy`` in the interpreter that runs the plugin host.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import grpc
import spacy
from google.protobuf import message
from spacy.language import Language
from spacy_entities.v1 import spacy_entities_pb2

from nlpd.plugin import Plugin, PluginError, Spans
from nlpd.v1 import document_pb2

HERE = Path(__file__).resolve().parent
DEFAULT_PATTERNS = HERE / "spacy_entities_patterns.jsonl"
LANGUAGES = ["en", "de"]


def load_patterns(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The entity-ruler patterns of each language in ``LANGUAGES``, read from ``path``.

    Raises:
        PluginError: FAILED_PRECONDITION when the file is missing or a line is invalid.
    """
    by_language: dict[str, list[dict[str, Any]]] = {lang: [] for lang in LANGUAGES}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PluginError(
            f"cannot read patterns {path}: {error.strerror}", grpc.StatusCode.FAILED_PRECONDITION
        ) from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pattern = json.loads(line)
            if not isinstance(pattern, dict) or "label" not in pattern or "pattern" not in pattern:
                raise ValueError('a pattern needs "label" and "pattern"')
            lang = pattern.pop("lang", None)
            if lang is not None and lang not in by_language:
                raise ValueError(f"unsupported lang {lang!r} (have {LANGUAGES})")
        except ValueError as error:
            raise PluginError(
                f"{path.name}:{number}: {error}", grpc.StatusCode.FAILED_PRECONDITION
            ) from error
        for target in [lang] if lang else LANGUAGES:
            by_language[target].append(pattern)
    return by_language


class SpacyEntitiesPlugin(Plugin):
    """Finds entities with spaCy's rule-based entity ruler (no model download)"""

    name = "spacy_entities"
    version = "1.0.0"
    languages = LANGUAGES
    result_type = spacy_entities_pb2.SpacyEntities
    # One pipeline per language, shared: calls are serialized by the host.
    thread_safe = False

    def setup(self, config: bytes) -> None:
        path = DEFAULT_PATTERNS
        if config:
            try:
                settings = json.loads(config)
                path = HERE / settings["patterns"]
            except (ValueError, TypeError, KeyError) as error:
                raise PluginError(
                    f'config must be JSON {{"patterns": "FILE.jsonl"}}: {error}',
                    grpc.StatusCode.FAILED_PRECONDITION,
                ) from error
        by_language = load_patterns(path)
        self.pipelines: dict[str, Language] = {}
        for lang, patterns in by_language.items():
            nlp = spacy.blank(lang)
            ruler = nlp.add_pipe("entity_ruler")
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]
            self.pipelines[lang] = nlp
        self.logger.info(
            "loaded %s: %s",
            path.name,
            ", ".join(f"{lang}: {len(p)} patterns" for lang, p in by_language.items()),
        )

    def analyze(
        self, document: document_pb2.Document, dependencies: Mapping[str, message.Message]
    ) -> spacy_entities_pb2.SpacyEntities:
        lang = document.language.split("-")[0].lower()
        nlp = self.pipelines.get(lang)
        if nlp is None:
            raise PluginError(
                f"language {document.language!r} is not supported (have {LANGUAGES})",
                grpc.StatusCode.INVALID_ARGUMENT,
            )
        spans = Spans(document)
        doc = nlp(spans.text)
        result = spacy_entities_pb2.SpacyEntities(spacy_language=lang)
        for entity in doc.ents:
            result.entities.add(
                label=entity.label_,
                text=entity.text,
                span=spans.span(entity.start_char, entity.end_char),
                pattern_id=entity.ent_id_,
            )
        return result
