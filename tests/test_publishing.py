"""Linked-data publishing: the VoID/DCAT description, byte-stable exports, a configurable base, the Python API."""

import gzip
import json
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from conftest import ROOT
from migkg import pipeline
from migkg.cli import main
from migkg.vocab import MKG

SEEDS = ROOT / "data" / "sources"
EXPORTS = ["ttl", "nt", "nq", "trig", "jsonld", "rdfxml"]
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def _void(kg) -> Graph:
    return Graph().parse(kg / "void.ttl", format="turtle")


def _exports(kg) -> dict[str, bytes]:
    """What `migkg export` writes in every format (the graph is read once; the command is checked separately)."""
    from migkg.export import serialize

    ds = Dataset()
    ds.parse(kg / "graph.trig", format="trig")
    return {fmt: serialize(ds, fmt) for fmt in [*EXPORTS, "ttl.gz", "nq.gz"]}


@pytest.fixture(scope="module")
def shuffled_kg(tmp_path_factory):
    """The seeds built again from elsewhere, in another order: split over two folders (each with the manifest,
    which records the sources' origins), the second folder read first."""
    root = tmp_path_factory.mktemp("shuffled")
    files = sorted(p for p in SEEDS.iterdir() if p.name != "manifest.yaml")
    folders = []
    for n, part in enumerate((files[:2], files[2:])):
        folder = root / f"part{n}"
        folder.mkdir()
        for f in (*part, SEEDS / "manifest.yaml"):
            shutil.copy(f, folder / f.name)
        folders.append(folder)
    pipeline.build(folders[::-1], root / "dist")
    return root / "dist"


def test_void_describes_the_dumps_as_written(seed_kg):
    g = _void(seed_kg)
    dataset = URIRef("https://w3id.org/migkg/dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in g and (dataset, RDF.type, VOID.Dataset) in g
    sizes = {}
    for dist in g.objects(dataset, DCAT.distribution):
        url = str(g.value(dist, DCAT.downloadURL))
        assert url.startswith("https://w3id.org/migkg/")
        assert g.value(dist, DCAT.mediaType) is not None
        sizes[url.rsplit("/", 1)[-1]] = int(g.value(dist, DCAT.byteSize))
    assert sizes == {name: (seed_kg / name).stat().st_size for name in ("graph.ttl", "graph.trig")}

    triples = Dataset()
    triples.parse(seed_kg / "graph.trig", format="trig")
    assert int(g.value(dataset, VOID.triples)) == len({(s, p, o) for s, p, o, _ in triples.quads()})
    assert g.value(dataset, VOID.uriSpace) == Literal("https://w3id.org/migkg/")
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:7878/query")) in g
    vocabularies = set(map(str, g.objects(dataset, VOID.vocabulary)))
    assert {"https://w3id.org/migkg/ontology#", "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#"} <= vocabularies
    partitions = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(dataset, VOID.classPartition)}
    assert partitions[MKG.Agreement] == 7
    examples = set(g.objects(dataset, VOID.exampleResource))
    assert URIRef("https://w3id.org/migkg/agreement/eco-iom") in examples
    assert URIRef("https://w3id.org/migkg/org/iom") in examples
    assert "built_at" not in (seed_kg / "void.ttl").read_text() and "dateTime" not in (seed_kg / "void.ttl").read_text()


def test_void_summed_from_each_graphs_figures_is_what_counting_the_store_gives(tmp_path, monkeypatch):
    """A build sums VoID's figures as it writes each graph instead of counting over the whole store; the
    description must be the one the count gives, and a graph whose subjects are not its own must fall back."""
    from migkg import describe_dataset, source_parts
    from migkg.store import open_store

    given = []
    real_write = describe_dataset.write
    monkeypatch.setattr(describe_dataset, "write", lambda *a: given.append(a[3]) or real_write(*a))
    kg = tmp_path / "dist"
    pipeline.build([SEEDS, ROOT / "tests" / "data" / "devset" / "docs"], kg, cache=False)
    assert given[0] is not None and given[0].triples > 3000
    counted = describe_dataset.describe(open_store(kg), kg, "https://w3id.org/migkg/")
    assert counted.serialize(format="turtle").encode() == (kg / "void.ttl").read_bytes()

    base = "https://w3id.org/migkg/"
    s = URIRef(base + "source/0123456789abcdef")
    own = [(s, RDF.type, MKG.SourceDocument), (URIRef(s + "/passage/1-2"), RDF.type, MKG.SourceDocument)]
    assert source_parts._figures(s, own, base)[:3] == (2, 2, 2)
    assert source_parts._figures(s, [*own, (URIRef(s + "-89abcdef"), RDF.type, MKG.SourceDocument)], base) is None
    # A source graph that describes a node of another's (here: any other) cannot be summed.
    monkeypatch.setattr(source_parts, "_figures", lambda s, triples, base: None)
    pipeline.build([SEEDS], tmp_path / "other", cache=False)
    assert given[-1] is None
    assert describe_dataset.describe(open_store(tmp_path / "other"), tmp_path / "other", "https://w3id.org/migkg/") \
        .serialize(format="turtle").encode() == (tmp_path / "other" / "void.ttl").read_bytes()


