"""Query speed: every stored query on the embedded Oxigraph store and on rdflib in memory, and a cold
`migkg partners` process, on graphs cloned from the seed build.

    .venv/bin/python benchmarks/queries.py [--sizes 100000 1000000] [--kg dist]

Prints, per size, each query's median time on both engines and the ratio. Each query runs with the
parameters the tests use (tests/queryparams.py), pointed at the best-connected organization.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from clone import cloned, seed_nquads  # noqa: E402
from queryparams import SAMPLES, cases  # noqa: E402

B = "https://w3id.org/migkg/"


def _time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _hub(store) -> tuple[str, str, str]:
    """The organization with most agreements, its English acronym, and its most frequent partner."""
    q = f"""SELECT ?org ?acronym (COUNT(DISTINCT ?a) AS ?n) WHERE {{
      ?a <{B}ontology#party> ?org . ?org <{B}ontology#acronym> ?acronym . FILTER (lang(?acronym) = "en") }}
      GROUP BY ?org ?acronym ORDER BY DESC(?n) ?org LIMIT 1"""
    row = next(iter(store.query(q, use_default_graph_as_union=True)))
    org = row["org"].value
    q = f"""SELECT ?other (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a <{B}ontology#party> <{org}>, ?other .
      FILTER (?other != <{org}>) }} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 1"""
    other = next(iter(store.query(q, use_default_graph_as_union=True)))["other"].value
    return org, row["acronym"].value, other


def _agreement(store, org: str) -> str:
    q = f"""SELECT ?a WHERE {{ ?a <{B}ontology#party> <{org}> ; <{B}ontology#signing>/<{B}ontology#signature> ?s }}
      ORDER BY ?a LIMIT 1"""
    return next(iter(store.query(q, use_default_graph_as_union=True)))["a"].value


def bench(size: int, seed_lines: list[str], folder: Path, rdflib_repeat: int) -> None:
    import pyoxigraph as ox
    from rdflib import Dataset

    from migkg.querying import Embedded, InMemory, bind, list_queries, ordered, with_values

    lines, copies = cloned(seed_lines, size)
    data = folder / f"graph-{size}.nq"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kg = folder / f"kg-{size}"
    start = time.perf_counter()
    (kg / "store").mkdir(parents=True)
    store = ox.Store(str(kg / "store"))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    from migkg.store import write_name_index

    write_name_index(kg, store)
    load_ox = time.perf_counter() - start
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    if rdflib_repeat:
        ds.parse(data, format="nquads")
    load_rdflib = time.perf_counter() - start
    org, acronym, other = _hub(store)
    samples = dict(SAMPLES, org=org, org2=other, q=acronym)
    samples["agreement"] = samples["entity"] = _agreement(store, org)
    print(f"\n## {len(lines):,} quads ({copies} copies of the seed graph); load: Oxigraph {load_ox:.1f} s, "
          f"rdflib {load_rdflib:.1f} s; organization: {acronym} <{org}>", flush=True)
    print(f"{'query':<34} {'rows':>6} {'Oxigraph ms':>12} {'rdflib ms':>11} {'ratio':>8}", flush=True)
    embedded, memory = Embedded(store), InMemory(ds)
    worst, lowest = 0.0, float("inf")
    for query in list_queries():
        for label, _ in cases(query):
            params = {k: samples[k] for k in (p.name for p in query.params)
                      if label == "all" or next(p for p in query.params if p.name == k).default is None}
            text = with_values(query.text, bind(query, params))
            rows = len(embedded.select(text).rows)
            t_ox = _time(lambda: ordered(query, embedded.select(text)), 5)
            if not rdflib_repeat:
                worst = max(worst, t_ox)
                print(f"{query.name + ' (' + label + ')':<34} {rows:>6} {t_ox * 1000:>12.1f}", flush=True)
                continue
            first = _time(lambda: ordered(query, memory.select(text)), 1)
            t_rdf = first if first > 5 or rdflib_repeat == 1 else statistics.median(
                [first] + [_time(lambda: ordered(query, memory.select(text)), 1) for _ in range(rdflib_repeat - 1)])
            worst, lowest = max(worst, t_ox), min(lowest, t_rdf / t_ox)
            print(f"{query.name + ' (' + label + ')':<34} {rows:>6} {t_ox * 1000:>12.1f} {t_rdf * 1000:>11.1f} "
                  f"{t_rdf / t_ox:>7.0f}x", flush=True)
    print(f"slowest query on Oxigraph: {worst * 1000:.0f} ms; smallest ratio: {lowest:.0f}x")
    cold = [_cold([str(ROOT / ".venv/bin/migkg"), "partners", acronym, "--kg", str(kg)]) for _ in range(7)]
    print(f"cold `migkg partners '{acronym}'` (new process, embedded store): median {statistics.median(cold):.2f} s "
          f"(min {min(cold):.2f}, max {max(cold):.2f})")
    if not rdflib_repeat:
        return
    rdf = _cold([sys.executable, "-c", _RDFLIB_PARTNERS, str(data), acronym])
    print(f"cold partners on rdflib (new process, parse the N-Quads dump, then the same lookup): {rdf:.1f} s", flush=True)


_RDFLIB_PARTNERS = """import sys
from rdflib import Dataset
from migkg.lookups import partners
from migkg.querying import InMemory
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
partners(sys.argv[2], InMemory(ds))
"""


def _cold(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--kg", type=Path, default=ROOT / "dist", help="a built seed graph to clone")
    ap.add_argument("--rdflib-repeat", type=int, default=3, help="runs per query on rdflib; 0 skips rdflib")
    args = ap.parse_args()
    if not (args.kg / "graph.trig").exists():
        sys.exit(f"{args.kg}: no built graph; run `make` first")
    seed = seed_nquads(args.kg)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            bench(size, seed, Path(tmp), args.rdflib_repeat)


if __name__ == "__main__":
    main()
