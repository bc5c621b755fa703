"""With --jobs, worker processes write and screen the sources' graphs a batch at a time while the build screens
the merged graphs: the output must be the one-process build's, byte for byte, and a worker that dies must fail
the build with one clear line and leave the last output as it was."""

import filecmp
import os
import signal
from pathlib import Path

import pytest

from migkg import pipeline, source_parts
from migkg.errors import MigkgError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "sources", ROOT / "tests" / "data" / "devset" / "docs"]
OUTPUTS = ("graph.ttl", "graph.trig", "void.ttl", "validation.txt", "names.json")


_REAL_BATCH = source_parts._batch


def _dies(i):
    """The third batch's worker is killed, as the kernel's out-of-memory killer would."""
    if i == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_BATCH(i)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(source_parts, "BATCH", 4)  # the seeds and the dev set then make many batches


def test_two_jobs_publish_what_one_does(small_batches, tmp_path):
    reports = {}
    for jobs in (1, 2):
        reports[jobs] = pipeline.build(SOURCES, tmp_path / f"jobs{jobs}" / "dist", jobs=jobs, cache=False,
                                       curation_dir=tmp_path / "none")
    assert reports[2].sources_read > 3 * source_parts.BATCH
    for name in OUTPUTS:
        assert filecmp.cmp(tmp_path / "jobs1" / "dist" / name, tmp_path / "jobs2" / "dist" / name, shallow=False), name
    assert "source graphs" in reports[2].seconds and "validate" in reports[2].seconds


def test_a_worker_that_dies_fails_the_build_and_keeps_the_last_output(small_batches, tmp_path, monkeypatch):
    kg = tmp_path / "dist"
    pipeline.build(SOURCES[:1], kg, cache=False, curation_dir=tmp_path / "none")
    before = {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()}
    monkeypatch.setattr(source_parts, "_batch", _dies)
    with pytest.raises(MigkgError, match="worker process .* died"):
        pipeline.build(SOURCES, kg, jobs=2, cache=False, curation_dir=tmp_path / "none")
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob(".dist.new-*"))


def _copy_sources(folder: Path, skip: str | None = None) -> Path:
    import shutil

    folder.mkdir(parents=True)
    for src in SOURCES:
        for p in sorted(src.iterdir()):
            if p.is_file() and p.name != skip:
                shutil.copy(p, folder / p.name)
    return folder


def test_a_rebuild_after_adding_a_source_writes_only_that_sources_graph(small_batches, tmp_path):
    added = sorted(p.name for p in SOURCES[1].iterdir() if p.suffix == ".html")[0]
    folder = _copy_sources(tmp_path / "sources", skip=added)
    kg = tmp_path / "dist"
    first = pipeline.build([folder], kg, jobs=2, curation_dir=tmp_path / "none")
    assert first.graphs_reused == 0
    for src in SOURCES:
        if (src / added).is_file():
            (folder / added).write_bytes((src / added).read_bytes())
    again = pipeline.build([folder], kg, jobs=2, curation_dir=tmp_path / "none")
    assert again.documents == first.documents + 1
    # Every other source's graph came from the cache, unless resolving the new one changed what it holds
    # (an agreement it reports too, now merged under another IRI): those are written again, never reused stale.
    assert first.documents - 3 <= again.graphs_reused <= first.documents
    fresh = pipeline.build([folder], tmp_path / "fresh" / "dist", cache=False, curation_dir=tmp_path / "none")
    assert fresh.graphs_reused == 0
    for name in OUTPUTS:
        assert filecmp.cmp(kg / name, tmp_path / "fresh" / "dist" / name, shallow=False), name


def test_cached_graphs_are_not_reused_by_other_code_or_shapes(small_batches, tmp_path, monkeypatch):
    folder = _copy_sources(tmp_path / "sources")
    kg = tmp_path / "dist"
    pipeline.build([folder], kg, curation_dir=tmp_path / "none")
    (folder / "extra.txt").write_text("The IOM and UNHCR signed a memorandum of understanding in Geneva on 3 May 2021.\n")
    assert pipeline.build([folder], kg, curation_dir=tmp_path / "none").graphs_reused > 0
    (folder / "extra.txt").unlink()
    monkeypatch.setattr(source_parts, "_salt", lambda version: "another version of the code")
    assert pipeline.build([folder], kg, curation_dir=tmp_path / "none").graphs_reused == 0
