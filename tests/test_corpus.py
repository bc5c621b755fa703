"""The synthetic corpus generator (benchmarks/corpus.py): every format and language, gold in the dev-set schema,
deterministic for a seed, and the real extraction scores well on it (scored with `migkg eval`)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg.cli import main

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"
_spec = importlib.util.spec_from_file_location("benchmarks_corpus", _PATH)
corpus = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = corpus  # dataclasses look their module up while the class is made
_spec.loader.exec_module(corpus)

N = 60
KEYS = {"id", "file", "url", "title", "language", "published", "agreements", "notes"}
AGREEMENT_KEYS = {"type", "status", "parties", "signed_on", "date_basis", "place", "signatories", "themes",
                  "valid_from", "valid_until", "builds_on"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    stats = corpus.generate(N, out, seed=3)
    return out, stats


def _gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_format_and_language_and_one_gold_line_per_document(generated):
    out, stats = generated
    gold = _gold(out / "gold.jsonl")
    assert stats["documents"] == N == len(gold)
    assert set(stats["formats"]) == {"txt", "scraped", "html", "json", "rss"}
    assert {g["language"] for g in gold} == {"en", "fr", "es"}
    files = sorted(p for p in (out / "sources").rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".txt", ".html", ".json", ".xml"}
    assert stats["files"] == len(files) < N  # feeds hold several items
    assert all(p.parent.parent == out / "sources" and p.parent.name == "000" for p in files)
    assert len({g["id"] for g in gold}) == N
    for g in gold:
        assert KEYS <= set(g), g
        assert (out / "sources" / g["file"]).is_file()
        if g["file"].endswith(".xml"):
            assert g["item_guid"] and g["url"]
        for a in g["agreements"]:
            assert set(a) == AGREEMENT_KEYS
            assert a["status"] in ("signed", "to be signed")
            assert a["type"] in corpus.GOLD_TYPES.values() or a["type"].startswith("other: ")
            text = (out / "sources" / g["file"]).read_text(encoding="utf-8")
            for p in a["parties"]:
                assert {"name", "acronym", "names_in_text", "kind"} <= set(p)
                assert all(n in text or n.replace("'", "&#x27;") in text for n in p["names_in_text"]), (g["id"], p)
            for s in a["signatories"]:
                assert s["name"] in text and s["title"] in text.replace("&#x27;", "'"), (g["id"], s)
    assert any(not g["agreements"] for g in gold) or N < 30
    assert any(a["status"] == "to be signed" for g in gold for a in g["agreements"])
    # the per-shard gold names files relative to the shard folder
    assert [g["file"] for g in _gold(out / "gold" / "000.jsonl")] == [g["file"].split("/", 1)[1] for g in gold]


def test_same_seed_same_corpus(generated, tmp_path):
    out, _ = generated
    corpus.generate(12, tmp_path, seed=3)
    first = (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    again = (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert again == first[:len(again)]
    name = sorted((tmp_path / "sources" / "000").iterdir())[0].name
    assert (tmp_path / "sources/000" / name).read_bytes() == (out / "sources/000" / name).read_bytes()


def test_extraction_scores_well_on_a_shard(generated):
    out, _ = generated
    result = CliRunner().invoke(main, ["eval", str(out / "gold" / "000.jsonl"), str(out / "sources" / "000"), "--format", "json"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.output)["fields"]
    assert fields["parties"]["f1"] >= 0.85, fields["parties"]
    assert fields["type"]["f1"] >= 0.9, fields["type"]
    assert fields["status"]["f1"] >= 0.85, fields["status"]
    assert fields["signed_on"]["f1"] >= 0.9, fields["signed_on"]
    assert fields["signatories"]["f1"] >= 0.75, fields["signatories"]
    assert fields["place"]["f1"] >= 0.6, fields["place"]
