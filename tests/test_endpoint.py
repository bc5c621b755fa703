"""The graph on a real SPARQL server: push through the Graph Store Protocol, then every stored query and
every lookup gives the same answers through the endpoint as on the embedded store."""

import json
import socket
import threading

import pytest
from click.testing import CliRunner

from conftest import free_port, wait_for
from migkg.cli import main
from migkg.errors import EndpointError
from migkg.querying import list_queries, run
from migkg.store import open_store
from queryparams import cases, normalized

CASES = [(q.name, label, params) for q in list_queries() for label, params in cases(q)]


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, seed_kg):
    result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph_server + "/store", "--kg", str(seed_kg)])
    assert result.exit_code == 0, result.output
    assert "pushed" in result.output
    return oxigraph_server + "/query"


def test_push_sends_every_quad_once_and_again_replaces(oxigraph_server, endpoint, seed_kg):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    from migkg.remote import select

    before = int(select(endpoint, count).rows[0]["n"].value)
    assert before == len(open_store(seed_kg))
    again = CliRunner().invoke(main, ["push", "--endpoint", oxigraph_server + "/store", "--kg", str(seed_kg)])
    assert again.exit_code == 0, again.output
    assert int(select(endpoint, count).rows[0]["n"].value) == before


@pytest.mark.parametrize("name,label,params", CASES, ids=[f"{n}-{l}" for n, l, _ in CASES])
def test_stored_query_same_embedded_and_through_the_endpoint(endpoint, seed_kg, name, label, params):
    embedded = run(name, params, store=open_store(seed_kg))
    remote = run(name, params, endpoint=endpoint)
    assert remote.columns == embedded.columns
    assert normalized(remote) == normalized(embedded)


@pytest.mark.parametrize("args", [["partners", "IOM"], ["partners", "OIM", "--since", "2020", "--theme", "health"],
                                  ["agreements", "--type", "MoU"], ["agreements", "--org", "ICESCO"],
                                  ["timeline", "IOM", "OIC"], ["show", "ICESCO"], ["orgs"], ["themes"], ["stats"]])
def test_lookups_same_embedded_and_through_the_endpoint(endpoint, seed_kg, args):
    runner = CliRunner()
    local = runner.invoke(main, args + ["--format", "json", "--kg", str(seed_kg)])
    remote = runner.invoke(main, args + ["--format", "json", "--endpoint", endpoint])
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_validate_through_the_endpoint(endpoint):
    result = CliRunner().invoke(main, ["validate", "--endpoint", endpoint])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL ; SELECT * WHERE { "', 'x" . ?s ?p ?o', "{}", "ünïcødé ✓",
                                     "IOM\" } ; CLEAR DEFAULT ; #", "\\u0022 OR 1=1"])
def test_hostile_strings_are_values_in_both_modes(endpoint, seed_kg, hostile):
    embedded = run("name-lookup", {"q": hostile}, store=open_store(seed_kg))
    remote = run("name-lookup", {"q": hostile}, endpoint=endpoint)
    assert embedded.rows == [] and remote.rows == []
    # Nothing was executed: the graph is whole.
    assert run("stats", endpoint=endpoint).rows == run("stats", store=open_store(seed_kg)).rows


@pytest.mark.parametrize("hostile", ["https://w3id.org/migkg/org/iom> } DROP ALL {", "iom with spaces", "<x>", "a{b}"])
def test_hostile_iris_are_refused_before_any_query(endpoint, seed_kg, hostile):
    runner = CliRunner()
    for where in (["--kg", str(seed_kg)], ["--endpoint", endpoint]):
        result = runner.invoke(main, ["query", "partners", "--param", f"org={hostile}"] + where)
        assert result.exit_code == 2 and "not an IRI" in result.output


def test_served_graph_is_read_only_and_on_loopback(seed_kg):
    from migkg.server import start

    port = free_port()
    proc = start(seed_kg, port=port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", proc)
        import urllib.error
        import urllib.request

        for url, body, ctype in ((base + "/update", b"DROP ALL", "application/sparql-update"),
                                 (base + "/store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples")):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(url, data=body, headers={"Content-Type": ctype}), timeout=5)
            assert 400 <= refused.value.code < 500
            refused.value.close()
        assert run("stats", endpoint=base + "/query").rows == run("stats", store=open_store(seed_kg)).rows
        with pytest.raises(OSError):  # not listening on other addresses
            socket.create_connection((_outside_address(), port), timeout=1).close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()


def _outside_address() -> str:
    """An address of this machine that is not loopback, or a documentation address when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
            return address if not address.startswith("127.") else "192.0.2.1"
    except OSError:
        return "192.0.2.1"


def test_endpoint_errors_are_one_clear_line(seed_kg):
    dead = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["query", "stats", "--endpoint", dead])
    assert result.exit_code == 1 and "is the server running?" in result.output
    with pytest.raises(EndpointError, match="HTTP 404"):
        run("stats", endpoint=_http_server(404) + "/sparql")
    with pytest.raises(EndpointError, match="HTTP 500"):
        run("stats", endpoint=_http_server(500) + "/sparql")


def test_endpoint_timeout_is_reported():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(EndpointError, match="timeout was 1 s"):
            run("stats", endpoint=f"http://127.0.0.1:{silent.getsockname()[1]}/query", timeout=1)
    finally:
        silent.close()


def _http_server(status: int) -> str:
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(status)
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
