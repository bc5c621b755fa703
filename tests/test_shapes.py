"""Every shape has a valid and an invalid fixture; one test per fixture file."""

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from migkg.validate import shapes_graph, validate

FIXTURES = Path(__file__).parent / "shapes"
FILES = sorted(FIXTURES.glob("*.ttl"))


def _targeted_shapes() -> set[str]:
    g = shapes_graph()
    return {str(s).rsplit("#", 1)[-1] for s in g.subjects(RDF.type, SH.NodeShape)
            if (s, SH.targetClass, None) in g or (s, SH.targetNode, None) in g}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path):
    shape = path.name.split("-", 1)[0]
    result = validate(Graph().parse(path))
    if path.stem.split("-")[1] == "invalid":
        assert not result.conforms, result.text()
        assert any(r.shape == f"shapes:{shape}" and r.severity == "Violation" for r in result.results), result.text()
    else:
        assert result.conforms, result.text()


def test_every_shape_has_both_fixtures():
    assert FILES, "no shape fixtures were collected"
    names = {p.name for p in FILES}
    for shape in sorted(_targeted_shapes()):
        assert any(n.startswith(f"{shape}-valid") for n in names), f"{shape} has no valid fixture"
        assert any(n.startswith(f"{shape}-invalid") for n in names), f"{shape} has no invalid fixture"


def test_report_names_shape_node_and_source_file():
    result = validate(Graph().parse(FIXTURES / "AgreementShape-invalid-missing-party.ttl"))
    text = result.text()
    assert "shapes:AgreementShape" in text and "https://w3id.org/migkg/agreement/x" in text and "s.txt" in text
