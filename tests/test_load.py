"""Load, bounded in time and in count: concurrent clients send every stored query to the real `migkg serve`
and all get answered. `pytest -s` shows the latency table; larger runs are benchmarks/load.py."""

import socket
import sys
from pathlib import Path

import pytest

from conftest import free_port
from migkg.querying import list_queries

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import load  # noqa: E402

CLIENTS, SECONDS, MAX_REQUESTS = 8, 5, 400


@pytest.mark.server
@pytest.mark.slow
def test_concurrent_clients_get_every_stored_query_answered(seed_kg):
    port = free_port()
    with load.served(seed_kg, port) as endpoint:
        report = load.run_load(endpoint, load.mix(), clients=CLIENTS, seconds=SECONDS,
                               max_requests=MAX_REQUESTS, timeout=10)
    print("\n" + load.render(report))
    assert report.errors == 0, report.error_kinds()
    assert 0 < len(report.samples) <= MAX_REQUESTS
    per_query = report.per_query()
    assert set(per_query) == {q.name for q in list_queries()}
    assert all(s["requests"] >= 2 and s["errors"] == 0 for s in per_query.values()), per_query
    overall = report.overall()
    assert overall["p50_ms"] <= overall["p90_ms"] <= overall["p99_ms"] <= overall["max_ms"]
    # Stopped: neither the CLI nor the Oxigraph server it started still holds the port.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_failed_requests_are_counted_not_raised():
    """The 0 above means something: a server that does not answer gives one error per request."""
    dead = f"http://127.0.0.1:{free_port()}/query"
    report = load.run_load(dead, load.mix(), clients=2, seconds=5, max_requests=6, timeout=2)
    assert len(report.samples) == 6 and report.errors == 6
    assert report.error_kinds() == {"connection": 6}
    assert report.overall()["p50_ms"] is None
