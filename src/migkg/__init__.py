"""migkg: a knowledge graph of migration partnerships built from press releases and news."""

from .errors import MigkgError, SourceError, UnknownEntity, UsageError, ValidationFailed

__version__ = "0.1.0"

__all__ = ["MigkgError", "SourceError", "UnknownEntity", "UsageError", "ValidationFailed", "__version__"]
