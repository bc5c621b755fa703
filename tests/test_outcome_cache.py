"""The per-source cache of outcomes: one pack file and an index, written so that a failed or stopped build,
or a damaged file, costs at most reading the sources again, never a wrong outcome."""

from __future__ import annotations

from migkg import sources
from migkg.sources import Cache, Outcome


def _outcome(n: int) -> Outcome:
    return Outcome(f"s{n}.txt", read=True, documents=1, problems=[f"note {n}" * (n + 1)])


def _fill(folder, keys):
    c = Cache(folder)
    for k in keys:
        c.put(k, _outcome(int(k[1:])))
    c.prune()


def test_outcomes_come_back_from_the_pack_after_a_successful_build(tmp_path):
    _fill(tmp_path, ["k1", "k2", "k3"])
    c = Cache(tmp_path)
    assert [c.get(k) for k in ("k1", "k2", "k3")] == [_outcome(1), _outcome(2), _outcome(3)]
    assert c.get("k4") is None and c.used == {"k1", "k2", "k3"}
    c.close()
    assert [p.name for p in tmp_path.iterdir()] == ["outcomes"]  # no file per outcome


def test_a_build_that_fails_leaves_the_last_index_and_its_appended_bytes_are_harmless(tmp_path):
    _fill(tmp_path, ["k1", "k2"])
    failed = Cache(tmp_path)
    failed.get("k1")
    failed.put("k3", _outcome(3))
    failed.close()  # and no prune: the build failed
    c = Cache(tmp_path)
    assert c.get("k3") is None and c.get("k2") == _outcome(2)
    c.get("k1")
    c.put("k4", _outcome(4))
    c.prune()
    again = Cache(tmp_path)
    assert sorted(again.entries) == ["k1", "k2", "k4"] and again.get("k4") == _outcome(4)
    again.close()


def test_the_pack_is_written_afresh_once_most_of_it_is_unused(tmp_path, monkeypatch):
    _fill(tmp_path, [f"k{n}" for n in range(1, 200)])
    first = Cache(tmp_path)
    old = first.pack
    monkeypatch.setattr(sources, "_repack", _counting := _Counting(sources._repack))
    first.get("k7")
    first.get("k150")
    first.prune()  # 2 of 199 kept: but a pack under a megabyte is left as it is
    assert not _counting.calls and Cache(tmp_path).pack == old
    big = Cache(tmp_path)
    for n in range(300, 330):
        big.put(f"k{n}", Outcome("x", read=True, problems=["y" * 100_000]))
    big.get("k7")
    big.get("k150")
    big.prune()  # 3 MB appended, then only the small ones kept
    big2 = Cache(tmp_path)
    big2.get("k7")
    big2.get("k150")
    big2.prune()
    after = Cache(tmp_path)
    assert _counting.calls and after.pack != old and sorted(after.entries) == ["k150", "k7"]
    assert after.get("k7") == _outcome(7) and after.get("k150") == _outcome(150)
    after.close()
    assert sorted(p.name for p in (tmp_path / "outcomes").iterdir()) == sorted(["index", after.pack])


def test_a_damaged_index_or_pack_only_costs_the_reading(tmp_path):
    _fill(tmp_path, ["k1", "k2"])
    c = Cache(tmp_path)
    (tmp_path / "outcomes" / c.pack).write_bytes(b"\0" * 10)  # the outcomes gone
    damaged = Cache(tmp_path)
    assert damaged.get("k1") is None
    damaged.close()
    (tmp_path / "outcomes" / "index").write_bytes(b"not an index")
    fresh = Cache(tmp_path)
    assert fresh.entries == {} and fresh.get("k1") is None


class _Counting:
    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, *args):
        self.calls += 1
        return self.real(*args)


def test_outcomes_of_different_sources_share_their_organizations_and_words_once_loaded(tmp_path):
    # One pickle per source shares nothing with the next: without sharing on load, 100,000 sources came back
    # as 100,000 copies of "signed", of "en" and of each organization they name.
    from migkg.facts import DocumentFacts, Mention, OrgRef, Span, forget_shared
    from migkg.reading import Document

    def outcome(n: int) -> Outcome:
        iom = OrgRef("iom", "International Organization for Migration", "UN agency", "IOM", names_in_text=("IOM",))
        doc = Document(f"s{n}.txt", f"s{n}.txt", None, "text", "IOM signed. " * 20, 0, None, None, None, "en",
                       None, None, f"{n:064x}")
        return Outcome(doc.source_path, read=True, documents=1,
                       facts=[DocumentFacts(doc, [], [Mention(iom, Span(0, 3), "IOM")])])

    c = Cache(tmp_path)
    c.put("k1", outcome(1))
    c.put("k2", outcome(2))
    c.prune()
    again = Cache(tmp_path)
    first, second = again.get("k1"), again.get("k2")
    again.close()
    forget_shared()
    assert first == outcome(1) and second == outcome(2)
    (a,), (b,) = first.facts, second.facts
    assert a.organizations[0].org is b.organizations[0].org
    assert a.document.language is b.document.language and a.organizations[0].text is b.organizations[0].text
