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
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg), *flags])
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


def test_the_cache_keeps_only_what_the_last_build_used(sources, tmp_path):
    kg = tmp_path / "dist"
    _build(sources, kg)
    cache = tmp_path / ".dist.cache"
    assert len(list(cache.iterdir())) == 5
    sorted(sources.glob("0*.txt"))[-1].unlink()
    _build(sources, kg)
    assert len(list(cache.iterdir())) == 4
