"""The library's own exceptions. The CLI maps them to messages and exit codes; the library never prints or exits."""


class MigkgError(Exception):
    """Base of every error migkg raises on purpose."""

    exit_code = 1


class SourceError(MigkgError):
    """A source document cannot be read. The message names the file, the problem and what to do."""

    def __init__(self, path, problem: str, hint: str = ""):
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        msg = f"{self.path}: {problem}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class ValidationFailed(MigkgError):
    """The built graph does not conform to the shapes; `report` holds the readable report."""

    def __init__(self, report: str):
        self.report = report
        super().__init__("the graph does not conform to the shapes:\n" + report)


class NotBuilt(MigkgError):
    """A command needs a built graph that is not there."""


class UnknownEntity(MigkgError):
    """A name or IRI matches nothing; `suggestions` lists close names."""

    def __init__(self, name: str, suggestions=()):
        self.name = name
        self.suggestions = list(suggestions)
        msg = f"no entity matches {name!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class UsageError(MigkgError):
    """The caller asked for something impossible (unknown query, bad parameter)."""

    exit_code = 2


class EndpointError(MigkgError):
    """A remote SPARQL endpoint failed or timed out."""
