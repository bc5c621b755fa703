"""The dump files of the output stage: the Turtle and TriG dumps and the dataset description, written into the
build's fresh folder, in this process or in a forked one while this one validates.

Validation and writing the dumps need nothing of each other and each keeps one core busy, so with two cores a
build overlaps them. The embedded store is not filled in the forked process: RocksDB's threads do not survive a
fork, and a process that had opened a store before (a test run, a notebook) would hang there. The folder is
swapped in only after both have finished and the graph conforms.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

from .errors import MigkgError


def write_files(ds, folder: Path, base: str, quads: list, report=None) -> dict[str, float]:
    """Write the dumps and void.ttl into FOLDER; the seconds each took."""
    from . import describe_dataset, export

    seconds = {}

    def timed(stage, work):
        if report is not None:
            report.say(f"{stage} ...")
        start = time.perf_counter()
        work()
        seconds[stage] = time.perf_counter() - start

    def dumps():
        for fmt, name in (("ttl", "graph.ttl"), ("trig", "graph.trig")):
            (folder / name).write_bytes(export.serialize(ds, fmt, quads))

    timed("dumps", dumps)
    timed("describe", lambda: describe_dataset.write(ds, folder, base, quads))  # after the dumps: it records their sizes
    return seconds


class Writer:
    """write_files in a forked process, started at once; wait() gives its seconds or raises what went wrong."""

    def __init__(self, ds, folder: Path, base: str, quads: list, report=None):
        context = multiprocessing.get_context("fork")  # the child shares the graph as it is: nothing to pickle
        self._answers, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(ds, folder, base, quads, report, child_end, os.getpid()),
                                        daemon=True)
        self._process.start()
        child_end.close()

    def wait(self) -> dict[str, float]:
        try:
            kind, payload = self._answers.recv()
        except EOFError:
            kind, payload = "error", f"the process writing them stopped (exit code {self._process.exitcode})"
        finally:
            self._process.join()
        if kind != "ok":
            raise MigkgError(f"writing the dumps failed: {payload}; the last good output is as it was")
        return payload

    def stop(self) -> None:
        """End the writer, for a build that fails or is interrupted before wait()."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _child(ds, folder, base, quads, report, answers, parent: int) -> None:
    _die_with_parent(parent)
    try:
        answers.send(("ok", write_files(ds, folder, base, quads, report)))
    except BaseException as e:  # noqa: BLE001 - whatever it was, the parent must hear of it
        answers.send(("error", f"{type(e).__name__}: {e}"))


def _die_with_parent(parent: int) -> None:
    """A build killed outright must not leave a writer behind, still filling a folder the next build removes."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError, ctypes.ArgumentError):
        pass
    if os.getppid() != parent:  # the build died before the line above: nobody is left to wait for the dumps
        os._exit(1)
