"""Parallel and incremental builds give the very bytes of a plain build; a rebuild reads only what changed."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg import reading
from migkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "sources"
ARTICLE = ROOT / "tests" / "data" / "devset" / "docs" / "d01.txt"


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """The files the readers open, in this process."""
    seen = []
    real = reading.read_path

    def counted(path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(reading, "read_path", counted)
    return seen


def _build(sources, kg, *flags):
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg), *map(str, flags)])
    assert result.exit_code == 0, result.output
    return result


def test_two_workers_give_the_same_bytes(sources, tmp_path):
    _build(sources, tmp_path / "one", "--no-cache")
    _build(sources, tmp_path / "two", "--no-cache", "--jobs", "2")
    for name in ("graph.trig", "graph.ttl", "void.ttl", "names.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_rebuild_reads_only_the_new_source_and_matches_a_full_build(sources, tmp_path, reads):
    kg = tmp_path / "dist"
    _build(sources, kg)
    assert len(reads) == 5
    shutil.copy(ARTICLE, sources / ARTICLE.name)
    reads.clear()
    result = _build(sources, kg)
    assert reads == [ARTICLE.name] and "6 sources read" in result.output
    _build(sources, tmp_path / "full", "--no-cache")
    assert (kg / "graph.trig").read_bytes() == (tmp_path / "full" / "graph.trig").read_bytes()


def test_a_changed_source_or_new_code_is_read_again(sources, tmp_path, reads, monkeypatch):
    kg = tmp_path / "dist"
    _build(sources, kg)
    first = sorted(SEEDS.glob("0*.txt"))[0].name
    (sources / first).write_text((sources / first).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    reads.clear()
    _build(sources, kg)
    assert reads == [first]
    monkeypatch.setattr("migkg.sources.code_version", lambda: "another version of the extraction")
    reads.clear()
    _build(sources, kg)
    assert len(reads) == 5


def test_unchanged_sources_are_not_hashed_again_and_an_edit_keeping_size_and_time_is_seen(sources, tmp_path, reads,
                                                                                          monkeypatch):
    import os

    from migkg import file_digests

    monkeypatch.setattr(file_digests, "RACY", 0.0)  # the files were all written a moment ago
    kg = tmp_path / "dist"
    _build(sources, kg)
    hashed = []  # how many source files each build read to hash them
    real = file_digests.Digests.save
    monkeypatch.setattr(file_digests.Digests, "save", lambda self: hashed.append(self.read) or real(self))
    assert "nothing changed" in _build(sources, kg).output and hashed == [0]
    first = sorted(sources.glob("0*.txt"))[0]
    st = first.stat()
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("signed", "SIGNED", 1), encoding="utf-8")  # the same size
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same modification time
    reads.clear()
    assert "nothing changed" not in _build(sources, kg).output
    assert reads == [first.name] and hashed == [0, 1]


def test_the_cache_keeps_only_what_the_last_build_used(sources, tmp_path):
    kg = tmp_path / "dist"
    _build(sources, kg)
    cache = tmp_path / ".dist.cache"

    def entries():  # the sources' outcomes, and their graphs' dump parts (source_parts)
        from migkg.sources import Cache

        return len(Cache(cache).entries), len([p for p in (cache / "parts").rglob("*") if p.is_file()])

    assert entries() == (5, 5)
    sorted(sources.glob("0*.txt"))[-1].unlink()
    _build(sources, kg)
    assert entries() == (4, 4)


def test_nothing_changed_leaves_the_output_as_it_was(sources, tmp_path, reads):
    kg = tmp_path / "dist"
    _build(sources, kg)
    before = (kg / "graph.trig").stat().st_ino, (kg / "build.json").read_text()
    reads.clear()
    result = _build(sources, kg)
    assert "nothing changed since the last build" in result.output and "5 sources read" in result.output
    assert reads == [] and ((kg / "graph.trig").stat().st_ino, (kg / "build.json").read_text()) == before
    # Anything the output depends on makes it build again: here the base IRI, then --no-cache.
    result = _build(sources, kg, "--base", "https://example.org/kg/")
    assert "nothing changed" not in result.output and "https://example.org/kg/" in (kg / "graph.ttl").read_text()
    assert "nothing changed" not in _build(sources, kg, "--base", "https://example.org/kg/", "--no-cache").output


def test_a_changed_curation_file_or_shape_builds_again(sources, tmp_path, monkeypatch):
    kg = tmp_path / "dist"
    curation = tmp_path / "curation"
    curation.mkdir()
    _build(sources, kg, "--curation", curation)
    (curation / "notes.yaml").write_text("[]\n", encoding="utf-8")
    assert "nothing changed" not in _build(sources, kg, "--curation", curation).output
    assert "nothing changed" in _build(sources, kg, "--curation", curation).output
    shapes = tmp_path / "shapes"
    shutil.copytree(ROOT / "shapes", shapes)
    (shapes / "iris.ttl").write_text((shapes / "iris.ttl").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setenv("MIGKG_SHAPES_DIR", str(shapes))
    assert "nothing changed" not in _build(sources, kg, "--curation", curation).output


def test_progress_says_each_stage_and_how_many_sources_are_read(sources, tmp_path):
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(tmp_path / "dist"), "--progress"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for stage in ("read and extract ...", "validate ...", "store ..."):
        assert stage in lines
    assert "  5 of 5 sources (5 documents)" in lines
    quiet = CliRunner().invoke(main, ["build", str(sources), "--kg", str(tmp_path / "other")])
    assert "validate ..." not in quiet.output


def _source_graphs(kg: Path) -> dict:
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(kg / "graph.trig", format="trig")
    return {str(g.identifier): set(g) for g in ds.graphs() if "/source/" in str(g.identifier)}


def test_a_source_graph_does_not_change_when_another_source_is_added(sources, tmp_path):
    """What a per-source cache of the populated graphs rests on: a source's named graph (its description,
    passages and the activity that read it) depends on that source and what was resolved from it, not on the
    other sources of the build, as the build's own activity does."""
    _build(sources, tmp_path / "before", "--no-cache")
    shutil.copy(ARTICLE, sources / ARTICLE.name)
    _build(sources, tmp_path / "after", "--no-cache")
    before, after = _source_graphs(tmp_path / "before"), _source_graphs(tmp_path / "after")
    assert len(after) == len(before) + 1
    for name, triples in before.items():
        assert after[name] == triples, name


