"""Word lists the extractor matches, read from the SKOS schemes in ontology/.

The vocabulary is the lexicon: adding an altLabel to a concept in
ontology/themes.ttl or ontology/instrument-types.ttl teaches the extractor a
new wording, in any language, without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from . import resources
from ._alternation import alternation
from .organizations import fold

INSTRUMENT_SCHEME = "vocab/instrument"
THEME_SCHEME = "vocab/theme"
GENERIC_INSTRUMENT = "agreement"


@dataclass(frozen=True)
class Lexicon:
    labels: dict[str, str]  # folded label -> concept slug
    pattern: re.Pattern  # over folded text
    preferred: dict[str, str]  # slug -> English prefLabel

    def find(self, folded_text: str, start: int = 0, end: int | None = None):
        """Yield (slug, start, end) for every label occurrence, longest first where they overlap."""
        end = len(folded_text) if end is None else end
        for m in self.pattern.finditer(folded_text, start, end):
            yield self.labels[re.sub(r"\s+", " ", m.group(0))], m.start(), m.end()


@lru_cache(maxsize=8)
def _graph(ontology_dir: str | None) -> Graph:
    g = Graph()
    for path in sorted(resources.ontology_dir(ontology_dir).glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _slug(concept: URIRef) -> str:
    return str(concept).rstrip("/").rsplit("/", 1)[-1]


@lru_cache(maxsize=8)
def load(scheme_suffix: str, ontology_dir: str | None = None) -> Lexicon:
    g = _graph(ontology_dir)
    labels: dict[str, str] = {}
    preferred: dict[str, str] = {}
    for concept in sorted(set(g.subjects(RDF.type, SKOS.Concept))):
        schemes = [str(s) for s in g.objects(concept, SKOS.inScheme)]
        if not any(s.rstrip("/").endswith(scheme_suffix) for s in schemes):
            continue
        slug = _slug(concept)
        for label in g.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) == "en":
                preferred[slug] = str(label)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in g.objects(concept, prop):
                text = re.sub(r"\s+", " ", fold(str(label))).strip()
                if len(text) >= 3:
                    labels.setdefault(text, slug)
    pattern = re.compile(rf"(?<![\w-]){alternation(labels, any_space=True)}(?![\w-])") if labels else re.compile(r"(?!)")
    return Lexicon(labels, pattern, preferred)


def instruments(ontology_dir: str | None = None) -> Lexicon:
    return load(INSTRUMENT_SCHEME, ontology_dir)


def themes(ontology_dir: str | None = None) -> Lexicon:
    return load(THEME_SCHEME, ontology_dir)
