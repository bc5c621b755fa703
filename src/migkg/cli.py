"""The `migkg` command: a thin layer over the library. Library errors become messages and exit codes:
0 ok, 1 the data is wrong (MigkgError), 2 usage error (UsageError or click's own)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import MigkgError, UsageError

FORMATS = ["table", "csv", "tsv", "json", "srj"]


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(2)
        except MigkgError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(e.exit_code)


def kg_option(f):
    return click.option("--kg", "kg", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
                        help="Folder of the built graph.")(f)


def endpoint_option(f):
    return click.option("--endpoint", default=None, metavar="URL",
                        help="Run against this SPARQL 1.1 endpoint instead of the built graph.")(f)


def _store(kg: Path):
    from .store import open_store

    return open_store(kg)


def _where(kg: Path, endpoint: str | None):
    """The built store, or the endpoint when one is given: lookups run the same stored queries on either."""
    if endpoint:
        from .querying import backend

        return backend(endpoint=endpoint)
    from .store import open_embedded

    return open_embedded(kg)


def filter_options(f):
    for opt in reversed([
        click.option("--theme", help="Only agreements on this theme (a label in any language, or a slug)."),
        click.option("--gcm", help="Only agreements touching this GCM objective (a number such as 5, or GCM-05)."),
        click.option("--since", help="Signed on or after this date (YYYY[-MM[-DD]])."),
        click.option("--until", help="Signed on or before this date."),
        click.option("--type", "type_", help="Only this instrument type (e.g. MoU, 'cooperation agreement')."),
        click.option("--status", help="Only this status (signed, announced)."),
    ]):
        f = opt(f)
    return f


def _emit(rows, fmt: str, columns: list[str] | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from .querying import table

    columns = columns or (list(rows[0]) if rows else [])
    click.echo(table(columns, [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]))


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="migkg")
def main():
    """migkg: a knowledge graph of migration partnerships, built from press releases and news."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@kg_option
@click.option("--strict", is_flag=True, help="Fail on the first source that cannot be read.")
@click.option("--curation", "curation_dir", type=click.Path(path_type=Path), default=Path("data/curation"), show_default=True,
              help="Folder of curated corrections (*.yaml) applied over extracted facts.")
@click.option("--base", envvar="MIGKG_BASE", metavar="IRI", default=None,
              help="Mint resource IRIs under this base, ending in '/' [env MIGKG_BASE; default https://w3id.org/migkg/].")
@click.option("--jobs", "-j", type=click.IntRange(0), default=1, show_default=True,
              help="Worker processes that read and extract sources (with 2 or more, the dumps are also "
                   "written while the graph is validated); 0 means one per core.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse what the last build extracted from sources that have not changed (kept beside --kg), and "
                   "leave the output as it is when nothing at all has changed; --no-cache rebuilds everything.")
@click.option("--progress/--no-progress", default=None,
              help="Say each stage, and every few seconds how many sources are read, on standard error "
                   "[default: when that is a terminal].")
def build(sources, kg, strict, curation_dir, base, jobs, cache, progress):
    """Build the graph from SOURCES (files or folders; default data/sources) into --kg."""
    from .pipeline import BuildReport
    from .pipeline import build as run_build

    report = BuildReport()
    if progress or (progress is None and sys.stderr.isatty()):
        report.progress = lambda line: click.echo(line, err=True)
    try:
        run_build(list(sources) or [Path("data/sources")], kg, strict=strict, curation_dir=curation_dir, report=report,
                  base=base, jobs=jobs or os.cpu_count() or 1, cache=cache)
    finally:
        # Said even when the build fails: they are often why.
        for line in report.problems:
            click.echo(line, err=True)
    click.echo(report.summary())


@main.command()
@click.argument("file", required=False, type=click.Path(exists=True, path_type=Path))
@kg_option
@endpoint_option
@click.option("--format", "fmt", type=click.Choice(["text", "ttl", "json"]), default="text", show_default=True)
def validate(file, kg, endpoint, fmt):
    """Validate a built graph (or an RDF FILE, or an endpoint's graph) against the shapes. Exit 1 if it does not conform."""
    from rdflib import Dataset

    from .validate import validate as run

    ds = Dataset()
    if endpoint:
        from .remote import construct_all

        ds = construct_all(endpoint)
    else:
        path = file or kg / "graph.trig"
        if not path.exists():
            raise MigkgError(f"{path}: no graph to validate; run `migkg build` first or give a file")
        ds.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    result = run(ds)
    click.echo({"text": result.text, "ttl": result.turtle, "json": result.json}[fmt]())
    sys.exit(0 if result.conforms else 1)


