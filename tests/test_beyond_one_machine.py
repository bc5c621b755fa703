"""Beyond one machine: the graph written as N-Quads shards, bulk loaded by two real stores' own loaders (Oxigraph's
`oxigraph load` and Virtuoso's RDF bulk loader), and every stored query then run on each through --endpoint with
the same answers as on the embedded store."""

import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import free_port, wait_for
from migkg.cli import main
from migkg.querying import list_queries, run
from migkg.server import oxigraph_binary
from migkg.store import open_store
from queryparams import cases, normalized

CASES = [(q.name, label, params) for q in list_queries() for label, params in cases(q)]

# Stored queries Virtuoso 7.2 cannot answer as written, each for a defect of its own (the error it gives):
# property paths that start from a VALUES-bound node ("transitive start not given", or rows silently missing),
# rdfs:subClassOf+ inside a nested EXISTS ("Stack Overflow in cost model"), and a transitive path in an
# OPTIONAL under GROUP BY ("No column"). Oxigraph and rdflib answer them; strict, so a fix shows up here.
VIRTUOSO_CANNOT = {"describe", "passages", "history", "name-lookup"}


def _invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def shards(seed_kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("shards")
    _invoke("shards", out, "--kg", seed_kg, "--graphs-per-shard", 2)
    return out


def test_shards_hold_every_quad_once_in_whole_graphs_and_are_byte_stable(seed_kg, shards, tmp_path):
    store = open_store(seed_kg)
    files = sorted(shards.glob("shard-*.nq"))
    assert len(files) > 1
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(set(lines)) == len(store)
    graph_of = {}
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            graph = line.rsplit(" ", 2)[-2]
            assert graph_of.setdefault(graph, f) == f, f"graph {graph} split across shards"
    again = tmp_path / "again"
    _invoke("shards", again, "--kg", seed_kg, "--graphs-per-shard", 2)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in sorted(again.glob("shard-*.nq"))]
    assert (shards / "shards.json").read_bytes() == (again / "shards.json").read_bytes()


def test_fewer_graphs_per_shard_replaces_the_earlier_shards(seed_kg, tmp_path):
    _invoke("shards", tmp_path, "--kg", seed_kg, "--graphs-per-shard", 1)
    many = len(list(tmp_path.glob("shard-*.nq")))
    _invoke("shards", tmp_path, "--kg", seed_kg, "--graphs-per-shard", 1000)
    assert many > 1 and len(list(tmp_path.glob("shard-*.nq"))) == 1


def test_bulk_load_without_shards_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["bulk-load", str(tmp_path), "--into", "oxigraph", "--location", str(tmp_path / "db")])
    assert result.exit_code == 2
    assert "shards.json" in result.output and "migkg shards" in result.output


@pytest.fixture(scope="module")
def oxigraph_loaded(shards, tmp_path_factory):
    location = tmp_path_factory.mktemp("oxigraph-bulk")
    assert "loaded" in _invoke("bulk-load", shards, "--into", "oxigraph", "--location", location)
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/query", proc)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


@pytest.mark.parametrize("name,label,params", CASES, ids=[f"{n}-{lb}" for n, lb, _ in CASES])
def test_stored_query_same_after_oxigraph_bulk_load(oxigraph_loaded, seed_kg, name, label, params):
    embedded = run(name, params, store=open_store(seed_kg))
    assert normalized(run(name, params, endpoint=oxigraph_loaded)) == normalized(embedded)


_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = ., {shards}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(shards, tmp_path_factory):
    """A real Virtuoso (Debian's virtuoso-opensource) on free loopback ports, in a database of its own."""
    if not shutil.which("virtuoso-t"):
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t is missing: `make test` installs virtuoso-opensource where it can")
        pytest.skip("Virtuoso is not installed (Debian: virtuoso-opensource)")
    db = tmp_path_factory.mktemp("virtuoso")
    isql, http = free_port(), free_port()
    (db / "virtuoso.ini").write_text(_INI.format(db=db, isql=isql, http=http, shards=shards.resolve()))
    proc = subprocess.Popen(["virtuoso-t", "-f", "-c", str(db / "virtuoso.ini")], cwd=db, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{http}/sparql", proc, seconds=60)
        yield f"127.0.0.1:{isql}", f"http://127.0.0.1:{http}/sparql"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stderr.close()


@pytest.fixture(scope="module")
def virtuoso_loaded(virtuoso, shards):
    isql, endpoint = virtuoso
    assert "loaded" in _invoke("bulk-load", shards, "--into", "virtuoso", "--isql", isql)
    return endpoint


def test_virtuoso_bulk_load_holds_every_quad_once_even_when_run_twice(virtuoso, virtuoso_loaded, shards, seed_kg):
    from migkg.remote import select

    count = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER (STRSTARTS(STR(?g), \"https://w3id.org/migkg/\")) }")
    assert int(select(virtuoso_loaded, count).rows[0]["n"].value) == len(open_store(seed_kg))
    _invoke("bulk-load", shards, "--into", "virtuoso", "--isql", virtuoso[0])
    assert int(select(virtuoso_loaded, count).rows[0]["n"].value) == len(open_store(seed_kg))


def test_virtuoso_bad_login_is_one_clear_error(virtuoso, shards, monkeypatch):
    monkeypatch.setenv("MIGKG_VIRTUOSO_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, ["bulk-load", str(shards), "--into", "virtuoso", "--isql", virtuoso[0]])
    assert result.exit_code != 0
    assert "Bad login" in result.output and len(result.output.strip().splitlines()) == 1


VIRTUOSO_CASES = [pytest.param(n, lb, p, id=f"{n}-{lb}", marks=[pytest.mark.xfail(
    strict=True, reason="Virtuoso 7.2 cannot answer it as written (see VIRTUOSO_CANNOT)")] if n in VIRTUOSO_CANNOT else [])
    for n, lb, p in CASES]


@pytest.mark.parametrize("name,label,params", VIRTUOSO_CASES)
def test_stored_query_same_after_virtuoso_bulk_load(virtuoso_loaded, seed_kg, name, label, params):
    embedded = run(name, params, store=open_store(seed_kg))
    assert normalized(run(name, params, endpoint=virtuoso_loaded)) == normalized(embedded)
