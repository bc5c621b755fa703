"""With --jobs 2, a store made from scratch is loaded by a process of its own (store_loader) while the build
writes its dumps: it must hold what a store loaded in the build's own process holds, and a loader that fails
or is left without the merged graphs must fail the build with one line and leave the last output as it was."""

import io
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from migkg import pipeline, source_parts, store_loader
from migkg.errors import MigkgError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "sources", ROOT / "tests" / "data" / "devset" / "docs"]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(source_parts, "BATCH", 4)  # many batches: many pieces for the loader


def _quads(kg: Path) -> set[str]:
    return {str(q) for q in ox.Store.read_only(str(kg / "store"))}


def test_a_store_loaded_beside_the_dumps_holds_what_one_loaded_after_them_does(small_batches, tmp_path, monkeypatch):
    started = []
    real = store_loader.Background.__init__
    monkeypatch.setattr(store_loader.Background, "__init__", lambda self, kg, pieces: started.append(len(pieces)) or real(self, kg, pieces))
    for jobs in (1, 2):
        pipeline.build(SOURCES, tmp_path / f"jobs{jobs}", jobs=jobs, cache=False, curation_dir=tmp_path / "none")
    assert started and started[0] > 3  # only the two-job build loaded beside, from several pieces
    assert len(started) == 1
    assert _quads(tmp_path / "jobs2") == _quads(tmp_path / "jobs1")
    assert (tmp_path / "jobs2" / "names.json").read_bytes() == (tmp_path / "jobs1" / "names.json").read_bytes()
    assert not [p.name for p in (tmp_path / "jobs2").iterdir() if p.name.startswith(".")]  # no part or listing left


def test_a_rebuild_that_patches_the_last_store_starts_no_loader(small_batches, tmp_path, monkeypatch):
    import shutil

    kg, folder = tmp_path / "dist", tmp_path / "sources"
    folder.mkdir()
    files = sorted(p for p in SOURCES[1].iterdir() if p.is_file())
    for p in files[1:]:
        shutil.copy(p, folder / p.name)
    pipeline.build([folder], kg, jobs=2, curation_dir=tmp_path / "none")
    shutil.copy(files[0], folder / files[0].name)
    started = []
    monkeypatch.setattr(store_loader, "Background", lambda *a: started.append(a))
    report = pipeline.build([folder], kg, jobs=2, curation_dir=tmp_path / "none")
    assert report.store_patched and not started


@pytest.mark.parametrize("fault", ["no merged graphs", "a piece cut short"])
def test_a_loader_that_fails_fails_the_build_and_keeps_the_last_output(small_batches, tmp_path, monkeypatch, fault):
    kg = tmp_path / "dist"
    pipeline.build(SOURCES[:1], kg, cache=False, curation_dir=tmp_path / "none")
    before = {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()}
    if fault == "no merged graphs":  # as if the build had stopped before writing them
        monkeypatch.setattr(store_loader.Background, "merged", lambda self, trig, end: self.proc.stdin.close())
    else:
        real = store_loader.Background.__init__
        monkeypatch.setattr(store_loader.Background, "__init__", lambda self, kg, pieces: real(
            self, kg, [(p, s, n + 10) if i == 1 else (p, s, n) for i, (p, s, n) in enumerate(pieces)]))
    with pytest.raises(MigkgError, match=r"store: loading the store failed \(.+\); nothing was published"):
        pipeline.build(SOURCES, kg, jobs=2, cache=False, curation_dir=tmp_path / "none")
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob(".dist.new-*"))


def test_a_build_that_fails_after_starting_the_loader_stops_it(small_batches, tmp_path, monkeypatch):
    from migkg import export

    started = []
    real = store_loader.Background.__init__
    monkeypatch.setattr(store_loader.Background, "__init__", lambda self, kg, pieces: started.append(self) or real(self, kg, pieces))

    real_write, main = export.write_bodies, os.getpid()

    def broken(quads, outs, *rest, **kw):  # only the merged graphs, which this process writes
        if os.getpid() == main:
            raise OSError("disk full")
        return real_write(quads, outs, *rest, **kw)

    monkeypatch.setattr(export, "write_bodies", broken)
    with pytest.raises(OSError, match="disk full"):
        pipeline.build(SOURCES, tmp_path / "dist", jobs=2, cache=False, curation_dir=tmp_path / "none")
    assert started and started[0].proc.poll() is not None  # not left running
    assert not list(tmp_path.glob(".dist.new-*"))


def test_the_loaders_stream_is_the_prefixes_then_each_piece_then_the_one_named_on_its_input(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"0123456789")
    b.write_bytes(b"abcdefghij")
    more = io.BytesIO(f"0\t4\t{b}\n".encode())
    stream = store_loader._Pieces(b"HEAD", [(2, 5, str(a)), (7, 3, str(b))], more)
    got = b"".join(iter(lambda: stream.read(3), b""))
    assert got == b"HEAD" + b"23456" + b"hij" + b"abcd"
    with pytest.raises(MigkgError, match="stopped before its merged graphs"):
        stream = store_loader._Pieces(b"", [], io.BytesIO(b""))
        stream.read(10)
    with pytest.raises(MigkgError, match="shorter than the build wrote it"):
        stream = store_loader._Pieces(b"", [(8, 5, str(a))], None)
        while stream.read(10):
            pass
    assert os.path.exists(a)
