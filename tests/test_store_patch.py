"""A rebuild patches the last build's store (store_patch) instead of loading every quad again: the store must
hold exactly what a fresh load of the new dump holds, and the last good output must never be touched."""

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from migkg import pipeline, store_patch
from migkg.errors import MigkgError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "sources", ROOT / "tests" / "data" / "devset" / "docs"]
ADDED = sorted(p.name for p in SOURCES[1].iterdir() if p.suffix == ".html")[0]


def _quads(store) -> tuple[set[str], set[str]]:
    """The quads, and the names of the graphs (Oxigraph keeps a graph's name after its last quad is gone)."""
    return {str(q) for q in store}, {str(g) for g in store.named_graphs()}


def _fresh_load(kg: Path) -> set[str]:
    """What the store would hold if it were loaded from the build's own TriG dump."""
    store = ox.Store()
    store.bulk_load(path=str(kg / "graph.trig"), format=ox.RdfFormat.TRIG)
    return _quads(store)


def _stored(kg: Path) -> set[str]:
    return _quads(ox.Store.read_only(str(kg / "store")))


def _snapshot(kg: Path) -> dict[str, str]:
    return {str(p.relative_to(kg)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(kg.rglob("*")) if p.is_file()}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "sources"
    out.mkdir()
    for src in SOURCES:
        for p in sorted(src.iterdir()):
            if p.is_file() and p.name != ADDED:
                shutil.copy(p, out / p.name)
    return out


def _build(folder: Path, kg: Path, **kw):
    return pipeline.build([folder], kg, curation_dir=kg.parent / "none", **kw)


def test_adding_changing_and_removing_sources_patches_the_store_to_what_a_fresh_load_holds(folder, tmp_path):
    kg = tmp_path / "dist"
    assert not _build(folder, kg).store_patched  # nothing to start from
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())
    added = _build(folder, kg)
    assert added.store_patched and json.loads((kg / "build.json").read_text())["store_patched_from_last_build"]
    assert _stored(kg) == _fresh_load(kg)

    changed = sorted(p for p in folder.iterdir() if p.suffix == ".txt")[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("signed", "concluded", 1), encoding="utf-8")
    sorted(p for p in folder.iterdir() if p.suffix == ".json")[0].unlink()
    again = _build(folder, kg)
    assert again.store_patched and again.documents < added.documents
    assert _stored(kg) == _fresh_load(kg)

    fresh = _build(folder, tmp_path / "fresh" / "dist", cache=False)
    assert not fresh.store_patched
    assert _stored(kg) == _stored(tmp_path / "fresh" / "dist")
    for name in ("names.json", "void.ttl", "graph.trig"):
        assert (kg / name).read_bytes() == (tmp_path / "fresh" / "dist" / name).read_bytes(), name


def test_a_store_the_record_does_not_belong_to_is_loaded_afresh(folder, tmp_path, monkeypatch):
    from migkg import source_parts

    kg = tmp_path / "dist"
    _build(folder, kg)
    record = kg.parent / ".dist.cache" / store_patch.RECORD
    rec = json.loads(record.read_text())
    record.write_text(json.dumps({**rec, "inputs": "the inputs of another build"}))
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())
    assert not _build(folder, kg).store_patched
    assert _stored(kg) == _fresh_load(kg)
    assert json.loads(record.read_text())["inputs"] == json.loads((kg / "build.json").read_text())["inputs"]
    # Many graphs changed at once (here: every one, under another code version) load afresh too.
    monkeypatch.setattr(store_patch, "FEW", 0)
    monkeypatch.setattr(source_parts, "_salt", lambda version: "another version of the code")
    (folder / ADDED).unlink()
    report = _build(folder, kg)
    assert not report.up_to_date and report.graphs_reused == 0 and not report.store_patched
    assert _stored(kg) == _fresh_load(kg)


def test_a_patch_that_fails_leaves_the_last_output_as_it_was(folder, tmp_path, monkeypatch):
    kg = tmp_path / "dist"
    _build(folder, kg)
    before = _snapshot(kg)
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())

    def broken(*args):
        raise MigkgError("the disk is full")

    monkeypatch.setattr(store_patch, "_merge", broken)
    with pytest.raises(MigkgError, match="disk is full"):
        _build(folder, kg)
    assert _snapshot(kg) == before and not list(tmp_path.glob(".dist.new-*"))
    monkeypatch.undo()
    assert _build(folder, kg).store_patched
    assert _stored(kg) == _fresh_load(kg)


def test_a_build_killed_while_patching_leaves_the_last_output_byte_identical(folder, tmp_path):
    import signal
    import subprocess
    import sys

    from test_interrupted_build import DRIVER

    kg = tmp_path / "dist"
    _build(folder, kg)
    before = _snapshot(kg)
    (folder / ADDED).write_bytes((SOURCES[1] / ADDED).read_bytes())
    proc = subprocess.run([sys.executable, "-c", DRIVER, "migkg.store_patch", "_merge", str(int(signal.SIGKILL)), "1",
                           str(kg), str(folder)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert _snapshot(kg) == before
    assert _build(folder, kg).store_patched
    assert _stored(kg) == _fresh_load(kg) and not list(tmp_path.glob(".dist.new-*"))
