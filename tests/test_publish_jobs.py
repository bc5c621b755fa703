"""With --jobs, worker processes write and screen the sources' graphs a batch at a time while the build screens
the merged graphs: the output must be the one-process build's, byte for byte, and a worker that dies must fail
the build with one clear line and leave the last output as it was."""

import filecmp
import os
import signal
from pathlib import Path

import pytest

from migkg import pipeline, publish
from migkg.errors import MigkgError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "sources", ROOT / "tests" / "data" / "devset" / "docs"]
OUTPUTS = ("graph.ttl", "graph.trig", "void.ttl", "validation.txt", "names.json")


_REAL_BATCH = publish._batch


def _dies(i):
    """The third batch's worker is killed, as the kernel's out-of-memory killer would."""
    if i == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_BATCH(i)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(publish, "BATCH", 4)  # the seeds and the dev set then make many batches


def test_two_jobs_publish_what_one_does(small_batches, tmp_path):
    reports = {}
    for jobs in (1, 2):
        reports[jobs] = pipeline.build(SOURCES, tmp_path / f"jobs{jobs}" / "dist", jobs=jobs, cache=False,
                                       curation_dir=tmp_path / "none")
    assert reports[2].sources_read > 3 * publish.BATCH
    for name in OUTPUTS:
        assert filecmp.cmp(tmp_path / "jobs1" / "dist" / name, tmp_path / "jobs2" / "dist" / name, shallow=False), name
    assert "source graphs" in reports[2].seconds and "validate" in reports[2].seconds


def test_a_worker_that_dies_fails_the_build_and_keeps_the_last_output(small_batches, tmp_path, monkeypatch):
    kg = tmp_path / "dist"
    pipeline.build(SOURCES[:1], kg, cache=False, curation_dir=tmp_path / "none")
    before = {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()}
    monkeypatch.setattr(publish, "_batch", _dies)
    with pytest.raises(MigkgError, match="worker process .* died"):
        pipeline.build(SOURCES, kg, jobs=2, cache=False, curation_dir=tmp_path / "none")
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob(".dist.new-*"))
