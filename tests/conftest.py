from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seed_dataset():
    from migkg.pipeline import BuildReport, build_dataset

    return build_dataset([ROOT / "data" / "sources"], BuildReport())


@pytest.fixture(scope="session")
def seed_kg(tmp_path_factory):
    from migkg import pipeline

    kg = tmp_path_factory.mktemp("kg") / "dist"
    pipeline.build([ROOT / "data" / "sources"], kg)
    return kg


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc, seconds: float = 30) -> None:
    from migkg.server import wait_until_answering

    wait_until_answering(url, proc, seconds, lambda: proc.stderr.read().decode(errors="replace") if proc.poll() is not None else "")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real, writable Oxigraph server on a free loopback port, its default graph the union of all graphs."""
    import subprocess

    from migkg.server import oxigraph_binary

    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
