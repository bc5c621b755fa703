"""Sample values for every stored query's parameters, on the seed graph: used by the tests that run each
query on several engines. A parameter this table does not know fails the test, so a new query gets one."""

B = "https://w3id.org/migkg/"
SAMPLES = {
    "org": B + "org/iom",
    "org2": B + "org/oic",
    "agreement": B + "agreement/icesco-iom-2023",
    "entity": B + "agreement/icesco-iom-2023",
    "theme": B + "vocab/theme/health",
    "gcm": B + "vocab/gcm/objective-23",
    "since": "2003",
    "until": "2025-06",
    "type": B + "vocab/instrument/cooperation-agreement",
    "status": B + "vocab/status/signed",
    "on": "2024-01-01",
    "q": "IOM",
}


def cases(query):
    """(label, params): the required parameters alone, then every parameter set."""
    required = {p.name: SAMPLES[p.name] for p in query.params if p.default is None}
    every = {p.name: SAMPLES[p.name] for p in query.params}
    return [("required", required)] + ([("all", every)] if every != required else [])


def normalized(result) -> list[tuple]:
    """Rows as sorted tuples of N-Triples terms; GROUP_CONCAT parts sorted, since their order is the engine's."""
    out = []
    for row in result.rows:
        cells = []
        for c in result.columns:
            t = row[c]
            if t is None:
                cells.append((c, None))
                continue
            text = str(t)
            # Oxigraph stores integer subtypes (oa:start is xsd:nonNegativeInteger) as xsd:integer.
            text = text.replace("XMLSchema#nonNegativeInteger>", "XMLSchema#integer>")
            if "; " in t.value and not t.value.startswith("http") or "; http" in t.value:
                text = "; ".join(sorted(t.value.split("; ")))
            cells.append((c, text))
        out.append(tuple(cells))
    return sorted(out, key=repr)
