"""Load: N concurrent clients send a weighted mix of the stored queries to `migkg serve` for T seconds
(or until M requests in all), as SPARQL 1.1 Protocol requests, and count errors and latencies.

    .venv/bin/python benchmarks/load.py --kg dist [--clients 16] [--seconds 20] [--max-requests 0] [--port 0]
    .venv/bin/python benchmarks/load.py --endpoint http://127.0.0.1:7878/query [--clients 8] [--seconds 10]

With --kg it starts the real `migkg serve` on 127.0.0.1 (a free port unless --port is given) and stops it
at the end; with --endpoint it loads a server that is already running. Prints requests, errors, req/s and
latency p50/p90/p99/max per stored query and overall, or the same as JSON with --json. Exits 1 when any
request failed: an HTTP status other than 200, a timeout, a refused connection, a body that is not SPARQL
JSON results, or a row count that differs from the first answer to the same request.

Every parameter value comes from tests/queryparams.py and is bound by the project's own VALUES binding,
so the requests are those the CLI and the library send. tests/test_load.py runs a small bounded load.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from queryparams import cases  # noqa: E402

from migkg.server import wait_until_answering  # noqa: E402

# What a user's session sends most: a name resolved to an organization, its partners and agreements, then
# one entity shown. Whole-graph listings (stats, names, network, ...) are loaded once per session.
DEFAULT_WEIGHTS = {"name-lookup": 4, "partners": 4, "describe": 3, "agreements": 3, "history": 2, "passages": 2}
ACCEPT = "application/sparql-results+json"
PERCENTILES = (50, 90, 99)


@dataclass(frozen=True)
class Request:
    query: str  # the stored query's name: what the report groups by
    case: str  # which parameter set, from tests/queryparams.py
    text: str  # the query with its parameters bound


@dataclass
class Sample:
    query: str
    seconds: float
    error: str | None = None


@dataclass
class Report:
    endpoint: str
    clients: int
    seconds: float
    max_requests: int
    elapsed: float = 0.0
    samples: list[Sample] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)

    def error_kinds(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for s in self.samples:
            if s.error:
                kinds[s.error] = kinds.get(s.error, 0) + 1
        return kinds

    def per_query(self) -> dict[str, dict]:
        names = sorted({s.query for s in self.samples})
        return {n: _stats([s for s in self.samples if s.query == n], self.elapsed) for n in names}

    def overall(self) -> dict:
        return _stats(self.samples, self.elapsed)

    def as_dict(self) -> dict:
        return {"endpoint": self.endpoint, "clients": self.clients, "seconds": self.seconds,
                "max_requests": self.max_requests, "elapsed": round(self.elapsed, 3),
                "overall": self.overall(), "queries": self.per_query(), "error_kinds": self.error_kinds()}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: always a latency that was measured, never one interpolated between two."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def _stats(samples: list[Sample], elapsed: float) -> dict:
    # Percentiles over answered requests only: a refused connection takes 0 ms and a timeout takes the
    # timeout, neither says how fast the server answers. Errors are counted on their own.
    ok = sorted(s.seconds * 1000 for s in samples if not s.error)
    out = {"requests": len(samples), "errors": sum(1 for s in samples if s.error),
           "throughput": round(len(samples) / elapsed, 1) if elapsed > 0 else 0.0}
    for p in PERCENTILES:
        out[f"p{p}_ms"] = round(percentile(ok, p), 1) if ok else None
    out["max_ms"] = round(ok[-1], 1) if ok else None
    return out


def mix(weights: dict[str, int] | None = None, seed: int = 0, queries_dir=None) -> list[Request]:
    """The requests clients take in turn: every stored query, each parameter set bound, weighted, shuffled."""
    from migkg.querying import bind, list_queries, with_values

    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    out = []
    for q in list_queries(queries_dir):
        bound = [Request(q.name, label, with_values(q.text, bind(q, params))) for label, params in cases(q)]
        # Two slots per unit of weight, shared among the query's parameter sets, so a query that also has an
        # every-parameter variant does not get twice the share of one that has only its required form.
        out += [bound[i % len(bound)] for i in range(2 * weights.get(q.name, 1))]
    # Clients take consecutive entries at the same moment; shuffled, the heavy listings do not arrive
    # together, and the fixed seed keeps one run comparable with the next.
    random.Random(seed).shuffle(out)
    return out


def send(endpoint: str, request: Request, timeout: float, rows_seen: dict) -> Sample:
    """One SPARQL 1.1 Protocol query by POST (URL-encoded form), as SPARQLWrapper sends it for migkg."""
    body = urllib.parse.urlencode({"query": request.text}).encode()
    http = urllib.request.Request(endpoint, data=body, headers={
        "Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "migkg-load"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:
            status, ctype, data = answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as e:
        e.close()
        return Sample(request.query, time.perf_counter() - start, f"HTTP {e.code}")
    except (TimeoutError, socket.timeout):
        return Sample(request.query, time.perf_counter() - start, "timeout")
    except urllib.error.URLError as e:
        kind = "timeout" if isinstance(e.reason, (TimeoutError, socket.timeout)) else "connection"
        return Sample(request.query, time.perf_counter() - start, kind)
    except OSError:
        return Sample(request.query, time.perf_counter() - start, "connection")
    # Parsing is the client's work, not the server's: the clock stops once the body is read.
    seconds = time.perf_counter() - start
    if status != 200:
        return Sample(request.query, seconds, f"HTTP {status}")
    if ACCEPT not in ctype:
        return Sample(request.query, seconds, "not SPARQL JSON")
    try:
        rows = len(json.loads(data)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return Sample(request.query, seconds, "invalid JSON")
    # The store is read-only, so the same bound text must always give as many rows; a difference under
    # load would be a wrong answer that a status code does not show.
    if rows_seen.setdefault((request.query, request.case), rows) != rows:
        return Sample(request.query, seconds, "answer differs")
    return Sample(request.query, seconds)


def run_load(endpoint: str, requests: list[Request], *, clients: int = 8, seconds: float = 10,
             max_requests: int = 0, timeout: float = 30, stop: threading.Event | None = None) -> Report:
    """`clients` threads send `requests` in turn until `seconds` have passed or `max_requests` (0: no cap) were sent."""
    report = Report(endpoint, clients, seconds, max_requests)
    stop = stop or threading.Event()
    lock = threading.Lock()
    sent = [0]
    rows_seen: dict = {}
    # One list per client, merged at the end, so recording a sample never waits for a lock.
    results: list[list[Sample]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    deadline = start + seconds

    def client(mine: list[Sample]) -> None:
        while not stop.is_set() and time.perf_counter() < deadline:
            # The cap is on requests sent, not answered, so it is claimed before sending.
            with lock:
                i = sent[0]
                if max_requests and i >= max_requests:
                    return
                sent[0] += 1
            mine.append(send(endpoint, requests[i % len(requests)], timeout, rows_seen))

    threads = [threading.Thread(target=client, args=(results[i],), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    try:
        for t in threads:
            t.join()
    finally:
        stop.set()
    report.elapsed = time.perf_counter() - start
    report.samples = [s for mine in results for s in mine]
    return report


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _tail(log) -> str:
    if log is None:
        return ""
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace").strip()[-2000:]


def serve_command(kg: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """The installed `migkg` script beside this Python, so the load goes through the real CLI."""
    script = Path(sys.executable).parent / "migkg"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "migkg"]
    return prefix + ["serve", "--kg", str(kg), "--port", str(port), "--host", host]


@contextmanager
def served(kg: Path, port: int = 0, host: str = "127.0.0.1", ready_seconds: float = 30):
    """`migkg serve` running on host:port for the block; its query endpoint URL is yielded."""
    port = port or free_port(host)
    endpoint = f"http://{host}:{port}/query"
    # Another server already on the port would answer the readiness check and take the load in our place.
    if _listening(host, port):
        raise RuntimeError(f"{host}:{port} is already in use; give another --port, or --endpoint to load that server")
    # A file, not a pipe: nobody reads the server's stderr while it runs, and a full pipe would stall it.
    with tempfile.TemporaryFile() as log:
        # Its own session: `migkg serve` runs the Oxigraph server as a child, which terminating the
        # Python process alone would leave running on the port; signalling the group stops both.
        proc = subprocess.Popen(serve_command(kg, port, host), stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True)
        try:
            wait_until_answering(endpoint, proc, ready_seconds, lambda: _tail(log))
            if proc.poll() is not None:
                raise RuntimeError(f"`migkg serve` stopped with exit code {proc.returncode}: {_tail(log)}")
            yield endpoint
        finally:
            stop_server(proc, host, port)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def stop_server(proc: subprocess.Popen, host: str, port: int, seconds: float = 10) -> None:
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=seconds)
    # The CLI process is gone; the Oxigraph child got the same signal but is not ours to wait for, so
    # the port closing is what says it has stopped.
    deadline = time.monotonic() + seconds
    while _listening(host, port):
        if time.monotonic() > deadline:
            _signal_group(proc, signal.SIGKILL)
            break
        time.sleep(0.05)


def render(report: Report) -> str:
    columns = ["query", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"]
    keys = ["requests", "errors", "throughput", "p50_ms", "p90_ms", "p99_ms", "max_ms"]

    def cells(name: str, s: dict) -> list[str]:
        return [name] + ["-" if s[k] is None else str(s[k]) if isinstance(s[k], int) else f"{s[k]:.1f}" for k in keys]

    rows = [cells(n, s) for n, s in report.per_query().items()] + [cells("all", report.overall())]
    sizes = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]

    def line(r: list[str]) -> str:
        return "  ".join(v.ljust(sizes[0]) if i == 0 else v.rjust(sizes[i]) for i, v in enumerate(r))

    cap = f", at most {report.max_requests} requests" if report.max_requests else ""
    head = (f"{report.clients} clients, {report.seconds:g} s{cap}, against {report.endpoint}: "
            f"{len(report.samples)} requests in {report.elapsed:.1f} s, {report.errors} errors")
    kinds = report.error_kinds()
    tail = ["errors: " + ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))] if kinds else []
    rule = "  ".join("-" * s for s in sizes)
    return "\n".join([head, "", line(columns), rule] + [line(r) for r in rows[:-1]] + [rule, line(rows[-1])] + tail)


def _weights(values: list[str]) -> dict[str, int]:
    from migkg.querying import list_queries

    known = {q.name for q in list_queries()}
    out = {}
    for v in values:
        name, _, w = v.partition("=")
        if name not in known or not w.isdigit():
            raise SystemExit(f"--weight {v!r}: give QUERY=N, QUERY a stored query, N a whole number (0 leaves it out)")
        out[name] = int(w)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--kg", type=Path, help="built graph directory: start `migkg serve` on it")
    where.add_argument("--endpoint", help="query URL of a server already running")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--max-requests", type=int, default=0, help="stop after this many requests in all (0: no cap)")
    ap.add_argument("--port", type=int, default=0, help="port for `migkg serve` (0: a free one)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds one request may take")
    ap.add_argument("--weight", action="append", default=[], metavar="QUERY=N", help="a stored query's weight in the mix")
    ap.add_argument("--seed", type=int, default=0, help="order of the mix")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.max_requests < 0:
        ap.error("--clients must be at least 1, --seconds above 0, --max-requests 0 or more")

    requests = mix(_weights(args.weight), args.seed)
    if not requests:
        ap.error("every stored query has weight 0")

    def load(endpoint: str) -> Report:
        return run_load(endpoint, requests, clients=args.clients, seconds=args.seconds,
                        max_requests=args.max_requests, timeout=args.timeout)

    try:
        if args.endpoint:
            report = load(args.endpoint)
        else:
            with served(args.kg, args.port) as endpoint:
                report = load(endpoint)
    except RuntimeError as e:
        print(f"load: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("load: interrupted; the server was stopped", file=sys.stderr)
        return 130
    print(json.dumps(report.as_dict(), indent=2) if args.json else render(report))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