@main.command("queries")
def list_queries():
    """List the stored queries with their summaries."""
    from .querying import list_queries as all_queries

    for q in all_queries():
        params = " ".join(f"{p.name}=<{p.type}>" for p in q.params)
        click.echo(f"{q.name:<24} {q.summary}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@kg_option
@endpoint_option
def query(name, params, fmt, kg, endpoint):
    """Run the stored query NAME."""
    from .querying import render, run

    bound = {}
    for p in params:
        if "=" not in p:
            raise UsageError(f"--param {p!r}: write NAME=VALUE")
        k, v = p.split("=", 1)
        bound[k] = v
    result = run(name, bound, store=None if endpoint else _store(kg), endpoint=endpoint)
    click.echo(render(result, fmt))


@main.command()
@click.argument("org")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def partners(org, theme, gcm, since, until, type_, status, fmt, kg, endpoint):
    """Partners of ORG (an acronym in any language, a name or an IRI), with the agreements they share."""
    from .lookups import partners as find

    rows = find(org, _where(kg, endpoint), theme=theme, gcm=gcm, since=since, until=until, type=type_, status=status)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no partners of {org} match", err=True)
    for p in rows:
        click.echo(f"{p['acronym'] or p['label']} ({p['label']})")
        for a in p["agreements"]:
            themes = ", ".join(t["label"] for t in a["themes"][:4]) + (" …" if len(a["themes"]) > 4 else "")
            click.echo(f"  {a['signed_on'] or 'undated':<11} {a['type']} [{a['status']}]"
                       + (f", {a['place']}" if a["place"] else "") + (f"; themes: {themes}" if themes else ""))


@main.command()
@click.option("--org", help="Only agreements this organization is party to.")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def agreements(org, theme, gcm, since, until, type_, status, fmt, kg, endpoint):
    """Agreements with their facts, optionally filtered (JSON keys are documented in the README)."""
    from .lookups import agreements as find

    rows = find(_where(kg, endpoint), org=org, theme=theme, gcm=gcm, since=since, until=until, type=type_, status=status)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    flat = [{"signed_on": a["signed_on"] or "", "type": a["type"], "status": a["status"],
             "parties": " – ".join(p["acronym"] or p["label"] for p in a["parties"]), "place": a["place"] or "",
             "sources": len(a["sources"])} for a in rows]
    _emit(flat, "table", ["signed_on", "type", "status", "parties", "place", "sources"])


@main.command()
@click.argument("org")
@click.argument("org2", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def timeline(org, org2, fmt, kg, endpoint):
    """The agreements of ORG (with ORG2), oldest first, with what each builds on."""
    from .lookups import timeline as find

    rows = find(org, _where(kg, endpoint), org2)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for a in rows:
        click.echo(f"{a['signed_on'] or 'undated':<11} {a['type']} [{a['status']}]: {' – '.join(a['parties'])}")
        click.echo(f"            {a['iri']}")
        for earlier in a["builds_on"]:
            click.echo(f"            builds on {earlier}")


@main.command()
@click.argument("entity")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@kg_option
@endpoint_option
def show(entity, fmt, kg, endpoint):
    """Every fact about ENTITY, each with its sources and the passage that supports it."""
    from .lookups import show as describe

    data = describe(entity, _where(kg, endpoint))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(data["iri"])
    for f in data["facts"]:
        prop = f["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        value = f["label"] or f["value"]
        click.echo(f"  {prop}: {value}")
        if f["source"]:
            click.echo(f"      source {f['source']}: “{' '.join(f['quote'].split())[:160]}”")
        if f["curated_by"]:
            click.echo(f"      curated by {f['curated_by']}: {f['reason']}")
    if data["alternatives"]:
        click.echo("  other values sources give (not shown above; the rule in resolve.py picked one):")
        for f in data["alternatives"]:
            prop = f["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            click.echo(f"    {prop}: {f['label'] or f['value']}  source {f['source']}: “{' '.join(f['quote'].split())[:120]}”")


@main.command()
@click.option("--kind", help="Only this kind (e.g. 'UN agency', 'NGO').")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def orgs(kind, fmt, kg, endpoint):
    """Organizations by kind, with their number of agreements."""
    from .lookups import orgs as find

    _emit(find(_where(kg, endpoint), kind), fmt, ["acronym", "label", "kindLabel", "agreements"])


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def themes(fmt, kg, endpoint):
    """Thematic areas with their number of agreements and GCM objectives."""
    from .lookups import themes as find

    _emit(find(_where(kg, endpoint)), fmt, ["label", "agreements", "gcm"])


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@kg_option
@endpoint_option
def stats(fmt, kg, endpoint):
    """A data-quality overview of the built graph."""
    from .lookups import stats as find

    _emit(find(_where(kg, endpoint)), fmt, ["measure", "value"])


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "rdfxml"]), default="ttl", show_default=True)
@click.option("--gzip", "gz", is_flag=True, help="Compress the output (byte-stable gzip).")
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of standard output.")
@kg_option
def export(fmt, gz, out, kg):
    """Export the built graph in an RDF format, byte-identical across builds."""
    from rdflib import Dataset

    from .export import serialize

    path = kg / "graph.trig"
    if not path.exists():
        raise MigkgError(f"{path}: nothing to export; run `migkg build` first")
    ds = Dataset()
    ds.parse(path, format="trig")
    data = serialize(ds, fmt + (".gz" if gz else ""))
    if out:
        out.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.argument("target")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), default=Path("data/sources"), show_default=True)
