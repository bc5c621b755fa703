"""Query speed: every stored query on the embedded Oxigraph store and on rdflib in memory, and a cold
`migkg partners` process, on graphs cloned from the seed build.

    .venv/bin/python benchmarks/queries.py [--sizes 100000 1000000] [--kg dist] [--rdflib-limit 120]
                                           [--workdir DIR] [--only QUERY ...]

Prints, per size, each query's median time on both engines and the ratio. Each query runs with the
parameters the tests use (tests/queryparams.py), pointed at the best-connected organization.

Each rdflib run is stopped after --rdflib-limit seconds (a timer signal): a query rdflib cannot finish in
that time is reported as ">LIMIT" with the ratio as a lower bound (">=").  --workdir keeps the cloned graphs and stores for the next run.
--rdflib-earlier REF also runs rdflib on the queries' text at git revision REF (before they were shaped for
Oxigraph's on-disk store), and takes each ratio against the faster rdflib time.
--in-memory also times each query on Oxigraph's in-memory store, loaded with the same quads: the fastest
Oxigraph there is, and so the most any Oxigraph-backed store could give (its ratio is the last column).
"""

from __future__ import annotations

import argparse
import signal
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


def _prepare(size: int, seed_lines: list[str], folder: Path):
    """The cloned N-Quads file and its on-disk store, made once per work folder."""
    import pyoxigraph as ox

    from migkg.store import write_name_index

    data, kg = folder / f"graph-{size}.nq", folder / f"kg-{size}"
    start = time.perf_counter()
    if not (kg / "names.json").exists():
        lines, _ = cloned(seed_lines, size)
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
        (kg / "store").mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(kg / "store"))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        write_name_index(kg, store)
        del store
    return data, kg, time.perf_counter() - start


class _Overtime(Exception):
    pass


def _limited(fn, limit: float):
    """fn's duration, or None when it passes `limit` seconds: a timer signal interrupts rdflib's pure-Python
    evaluation. (Not a forked child: copy-on-write faults on every object rdflib touches slowed it several times.)"""
    def stop(signum, frame):
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        fn()
        return time.perf_counter() - start
    except _Overtime:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _rdflib_time(memory, query, text: str, repeat: int, limit: float) -> float | None:
    """Median rdflib time, or None when a run passes the limit."""
    from migkg.querying import ordered

    runs = []
    for _ in range(repeat):
        runs.append(_limited(lambda: ordered(query, memory.select(text)), limit))
        if runs[-1] is None:
            return None
        if runs[-1] > 5:
            break
    return statistics.median(runs)


def _ms(t: float | None, limit: float) -> str:
    return f">{limit * 1000:.0f}" if t is None else f"{t * 1000:.1f}"


def _earlier_queries(ref: str) -> dict:
    """The stored queries as they were at git revision `ref`."""
    from migkg.querying import _parse

    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", ref, "queries/"],
                           check=True, capture_output=True, text=True).stdout.split()
    out = {}
    for path in names:
        if path.endswith(".rq"):
            text = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:{path}"], check=True,
                                  capture_output=True, text=True).stdout
            out[Path(path).stem] = _parse(Path(path).stem, text)
    return out


