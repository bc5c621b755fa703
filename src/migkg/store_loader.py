"""The store of a build made from scratch, loaded by a process of its own while the build writes its dumps.

Oxigraph's bulk loader keeps the two cores about two thirds busy, and the stages the build ran after it one by
one (the merged graphs' dumps, letting go of the facts) use one core: side by side they take less time than
one after the other. The loader starts as soon as the sources' graphs are written, on their TriG parts, and
is handed the merged graphs once the build has written them into its dump: one bulk load of all of it, as
before, so nothing is loaded twice or compacted twice.

Run as `python -m migkg.store_loader STORE LISTING`: LISTING names the sources' pieces (file, start, length),
one per line; the merged graphs come on standard input as one such line; end of input before it (the build
failed or was stopped) leaves the store unfinished and the exit code 1, and the build removes its folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import MigkgError


class Background:
    """The loader's process, started on the sources' PIECES ((path, start, length) of TriG bodies) into the
    store of KG_DIR."""

    def __init__(self, kg_dir: Path, pieces: list[tuple[Path, int, int]]):
        from .store import store_path

        self.path = store_path(kg_dir)
        listing = Path(kg_dir) / ".store-pieces"
        listing.write_text("".join(f"{start}\t{length}\t{p}\n" for p, start, length in pieces), encoding="utf-8")
        self.err = tempfile.TemporaryFile()  # a pipe could fill up and stop it
        # This very package, wherever it was imported from (a caller may have put it on sys.path itself).
        here = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH"))))}
        self.proc = subprocess.Popen([sys.executable, "-m", "migkg.store_loader", str(self.path), str(listing)],
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.err, env=env)

    def merged(self, trig: Path, end: int) -> None:
        """Hand over the merged graphs: the first END bytes of the TriG dump TRIG (its prefixes included)."""
        try:
            self.proc.stdin.write(f"0\t{end}\t{trig}\n".encode("utf-8"))
            self.proc.stdin.close()
        except BrokenPipeError:
            pass  # the loader has ended already, having failed on a piece: wait() says why

    def wait(self):
        """The store, opened once the loader is done; MigkgError if it failed."""
        import pyoxigraph

        code = self.proc.wait()
        if code != 0:
            self.err.seek(0)
            said = self.err.read().decode("utf-8", "replace").strip().splitlines()
            self.err.close()
            raise MigkgError(f"{self.path}: loading the store failed ({said[-1] if said else f'exit code {code}'}); "
                             "nothing was published: build again, or with --jobs 1 to load it in this process")
        self.err.close()
        return pyoxigraph.Store(str(self.path))

    def stop(self) -> None:
        """End the loader early (the build failed): its store is in the folder the build removes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        self.err.close()


class _Pieces:
    """A binary stream of the dump's prefixes, then the pieces of FILES, then the piece named on standard
    input: what the bulk loader reads (it asks for a kilobyte at a time, which a file read answers)."""

    def __init__(self, head: bytes, pieces: list[tuple[int, int, str]], more):
        self.todo = [(None, 0, len(head), head), *((p, s, n, None) for s, n, p in pieces)]
        self.more, self.fh, self.left = more, None, 0

    def read(self, n: int = -1) -> bytes:
        while True:
            if self.left > 0:
                chunk = self.fh.read(min(self.left, n if n > 0 else self.left))
                if not chunk:
                    self.fh.close()
                    raise MigkgError(f"{self.fh.name}: shorter than the build wrote it")
                self.left -= len(chunk)
                return chunk
            if self.fh is not None:
                self.fh.close()
                self.fh = None
            if not self.todo:
                if self.more is None:
                    return b""
                line, self.more = self.more.readline().decode("utf-8"), None
                if not line.strip():
                    raise MigkgError("the build stopped before its merged graphs were written")
                start, length, path = line.rstrip("\n").split("\t", 2)
                self.todo.append((path, int(start), int(length), None))
            path, start, length, data = self.todo.pop(0)
            if data is not None:
                # an empty head would read as the end of the stream, and a reader may ask for less
                if len(data) > n > 0:
                    self.todo.insert(0, (None, 0, len(data) - n, data[n:]))
                    data = data[:n]
                if data:
                    return data
                continue
            self.fh = open(path, "rb")
            self.fh.seek(start)
            self.left = length


def main(argv: list[str]) -> int:
    import pyoxigraph

    from .export import header

    store_dir, listing = argv
    pieces = [line.split("\t", 2) for line in Path(listing).read_text(encoding="utf-8").splitlines()]
    store = pyoxigraph.Store(store_dir)
    try:
        stream = _Pieces(header(), [(int(s), int(n), p) for s, n, p in pieces], sys.stdin.buffer)
        store.bulk_load(input=stream, format=pyoxigraph.RdfFormat.TRIG)
        store.flush()
        store.optimize()
    except (MigkgError, OSError, SyntaxError, ValueError) as e:
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    Path(listing).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
