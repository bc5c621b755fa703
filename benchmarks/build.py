"""Build speed on a synthetic corpus: documents per second, peak memory, time per stage, an incremental
rebuild after adding one document, and the store load on Oxigraph against rdflib.

    .venv/bin/python benchmarks/build.py [--docs 10000] [--jobs 2] [--corpus DIR]

Each build is a real `migkg build` process (its peak resident memory is the process's, read from
getrusage); stage times come from the build's own dist/build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGKG = str(ROOT / ".venv" / "bin" / "migkg")
RDFLIB_MAX = 4_000_000  # quads rdflib is asked to load for the comparison: about 12 GB in its memory store


_MEASURED = ("import resource, subprocess, sys\n"
             "code = subprocess.run(sys.argv[1:]).returncode\n"
             "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
             "sys.exit(code)\n")


def _run(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, the largest resident memory of any one of the build's processes in MB, the largest sum
    of the proportional set sizes (PSS) of all of them at once in MB, and the build's summary line.

    A fresh wrapper process runs each build, so the peak is that build's and not an earlier one's. PSS shares
    each page among the processes that map it, so forked workers that share the main process's pages are not
    counted twice; the sum is sampled once a second (reading /proc costs a fifth of a core at five)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:  # a pipe would fill up
        proc = subprocess.Popen([sys.executable, "-c", _MEASURED, *args], stdout=out_f, stderr=err_f, text=True)
        together = 0.0
        while proc.poll() is None:
            together = max(together, _pss_kb(proc.pid) / 1024)
            time.sleep(1.0)
        wall = time.perf_counter() - start
        out_f.seek(0)
        err_f.seek(0)
        out, err = out_f.read(), err_f.read()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{err[-3000:]}")
    peak = next(int(line.split()[1]) for line in err.splitlines() if line.startswith("peak-kb"))
    return wall, peak / 1024, together, out.strip().splitlines()[-1]


def _pss_kb(root: int) -> int:
    """The PSS of process ROOT and all its descendants, in KB (0 for any that ended meanwhile)."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total


def _documents(summary: str) -> int:
    """The documents a build's summary line says it read ("... sources read (N documents ...")."""
    return int(summary.split("(", 1)[1].split()[0].replace(",", ""))


def _stage_table(kg: Path, wall: float, jobs: int) -> None:
    """Each stage's time, and the build process's resident and peak-so-far MB as it ended, from build.json."""
    info = json.loads((kg / "build.json").read_text())
    stages, memory = info["seconds"], info.get("resident_and_peak_mb_after", {})
    print(f"  {'stage':<18} {'seconds':>10} {'share':>7}  {'resident MB after':>17}  {'peak MB so far':>14}")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        now, peak = memory.get(stage, ["-", "-"])
        print(f"  {stage:<18} {seconds:8.1f} s  {seconds / wall * 100:5.1f} %  {now:>17}  {peak:>14}")
    # With workers, "validate" is timed inside "source graphs" (the merged screen runs beside them), except
    # where a rebuild screened the merged graphs only where they changed, after the dumps.
    nested = jobs >= 2 and info.get("merged_focus_nodes_screened_again") is None
    rest = wall - sum(s for stage, s in stages.items() if stage != "validate" or not nested)
    print(f"  {'(no stage: start, swap, cache prune)':<38} {rest:6.1f} s")


def corpus_for(docs: int, given: Path | None, work: Path) -> Path:
    """GIVEN, or a corpus of DOCS documents generated into WORK."""
    if given is not None:
        return given
    corpus = work / "corpus"
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--docs", str(docs),
                    "--out", str(corpus)], check=True, capture_output=True)
    print(f"corpus: {docs:,} documents generated in {time.perf_counter() - start:.1f} s")
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus", type=Path, help="an existing corpus (benchmarks/corpus.py output) to reuse")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="migkg-build-bench-"))
    try:
        corpus = corpus_for(args.docs, args.corpus, work)
        sources = work / "sources"
        shutil.copytree(corpus / "sources", sources, copy_function=os.link)  # links: no second copy on disk
        docs = sum(1 for p in sources.rglob("*") if p.is_file())
        kg = work / "dist"
        print(f"files: {docs:,}; jobs: {args.jobs}; machine: 2 cores")

        wall, peak, together, summary = _run([MIGKG, "build", str(sources), "--kg", str(kg), "--jobs", str(args.jobs),
                                    "--curation", str(work / "none")])
        print(f"\nfull build: {wall:.1f} s, {docs / wall:.1f} files/s, {_documents(summary) / wall:.1f} documents/s, "
              f"peak memory {peak:.0f} MB in one process, {together:.0f} MB all processes together (PSS)\n  {summary}")
        _stage_table(kg, wall, args.jobs)

        # A new document, not a copy of one already there (a copy adds no fact), into the build's own copy of
        # the sources: a corpus passed with --corpus is left as it was.
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--docs", "1", "--seed",
                        str(args.docs + 7919), "--out", str(work / "extra")], check=True, capture_output=True)
        extra = next(p for p in sorted((work / "extra" / "sources").rglob("*")) if p.is_file())
        shutil.copy(extra, sources / f"zz-added{extra.suffix}")
        inc, inc_peak, inc_together, summary = _run([MIGKG, "build", str(sources), "--kg", str(kg), "--jobs", str(args.jobs),
                                       "--curation", str(work / "none")])
        print(f"\nincremental build after adding one document: {inc:.1f} s = {inc / wall * 100:.1f} % of the full build"
              f" (peak {inc_peak:.0f} MB in one process, {inc_together:.0f} MB together)\n  {summary}")
        _stage_table(kg, inc, args.jobs)

        _store_load(kg)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _store_load(kg: Path) -> None:
    import pyoxigraph as ox
    from rdflib import Dataset

    data = kg / "graph.trig"
    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.TRIG)
    t_ox = time.perf_counter() - start
    if len(store) > RDFLIB_MAX:
        print(f"\nload graph.trig ({len(store):,} quads): Oxigraph {t_ox:.1f} s; rdflib not run: at about 3 KB a "
              f"triple it would need some {len(store) * 3 / 1e6:.0f} GB, more than this machine has")
        return
    start = time.perf_counter()
    ds = Dataset()
    ds.parse(data, format="trig")
    t_rdf = time.perf_counter() - start
    print(f"\nload graph.trig ({len(store):,} quads): Oxigraph {t_ox:.1f} s, rdflib {t_rdf:.1f} s, "
          f"ratio {t_rdf / t_ox:.0f}x")


if __name__ == "__main__":
    main()
