"""The read stage on every format and encoding, detected from the content, never from the file name."""

import datetime as dt
import json
from pathlib import Path

import pytest

from migkg.errors import SourceError
from migkg.reading import read_bytes, read_path, sniff_format

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("IOM and Ghana Sign New Labour Migration Agreement\n\n"
        "Accra, Ghana, 3 March 2021 – The International Organization for Migration (IOM) and the Government of Ghana "
        "today signed a memorandum of understanding on labour migration.\n\nThe agreement covers fair recruitment.\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_in_any_encoding(encoding):
    text = TEXT + "Café, façade, señor – “quoted”.\n"
    docs = read_bytes(text.encode(encoding), source_path="x.bin")
    assert len(docs) == 1
    d = docs[0]
    assert "Café, façade, señor – “quoted”." in d.text
    assert d.title == "IOM and Ghana Sign New Labour Migration Agreement"
    assert d.published == dt.date(2021, 3, 3) and d.dateline.place == "Accra, Ghana"
    assert d.language == "en"


def test_wordpress_post_in_a_txt_file_and_a_list():
    post = {"id": 7, "date": "2022-05-12T10:00:00", "link": "https://example.org/?p=7",
            "title": {"rendered": "L&#8217;OIM et le Maroc signent un accord"},
            "content": {"rendered": "<p>Rabat &#8211; L&#8217;OIM et le Maroc ont sign&eacute; jeudi un accord.</p><script>alert(1)</script>"}}
    one = read_bytes(json.dumps(post).encode(), source_path="post.txt")
    assert one[0].format == "wordpress-json" and one[0].title == "L’OIM et le Maroc signent un accord"
    assert "alert" not in one[0].text and one[0].published == dt.date(2022, 5, 12) and one[0].url.endswith("p=7")
    many = read_bytes(json.dumps([post, dict(post, id=8)]).encode(), source_path="posts.json")
    assert [d.item_id for d in many] == ["7", "8"]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Digest</title><language>en</language>
<item><title>A and B sign MoU</title><link>https://example.org/1</link><guid>g1</guid><pubDate>Tue, 02 May 2023 00:00:00 +0900</pubDate>
<content:encoded><![CDATA[<p>A and B signed an MoU on April 26.</p>]]></content:encoded></item>
<item><title>C and D sign plan</title><link>https://example.org/2</link><guid>g2</guid><description>C and D signed a plan of action.</description></item>
</channel></rss>"""


def test_rss_items_are_documents_and_dates_stay_local():
    docs = read_bytes(RSS.encode(), source_path="feed.txt")
    assert [d.format for d in docs] == ["rss", "rss"]
    assert docs[0].published == dt.date(2023, 5, 2) and docs[1].published is None
    assert docs[0].publisher == "Digest" and docs[0].item_id == "g1"


def test_atom_feed():
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            '<entry><title>X and Y sign agreement</title><id>e1</id><updated>2024-01-02T00:00:00Z</updated>'
            '<link href="https://example.org/e1"/><summary>X and Y signed.</summary></entry></feed>')
    docs = read_bytes(atom.encode(), source_path="a.xml")
    assert docs[0].format == "atom" and docs[0].url == "https://example.org/e1" and docs[0].published == dt.date(2024, 1, 2)


def test_html_metadata_from_meta_link_and_jsonld():
    page = ("<!doctype html><html lang='fr'><head><title>Accord OIM</title><link rel='canonical' href='https://example.org/a'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2020-11-19T08:00:00Z\"}</script>"
            "</head><body><nav>Accueil | Actualités</nav><article><h1>L'OIM et le HCR signent un accord</h1>"
            "<p>Genève – L'OIM et le HCR ont signé un accord de coopération le 19 novembre 2020.</p>"
            "<p>Le texte couvre la protection des migrants et la gestion des frontières dans la région.</p></article>"
            "<footer>© 2020</footer></body></html>")
    d = read_bytes(page.encode(), source_path="page.txt")[0]
    assert d.format == "html" and d.language == "fr" and d.url == "https://example.org/a"
    assert d.published == dt.date(2020, 11, 19) and "ont signé un accord" in d.text and "Accueil" not in d.text


def test_format_comes_from_content():
    assert sniff_format(b'{"a": 1}') == "json"
    assert sniff_format(b"<rss version='2.0'></rss>") == "feed"
    assert sniff_format(b"<!DOCTYPE html><html></html>") == "html"
    assert sniff_format(b"Plain words.") == "text"


@pytest.mark.parametrize("data, problem", [
    (b"", "empty"), (b"\x00\x01\x02\x03" * 100, "binary"), (b'{"title": "x", "content": ', "invalid JSON"),
    (b'{"some": "other shape"}', "unknown shape"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><rss><channel><item><title>&lol;</title></item></channel></rss>', "DOCTYPE"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>', "DOCTYPE"),
])
def test_bad_input_is_one_clear_error_naming_the_file(data, problem):
    with pytest.raises(SourceError) as e:
        read_bytes(data, source_path="bad/input.txt")
    assert "bad/input.txt" in str(e.value) and problem in str(e.value)


SEEDS = {
    "000_73460d32880d1c13.txt": ("Cooperation with ICESCO Aims to Include Migrants in Education, Science and Culture", None, None, "en"),
    "001_a8e339baa9e3c241.txt": (None, None, "2023-02-18", "fr"),
    "002_edbf9e8064b776fb.txt": ("IOM and ECO to Sign Migration Management Capacity Building Pact", None, None, "en"),
    "003_f9a6250c70dd7768.txt": ("Agreement To Help Strengthen Efforts to Protect Migrant Rights", None, None, "en"),
    "004_369a9a50570c5de8.txt": ("IOM and OIC Sign Landmark Plan of Action to Strengthen Cooperation on Migration Governance",
                                 "https://immigration-services.org/?p=4657", "2025-06-21", "en"),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_metadata(name):
    title, url, published, language = SEEDS[name]
    d = read_path(ROOT / "data" / "sources" / name)[0]
    assert (d.title, d.url, d.published.isoformat() if d.published else None, d.language) == (title, url, published, language)


def test_dev_set_metadata_matches_the_gold():
    gold: dict[str, list] = {}
    for line in (ROOT / "tests" / "data" / "devset" / "gold.jsonl").read_text().splitlines():
        g = json.loads(line)
        gold.setdefault(g["file"], []).append(g)
    for file_name, entries in gold.items():
        docs = read_path(ROOT / "tests" / "data" / "devset" / "docs" / file_name)
        assert len(docs) == len(entries)
        for d, g in zip(docs, entries):
            assert d.title == g["title"], file_name
            assert (d.published.isoformat() if d.published else None) == g["published"], file_name
            assert d.language == g["language"], file_name
