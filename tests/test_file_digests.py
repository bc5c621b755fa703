"""Source files' digests remembered between builds: unchanged files are not read again, and any change,
even one that keeps the size and the modification time, is seen."""

from __future__ import annotations

import hashlib
import os
import time

from migkg import file_digests
from migkg.file_digests import Digests


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(tmp_path, n=3):
    out = []
    for i in range(n):
        p = tmp_path / "src" / f"{i}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(f"document {i}\n", encoding="utf-8")
        out.append(p)
    return out


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(file_digests, "RACY", 0.0)  # no file here is older than the clock's tick otherwise
    files = _files(tmp_path)
    first = Digests(tmp_path / "cache")
    assert [first.sha(p) for p in files] == [_sha(p) for p in files]
    assert first.read == 3
    first.save()
    again = Digests(tmp_path / "cache")
    assert [again.sha(p) for p in files] == [_sha(p) for p in files]
    assert again.read == 0


def test_a_change_that_keeps_size_and_modification_time_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(file_digests, "RACY", 0.0)
    files = _files(tmp_path)
    first = Digests(tmp_path / "cache")
    for p in files:
        first.sha(p)
    first.save()
    st = os.stat(files[1])
    time.sleep(0.01)
    files[1].write_text("document X\n", encoding="utf-8")  # same length
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time: the change time moved
    again = Digests(tmp_path / "cache")
    assert again.sha(files[1]) == _sha(files[1]) != first.now[str(files[1])][-1]
    assert again.read == 1


def test_a_file_changed_as_the_record_was_written_is_read_again(tmp_path):
    files = _files(tmp_path)  # written just now: within RACY seconds of the record
    first = Digests(tmp_path / "cache")
    for p in files:
        first.sha(p)
    first.save()
    again = Digests(tmp_path / "cache")
    for p in files:
        again.sha(p)
    assert again.read == 3


def test_a_damaged_or_missing_record_only_costs_the_reading(tmp_path):
    files = _files(tmp_path)
    (tmp_path / "cache" / "files").mkdir(parents=True)
    (tmp_path / "cache" / file_digests.RECORD).write_bytes(b"not a pickle")
    d = Digests(tmp_path / "cache")
    assert [d.sha(p) for p in files] == [_sha(p) for p in files]
    assert Digests(None).sha(files[0]) == _sha(files[0])
