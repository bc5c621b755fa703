"""Each source file's SHA-256, remembered between builds by its path, size, modification time and inode.

A build keys everything by the sources' contents (the inputs digest, the per-source cache). Reading every
file to hash it again took a rebuild after one new document 2 to 7 s at 100,000 documents, all of it for
files that had not changed; a file whose size, times and inode are as they were is not read again, as git
does with its index. A file changed within a moment of the record being written could keep its times (a
clock tick is coarse on some file systems), so a file modified within RACY seconds of that moment is read
again whatever its record says: git's "racily clean" entries.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

RECORD = Path("files") / "digests.pickle"  # in a folder: the outcome cache prunes the files at its top
RACY = 2.0  # seconds


class Digests:
    """SHA-256 by path, from the record in the cache FOLDER where a file's metadata is unchanged (None: always
    read); save() writes the record of the files asked about, and only those."""

    def __init__(self, folder: Path | None):
        self.path = Path(folder) / RECORD if folder is not None else None
        self.known: dict[str, tuple] = {}
        self.written_ns = 0
        self.now: dict[str, tuple] = {}
        self.read = 0  # files read to hash them
        if self.path is not None:
            try:
                with open(self.path, "rb") as fh:
                    written_ns, known = pickle.load(fh)  # our own file, in the build's own cache folder
                if isinstance(known, dict) and isinstance(written_ns, int):
                    self.known, self.written_ns = known, written_ns
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
                pass

    def sha(self, path: Path) -> str:
        """PATH's SHA-256 in hex; OSError if it cannot be read."""
        key = str(path)
        st = os.stat(path)
        meta = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        old = self.known.get(key)
        racy = max(st.st_mtime_ns, st.st_ctime_ns) >= self.written_ns - int(RACY * 1e9)
        if old is not None and old[:-1] == meta and not racy:
            sha = old[-1]
        else:
            sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            self.read += 1
        self.now[key] = (*meta, sha)
        return sha

    def save(self) -> None:
        """Record the files asked about (a failure to write it only costs the next build the reading)."""
        if self.path is None or (self.now == self.known and not self.read):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((time.time_ns(), self.now), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            pass
