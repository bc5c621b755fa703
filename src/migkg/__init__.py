"""migkg: a knowledge graph of migration partnerships built from press releases and news."""

from .errors import MigkgError, SourceError, UnknownEntity, UsageError, ValidationFailed

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "MigkgError", "SourceError", "UnknownEntity", "UsageError", "ValidationFailed", "__version__",
           "load"]


def __getattr__(name: str):
    # Loaded on first use, so `import migkg` (and every CLI start) stays free of rdflib and pyoxigraph.
    if name in ("load", "KnowledgeGraph"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'migkg' has no attribute {name!r}")
