"""A large graph shaped exactly like the real one: the seed build, cloned.

Each copy of the seed graph gets its own agreements, sources, passages, people
and posts (IRIs suffixed -cK), its parties drawn from a pool of organization
variants (org/iom-v3, acronym "IOM 3"), and its dates moved to another year.
Vocabularies and the build's provenance are kept once. Every predicate, named
graph and passage of a real build is there, in real proportions.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

B = "https://w3id.org/migkg/"
_ONCE = (f"<{B}graph/vocabularies>", f"<{B}graph/provenance>")
_INSTANCE = re.compile(rf"({re.escape(B)}(?:agreement|source|evidence|person|post|event)/)([^/>#]+)")
_ORG = re.compile(rf"({re.escape(B)}org/)([^/>#]+)")
_DATE = re.compile(r'"(\d{4})((?:-\d\d){0,2})"\^\^<http://www\.w3\.org/2001/XMLSchema#(date|gYear|gYearMonth)>')
_NAMES = ("<http://www.w3.org/2000/01/rdf-schema#label>", f"<{B}ontology#acronym>",
          "<http://www.w3.org/2004/02/skos/core#altLabel>", f"<{B}ontology#formerName>")


def seed_nquads(kg: Path) -> list[str]:
    from rdflib import Dataset

    from migkg.export import serialize

    ds = Dataset()
    ds.parse(kg / "graph.trig", format="trig")
    return serialize(ds, "nq").decode("utf-8").splitlines()


def _rename_literal(obj: str, suffix: str) -> str:
    end = obj.rindex('"')
    return obj[:end] + suffix + obj[end:]


def cloned(lines: list[str], target: int, variants: int = 60, seed: int = 7):
    """N-Quads lines, distinct, until about `target` quads."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    copy = 0
    while len(seen) < target:
        orgs: dict[str, int] = {}
        shift = rnd.randrange(36)

        def org(m):
            slug = m.group(2)
            if slug not in orgs:
                orgs[slug] = rnd.randrange(variants)
            return f"{m.group(1)}{slug}-v{orgs[slug]}"

        def date(m):
            year = 1990 + (int(m.group(1)) - 1990 + shift) % 36
            return f'"{year}{m.group(2)}"^^<http://www.w3.org/2001/XMLSchema#{m.group(3)}>'

        for line in lines:
            if line.endswith(_ONCE[0] + " .") or line.endswith(_ONCE[1] + " ."):
                if copy:
                    continue
                out = line
            else:
                out = _INSTANCE.sub(lambda m: f"{m.group(1)}{m.group(2)}-c{copy}", line)
                out = _DATE.sub(date, out)
                if _ORG.search(out):
                    out = _ORG.sub(org, out)
                    s, p, rest = out.split(" ", 2)
                    if p in _NAMES and _ORG.fullmatch(s[1:-1]) and rest.startswith('"'):
                        graph = rest[rest.rindex(" <"):]
                        variant = s[s.rindex("-v") + 2:-1]
                        out = f"{s} {p} {_rename_literal(rest[:-len(graph)], ' ' + variant)}{graph}"
            seen.add(out)
        copy += 1
    return sorted(seen), copy
