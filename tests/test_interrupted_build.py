"""A build killed at any point leaves the last good output byte-identical and usable; a lock keeps builds apart.

Each killed build is a real process: a small driver wraps one pipeline function so that on its Nth call
the process sends itself SIGKILL (no clean-up runs at all) or SIGINT (Ctrl-C: KeyboardInterrupt).
"""

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "sources"
EXTRA = ROOT / "tests" / "data" / "devset" / "docs"

DRIVER = """
import importlib, os, signal, sys
from pathlib import Path
from migkg import pipeline

module, name, sig, nth, kg, *sources = sys.argv[1:]
mod = importlib.import_module(module)
real = getattr(mod, name)
calls = [0]

def trap(*args, **kwargs):
    calls[0] += 1
    if calls[0] == int(nth):
        if int(sig) == signal.SIGINT:
            # What Python's SIGINT handler raises, raised here: a signal sent to itself is handled at the
            # interpreter's next check, which can fall where CPython prints and drops the exception (a
            # finaliser run by the garbage collector, for one); the build then went on, rarely, under load.
            raise KeyboardInterrupt
        os.kill(os.getpid(), int(sig))
    return real(*args, **kwargs)

setattr(mod, name, trap)
pipeline.build([Path(s) for s in sources], Path(kg), jobs=int(os.environ.get("JOBS", "1")))
print("the build was not interrupted")
"""

# (module, function, on which call): reading, extracting, validating, writing the sources' dump parts (once a
# source) and the dumps themselves (their prefix lines come first), filling the store and its name index, and
# the moment before the new output replaces the old.
POINTS = [
    ("migkg.reading", "read_path", 3),
    ("migkg.extraction", "extract", 2),
    ("migkg.validate_parts", "_clean", 1),
    ("migkg.export", "bodies", 2),
    ("migkg.export", "header", 1),
    ("migkg.store", "write_name_index", 1),
    ("migkg.pipeline", "_swap", 1),
]
RUNS = [(point, signal.SIGKILL) for point in POINTS] + [(POINTS[i], signal.SIGINT) for i in (1, 4, 6)]


def _snapshot(kg: Path) -> dict[str, str]:
    return {str(p.relative_to(kg)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(kg.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    kg = tmp_path_factory.mktemp("good") / "dist"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(kg)])
    assert result.exit_code == 0, result.output
    return kg


@pytest.fixture(scope="module")
def new_sources(tmp_path_factory):
    """The seeds plus one article, so that a build that went through would change the output."""
    folder = tmp_path_factory.mktemp("sources")
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    extra = sorted(EXTRA.iterdir())[0]
    shutil.copy(extra, folder / extra.name)
    return folder


def _kill(run, good: Path, sources: Path, base: Path):
    (module, name, nth), sig = run
    place = base / f"{name}-{sig.name}"
    place.mkdir()
    kg = place / "dist"
    shutil.copytree(good, kg)
    proc = subprocess.run([sys.executable, "-c", DRIVER, module, name, str(int(sig)), str(nth), str(kg), str(sources)],
                          capture_output=True, text=True, timeout=300)
    return run, kg, proc


@pytest.fixture(scope="module")
def killed(good_output, new_sources, tmp_path_factory):
    base = tmp_path_factory.mktemp("killed")
    before = _snapshot(good_output)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda run: _kill(run, good_output, new_sources, base), RUNS))
    return before, outcomes


@pytest.mark.slow
def test_a_killed_build_leaves_the_last_output_byte_identical(killed):
    before, outcomes = killed
    for ((module, name, nth), sig), kg, proc in outcomes:
        where = f"{sig.name} at call {nth} of {module}.{name}"
        assert "the build was not interrupted" not in proc.stdout, where
        assert proc.returncode != 0, where
        if sig == signal.SIGKILL:
            assert proc.returncode == -signal.SIGKILL, f"{where}: {proc.stderr[-2000:]}"
        else:
            assert "KeyboardInterrupt" in proc.stderr, f"{where}: {proc.stderr[-2000:]}"
            # Ctrl-C cleans up after itself; SIGKILL cannot, and the next build does.
            assert not list(kg.parent.glob(".dist.new-*")), where
        assert _snapshot(kg) == before, where


@pytest.mark.slow
def test_after_a_kill_the_output_is_usable_and_the_next_build_cleans_up(killed, new_sources):
    _, outcomes = killed
    kg = next(kg for run, kg, _ in outcomes if run[1] == signal.SIGKILL and run[0][1] == "write_name_index")
    assert list(kg.parent.glob(".dist.new-*")), "SIGKILL leaves the half-written build behind"
    answer = CliRunner().invoke(main, ["partners", "IOM", "--kg", str(kg)])
    assert answer.exit_code == 0 and "ICESCO" in answer.output, answer.output
    rebuilt = CliRunner().invoke(main, ["build", str(new_sources), "--kg", str(kg)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert not list(kg.parent.glob(".dist.new-*")) and not (kg.parent / ".dist.old").exists()
    assert "1 documents" not in rebuilt.output and "6 sources read" in rebuilt.output


def test_a_second_build_into_the_same_output_is_refused(good_output):
    before = _snapshot(good_output)
    with open(good_output.parent / f".{good_output.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running build holds
        try:
            result = CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(good_output)])
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    assert result.exit_code == 1
    assert "another build is writing this output" in result.output and str(good_output) in result.output
    assert _snapshot(good_output) == before


def test_a_build_killed_between_the_two_renames_is_put_back(good_output, tmp_path, monkeypatch):
    """Where the atomic exchange is unavailable the swap takes two renames; the next build repairs a kill between them."""
    kg = tmp_path / "dist"
    shutil.copytree(good_output, kg)
    before = _snapshot(kg)
    os.rename(kg, tmp_path / ".dist.old")  # what the first rename leaves
    from migkg import pipeline

    pipeline._recover(kg)
    assert _snapshot(kg) == before


def _run_driver(point, sig, good, sources, place, jobs):
    (module, name, nth) = point
    kg = place / "dist"
    shutil.copytree(good, kg)
    env = dict(os.environ, JOBS=str(jobs))
    proc = subprocess.run([sys.executable, "-c", DRIVER, module, name, str(int(sig)), str(nth), str(kg), str(sources)],
                          capture_output=True, text=True, timeout=300, env=env)
    return kg, proc


def test_with_two_jobs_a_build_killed_while_screening_sources_keeps_the_output(good_output, new_sources, tmp_path):
    """With two jobs the sources are read by worker processes; a build killed later, while it screens the
    sources' graphs, leaves the last output as it was, and the next build clears the half-written folder."""
    kg, proc = _run_driver(("migkg.validate_parts", "_clean", 1), signal.SIGKILL, good_output, new_sources, tmp_path, 2)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(kg) == _snapshot(good_output)
    from migkg import pipeline

    pipeline._recover(kg)
    assert not list(kg.parent.glob(".dist.new-*"))

