"""Broken and hostile sources: one line each, naming the file and what was wrong; the good source still builds.

Every file in tests/data/bad/ and every generated one below must have its entry in EXPECTED, which is
also the table of the README's "Bad input" section. The whole folder is built once, with one good seed,
while sockets are blocked and every file the process opens is recorded.
"""

import gzip
import shutil
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
SEED = ROOT / "data" / "sources" / "000_73460d32880d1c13.txt"

# file -> (kind of line, what the line says)
EXPECTED = {
    "empty.txt": ("warning", "the file is empty"),
    "whitespace-only.txt": ("warning", "the file is empty"),
    "binary.txt": ("warning", "binary content"),
    "control-characters.txt": ("warning", "binary content"),
    "pdf-file.pdf": ("warning", "this is a PDF file"),
    "gzipped.txt": ("warning", "this is a gzip archive"),
    "truncated.json": ("warning", "invalid JSON at line 1"),
    "invalid-json.json": ("warning", "invalid JSON at line 1"),
    "json-other-shape.json": ("warning", "JSON of an unknown shape"),
    "json-numbers.json": ("warning", "JSON of an unknown shape"),
    "json-wrong-types.json": ("warning", "JSON of an unknown shape"),
    "json-null.json": ("warning", "too short to be an article"),
    "json-deep-nesting.json": ("warning", "nested too deeply"),
    "wordpress-scripts.json": ("note", "ignored 3 active elements in the post body"),
    "html-scripts-iframes.html": ("note", "ignored 1 active element in the page"),
    "html-empty-body.html": ("note", "no article text"),
    "html-deep-nesting.html": ("note", "no article found in the page's structure; read all of its text"),
    "entity-flood.html": ("note", "no article text"),
    "mixed-encodings.txt": ("note", "not UTF-8; read as Windows-1252"),
    "mojibake.txt": ("note", "repaired mojibake"),
    "utf16-no-bom.txt": ("note", "no byte-order mark; read as UTF-16-LE"),
    "bidi-and-zero-width.txt": ("note", "removed 3 invisible or direction-changing characters"),
    "billion-laughs.xml": ("warning", "XML bomb or external-entity attack"),
    "xxe.rss": ("warning", "XML bomb or external-entity attack"),
    "rss-no-items.xml": ("warning", "no feed items"),
    "atom-malformed.xml": ("warning", "no feed items"),
    "bad-dates.txt": ("note", "'32/13/2023' are no calendar date"),
    "no-agreement.txt": ("note", "no agreement found"),
    "thirty-organizations.txt": ("note", "no agreement found"),
    "unsupported-language.txt": ("note", "written in 'zh'"),
    "long-line.txt": ("note", "a line of 330,014 characters"),
    # generated in the fixture: too big to keep in git
    "fifty-megabytes.txt": ("warning", "file is 50 MB, over the 20 MB limit"),
    "ten-thousand-items.rss": ("warning", "10000 feed items, over the limit of 5000"),
    "inline-data.html": ("note", "no agreement found"),
    "link-outside.txt": ("warning", "a link to"),
}


def _generate(folder: Path, outside: Path) -> None:
    line = b"The International Organization for Migration and UNICEF met to discuss cooperation.\n"
    with open(folder / "fifty-megabytes.txt", "wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    items = "".join(f"<item><title>Item {i}</title><description>IOM and UNHCR signed a memorandum of understanding."
                    f"</description><guid>urn:item:{i}</guid></item>" for i in range(10_000))
    (folder / "ten-thousand-items.rss").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
                                                  f"{items}</channel></rss>")
    blob = "A" * (5 * 1024 * 1024)
    (folder / "inline-data.html").write_text(
        f'<!doctype html><html lang="en"><head><title>Migration dialogue opens in Geneva</title></head><body><article>'
        f'<img src="data:image/png;base64,{blob}"><p>Geneva, 3 May 2023 - Officials of several countries met in Geneva '
        "to discuss labour migration and the protection of migrant workers.</p></article></body></html>")
    secret = outside / "secret.txt"
    secret.write_text("Geneva, 3 March 2020 - The World Bank and the International Labour Organization (ILO) "
                      "signed a memorandum of understanding on 3 March 2020 in Geneva.\n")
    (folder / "link-outside.txt").symlink_to(secret)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    sources, outside = base / "sources", base / "outside"
    sources.mkdir()
    outside.mkdir()
    for path in BAD.iterdir():
        shutil.copy(path, sources / path.name)
    shutil.copy(SEED, sources / SEED.name)
    _generate(sources, outside)

    connections, opened = [], []

    def refuse(*args, **kwargs):
        connections.append(args)
        raise OSError("the build must not use the network")

    watching = [True]

    def audit(event, args):
        if watching[0] and event == "open" and isinstance(args[0], (str, bytes, Path)):
            opened.append(str(args[0]))

    sys.addaudithook(audit)  # hooks cannot be removed; `watching` turns this one off after the build
    kg = base / "dist"
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(socket.socket, "connect", refuse)
            mp.setattr(socket, "create_connection", refuse)
            mp.setattr(socket, "getaddrinfo", refuse)
            result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg)])
    finally:
        watching[0] = False
    return {"result": result, "kg": kg, "sources": sources, "outside": outside,
            "connections": connections, "opened": opened}


