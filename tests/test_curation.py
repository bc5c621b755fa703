"""Curated facts win over extracted ones, carry who/when/why, and are checked like everything else."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "data" / "sources"
ENTRY = """- agreement: https://w3id.org/migkg/agreement/eco-iom
  set:
    signed_on: "2009-10-09"
  curator: Test Analyst
  date: "2026-11-23"
  reason: A later press release gives the signing day (test fixture, not a real fact).
  source: https://example.org/later-release
"""


def _build(tmp_path, curation_text, *flags):
    cur = tmp_path / "curation"
    cur.mkdir()
    (cur / "fixes.yaml").write_text(curation_text)
    kg = tmp_path / "dist"
    return CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(kg), "--curation", str(cur), *flags]), kg


def test_curated_date_changes_the_lookup_and_shows_its_provenance(tmp_path):
    result, kg = _build(tmp_path, ENTRY)
    assert result.exit_code == 0, result.output
    rows = CliRunner().invoke(main, ["agreements", "--kg", str(kg), "--format", "json"]).output
    assert '"signed_on": "2009-10-09"' in rows
    shown = CliRunner().invoke(main, ["show", "https://w3id.org/migkg/agreement/eco-iom", "--kg", str(kg)]).output
    assert "curated by Test Analyst" in shown and "later press release" in shown


BAD_CURATION = [
    ("- agreement: https://w3id.org/migkg/agreement/no-such\n  set: {signed_on: '2020'}\n  curator: A\n  reason: r\n", "no agreement"),
    ("- agreement: https://w3id.org/migkg/agreement/eco-iom\n  set: {signed_on: '32/13/2020'}\n  curator: A\n  reason: r\n", "not a date"),
    ("- agreement: https://w3id.org/migkg/agreement/eco-iom\n  set: {colour: blue}\n  curator: A\n  reason: r\n", "cannot set colour"),
    ("- agreement: https://w3id.org/migkg/agreement/eco-iom\n  set: {type: treaty of friendship}\n  curator: A\n  reason: r\n",
     "unknown type"),
    ("- agreement: https://w3id.org/migkg/agreement/eco-iom\n  set: {signed_on: '2020'}\n", "missing curator, reason"),
    ("- agreement: [unclosed\n", "not valid YAML"),
]


@pytest.mark.parametrize("text, message", BAD_CURATION)
def test_bad_curation_is_one_line_and_the_sources_still_build(tmp_path, text, message):
    result, kg = _build(tmp_path, text)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "fixes.yaml" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: skipped") and message in lines[0]
    assert (kg / "graph.ttl").exists()
    assert "fixes.yaml" not in (kg / "graph.trig").read_text()  # nothing of the skipped file is in the graph


@pytest.mark.parametrize("text, message", [BAD_CURATION[0], BAD_CURATION[-1]])
def test_bad_curation_is_fatal_with_strict(tmp_path, text, message):
    result, kg = _build(tmp_path, text, "--strict")
    assert result.exit_code == 1
    assert "fixes.yaml" in result.output and message in result.output
    assert not kg.exists()


def test_a_broken_agreement_fails_the_build_and_leaves_the_last_output(tmp_path):
    kg = tmp_path / "dist"
    assert CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(kg), "--curation", str(tmp_path / "none")]).exit_code == 0
    before = {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()}
    cur = tmp_path / "curation"
    cur.mkdir()
    (cur / "broken.yaml").write_text(
        "- agreement: https://w3id.org/migkg/agreement/iom-oic-2025\n  set: {valid_until: '2020-01-01'}\n"
        "  curator: Test Analyst\n  reason: deliberately inconsistent, to prove the gate works\n")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--kg", str(kg), "--curation", str(cur)])
    assert result.exit_code == 1
    assert "shapes:AgreementShape" in result.output and "agreement/iom-oic-2025" in result.output
    assert "004_369a9a50570c5de8.txt" in result.output and "broken.yaml" in result.output
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before


def test_conflicting_claims_are_kept_and_shown(tmp_path):
    result, kg = _build(tmp_path, ENTRY.replace('signed_on: "2009-10-09"', "place: Tehran"))
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(main, ["show", "https://w3id.org/migkg/agreement/eco-iom", "--kg", str(kg)]).output
    assert "place: Tehran" in shown
    alternatives = shown.split("other values sources give")[1]
    assert "Geneva" in alternatives and "002_edbf9e8064b776fb.txt" in alternatives