def test_a_new_source_is_read_with_the_cached_outcomes_frozen_and_nothing_is_left_frozen(sources, tmp_path,
                                                                                         monkeypatch):
    import gc

    kg = tmp_path / "dist"
    _build(sources, kg)
    shutil.copy(ARTICLE, sources / ARTICLE.name)
    frozen = []
    real = reading.read_path

    def spy(path):  # how many objects the collector leaves alone while the new source is read
        frozen.append(gc.get_freeze_count())
        return real(path)

    monkeypatch.setattr(reading, "read_path", spy)
    _build(sources, kg)
    assert len(frozen) == 1 and frozen[0] > 100_000  # the outcomes read from the cache, and all else there was
    assert gc.get_freeze_count() == 0


def test_a_large_parallel_read_lets_the_models_go_and_the_next_read_loads_them_again(monkeypatch):
    import py3langid.langid

    from migkg import places, sources as per_source

    monkeypatch.setattr(per_source, "_MANY", 3)  # as if these were a thousand sources
    files = per_source.files([SEEDS])
    first = [o.facts for o in per_source.process_all(files, jobs=2)]
    assert py3langid.langid.IDENTIFIER is None and places._cities.cache_info().currsize == 0
    again = [o.facts for o in per_source.process_all(files, jobs=1)]
    assert again == first and py3langid.langid.IDENTIFIER is not None