def _lines_for(output: str, sources: Path, name: str) -> list[str]:
    path = str(sources / name)
    return [line for line in output.splitlines() if f"{path}:" in line or f"{path}#" in line or f"{path}," in line]


def test_every_bad_fixture_is_described():
    assert {p.name for p in BAD.iterdir()} <= set(EXPECTED)
    assert len(list(BAD.iterdir())) >= 30


def test_the_build_succeeds_and_the_good_source_is_in_it(hostile_build):
    result, kg = hostile_build["result"], hostile_build["kg"]
    assert result.exit_code == 0, result.output
    graph = (kg / "graph.trig").read_text(encoding="utf-8")
    assert SEED.name in graph and "agreement/icesco-iom" in graph


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_source_gets_one_line_naming_it(hostile_build, name):
    kind, says = EXPECTED[name]
    lines = _lines_for(hostile_build["result"].output, hostile_build["sources"], name)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{kind}: ") and says in lines[0], lines[0]


def test_the_good_source_gets_no_line(hostile_build):
    assert _lines_for(hostile_build["result"].output, hostile_build["sources"], SEED.name) == []


def test_no_network_and_nothing_read_outside_the_sources(hostile_build):
    assert hostile_build["connections"] == []
    outside = str(hostile_build["outside"])
    assert not [p for p in hostile_build["opened"] if p.startswith(outside)]
    graph = (hostile_build["kg"] / "graph.trig").read_text(encoding="utf-8")
    assert "link-outside.txt" not in graph and "secret.txt" not in graph


def test_hostile_text_never_reaches_the_graph_as_markup(hostile_build):
    graph = (hostile_build["kg"] / "graph.trig").read_text(encoding="utf-8")
    assert "<script" not in graph and "javascript:" not in graph and "evil.example/x.js" not in graph


def _good_build(tmp_path):
    """A folder holding the seed, built: the last good output the next tests must not damage."""
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    kg = tmp_path / "dist"
    assert CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg)]).exit_code == 0
    return sources, kg, {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()}


def test_strict_makes_a_bad_source_fatal_and_keeps_the_last_output(tmp_path):
    sources, kg, before = _good_build(tmp_path)
    shutil.copy(BAD / "truncated.json", sources / "truncated.json")
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg), "--strict"])
    assert result.exit_code == 1
    assert str(sources / "truncated.json") in result.output and "invalid JSON" in result.output
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before


def test_no_readable_source_builds_nothing_and_keeps_the_last_output(tmp_path):
    sources, kg, before = _good_build(tmp_path)
    (sources / SEED.name).unlink()
    (sources / "report.txt.gz").write_bytes(gzip.compress(b"not a press release"))
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(kg)])
    assert result.exit_code == 1
    assert "report.txt.gz: this is a gzip archive" in result.output and "no source could be read" in result.output
    assert {p.name: p.read_bytes() for p in kg.iterdir() if p.is_file()} == before


def test_a_source_over_the_time_limit_is_skipped_with_a_line(tmp_path, monkeypatch):
    from migkg import extraction

    real = extraction.extract

    def stuck_on_the_seed(doc):
        while doc.file_name == SEED.name:
            pass  # a pathological page: the time limit must break in
        return real(doc)

    monkeypatch.setattr("migkg.sources.TIMEOUT", 0.5)
    monkeypatch.setattr(extraction, "extract", stuck_on_the_seed)
    sources = tmp_path / "sources"
    sources.mkdir()
    other = SEED.parent / "004_369a9a50570c5de8.txt"
    for path in (SEED, other):
        shutil.copy(path, sources / path.name)
    result = CliRunner().invoke(main, ["build", str(sources), "--kg", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    lines = _lines_for(result.output, sources, SEED.name)
    assert len(lines) == 1 and "extracting its facts took over 0.5 s" in lines[0] and "MIGKG_SOURCE_TIMEOUT" in lines[0]
    assert other.name in (tmp_path / "dist" / "graph.trig").read_text(encoding="utf-8")
