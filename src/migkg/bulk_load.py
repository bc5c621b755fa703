"""Bulk loading the N-Quads shards (`migkg shards`) into a SPARQL store that scales past one machine.

Each store's own bulk loader does the work, not HTTP uploads: Oxigraph's `oxigraph load` (the shards in
parallel, into a store directory that `oxigraph serve` then answers from) and Virtuoso's RDF bulk loader
(`ld_dir` + `rdf_loader_run`, driven through its isql client). Either store is then queried with
`--endpoint`, by the same stored queries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from .errors import EndpointError, UsageError

# Triples outside any named graph (migkg writes none) would land here in Virtuoso.
FALLBACK_GRAPH = "https://w3id.org/migkg/graph/default"


def shard_files(shards_dir: Path | str) -> list[Path]:
    """The shards the manifest lists, checked against their recorded size; a clear error when one is missing."""
    folder = Path(shards_dir)
    manifest = folder / "shards.json"
    if not manifest.is_file():
        raise UsageError(f"{manifest}: no shard manifest; write the shards with `migkg shards {folder}` first")
    files = []
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["shards"]:
        path = folder / entry["file"]
        if not path.is_file():
            raise UsageError(f"{path}: listed in shards.json but missing; write the shards again")
        files.append(path)
    return files


def into_oxigraph(shards_dir: Path | str, location: Path | str, *, binary: str | None = None) -> int:
    """Load every shard into the Oxigraph store directory LOCATION with `oxigraph load`; returns the shard count."""
    from .server import oxigraph_binary

    files = shard_files(shards_dir)
    cmd = [binary or oxigraph_binary(), "load", "--location", str(location)]
    for path in files:
        cmd += ["--file", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise EndpointError(f"oxigraph load into {location} failed: {_last_line(done.stderr)}")
    return len(files)


def into_virtuoso(shards_dir: Path | str, *, isql: str = "127.0.0.1:1111", user: str = "dba",
                  password: str | None = None, client: str | None = None) -> int:
    """Load every shard with Virtuoso's bulk loader; returns the shard count.

    The shards' folder must be in the server's DirsAllowed (virtuoso.ini), since the server reads the files
    itself. The password comes from the argument or MIGKG_VIRTUOSO_PASSWORD (default: Virtuoso's initial
    "dba"); isql takes it as an argument, so run this where the process list is not shared."""
    files = shard_files(shards_dir)
    folder = str(Path(shards_dir).resolve())
    if "'" in folder or "\\" in folder:
        raise UsageError(f"{folder}: Virtuoso's loader is given the folder in SQL; use a path without quotes or backslashes")
    isql_client = client or shutil.which("isql-vt") or shutil.which("isql")
    if not isql_client:
        raise UsageError("no Virtuoso isql client (isql-vt) on PATH; install virtuoso-opensource")
    password = password or os.environ.get("MIGKG_VIRTUOSO_PASSWORD", "dba")
    # A rerun replaces what an earlier load of the same folder put in the load list, so shards load again.
    script = (f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '{folder}/shard-%';\n"
              f"ld_dir('{folder}', 'shard-*.nq', '{FALLBACK_GRAPH}');\n"
              "rdf_loader_run();\n"
              "checkpoint;\n"
              f"SELECT 'LOADERROR', ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE '{folder}/shard-%' "
              "AND ll_error IS NOT NULL;\n")
    done = subprocess.run([isql_client, isql, user, password], input=script, capture_output=True, text=True)
    output = done.stdout + done.stderr
    failed = [line for line in output.splitlines() if "LOADERROR" in line and "'LOADERROR'" not in line]
    if done.returncode or failed or re.search(r"\*\*\* Error", output):
        errors = [line.strip() for line in output.splitlines() if line.startswith("*** Error")]
        detail = failed[0] if failed else errors[0] if errors else _last_line(re.sub(r"(?m)^SQL> ?", "", output))
        raise EndpointError(f"Virtuoso at {isql}: bulk load of {folder} failed: {detail}")
    return len(files)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
