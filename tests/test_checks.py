"""SPARQL checks in queries/checks: a valid and an invalid fixture for each, one test per fixture file."""

from pathlib import Path

import pytest
from rdflib import Graph

from migkg.validate import checks, run_checks

FIXTURES = Path(__file__).parent / "checks"
FILES = sorted(FIXTURES.glob("*.ttl"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path):
    name = path.stem.rsplit("-", 1)[0]
    hits = [r for r in run_checks(Graph().parse(path)) if r.shape == f"checks:{name}"]
    assert bool(hits) == path.stem.endswith("-invalid"), hits


def test_every_check_has_both_fixtures():
    assert checks() and FILES
    names = {p.stem for p in FILES}
    for name in checks():
        assert {f"{name}-valid", f"{name}-invalid"} <= names, name


def test_the_seed_graph_passes_every_check(seed_dataset):
    from migkg.export import union

    assert run_checks(union(seed_dataset)) == []
