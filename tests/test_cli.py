"""The CLI as a new user runs it: help for every command, real output, documented exit codes."""

import json

import pytest
from click.testing import CliRunner

from migkg.cli import main

COMMANDS = sorted(main.commands)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help, command


def test_agreements_json_has_exactly_the_documented_keys(runner, seed_kg):
    result = runner.invoke(main, ["agreements", "--kg", str(seed_kg), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    keys = {"iri", "type", "status", "parties", "signed_on", "place", "signatories", "themes",
            "valid_from", "valid_until", "builds_on", "sources"}
    assert rows and all(set(r) == keys for r in rows)
    assert all(set(p) == {"iri", "label", "acronym", "wikidata"} for r in rows for p in r["parties"])
    assert all(set(s) == {"name", "post", "on_behalf_of"} for r in rows for s in r["signatories"])
    assert all(set(s) == {"iri", "url", "file"} for r in rows for s in r["sources"])


def test_partners_iom_and_oim_give_the_same_answer(runner, seed_kg):
    iom = runner.invoke(main, ["partners", "IOM", "--kg", str(seed_kg)])
    oim = runner.invoke(main, ["partners", "OIM", "--kg", str(seed_kg)])
    assert iom.exit_code == 0 and iom.output == oim.output
    for acronym in ("ICESCO", "ECO", "UNFPA", "OIC"):
        assert acronym in iom.output


def test_unknown_name_exits_1_with_suggestions(runner, seed_kg):
    result = runner.invoke(main, ["partners", "UNFPAA", "--kg", str(seed_kg)])
    assert result.exit_code == 1
    assert "did you mean" in result.output and "UNFPA" in result.output


def test_usage_errors_exit_2(runner, seed_kg):
    assert runner.invoke(main, ["query", "no-such-query", "--kg", str(seed_kg)]).exit_code == 2
    assert runner.invoke(main, ["agreements", "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["query", "partners", "--param", "nope=1", "--kg", str(seed_kg)]).exit_code == 2


def test_missing_build_says_what_to_do(runner, tmp_path):
    result = runner.invoke(main, ["agreements", "--kg", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "migkg build" in result.output


def test_query_formats(runner, seed_kg):
    for fmt in ("table", "csv", "tsv", "json", "srj"):
        result = runner.invoke(main, ["query", "agreements", "--kg", str(seed_kg), "--format", fmt])
        assert result.exit_code == 0, (fmt, result.output)
    srj = json.loads(runner.invoke(main, ["query", "agreements", "--kg", str(seed_kg), "--format", "srj"]).output)
    assert srj["head"]["vars"][0] == "agreement" and srj["results"]["bindings"]


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL ; SELECT * WHERE { "', "x\" . ?s ?p ?o", "{}", "ünïcødé",
                                     "https://w3id.org/migkg/org/iom> } DROP ALL {"])
def test_hostile_parameters_are_values_or_refused(runner, seed_kg, hostile):
    result = runner.invoke(main, ["query", "partners", "--param", f"org={hostile}", "--kg", str(seed_kg)])
    assert result.exit_code in (0, 2)
    if result.exit_code == 0:
        assert "ICESCO" not in result.output  # bound as a value, it matches nothing
    result = runner.invoke(main, ["partners", hostile, "--kg", str(seed_kg)])
    assert result.exit_code == 1  # an unknown name, never executed


def test_show_lists_facts_with_passages(runner, seed_kg):
    result = runner.invoke(main, ["show", "https://w3id.org/migkg/agreement/iom-oic-2025", "--kg", str(seed_kg)])
    assert result.exit_code == 0, result.output
    assert "004_369a9a50570c5de8.txt" in result.output and "Istanbul" in result.output


def test_validate_exit_codes(runner, seed_kg, tmp_path):
    assert runner.invoke(main, ["validate", "--kg", str(seed_kg)]).exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text((__import__("pathlib").Path(__file__).parent / "shapes" / "AgreementShape-invalid-missing-party.ttl").read_text())
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1 and "AgreementShape" in result.output
