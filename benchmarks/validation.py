"""Validation speed: pySHACL against pyrudof (Rust) on synthetic graphs, same core shapes.

    .venv/bin/python benchmarks/validation.py [--sizes 10000 100000 1000000]

Shapes: shapes/agreements.ttl and shapes/organizations.ttl (SHACL core; the SPARQL-based shapes are
left out because pyrudof's native engine covers SHACL core). The ontology and schemes are mixed in.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent

from synthetic import agreements_for, ntriples  # noqa: E402


def _data(n: int, folder: Path) -> Path:
    from rdflib import Graph

    onto = Graph()
    for p in sorted((ROOT / "ontology").glob("*.ttl")):
        onto.parse(p)
    path = folder / f"data-{n}.nt"
    path.write_text(ntriples(agreements_for(n), defects=True) + onto.serialize(format="nt"), encoding="utf-8")
    return path


def _shapes(folder: Path) -> Path:
    path = folder / "shapes.ttl"
    from rdflib import Graph
    from rdflib.namespace import SH

    g = Graph()
    for f in ("agreements.ttl", "organizations.ttl"):
        g.parse(ROOT / "shapes" / f)
    for shape, sparql in list(g.subject_objects(SH.sparql)):
        g.remove((shape, SH.sparql, sparql))
    g.serialize(path, format="turtle")
    return path


def run_pyshacl(data: Path, shapes: Path) -> tuple[float, int, int]:
    import pyshacl
    from rdflib import Graph

    start = time.perf_counter()
    g = Graph().parse(data, format="nt")
    _, report, _ = pyshacl.validate(g, shacl_graph=Graph().parse(shapes), inference="none", allow_warnings=True)
    elapsed = time.perf_counter() - start
    from rdflib.namespace import SH

    return elapsed, len(g), len(set(report.subjects(SH.resultSeverity)))


def run_pyrudof(data: Path, shapes: Path) -> tuple[float, int]:
    import pyrudof

    start = time.perf_counter()
    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_data(str(data), format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(str(shapes))
    report = r.validate_shacl()
    return time.perf_counter() - start, len(report)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shapes = _shapes(folder)
        print(f"{'triples':>10} {'pySHACL s':>10} {'pyrudof s':>10} {'ratio':>7} {'results':>15}")
        for n in args.sizes:
            data = _data(n, folder)
            t_rudof, n_rudof = run_pyrudof(data, shapes)
            t_shacl, size, n_shacl = run_pyshacl(data, shapes)
            same = f"{n_shacl} = {n_rudof}" if n_shacl == n_rudof else f"{n_shacl} != {n_rudof}"
            print(f"{size:>10} {t_shacl:>10.2f} {t_rudof:>10.2f} {t_shacl / t_rudof:>6.1f}x {same:>15}", flush=True)


if __name__ == "__main__":
    main()
