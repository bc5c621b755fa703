"""The SVG pictures: well-formed, complete and byte-stable."""

from xml.etree import ElementTree as ET

import pytest

from migkg import lookups, plot
from migkg.store import open_embedded

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def where(seed_kg):
    return open_embedded(seed_kg)


def test_network_has_a_node_per_party(where):
    svg = plot.network(where, link=lambda iri: iri)
    root = ET.fromstring(svg)
    parties = {p["iri"] for a in lookups.agreements(where) for p in a["parties"]}
    nodes = root.find(f"{SVG}g[@class='nodes']")
    assert len(nodes.findall(f".//{SVG}circle")) == len(parties)
    assert sorted(a.get("href") for a in nodes.findall(f"{SVG}a")) == sorted(parties)
    assert root.find(f"{SVG}g[@class='legend']") is not None


def test_network_is_byte_stable(where):
    assert plot.network(where) == plot.network(where)


def test_network_around_one_organization(where):
    svg = plot.network(where, org="ECO")
    labels = {t.text for t in ET.fromstring(svg).find(f"{SVG}g[@class='nodes']").iter(f"{SVG}text")}
    assert labels == {"ECO", "IOM"}


def test_timeline_has_a_mark_per_agreement(where):
    svg = plot.timeline("IOM", where, link=lambda iri: iri)
    marks = ET.fromstring(svg).find(f"{SVG}g[@class='marks']")
    assert len(marks.findall(f"{SVG}a")) == len(lookups.agreements(where, org="IOM"))
    assert plot.timeline("IOM", where) == plot.timeline("IOM", where)


def test_hostile_labels_are_escaped():
    data = {"nodes": [{"iri": "x:a", "label": "<script>alert(1)</script>", "short": "<b>&'\"", "kind": "<i>", "agreements": 1},
                      {"iri": "x:b", "label": "b", "short": "b", "kind": "k", "agreements": 1}],
            "edges": [{"a": "x:a", "b": "x:b", "agreements": 1}]}
    svg = plot.network_svg(data, link=lambda iri: "javascript:'><script>")
    root = ET.fromstring(svg)
    assert "<script>" not in svg
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"<b>&'\"", "<i>"}
