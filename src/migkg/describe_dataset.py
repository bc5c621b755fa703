"""void.ttl: a VoID + DCAT description of a build, so catalogues and crawlers can find the dumps and the endpoint.

It is computed from the dataset and from the dump files as written, and holds
nothing that changes between builds of the same sources (no build time), so it
is byte-identical across rebuilds like the dumps it describes.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from .vocab import MKG

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# What `migkg serve` listens on unless told otherwise; a published copy would name its public endpoint.
DEFAULT_ENDPOINT = URIRef("http://127.0.0.1:7878/query")
ONTOLOGY = URIRef("https://w3id.org/migkg/ontology")

# Dump file name -> media type, in the order they are listed; only files present in the output are described.
DUMPS = {
    "graph.ttl": "text/turtle", "graph.trig": "application/trig", "graph.nt": "application/n-triples",
    "graph.nq": "application/n-quads", "graph.jsonld": "application/ld+json", "graph.rdf": "application/rdf+xml",
}
EXAMPLES_PER_CLASS = 3
# DCAT 3 terms that rdflib's DCAT namespace (DCAT 2) does not declare.
DCAT_VERSION = URIRef(str(DCAT) + "version")


def describe(ds: Dataset, out_dir: Path, base: str, quads: list | None = None) -> Graph:
    from . import __version__
    from .export import PREFIXES, quads_of

    g = Graph(bind_namespaces="none")
    for prefix, ns in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "foaf": str(FOAF)}.items():
        g.bind(prefix, ns, override=True, replace=True)

    triples = {(s, p, o) for s, p, o, _ in (quads if quads is not None else quads_of(ds))}
    dataset = URIRef(base + "dataset")
    publisher = URIRef(base + "dataset/publisher")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("migkg: a knowledge graph of migration partnerships", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "Agreements between organizations on migration (memoranda, cooperation agreements, plans of action), "
        "their parties, signing, signatories, themes and GCM objectives, each fact linked to the passage of the "
        "press release or news item that states it.", lang="en")))
    # The compiled facts are CC BY 4.0 like the ontology and reference data; the quoted passages are not ours to license.
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, DCTERMS.rights, Literal(
        "Quoted passages (oa:exact, oa:prefix, oa:suffix) remain the copyright of their publishers and are quoted "
        "for research; each source's terms are on its node (dcterms:rights).", lang="en")))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("the migkg project")))
    g.add((dataset, DCAT_VERSION, Literal(__version__)))
    g.add((dataset, OWL.versionInfo, Literal(__version__)))
    g.add((dataset, DCTERMS.conformsTo, ONTOLOGY))
    g.add((dataset, VOID.uriSpace, Literal(base)))

    for name, media in DUMPS.items():
        for file_name in (name, name + ".gz"):
            path = Path(out_dir) / file_name
            if path.is_file():
                _distribution(g, dataset, base, file_name, media, path.stat().st_size)

    g.add((dataset, VOID.sparqlEndpoint, DEFAULT_ENDPOINT))
    g.add((DEFAULT_ENDPOINT, RDFS.comment, Literal(
        "The local endpoint that `migkg serve` starts over the built store (read-only, default graph = union "
        "of all graphs); a public copy would be served elsewhere.", lang="en")))

    types = [(s, o) for s, p, o in triples if p == RDF.type and isinstance(o, URIRef)]
    for ns in sorted({_namespace(p) for _, p, _ in triples} | {_namespace(c) for _, c in types}):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))
    g.add((dataset, VOID.triples, _int(len(triples))))
    # VoID's entities are the resources in the dataset's own URI space: the ones it mints, not the ontology and
    # concept schemes it carries, which sit under the default base too.
    terms = {s for s, _, _, _ in ds.quads((None, None, None, URIRef(base + "graph/vocabularies")))}
    minted = {s for s, _, _ in triples if isinstance(s, URIRef) and s.startswith(base) and s not in terms}
    g.add((dataset, VOID.entities, _int(len(minted))))
    g.add((dataset, VOID.distinctSubjects, _int(len({s for s, _, _ in triples}))))
    g.add((dataset, VOID.properties, _int(len({p for _, p, _ in triples}))))
    g.add((dataset, VOID.distinctObjects, _int(len({o for _, _, o in triples}))))

    members: dict[URIRef, set] = {}
    for s, c in types:
        members.setdefault(c, set()).add(s)
    g.add((dataset, VOID.classes, _int(len(members))))
    for cls in sorted(members):
        # No blank nodes anywhere in migkg: a partition is named after its class, which keeps the output stable.
        part = URIRef(base + "dataset/class/" + _slug(cls))
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _int(len(members[cls]))))

    for cls in (MKG.Agreement, MKG.Organization):
        instances = members.get(cls, set()) | {s for c in _subclasses(ds, cls) for s in members.get(c, ())}
        for example in sorted(instances)[:EXAMPLES_PER_CLASS]:
            g.add((dataset, VOID.exampleResource, example))
    return g


def write(ds: Dataset, out_dir: Path, base: str, quads: list | None = None) -> Path:
    """Write void.ttl into OUT_DIR; call it after the dumps, whose sizes it records. QUADS: as for describe."""
    path = Path(out_dir) / "void.ttl"
    path.write_bytes(describe(ds, out_dir, base, quads).serialize(format="turtle").encode("utf-8"))
    return path


def _distribution(g: Graph, dataset: URIRef, base: str, file_name: str, media: str, size: int) -> None:
    dist = URIRef(base + "dataset/distribution/" + file_name)
    url = URIRef(base + file_name)
    g.add((dataset, DCAT.distribution, dist))
    g.add((dataset, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(file_name)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
    if file_name.endswith(".gz"):
        g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
    g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, LICENSE))


def _subclasses(ds: Dataset, cls: URIRef) -> set:
    """Every class below CLS in the ontology copy the data carries (organizations are typed by their kind)."""
    out, todo = set(), [cls]
    while todo:
        for s, _, _, _ in ds.quads((None, RDFS.subClassOf, todo.pop(), None)):
            if s not in out:
                out.add(s)
                todo.append(s)
    return out


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _slug(iri: str) -> str:
    ns = _namespace(iri)
    return re.sub(r"[^A-Za-z0-9]+", "-", ns.split("//", 1)[-1]).strip("-").lower() + "-" + iri[len(ns):]


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)