def bench(size: int, seed_lines: list[str], folder: Path, rdflib_repeat: int, limit: float, only: set[str],
          earlier: dict | None = None, in_memory: bool = False) -> None:
    import pyoxigraph as ox
    from rdflib import Dataset

    from migkg.querying import Embedded, InMemory, bind, list_queries, ordered, with_values

    data, kg, load_ox = _prepare(size, seed_lines, folder)
    store = ox.Store.read_only(str(kg / "store"))
    quads = sum(1 for _ in data.open(encoding="utf-8"))
    org, acronym, other = _hub(store)
    samples = dict(SAMPLES, org=org, org2=other, q=acronym)
    samples["agreement"] = samples["entity"] = _agreement(store, org)
    embedded = Embedded(store)
    # Oxigraph first, in a process that holds nothing else, as `migkg` and the server do; then rdflib, which
    # needs the whole graph in Python objects (with those millions of objects in the heap, the same Oxigraph
    # query took up to 1.5 times longer).
    runs = []
    for query in list_queries():
        if only and query.name not in only:
            continue
        for label, _ in cases(query):
            params = {k: samples[k] for k in (p.name for p in query.params)
                      if label == "all" or next(p for p in query.params if p.name == k).default is None}
            text = with_values(query.text, bind(query, params))
            rows = len(embedded.select(text).rows)
            runs.append((query, label, params, text, rows, _time(lambda: ordered(query, embedded.select(text)), 5)))
    if in_memory:
        memory_store = ox.Store()
        memory_store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        in_ram = Embedded(memory_store)
        runs = [run + (_time(lambda: ordered(run[0], in_ram.select(run[3])), 5),) for run in runs]
        del in_ram, memory_store
    start = time.perf_counter()
    ds = Dataset(default_union=True)
    if rdflib_repeat:
        ds.parse(data, format="nquads")
    load_rdflib = time.perf_counter() - start
    print(f"\n## {quads:,} quads; load: Oxigraph {load_ox:.1f} s, rdflib {load_rdflib:.1f} s; "
          f"organization: {acronym} <{org}>", flush=True)
    head = f"{'query':<34} {'rows':>6} {'Oxigraph ms':>12}"
    if rdflib_repeat:
        head += f" {'rdflib ms':>11}" + (f" {'earlier text':>12}" if earlier else "") + f" {'ratio':>8}"
    print(head + (f" {'in memory ms':>13}" + (f" {'ratio':>8}" if rdflib_repeat else "") if in_memory else ""), flush=True)
    memory = InMemory(ds)
    worst, lowest = 0.0, float("inf")
    for query, label, params, text, rows, t_ox, *t_mem in runs:
        worst = max(worst, t_ox)
        name = f"{query.name} ({label})"
        if not rdflib_repeat:
            print(f"{name:<34} {rows:>6} {t_ox * 1000:>12.1f}" + (f" {t_mem[0] * 1000:>13.1f}" if t_mem else ""), flush=True)
            continue
        t_rdf = _rdflib_time(memory, query, text, rdflib_repeat, limit)
        line = f"{name:<34} {rows:>6} {t_ox * 1000:>12.1f} {_ms(t_rdf, limit):>11}"
        if earlier:
            # The stored text is shaped for Oxigraph; rdflib may have done better on the text before the
            # reshaping. The ratio is taken against whichever rdflib ran faster, so shaping cannot inflate it.
            old = earlier.get(query.name)
            t_old = (_rdflib_time(memory, old, with_values(old.text, bind(old, params)), rdflib_repeat, limit)
                     if old is not None and old.text != query.text else t_rdf)
            line += f" {_ms(t_old, limit):>12}"
            t_rdf = min(t for t in (t_rdf, t_old) if t is not None) if (t_rdf or t_old) else None
        ratio = (t_rdf or limit) / t_ox
        lowest = min(lowest, ratio)
        line += f" {('>=' if t_rdf is None else '') + format(ratio, '.0f') + 'x':>8}"
        if t_mem:
            line += f" {t_mem[0] * 1000:>13.1f} {('>=' if t_rdf is None else '') + format((t_rdf or limit) / t_mem[0], '.0f') + 'x':>8}"
        print(line, flush=True)
    print(f"slowest query on Oxigraph: {worst * 1000:.0f} ms" + (f"; smallest ratio: {lowest:.0f}x" if rdflib_repeat else ""))
    cold = [_cold([str(ROOT / ".venv/bin/migkg"), "partners", acronym, "--kg", str(kg)]) for _ in range(7)]
    print(f"cold `migkg partners '{acronym}'` (new process, embedded store): median {statistics.median(cold):.2f} s "
          f"(min {min(cold):.2f}, max {max(cold):.2f})", flush=True)
    if not rdflib_repeat or only:
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
    ap.add_argument("--rdflib-limit", type=float, default=120, help="seconds before an rdflib run is stopped")
    ap.add_argument("--workdir", type=Path, help="keep the cloned graphs and stores here, and reuse them")
    ap.add_argument("--only", nargs="+", default=[], help="run only these stored queries")
    ap.add_argument("--in-memory", action="store_true", help="also time Oxigraph's in-memory store, with its ratio")
    ap.add_argument("--rdflib-earlier", metavar="GIT_REF",
                    help="also time rdflib on the stored queries as they were at GIT_REF; ratios use the faster")
    args = ap.parse_args()
    if not (args.kg / "graph.trig").exists():
        sys.exit(f"{args.kg}: no built graph; run `make` first")
    seed = seed_nquads(args.kg)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            bench(size, seed, folder, args.rdflib_repeat, args.rdflib_limit, set(args.only),
                  _earlier_queries(args.rdflib_earlier) if args.rdflib_earlier else None, args.in_memory)


if __name__ == "__main__":
    main()