@click.option("--publisher", help="Who published it, for the manifest.")
@click.option("--licence", help="Licence note for the manifest.")
def add(target, sources_dir, publisher, licence):
    """Add a source (a URL or a FILE) to data/sources and record it in the manifest."""
    from .intake import add as run

    entry = run(target, sources_dir, publisher=publisher, licence=licence)
    click.echo(f"added {sources_dir / entry['file']} ({entry['documents']} document(s)): {entry['title'] or 'untitled'}")


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--together", is_flag=True, help="Build all documents at once and score the merged agreements.")
def evaluate(gold, docs_dir, fmt, together):
    """Score extraction against a GOLD file (dev-set schema) for the documents in DOCS_DIR."""
    from .evaluation import evaluate as run

    score = run(gold, docs_dir, together=together)
    if fmt == "json":
        click.echo(json.dumps(score.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(score.table())
    if score.misses:
        click.echo("\nmisses:")
        for m in score.misses:
            click.echo(f"  {m}")


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The Graph Store Protocol address (Oxigraph: http://HOST:PORT/store; Fuseki: .../DATASET/data).")
@click.option("--graph", "graph", metavar="IRI", help="Put everything into this one graph instead of one graph per source.")
@kg_option
def push(endpoint, graph, kg):
    """Upload the built graph to a SPARQL store through the SPARQL 1.1 Graph Store Protocol."""
    from rdflib import Dataset

    from .remote import push as upload

    path = kg / "graph.trig"
    if not path.exists():
        raise MigkgError(f"{path}: nothing to push; run `migkg build` first")
    if graph and (not graph.startswith(("http://", "https://", "urn:")) or any(c in graph for c in ' <>"{}|^`\\')):
        raise UsageError(f"--graph {graph!r}: give an absolute IRI without spaces")
    ds = Dataset()
    ds.parse(path, format="trig")
    sent = upload(endpoint, ds, graph=graph)
    click.echo(f"pushed {sum(n for _, n in sent)} triples in {len(sent)} graph(s) to {endpoint}")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--graphs-per-shard", default=500, show_default=True, help="Named graphs (sources) per shard file.")
@kg_option
def shards(out, graphs_per_shard, kg):
    """Write the built graph as N-Quads shards (whole named graphs each) plus shards.json, for bulk loading."""
    from .shards import write_shards

    entries = write_shards(kg, out, graphs_per_shard=graphs_per_shard)
    click.echo(f"wrote {sum(e['quads'] for e in entries)} quads in {len(entries)} shard(s) to {out}")


@main.command(name="bulk-load")
@click.argument("shards_dir", metavar="SHARDS", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--into", "target", type=click.Choice(["oxigraph", "virtuoso"]), required=True)
@click.option("--location", type=click.Path(file_okay=False, path_type=Path),
              help="oxigraph: the store directory to load into (then `oxigraph serve --location DIR`).")
@click.option("--isql", default="127.0.0.1:1111", show_default=True, help="virtuoso: the server's isql address.")
@click.option("--user", default="dba", show_default=True, help="virtuoso: the user (password: MIGKG_VIRTUOSO_PASSWORD).")
def bulk_load(shards_dir, target, location, isql, user):
    """Load the shards with the store's own bulk loader (Oxigraph or Virtuoso); query it with --endpoint."""
    from . import bulk_load as loaders

    if target == "oxigraph":
        if location is None:
            raise UsageError("--into oxigraph needs --location DIR, the store directory to load into")
        count = loaders.into_oxigraph(shards_dir, location)
    else:
        count = loaders.into_virtuoso(shards_dir, isql=isql, user=user)
    click.echo(f"loaded {count} shard(s) into {target}")


@main.command()
@kg_option
@click.option("--port", default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address; loopback unless you say otherwise.")
def serve(kg, port, host):
    """Serve the built graph read-only as a SPARQL 1.1 endpoint (the Oxigraph server)."""
    from .server import serve as run

    run(kg, host=host, port=port)


@main.command()
@click.argument("kind", type=click.Choice(["network", "timeline"]))
@click.option("--org", help="network: only this organization and its partners; timeline: whose agreements (required).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The SVG file to write.")
@kg_option
def plot(kind, org, out, kg):
    """Draw the partnership network or an organization's timeline of agreements as SVG."""
    from . import plot as draw
    from .store import open_embedded

    if kind == "timeline" and not org:
        raise UsageError("plot timeline needs --org ORG")
    where = open_embedded(kg)
    svg = draw.network(where, org) if kind == "network" else draw.timeline(org, where)
    out.write_text(svg, encoding="utf-8")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@kg_option
def site(out, kg):
    """Write a static linked-data site (HTML, Turtle and JSON-LD per resource) for the built graph into OUT."""
    from .site import build_site

    done = build_site(kg, out)
    click.echo(f"wrote {done['pages']} resource pages to {out}; ontology documentation by {done['ontology']}")
