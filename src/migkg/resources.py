"""The one place that knows where ontology/, shapes/, queries/ and the reference data live.

A checkout keeps them at the repository root; an installed wheel keeps them under
`migkg/_resources`. Every function takes an override so commands can point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent.parent

# folder name in the checkout -> folder name inside the wheel
_LAYOUT = {
    "ontology": "ontology",
    "shapes": "shapes",
    "queries": "queries",
    "reference": "data/reference",
}


def _locate(kind: str, override: str | os.PathLike | None = None) -> Path:
    if override is not None:
        return Path(override)
    env = os.environ.get(f"MIGKG_{kind.upper()}_DIR")
    if env:
        return Path(env)
    installed = _PACKAGE_DIR / "_resources" / kind
    if installed.is_dir():
        return installed
    return _CHECKOUT_ROOT / _LAYOUT[kind]


def ontology_dir(override=None) -> Path:
    return _locate("ontology", override)


def shapes_dir(override=None) -> Path:
    return _locate("shapes", override)


def queries_dir(override=None) -> Path:
    return _locate("queries", override)


def reference_dir(override=None) -> Path:
    return _locate("reference", override)


def project_root() -> Path:
    """The checkout root, used for defaults such as data/sources and dist/."""
    return Path.cwd()
