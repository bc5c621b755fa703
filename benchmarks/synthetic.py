"""A synthetic graph shaped like the real one (organizations, agreements, signings, signatures, themes,
sources and Web Annotation passages), of any size, for benchmarks. Deterministic for a given seed."""

from __future__ import annotations

import random

B = "https://w3id.org/migkg/"
M = "https://w3id.org/migkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
KINDS = ["IntergovernmentalOrganization", "UNAgency", "RegionalOrganization", "Government", "NGO", "AcademicInstitution"]
TYPES = ["memorandum-of-understanding", "cooperation-agreement", "plan-of-action", "framework-agreement", "agreement"]
THEMES = ["migration-governance", "labour-migration", "counter-trafficking", "return-and-reintegration", "health",
          "capacity-building", "data-and-research", "border-management", "refugees-and-asylum", "diaspora"]


def _iri(x):
    return f"<{x}>"


def _lit(v, dt=None, lang=None):
    v = v.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{v}"' + (f"^^<{XSD}{dt}>" if dt else "") + (f"@{lang}" if lang else "")


def triples(n_agreements: int, seed: int = 7, n_orgs: int = 400, defects: bool = False):
    rnd = random.Random(seed)
    orgs = [f"{B}org/org-{i}" for i in range(n_orgs)]
    for i, o in enumerate(orgs):
        yield _iri(o), _iri(RDF + "type"), _iri(M + KINDS[i % len(KINDS)])
        yield _iri(o), _iri(RDFS + "label"), _lit(f"Organization {i}", lang="en")
        yield _iri(o), _iri(M + "acronym"), _lit(f"O{i}", lang="en")
    for a in range(n_agreements):
        ag = f"{B}agreement/a-{a}"
        src = f"{B}source/{a:016x}"
        sig = f"{ag}/signing"
        # A few deliberate defects, so engines are compared on the results they report, not only on time.
        parties = rnd.sample(orgs, 1 if defects and a % 97 == 0 else 2)
        year = rnd.randint(1995, 2025)
        date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        yield _iri(src), _iri(RDF + "type"), _iri(M + "SourceDocument")
        yield _iri(src), _iri(M + "fileName"), _lit(f"doc-{a}.txt")
        yield _iri(src), _iri(M + "contentHash"), _lit(f"{a:064x}")
        yield _iri(ag), _iri(RDF + "type"), _iri(M + "Agreement")
        yield _iri(ag), _iri(RDFS + "label"), _lit(f"Agreement {a}", lang="en")
        yield _iri(ag), _iri(M + "instrumentType"), _iri(f"{B}vocab/instrument/{rnd.choice(TYPES)}")
        yield _iri(ag), _iri(M + "status"), _iri(f"{B}vocab/status/signed")
        if not (defects and a % 101 == 0):
            yield _iri(ag), _iri(DCT + "source"), _iri(src)
        yield _iri(ag), _iri(M + "signing"), _iri(sig)
        yield _iri(sig), _iri(RDF + "type"), _iri(M + "SigningEvent")
        yield _iri(sig), _iri(RDFS + "label"), _lit(f"Signing of agreement {a}", lang="en")
        yield _iri(sig), _iri(M + "date"), _lit(date, "date")
        facts = [(ag, M + "party", _iri(p)) for p in parties]
        facts += [(ag, M + "theme", _iri(f"{B}vocab/theme/{t}")) for t in rnd.sample(THEMES, 3)]
        facts.append((sig, M + "date", _lit(date, "date")))
        for s, p, o in facts:
            if p != M + "date":
                yield _iri(s), _iri(p), o
        for k, (s, p, o) in enumerate(facts):
            ev = f"{B}evidence/{a:012x}{k:04x}"
            yield _iri(ev), _iri(RDF + "type"), _iri(M + "Evidence")
            yield _iri(ev), _iri(RDF + "subject"), _iri(s)
            yield _iri(ev), _iri(RDF + "predicate"), _iri(p)
            yield _iri(ev), _iri(RDF + "object"), o
            yield _iri(ev), _iri(OA + "hasTarget"), _iri(ev + "/target")
            yield _iri(ev + "/target"), _iri(OA + "hasSource"), _iri(src)
            yield _iri(ev + "/target"), _iri(OA + "hasSelector"), _iri(ev + "/quote")
            yield _iri(ev + "/quote"), _iri(OA + "exact"), _lit(f"Passage {k} of document {a}.")


def ntriples(n_agreements: int, seed: int = 7, defects: bool = False) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples(n_agreements, seed, defects=defects))


def agreements_for(n_triples: int) -> int:
    """About 65 triples per agreement (measured)."""
    return max(1, n_triples // 65)
