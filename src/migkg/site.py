"""A static linked-data site for a built graph: a page per resource, its Turtle and JSON-LD, indexes,
pictures, ontology documentation and server rules for content negotiation.

A resource https://w3id.org/migkg/agreement/x is written as OUT/agreement/x.html,
x.ttl and x.jsonld: the path below the base is the file path, so a rewrite rule
only appends an extension, and relative links mean the same from /agreement/x
and /agreement/x.html. Output is sorted everywhere, so a graph gives the same files.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from . import lookups, plot
from . import site_pages as H
from .errors import MigkgError
from .export import _graph, _jsonld, union
from .resources import ontology_dir
from .vocab import BASE

MKG = Namespace("https://w3id.org/migkg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
# Evidence is shown on the pages of what it supports, not as pages of its own; the ontology has its own documentation.
_NO_PAGE = ("evidence/", "ontology")
_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)*")
_RESERVED = {"index", "by-organization", "by-theme", "by-year", "network", "ontology"}


class Site:
    def __init__(self, kg: Path, base: str = BASE):
        from .store import open_embedded

        trig = Path(kg) / "graph.trig"
        if not trig.is_file():
            raise MigkgError(f"{trig}: no graph; run `migkg build` first or pass --kg DIR")
        ds = Dataset()
        ds.parse(trig, format="trig")
        self.g = union(ds)
        self.base = base
        self.where = open_embedded(kg)
        self.pages: dict[URIRef, str] = {}
        for s in sorted({s for s in self.g.subjects() if isinstance(s, URIRef)}):
            local = str(s)[len(base):] if str(s).startswith(base) else None
            # A path that is not a plain slug could climb out of OUT or clash with the site's own pages.
            if (local and _SAFE_PATH.fullmatch(local) and ".." not in local and not local.startswith(_NO_PAGE)
                    and local not in _RESERVED):
                self.pages[s] = local
        self.evidence = self._evidence()
        self.agreements = {a["iri"]: a for a in lookups.agreements(self.where)}

    # --- names and links -------------------------------------------------------------------------

    def label(self, node) -> str:
        if isinstance(node, Literal):
            return str(node)
        for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title, MKG.fileName):
            values = sorted(self.g.objects(node, p), key=lambda v: (getattr(v, "language", None) not in ("en", None), str(v)))
            if values:
                return str(values[0])
        signatory = self.g.value(node, MKG.signatory)
        if signatory is not None:
            # Signatures have no label of their own; who signed is what tells them apart.
            return f"signature of {self.label(signatory)}"
        text = str(node)
        return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]

    def href(self, node, here: str) -> str | None:
        """The relative link from the page at path HERE to NODE's page, or None when it has none."""
        text = str(node)
        if node in self.pages:
            target = self.pages[node] + ".html"
        elif text.startswith(self.base + "ontology#"):
            target = "ontology.html#" + text.split("#", 1)[1]
        else:
            return None
        return posixpath.relpath(target, posixpath.dirname(here) or ".")

    def link(self, node, here: str) -> str:
        href = self.href(node, here)
        if href is None and str(node).startswith(("http://", "https://")) and not str(node).startswith(self.base):
            href = str(node)
        return H.a(href, self.label(node), title=str(node))

    def value(self, node, here: str) -> str:
        if isinstance(node, Literal):
            lang = f" <span class='lang'>@{H.e(node.language)}</span>" if node.language else ""
            return H.e(node) + lang
        return self.link(node, here)

    @staticmethod
    def root(here: str) -> str:
        return "../" * here.count("/")

    # --- evidence --------------------------------------------------------------------------------

    def _evidence(self) -> list[dict]:
        out = []
        for ev in sorted(self.g.subjects(RDF.type, MKG.Evidence)):
            target = self.g.value(ev, OA.hasTarget)
            source = self.g.value(target, OA.hasSource) if target is not None else None
            quotes = sorted(str(self.g.value(sel, OA.exact)) for sel in (self.g.objects(target, OA.hasSelector) if target is not None else [])
                            if (sel, RDF.type, OA.TextQuoteSelector) in self.g and self.g.value(sel, OA.exact) is not None)
            out.append({"subject": self.g.value(ev, RDF.subject), "property": self.g.value(ev, RDF.predicate),
                        "value": self.g.value(ev, RDF.object), "source": source, "quote": quotes[0] if quotes else None})
        return out

    def _passages(self, evidence: list[dict], here: str, by: str) -> str:
        """Passages grouped by BY ('source' on agreement pages, quote only on source pages), each with what it supports."""
        groups: dict = defaultdict(lambda: defaultdict(list))
        for ev in evidence:
            if ev["quote"]:
                groups[ev[by] if by == "source" else None][ev["quote"]].append(ev)
        parts = []
        for key in sorted(groups, key=lambda k: str(k)):
            if key is not None:
                url = self.g.value(key, MKG.url)
                parts.append(f"<h3>{self.link(key, here)}</h3>" + (f"<p class='iri'>{H.a(str(url), str(url))}</p>" if url else ""))
            for text in sorted(groups[key]):
                supports = sorted({f"{self.link(ev['subject'], here)}: {H.e(self.label(ev['property']))} "
                                   f"{self.value(ev['value'], here)}" for ev in groups[key][text]})
                parts.append(H.quote(text) + "<p>supports " + "; ".join(supports) + "</p>")
        return "\n".join(parts)

    # --- resource pages --------------------------------------------------------------------------

    def description(self, node) -> Graph:
        out = _graph()
        for p, o in self.g.predicate_objects(node):
            out.add((node, p, o))
        return out

    def entity_page(self, node) -> str:
        here = self.pages[node]
        name = here.rsplit("/", 1)[-1]
        types = sorted(self.g.objects(node, RDF.type))
        body = [f"<h1>{H.e(self.label(node))}</h1>", f"<p class='iri'>{H.e(node)}</p>"]
        if types:
            body.append("<p>a " + ", ".join(self.link(t, here) for t in types) + "</p>")
        body.append(f"<p>Data: {H.a(name + '.ttl', 'Turtle')} · {H.a(name + '.jsonld', 'JSON-LD')}</p>")
        rows = sorted(((self.label(p), self.value(o, here)) for p, o in self.g.predicate_objects(node) if p != RDF.type))
        body.append(H.section("Facts", H.facts_table([(H.e(p), v) for p, v in rows])))
        if MKG.Organization in types or any((t, RDFS.subClassOf, MKG.Organization) in self.g for t in types):
            body.append(self._organization(node, here))
        if str(node) in self.agreements:
            parts = {node} | set(self.g.objects(node, MKG.signing))
            parts |= {s for sg in list(parts) for s in self.g.objects(sg, MKG.signature)}
            body.append(H.section("Sources and the passages they support",
                                  self._passages([ev for ev in self.evidence if ev["subject"] in parts], here, "source")))
        if MKG.SourceDocument in types:
            body.append(H.section("Passages quoted from this document",
                                  self._passages([ev for ev in self.evidence if ev["source"] == node], here, "quote")))
        if SKOS.ConceptScheme in types:
            concepts = sorted(self.g.subjects(SKOS.inScheme, node), key=lambda c: (self.label(c), str(c)))
            body.append(H.section("Concepts", H.facts_table(
                [(self.link(c, here), H.e(self.g.value(c, SKOS.definition) or "")) for c in concepts])))
        incoming = sorted({(self.label(s), self.label(p), self.link(s, here)) for s, p in self.g.subject_predicates(node)
                           if s in self.pages and s != node})
        body.append(H.section("Referred to by", H.items([f"{link} <span class='lang'>({H.e(p)})</span>" for _, p, link in incoming])))
        return H.page(self.label(node), "\n".join(body), self.root(here), alternates=name)

    def _organization(self, node, here: str) -> str:
        partners = lookups.partners(str(node), self.where)
        entries = [f"{self.link(URIRef(p['iri']), here)}: " + ", ".join(
            self.link(URIRef(a["iri"]), here) for a in p["agreements"]) for p in partners]
        svg = plot.timeline(str(node), self.where, link=lambda iri: self.href(URIRef(iri), here))
        return H.section("Partners", H.items(entries)) + H.section("Timeline of agreements", svg)

    # --- indexes ---------------------------------------------------------------------------------

    def _agreement_line(self, a: dict, here: str) -> str:
        parties = " – ".join(self.link(URIRef(p["iri"]), here) for p in a["parties"])
        return f"{H.e(a['signed_on'] or 'undated')}: {self.link(URIRef(a['iri']), here)} ({parties})"

    def index_pages(self) -> dict[str, str]:
        agreements = sorted(self.agreements.values(), key=lambda a: (a["signed_on"] or "", a["iri"]))
        kinds = {r["org"]: r.get("kindLabel") or plot.OTHER_KIND for r in lookups.orgs(self.where)}
        by_org: dict = defaultdict(list)
        by_theme: dict = defaultdict(list)
        by_year: dict = defaultdict(list)
        for a in agreements:
            for p in a["parties"]:
                by_org[p["iri"]].append(a)
            for t in a["themes"]:
                by_theme[t["iri"]].append(a)
            by_year[(a["signed_on"] or "undated")[:4] if a["signed_on"] else "undated"].append(a)
        out = {}

        def listing(groups: dict, order, heading) -> str:
            return "\n".join(H.section(heading(k), H.items([self._agreement_line(a, "") for a in groups[k]])) for k in order)

        kind_of = {o: kinds.get(o, plot.OTHER_KIND) for o in by_org}
        orgs_order = sorted(by_org, key=lambda o: (kind_of[o], self.label(URIRef(o)).lower(), o))
        body = "<h1>Agreements by organization</h1>\n" + listing(
            by_org, orgs_order, lambda o: f"{self.label(URIRef(o))} ({kind_of[o]})")
        # Section headings are text; each organization's own page is one click away in the list.
        body += H.section("Organization pages", H.items([self.link(URIRef(o), "") for o in orgs_order]))
        out["by-organization"] = H.page("Agreements by organization", body, "")
        theme_order = sorted(by_theme, key=lambda t: (self.label(URIRef(t)).lower(), t))
        body = "<h1>Agreements by theme</h1>\n" + H.items(
            [f"{self.link(URIRef(t), '')} ({len(by_theme[t])})" for t in theme_order]) + listing(
            by_theme, theme_order, lambda t: self.label(URIRef(t)))
        out["by-theme"] = H.page("Agreements by theme", body, "")
        years = sorted(by_year, key=lambda y: (y == "undated", y))
        out["by-year"] = H.page("Agreements by year", "<h1>Agreements by year</h1>\n" + listing(by_year, years, str), "")

        def kind(cls) -> list[str]:
            return [self.link(s, "") for s in sorted(self.pages, key=lambda s: (self.label(s).lower(), str(s)))
                    if (s, RDF.type, cls) in self.g]

        body = ["<h1>migkg: migration partnerships</h1>",
                f"<p>{len(agreements)} agreements between {len(by_org)} organizations, as published in press releases and news; "
                "every fact links to the passages that support it.</p>",
                H.items([H.a("by-organization.html", "Agreements by organization"), H.a("by-theme.html", "Agreements by theme"),
                         H.a("by-year.html", "Agreements by year"), H.a("network.html", "The partnership network"),
                         H.a("ontology.html", "The ontology")]),
                H.section("Agreements", H.items([self._agreement_line(a, "") for a in agreements])),
                H.section("People", H.items(kind(MKG.Person))),
                H.section("Events", H.items(kind(MKG.Event))),
                H.section("Sources", H.items(kind(MKG.SourceDocument))),
                H.section("Vocabularies", H.items(kind(SKOS.ConceptScheme)))]
        out["index"] = H.page("Home", "\n".join(body), "")
        svg = plot.network(self.where, link=lambda iri: self.href(URIRef(iri), ""))
        out["network"] = H.page("Partnership network", "<h1>The partnership network</h1>\n"
                                f"<p>{H.a('network.svg', 'The picture as SVG')}</p>\n{svg}", "")
        out["network.svg"] = svg
        return out

    # --- ontology documentation ------------------------------------------------------------------

    def ontology_docs(self, out: Path) -> str:
        """The ontology as ontology.html (pyLODE) with its Turtle and JSON-LD; returns how it was made."""
        source = ontology_dir() / "migkg.ttl"
        g = _graph()
        g.parse(source, format="turtle")
        (out / "ontology.ttl").write_text(g.serialize(format="turtle"), encoding="utf-8")
        (out / "ontology.jsonld").write_bytes(_jsonld(g))
        try:
            html = _pylode(source)
            how = "pyLODE"
        except Exception as err:  # noqa: BLE001 - any pyLODE failure falls back to our own listing
            html = self._ontology_listing(g)
            how = f"plain listing (pyLODE failed: {type(err).__name__}: {err})"
        (out / "ontology.html").write_text(html, encoding="utf-8")
        return how

    def _ontology_listing(self, g: Graph) -> str:
        parts = ["<h1>The migkg ontology</h1>"]
        for title, kinds in (("Classes", [OWL.Class]), ("Properties", [OWL.ObjectProperty, OWL.DatatypeProperty])):
            terms = sorted({s for k in kinds for s in g.subjects(RDF.type, k)}, key=str)
            rows = [(f"<span id='{H.e(str(t).rsplit('#', 1)[-1])}'>{H.e(g.value(t, RDFS.label) or t)}</span>"
                     f"<div class='iri'>{H.e(t)}</div>", H.e(g.value(t, SKOS.definition) or g.value(t, RDFS.comment) or ""))
                    for t in terms]
            parts.append(H.section(title, H.facts_table(rows)))
        return H.page("Ontology", "\n".join(parts), "", alternates="ontology")


