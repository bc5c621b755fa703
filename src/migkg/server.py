"""`migkg serve`: the Oxigraph SPARQL server (from the `oxigraph` package), read-only, over the built store."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .errors import MigkgError, NotBuilt


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise MigkgError("the oxigraph server is not installed; run `pip install oxigraph` (make does it)")
    return found


def command(kg: Path, host: str = "127.0.0.1", port: int = 7878) -> list[str]:
    store = Path(kg) / "store"
    if not store.is_dir():
        raise NotBuilt(f"{store}: no built store; run `migkg build` first")
    # serve-read-only refuses SPARQL Update and Graph Store writes by construction.
    return [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}", "--union-default-graph"]


def start(kg: Path, host: str = "127.0.0.1", port: int = 7878) -> subprocess.Popen:
    return subprocess.Popen(command(kg, host, port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def serve(kg: Path, host: str = "127.0.0.1", port: int = 7878) -> None:
    proc = subprocess.run(command(kg, host, port))
    if proc.returncode not in (0, -2, 130):
        raise MigkgError(f"the oxigraph server stopped with exit code {proc.returncode}")


def wait_until_answering(endpoint: str, proc: subprocess.Popen, seconds: float = 30, why=lambda: "") -> None:
    """Block until ENDPOINT answers a SPARQL ASK; RuntimeError if PROC stops first or SECONDS pass.
    WHY gives text to add to the error (the server's log, say)."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {proc.returncode}: {why()}")
        try:
            with urllib.request.urlopen(endpoint + "?query=ASK%7B%7D", timeout=2) as answer:
                answer.read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {endpoint} after {seconds:g} s: {why()}")
