"""Put a new source into data/sources and record where it came from in the manifest.

A URL is fetched over HTTP(S) with a size and time limit; the bytes are read
once with the normal readers before anything is written, so a file that the
build could not read never enters the sources folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import yaml

from . import __version__
from .errors import SourceError, UsageError

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 30
_EXT = {"html": ".html", "wordpress-json": ".json", "rss": ".xml", "atom": ".xml", "text": ".txt", "scraped-text": ".txt"}


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    if urlparse(url).scheme not in ("http", "https"):
        raise UsageError(f"{url}: only http and https URLs can be added")
    request = urllib.request.Request(url, headers={"User-Agent": f"migkg/{__version__} (+https://w3id.org/migkg)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        e.close()  # the error carries the open response; close it so no socket leaks
        raise SourceError(url, f"could not download: HTTP {e.code} {e.reason}", "check the URL, or save the page and add the file") from None
    except OSError as e:
        raise SourceError(url, f"could not download: {e}", "check the URL, or save the page and add the file") from None
    if len(data) > max_bytes:
        raise SourceError(url, f"larger than {max_bytes // (1024 * 1024)} MB", "save the article alone and add the file")
    return data


def add(target: str, sources_dir: Path, *, publisher: str | None = None, licence: str | None = None) -> dict:
    """Add a URL or a file; returns the manifest entry written."""
    from .reading import read_bytes

    sources_dir = Path(sources_dir)
    is_url = bool(re.match(r"^https?://", target))
    if is_url:
        data = fetch(target)
    else:
        path = Path(target)
        if not path.is_file():
            raise UsageError(f"{target}: no such file")
        data = path.read_bytes()
    docs = read_bytes(data, source_path=target)
    digest = hashlib.sha256(data).hexdigest()[:16]
    stem = Path(urlparse(target).path).stem if is_url else Path(target).stem
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "source"
    name = f"{stem}-{digest}{_EXT.get(docs[0].format, '.txt') if docs else '.txt'}"
    sources_dir.mkdir(parents=True, exist_ok=True)
    dest = sources_dir / name
    if is_url:
        dest.write_bytes(data)
    elif Path(target).resolve() != dest.resolve():
        shutil.copyfile(target, dest)
    first = docs[0] if docs else None
    entry = {
        "file": name,
        "url": target if is_url else (first.url if first else None),
        "publisher": publisher or (first.publisher if first else None),
        "title": first.title if first else None,
        "licence": licence or "unknown: check the publisher's terms before republishing",
        "added": dt.date.today().isoformat(),
        "documents": len(docs),
    }
    _append(sources_dir / "manifest.yaml", entry)
    return entry


def _append(manifest: Path, entry: dict) -> None:
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
    entries = [e for e in (entries or []) if e.get("file") != entry["file"]] + [entry]
    header = "# Where each source document came from. `migkg add` appends to this file.\n"
    manifest.write_text(header + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")