def _pylode(source: Path) -> str:
    import logging

    # pyLODE sets up the root logger when imported and logs as it works; keep the build's output and logging as they were.
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    logging.disable(logging.INFO)
    try:
        import gc
        import warnings

        from pylode import OntPub

        # pyLODE reads its CSS without closing the file; the warning is about pyLODE, not about the site.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            html = OntPub(ontology=str(source)).make_html()
            gc.collect()
        return html
    finally:
        logging.disable(logging.NOTSET)
        root.setLevel(level)
        root.handlers[:] = handlers


HTACCESS = """\
# Content negotiation for the migkg site: /agreement/x serves x.html, x.ttl or x.jsonld as Accept asks.
# Put this file at the site's top folder (mod_rewrite, mod_headers and mod_mime).
Options -MultiViews
DirectorySlash Off
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType text/html .html
AddDefaultCharset utf-8
<IfModule mod_headers.c>
  Header append Vary Accept
</IfModule>
RewriteEngine On
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(.+)$ $1.ttl [L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(.+)$ $1.jsonld [L]
RewriteCond %{REQUEST_FILENAME}.html -f
RewriteRule ^(.+)$ $1.html [L]
"""

NGINX = """\
# Content negotiation for the migkg site in nginx. The map goes in the http {} block,
# the rest in the server {} block whose root is the site's top folder.
map $http_accept $migkg_ext {
    default                   ".html";
    "~*text/turtle"           ".ttl";
    "~*application/ld\\+json"  ".jsonld";
}

types {
    text/html            html;
    text/turtle          ttl;
    application/ld+json  jsonld;
    image/svg+xml        svg;
}
charset utf-8;
charset_types text/turtle application/ld+json;

location / {
    add_header Vary Accept;
    index index.html;
    try_files $uri $uri$migkg_ext $uri.html $uri/index.html =404;
}
"""


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def build_site(kg: Path, out: Path, base: str = BASE) -> dict:
    """Write the site for the graph in KG into OUT (emptied first); returns counts and how the ontology docs were made."""
    site = Site(kg, base)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for node, local in site.pages.items():
        _write(out / f"{local}.html", site.entity_page(node))
        description = site.description(node)
        _write(out / f"{local}.ttl", description.serialize(format="turtle"))
        _write(out / f"{local}.jsonld", _jsonld(description))
    for name, text in site.index_pages().items():
        _write(out / (name if "." in name else f"{name}.html"), text)
    how = site.ontology_docs(out)
    _write(out / ".htaccess", HTACCESS)
    _write(out / "nginx-migkg.conf", NGINX)
    return {"pages": len(site.pages), "ontology": how}