def test_void_and_every_export_are_byte_identical_across_builds_in_another_order(seed_kg, shuffled_kg):
    for name in ("void.ttl", "graph.ttl", "graph.trig"):
        assert (seed_kg / name).read_bytes() == (shuffled_kg / name).read_bytes(), name
    first, second = _exports(seed_kg), _exports(shuffled_kg)
    assert set(first) == {*EXPORTS, "ttl.gz", "nq.gz"}
    for fmt in first:
        assert first[fmt] == second[fmt], fmt
    assert gzip.decompress(first["ttl.gz"]) == first["ttl"]
    for fmt, gz in (("jsonld", []), ("nq", ["--gzip"])):
        result = CliRunner().invoke(main, ["export", "--kg", str(shuffled_kg), "--format", fmt, *gz])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == first[fmt + (".gz" if gz else "")]


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_dumps_read_the_same_in_rdflib_and_pyoxigraph(seed_kg, fmt):
    from migkg.export import serialize

    ds = Dataset()
    ds.parse(seed_kg / "graph.trig", format="trig")
    data = (seed_kg / "graph.ttl").read_bytes() if fmt == "ttl" else serialize(ds, "jsonld")
    by_rdflib = Graph().parse(data=data, format="turtle" if fmt == "ttl" else "json-ld")
    nt = ox.serialize(ox.parse(data, format=OX_FORMAT[fmt]), format=ox.RdfFormat.N_TRIPLES)
    by_oxigraph = Graph().parse(data=nt, format="nt")
    assert len(by_rdflib) == len(by_oxigraph) > 3000
    assert isomorphic(by_rdflib, by_oxigraph)
    if fmt == "jsonld":
        assert isomorphic(by_rdflib, Graph().parse(seed_kg / "graph.ttl", format="turtle"))


def test_another_base_mints_every_iri_under_it(tmp_path, monkeypatch):
    base = "https://example.org/kg/"
    kg = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(kg), "--base", base])
    assert result.exit_code == 0, result.output
    assert (kg / "validation.txt").read_text().startswith("The graph conforms")
    ds = Dataset()
    ds.parse(kg / "graph.trig", format="trig")
    # Only the vocabulary (ontology terms, concept schemes) stays under the published w3id namespace.
    vocabulary = ("https://w3id.org/migkg/ontology", "https://w3id.org/migkg/vocab/")
    iris = {t for q in ds.quads() for t in q if isinstance(t, URIRef)}
    ours = {str(i) for i in iris if "w3id.org/migkg" in i or "example.org" in i}
    assert {i for i in ours if not i.startswith(base) and not i.startswith(vocabulary)} == set()
    assert URIRef(base + "agreement/eco-iom") in iris and URIRef(base + "graph/agreements") in iris
    assert _void(kg).value(URIRef(base + "dataset"), VOID.uriSpace) == Literal(base)

    from migkg.lookups import partners
    from migkg.store import open_embedded

    assert {p["acronym"] for p in partners("IOM", open_embedded(kg))} == {"ICESCO", "ECO", "UNFPA", "OIC"}

    monkeypatch.setenv("MIGKG_BASE", "not an iri")
    bad = CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(tmp_path / "other")])
    assert bad.exit_code == 2 and "base IRI" in bad.output
    assert not (tmp_path / "other").exists()


def test_python_api(seed_kg):
    import migkg

    kg = migkg.load(seed_kg)
    rows = kg.query("agreements")
    assert len(rows) == 7 and all(isinstance(r, dict) for r in rows)
    assert {type(v) for r in rows for v in r.values()} <= {str, int, float, type(None)}
    stats = {r["measure"]: r["value"] for r in kg.query("stats")}
    assert stats["agreements"] == 7
    count = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count == [{"n": int(_void(seed_kg).value(URIRef("https://w3id.org/migkg/dataset"), VOID.triples))}]
    iom = "https://w3id.org/migkg/org/iom"
    assert kg.query("partners", org=iom) == kg.query("partners", org=iom, since=None)

    frame = kg.dataframe("agreements-per-year")
    assert list(frame.columns) == ["year", "typeLabel", "agreements"]
    assert frame["agreements"].sum() == 7
    assert json.loads(frame.to_json(orient="records"))

    assert (URIRef("https://w3id.org/migkg/agreement/eco-iom"), RDF.type, MKG.Agreement) in kg.graph
    with pytest.raises(migkg.UsageError):
        kg.query("no-such-query")
    with pytest.raises(migkg.UsageError):
        kg.sparql("ASK { ?s ?p ?o }")
    with pytest.raises(migkg.MigkgError):
        migkg.load(seed_kg.parent / "nowhere")


def test_dataframe_without_pandas_says_what_to_install(seed_kg, monkeypatch):
    import sys

    import migkg

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(migkg.MigkgError, match="pandas"):
        migkg.load(seed_kg).dataframe("stats")


def test_import_migkg_stays_light():
    import subprocess
    import sys

    code = "import sys, migkg; print(any(m in sys.modules for m in ('rdflib', 'pyoxigraph', 'pandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
