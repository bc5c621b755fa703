"""Reading and extraction alone: documents per second over a synthetic corpus, the stage of a build that
grows with the number of documents and the one `--jobs` spreads over the cores.

    .venv/bin/python benchmarks/extraction.py [--docs 100000] [--jobs 2] [--corpus DIR]

It runs the build's own per-source code (`migkg.sources.process_all`, no cache) and keeps every document's
facts, as a build does before it resolves them; so the figure is the build's "read and extract" stage at that
size, and the memory is what those facts take. Peak memory is the largest process's (this one or a worker).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from build import corpus_for  # benchmarks/ is this script's folder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus", type=Path, help="an existing corpus (benchmarks/corpus.py output) to reuse")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="migkg-extraction-bench-"))
    try:
        _measure(corpus_for(args.docs, args.corpus, work) / "sources", args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(sources_dir: Path, jobs: int) -> None:
    from migkg import sources

    files = sources.files([sources_dir])
    start = time.perf_counter()
    documents = agreements = 0
    facts = []
    for outcome in sources.process_all(files, jobs=jobs):
        documents += outcome.documents
        agreements += sum(len(f.agreements) for f in outcome.facts)
        facts.extend(outcome.facts)
    wall = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"{len(files):,} files, {documents:,} documents, {agreements:,} agreement candidates; jobs {jobs}")
    print(f"read and extract: {wall:.1f} s, {documents / wall:.0f} documents/s, peak memory {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
