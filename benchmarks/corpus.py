"""Generate a synthetic corpus of migration-agreement press releases with known ground truth.

    python benchmarks/corpus.py --docs 10000 --out /tmp/corpus [--seed 1]

writes
    OUT/sources/000/ ... OUT/sources/NNN/   the documents, at most 1000 files per folder
    OUT/gold.jsonl                          one gold line per document (per feed item), `file` relative to OUT/sources
    OUT/gold/NNN.jsonl                      the same lines for one shard, `file` relative to OUT/sources/NNN

so the whole corpus scores with `migkg eval OUT/gold.jsonl OUT/sources` and one shard with
`migkg eval OUT/gold/000.jsonl OUT/sources/000`. The gold lines follow the dev-set schema
(tests/data/devset/README.md). Documents come in every format the readers take (plain text, scraped page
text with navigation lines, HTML with meta tags, WordPress REST JSON, RSS 2.0 feeds of 2-3 items) and in
en/fr/es (about 50/30/20). Parties are drawn from data/reference/organizations.yaml and from countries'
governments, instrument types and themes from the SKOS labels in ontology/. About one document in twelve
reports talks with no agreement; its gold line has `"agreements": []`.

Everything is streamed: one document is built, written and forgotten at a time. The same seed gives the
same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARD = 1000
LANG_WEIGHTS = (("en", 50), ("fr", 30), ("es", 20))
FORMAT_WEIGHTS = (("txt", 25), ("scraped", 15), ("html", 30), ("json", 18), ("rss", 12))
NO_AGREEMENT = 0.08

# --------------------------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Org:
    key: str
    kind: str
    names: dict
    acronyms: dict
    gov: str | None = None  # ISO code for a government party


@dataclass
class Country:
    code: str
    names: dict            # en/fr/es short names
    fr_de: str             # "du Sénégal", "de la Tunisie", "de l'Équateur"
    cities: list           # [(en, fr, es)]


COUNTRIES = [
    Country("SN", {"en": "Senegal", "fr": "Sénégal", "es": "Senegal"}, "du Sénégal", [("Dakar",) * 3, ("Thiès",) * 3]),
    Country("MA", {"en": "Morocco", "fr": "Maroc", "es": "Marruecos"}, "du Maroc", [("Rabat",) * 3, ("Casablanca",) * 3]),
    Country("TN", {"en": "Tunisia", "fr": "Tunisie", "es": "Túnez"}, "de la Tunisie", [("Tunis", "Tunis", "Túnez"), ("Sfax",) * 3]),
    Country("NE", {"en": "Niger", "fr": "Niger", "es": "Níger"}, "du Niger", [("Niamey",) * 3, ("Agadez",) * 3]),
    Country("ML", {"en": "Mali", "fr": "Mali", "es": "Malí"}, "du Mali", [("Bamako",) * 3]),
    Country("GH", {"en": "Ghana", "fr": "Ghana", "es": "Ghana"}, "du Ghana", [("Accra",) * 3, ("Kumasi",) * 3]),
    Country("NG", {"en": "Nigeria", "fr": "Nigeria", "es": "Nigeria"}, "du Nigeria", [("Abuja",) * 3, ("Lagos",) * 3]),
    Country("KE", {"en": "Kenya", "fr": "Kenya", "es": "Kenia"}, "du Kenya", [("Nairobi",) * 3, ("Mombasa",) * 3]),
    Country("ET", {"en": "Ethiopia", "fr": "Éthiopie", "es": "Etiopía"}, "de l'Éthiopie", [("Addis Ababa", "Addis-Abeba", "Adís Abeba")]),
    Country("JO", {"en": "Jordan", "fr": "Jordanie", "es": "Jordania"}, "de la Jordanie", [("Amman", "Amman", "Amán")]),
    Country("CO", {"en": "Colombia", "fr": "Colombie", "es": "Colombia"}, "de la Colombie", [("Bogotá",) * 3, ("Cartagena",) * 3]),
    Country("EC", {"en": "Ecuador", "fr": "Équateur", "es": "Ecuador"}, "de l'Équateur", [("Quito",) * 3, ("Guayaquil",) * 3]),
    Country("PE", {"en": "Peru", "fr": "Pérou", "es": "Perú"}, "du Pérou", [("Lima",) * 3]),
    Country("MX", {"en": "Mexico", "fr": "Mexique", "es": "México"}, "du Mexique",
            [("Mexico City", "Mexico", "Ciudad de México"), ("Tapachula",) * 3, ("Monterrey",) * 3]),
    Country("ES", {"en": "Spain", "fr": "Espagne", "es": "España"}, "de l'Espagne", [("Madrid",) * 3, ("Barcelona", "Barcelone", "Barcelona")]),
    Country("IT", {"en": "Italy", "fr": "Italie", "es": "Italia"}, "de l'Italie", [("Rome", "Rome", "Roma")]),
    Country("DE", {"en": "Germany", "fr": "Allemagne", "es": "Alemania"}, "de l'Allemagne", [("Berlin", "Berlin", "Berlín")]),
    Country("CH", {"en": "Switzerland", "fr": "Suisse", "es": "Suiza"}, "de la Suisse", [("Geneva", "Genève", "Ginebra"), ("Bern", "Berne", "Berna")]),
    Country("BE", {"en": "Belgium", "fr": "Belgique", "es": "Bélgica"}, "de la Belgique", [("Brussels", "Bruxelles", "Bruselas")]),
    Country("JP", {"en": "Japan", "fr": "Japon", "es": "Japón"}, "du Japon", [("Tokyo", "Tokyo", "Tokio")]),
]
GOV_WORD = {"en": "Government of {n}", "fr": "Gouvernement {de}", "es": "Gobierno de {n}"}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
}

FIRST = {"f": ["Amina", "María", "Fatou", "Laura", "Sofía", "Grace", "Claire", "Aïcha", "Elena", "Isabel", "Nadia", "Hélène"],
         "m": ["Jean-Paul", "Carlos", "Ahmed", "Pierre", "John", "Omar", "Diego", "Samuel", "Moussa", "Thomas", "Luis", "Kwame"]}
LAST = ["Diallo", "Okafor", "Fernández", "Martin", "Haddad", "Mensah", "Rossi", "Ndiaye", "Schmidt", "Traoré", "Moreno",
        "Kamau", "Dubois", "Benali", "Vargas", "Tanaka", "Keita", "Lindqvist", "Osei", "Castillo", "Mahmoud", "Girard"]
HON = {("en", "m"): ["Mr.", "Dr.", "", ""], ("en", "f"): ["Ms.", "Dr.", "", ""], ("fr", "m"): ["M.", "", ""],
       ("fr", "f"): ["Mme", "", ""], ("es", "m"): ["el Sr.", "", ""], ("es", "f"): ["la Sra.", "", ""]}

# Posts: {acr} the organization as written (en: "IOM"; fr/es: "de l'OIM", "del ACNUR", with the article), {country} a
# country name (fr: with its preposition, "au Sénégal" is not needed: "pour le Sénégal" style is avoided).
POSTS = {
    ("en", "m"): ["Director General of {acr}", "{acr} Chief of Mission in {country}", "Executive Director of {acr}",
                  "Secretary General of {acr}", "{acr} Regional Director", "Deputy Director General of {acr}"],
    ("en", "f"): ["Director General of {acr}", "{acr} Chief of Mission in {country}", "Executive Director of {acr}",
                  "Secretary General of {acr}", "{acr} Regional Director", "Deputy Director General of {acr}"],
    ("fr", "m"): ["directeur général {acr}", "chef de mission {acr}", "directeur exécutif {acr}", "secrétaire général {acr}",
                  "directeur régional {acr}"],
    ("fr", "f"): ["directrice générale {acr}", "cheffe de mission {acr}", "directrice exécutive {acr}",
                  "secrétaire générale {acr}", "directrice régionale {acr}"],
    # Spanish press releases capitalize posts as often as not; both spellings occur.
    ("es", "m"): ["Director General {acr}", "jefe de misión {acr} en {country}", "director ejecutivo {acr}",
                  "Secretario General {acr}", "director regional {acr}"],
    ("es", "f"): ["Directora General {acr}", "jefa de misión {acr} en {country}", "directora ejecutiva {acr}",
                  "Secretaria General {acr}", "directora regional {acr}"],
}
GOV_POSTS = {
    ("en", "m"): ["Minister of Labour of {country}", "{country}'s Minister of the Interior", "Minister of Foreign Affairs of {country}"],
    ("en", "f"): ["Minister of Labour of {country}", "{country}'s Minister of the Interior", "Minister of Foreign Affairs of {country}"],
    ("fr", "m"): ["ministre du Travail", "ministre de l'Intérieur", "ministre des Affaires étrangères"],
    ("fr", "f"): ["ministre du Travail", "ministre de l'Intérieur", "ministre des Affaires étrangères"],
    ("es", "m"): ["ministro de Trabajo", "ministro del Interior", "canciller"],
    ("es", "f"): ["ministra de Trabajo", "ministra del Interior", "canciller"],
}

# --------------------------------------------------------------------------------------------------------------
# Loading the vocabularies (plain regex over the Turtle, to stay fast and dependency-free)
# --------------------------------------------------------------------------------------------------------------


def _labels(ttl: Path) -> list[dict]:
    text = ttl.read_text(encoding="utf-8")
    out = []
    for block in re.split(r"\n(?=<https://w3id\.org/migkg/vocab/)", text):
        m = re.match(r"<https://w3id\.org/migkg/vocab/[\w-]+/([\w-]+)>\s+a\s+skos:Concept", block)
        if not m:
            continue
        pref = dict((lang, s) for s, lang in re.findall(r'"([^"]+)"@(en|fr|es)', _prop(block, "skos:prefLabel")))
        alt = {"en": [], "fr": [], "es": []}
        for s, lang in re.findall(r'"([^"]+)"@(en|fr|es)', _prop(block, "skos:altLabel")):
            alt[lang].append(s)
        if all(lang in pref for lang in ("en", "fr", "es")):
            out.append({"slug": m.group(1), "pref": pref, "alt": alt})
    return out


def _prop(block: str, name: str) -> str:
    m = re.search(rf"{name}\s+(.*?)\s;\s*$", block, re.M | re.S)
    return m.group(1) if m else ""


def _organizations() -> list[Org]:
    import yaml

    out = []
    for e in yaml.safe_load((ROOT / "data/reference/organizations.yaml").read_text(encoding="utf-8")):
        names, acr = e.get("names") or {}, e.get("acronyms") or {}
        if not names.get("en") or e.get("kind") == "company":
            continue
        out.append(Org(e["key"], e.get("kind") or "organization",
                       {lang: names.get(lang) or names["en"] for lang in ("en", "fr", "es")},
                       {lang: acr.get(lang) or acr.get("en") for lang in ("en", "fr", "es")}))
    return out


# Types that the gold schema names; the rest of the SKOS scheme is "other: ...".
GOLD_TYPES = {"memorandum-of-understanding": "memorandum of understanding", "cooperation-agreement": "cooperation agreement",
              "plan-of-action": "plan of action", "framework-agreement": "framework agreement",
              "joint-declaration": "joint declaration", "letter-of-intent": "letter of intent",
              "host-country-agreement": "host country agreement"}
TYPE_WEIGHTS = {"memorandum-of-understanding": 40, "cooperation-agreement": 20, "framework-agreement": 8, "plan-of-action": 6,
                "joint-declaration": 5, "letter-of-intent": 4, "host-country-agreement": 3, "protocol": 3, "grant-agreement": 3,
                "administrative-arrangement": 2, "exchange-of-letters": 1, "relationship-agreement": 1}
# Grammatical gender of the type's head noun (fr, es) for the articles.
FEM_FR = ("lettre", "déclaration", "feuille", "convention", "entente")
FEM_ES = ("carta", "declaración", "hoja")


@dataclass
class Vocab:
    orgs: list
    types: list
    themes: list

    @classmethod
    def load(cls) -> "Vocab":
        types = [t for t in _labels(ROOT / "ontology/instrument-types.ttl") if t["slug"] in TYPE_WEIGHTS]
        themes = _labels(ROOT / "ontology/themes.ttl")
        return cls(_organizations(), types, themes)


# --------------------------------------------------------------------------------------------------------------
# Language helpers
# --------------------------------------------------------------------------------------------------------------


def fmt_date(d: dt.date, lang: str, rng: random.Random, article: bool = True) -> str:
    m = MONTHS[lang][d.month - 1]
    if lang == "en":
        return rng.choice([f"{d.day} {m} {d.year}", f"{m} {d.day}, {d.year}"])
    if lang == "fr":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{'le ' if article else ''}{day} {m} {d.year}"
    return f"{'el ' if article else ''}{d.day} de {m} de {d.year}"


def _fr_article(name: str) -> str:
    if name[0] in "AEIOUÉÈÀHaeiouéh":
        return "l'"
    first = name.split()[0].lower()
    if first in {"organisation", "union", "commission", "agence", "banque", "fondation", "communauté", "autorité",
                 "conférence", "université", "ligue", "croix-rouge", "fédération", "cour", "organización", "plateforme",
                 "coalition", "caritas", "direction", "délégation", "mission"}:
        return "la "
    return "le "


def _es_article(name: str) -> str:
    first = name.split()[0].lower()
    if first in {"fondo", "programa", "alto", "centro", "consejo", "comité", "instituto", "banco", "servicio", "mercado",
                 "sistema", "movimiento", "proceso", "foro", "departamento", "ministerio", "gobierno", "grupo"}:
        return "el "
    if first.endswith(("a", "ción", "dad", "sión")) or first in {"unión", "red", "cruz", "liga", "organización"}:
        return "la "
    return "el "


_EN_THE = {"organization", "organisation", "council", "commission", "union", "office", "programme", "program", "fund", "centre",
           "center", "bank", "agency", "community", "authority", "committee", "conference", "league", "institute", "federation",
           "secretariat", "group", "network", "platform", "forum", "process", "alliance", "association", "bureau", "movement",
           "high", "government", "ministry", "partnership", "initiative", "coalition", "service", "system", "department"}


_FR_ES_GENERIC = {"organisation", "organización", "union", "unión", "commission", "comisión", "programme", "programa", "fonds",
                  "fondo", "banque", "banco", "centre", "centro", "conseil", "consejo", "agence", "agencia", "communauté",
                  "comunidad", "bureau", "oficina", "office", "forum", "foro", "plateforme", "plataforma", "haut-commissariat",
                  "alto", "institut", "instituto", "réseau", "red", "fédération", "federación", "conférence", "conferencia"}


def with_article(name: str, lang: str, is_acr: bool, full: str | None = None) -> str:
    """The form a sentence uses in subject position: 'l'Organisation …', 'la OIM', 'IOM'."""
    if lang == "en":
        if is_acr:
            return name
        words = set(name.lower().replace(",", " ").split())
        return "the " + name if words & _EN_THE and not name.startswith(("Save ", "UN ")) else name
    if lang in ("fr", "es") and not is_acr and not set(name.lower().split()) & _FR_ES_GENERIC and " " in name \
            and re.fullmatch(r"[A-Za-z' -]+", name):
        return name
    if lang == "fr":
        if is_acr:
            return ("l'" if name[0] in "AEIOUÉ" else _fr_article(full or name)) + name
        return _fr_article(name) + name
    return _es_article(full or name) + name


def contract(text: str, lang: str) -> str:
    if lang == "fr":
        text = re.sub(r"\bde le\b", "du", text)
        text = re.sub(r"\bà le\b", "au", text)
        text = re.sub(r"\bde les\b", "des", text)
    elif lang == "es":
        text = re.sub(r"\bde el\b", "del", text)
        text = re.sub(r"\ba el\b", "al", text)
    return text


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# --------------------------------------------------------------------------------------------------------------
# One article
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Party:
    org: Org
    lang: str
    used: list = field(default_factory=list)
    mentioned: bool = False
    country: Country | None = None

    @property
    def gov(self) -> bool:
        return self.org.gov is not None

    def full(self) -> str:
        return self.org.names[self.lang]

    def acr(self) -> str | None:
        return self.org.acronyms[self.lang]

    def mention(self, rng: random.Random, *, article: bool = True) -> str:
        """First mention: full name, often with the acronym in parentheses; later: the acronym if there is one."""
        if self.gov:
            c = self.country
            if self.mentioned and rng.random() < 0.5:
                s = c.names[self.lang]
                self.used.append(s)
                return s
            s = {"en": f"Government of {c.names['en']}", "fr": f"Gouvernement {c.fr_de}", "es": f"Gobierno de {c.names['es']}"}[self.lang]
            self.used.append(s)
            self.mentioned = True
            return (({"en": "the ", "fr": "le ", "es": "el "}[self.lang]) + s) if article else s
        acr = self.acr()
        if not self.mentioned:
            self.mentioned = True
            if acr and rng.random() < 0.7:
                s = f"{self.full()} ({acr})"
                self.used.append(s)
                self.used.append(acr)  # the acronym is used from here on
                return with_article(self.full(), self.lang, False).replace(self.full(), s) if article else s
            self.used.append(self.full())
            return with_article(self.full(), self.lang, False) if article else self.full()
        if acr:
            self.used.append(acr)
            return with_article(acr, self.lang, True, self.full()) if article else acr
        self.used.append(self.full())
        return with_article(self.full(), self.lang, False) if article else self.full()

    def short(self) -> str:
        if self.gov:
            return self.country.names[self.lang]
        return self.acr() or self.full()

    def gold(self) -> dict:
        if self.gov:
            name = f"Government of {self.country.names['en']}"
            return {"name": name, "acronym": None, "names_in_text": _dedup(self.used), "kind": "government"}
        return {"name": self.org.names["en"], "acronym": self.org.acronyms["en"], "names_in_text": _dedup(self.used),
                "kind": self.org.kind}


def _dedup(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _person(rng: random.Random, gender: str | None = None) -> str:
    return f"{rng.choice(FIRST[gender or rng.choice('fm')])} {rng.choice(LAST)}"


@dataclass
class Article:
    lang: str
    title: str
    paragraphs: list
    published: dt.date
    dateline: str
    gold: dict
    url: str
    publisher: str


class Writer:
    """Builds articles from templates; one instance per corpus (the vocabularies load once)."""

    def __init__(self, vocab: Vocab):
        self.v = vocab
        self.type_slugs = [t["slug"] for t in vocab.types]
        self.type_w = [TYPE_WEIGHTS[s] for s in self.type_slugs]
        self.type_by = {t["slug"]: t for t in vocab.types}
        self.igos = [o for o in vocab.orgs if o.kind != "government body"]

    # ---- pieces
    def _type_label(self, slug: str, lang: str, rng: random.Random) -> str:
        t = self.type_by[slug]
        label = t["pref"][lang]
        if lang == "en" and slug == "memorandum-of-understanding" and rng.random() < 0.3:
            label = "Memorandum of Understanding (MoU)"
        if lang == "fr" and slug == "memorandum-of-understanding" and rng.random() < 0.4:
            label = "protocole d'accord"
        if lang == "es" and slug == "memorandum-of-understanding" and rng.random() < 0.3:
            label = "memorando de entendimiento"
        return label

    def _indef(self, label: str, lang: str) -> str:
        low = label.lower()
        if lang == "en":
            return ("an " if low[0] in "aeiou" else "a ") + label
        if lang == "fr":
            return ("une " if low.startswith(FEM_FR) else "un ") + label
        return ("una " if low.startswith(FEM_ES) else "un ") + label

    def _def(self, label: str, lang: str) -> str:
        low = label.lower()
        if lang == "en":
            return "the " + label
        if lang == "fr":
            return ("l'" if low[0] in "aeiouéh" else "la " if low.startswith(FEM_FR) else "le ") + label
        return ("la " if low.startswith(FEM_ES) else "el ") + label

    def _themes(self, lang: str, rng: random.Random, k: int):
        picks = rng.sample(self.v.themes, k)
        words = []
        for t in picks:
            alts = [a for a in t["alt"][lang] if len(a) > 5]
            words.append(rng.choice(alts) if alts and rng.random() < 0.4 else t["pref"][lang])
        return picks, words

    @staticmethod
    def _join(items: list, lang: str) -> str:
        conj = {"en": "and", "fr": "et", "es": "y"}[lang]
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + f" {conj} " + items[-1]

    def _pick_parties(self, lang: str, rng: random.Random):
        a = Party(rng.choice(self.igos), lang)
        if rng.random() < 0.3:
            c = rng.choice(COUNTRIES)
            names = {"en": f"Government of {c.names['en']}", "fr": f"Gouvernement {c.fr_de}", "es": f"Gobierno de {c.names['es']}"}
            b = Party(Org(f"gov-{c.code.lower()}", "government", names, {"en": None, "fr": None, "es": None}, gov=c.code),
                      lang, country=c)
        else:
            o = rng.choice(self.igos)
            while o.key == a.org.key:
                o = rng.choice(self.igos)
            b = Party(o, lang)
        if rng.random() < 0.5:
            a, b = b, a
        return a, b

    def _other_org(self, rng, exclude) -> Org:
        o = rng.choice(self.igos)
        while o.key in exclude:
            o = rng.choice(self.igos)
        return o

    # ---- an article
    def article(self, idx: int, lang: str, rng: random.Random) -> Article:
        published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 10))
        host = rng.choice(COUNTRIES)
        li = {"en": 0, "fr": 1, "es": 2}[lang]
        city = rng.choice(host.cities)
        dateline_city = city[li]
        dateline = f"{dateline_city}, {fmt_date(published, lang, rng, article=False)} –"
        if rng.random() < NO_AGREEMENT:
            return self._no_agreement(idx, lang, rng, published, dateline, host, city)
        a, b = self._pick_parties(lang, rng)
        slug = rng.choices(self.type_slugs, self.type_w)[0]
        tlabel = self._type_label(slug, lang, rng)
        picks, theme_words = self._themes(lang, rng, rng.choice((1, 2, 2, 3)))
        announced = rng.random() < 0.12
        today = not announced and rng.random() < 0.12
        if announced:
            signed = published + dt.timedelta(days=rng.randrange(2, 40))
        elif today:
            signed = published
        else:
            signed = published - dt.timedelta(days=rng.randrange(0, 12))
        place_c = host if rng.random() < 0.8 else rng.choice(COUNTRIES)
        pcity = rng.choice(place_c.cities)
        with_place = rng.random() < 0.85
        T = self._templates(lang)
        ctx = dict(type=self._indef(tlabel, lang), the_type=self._def(tlabel, lang),
                   date=fmt_date(signed, lang, rng), city=pcity[li], themes=self._join(theme_words, lang))
        paragraphs = []
        # lead sentence
        key = "announce" if announced else "today" if today else "signed"
        options = [t for t in T[key] if with_place == ("{city}" in t)] or T[key]
        tpl = rng.choice(options)
        with_place = "{city}" in tpl
        ctx["A"], ctx["B"] = a.mention(rng), b.mention(rng)
        lead = cap(contract(tpl.format(**ctx), lang))
        paragraphs.append(lead)
        # background / themes
        ctx["A"], ctx["B"] = a.mention(rng), b.mention(rng)
        paragraphs.append(cap(contract(rng.choice(T["background"]).format(**ctx), lang)))
        # signatories
        signatories = []
        if rng.random() < 0.7:
            sigs = []
            for p in (a, b) if rng.random() < 0.7 else (a,):
                gender = rng.choice("fm")
                name = _person(rng, gender)
                if p.gov:
                    post = rng.choice(GOV_POSTS[lang, gender]).format(country=p.country.names[lang])
                else:
                    acr = p.short() if lang == "en" else contract("de " + with_article(p.short(), lang, bool(p.acr()), p.full()), lang)
                    post = rng.choice(POSTS[lang, gender]).format(acr=acr, country=host.names[lang])
                hon = rng.choice(HON[lang, gender])
                sigs.append((f"{hon} {name}".strip(), name, post, p))
                signatories.append({"name": name, "title": post, "on_behalf_of": p.short()})
            fut = "_future" if announced else ""
            if len(sigs) == 2:
                (h1, _, p1, _), (h2, _, p2, _) = sigs
                s = rng.choice(T["sig2" + fut]).format(P1=h1, post1=p1, P2=h2, post2=p2, the_type=ctx["the_type"])
            else:
                h1, _, p1, party = sigs[0]
                s = rng.choice(T["sig1" + fut]).format(P1=h1, post1=p1, X=party.short(), the_type=ctx["the_type"])
            paragraphs.append(cap(contract(s, lang)))
        # distractors
        exclude = {a.org.key, b.org.key}
        if rng.random() < 0.4:
            f = Party(self._other_org(rng, exclude), lang)
            exclude.add(f.org.key)
            paragraphs.append(cap(contract(rng.choice(T["funder"]).format(F=f.mention(rng)), lang)))
        if rng.random() < 0.3:
            w = Party(self._other_org(rng, exclude), lang)
            exclude.add(w.org.key)
            paragraphs.append(cap(contract(rng.choice(T["witness"]).format(P=_person(rng), W=w.mention(rng, article=False),
                                                                           X=w.short()), lang)))
        # renewal, validity
        builds_on = None
        if rng.random() < 0.15:
            year = signed.year - rng.randrange(3, 15)
            first = self._type_label(rng.choice(["memorandum-of-understanding", "cooperation-agreement"]), lang, rng)
            ctx2 = dict(ctx, year=year, first=self._indef(first.replace("Memorandum of Understanding (MoU)", "memorandum of understanding"), lang))
            ctx2["A"], ctx2["B"] = a.mention(rng), b.mention(rng)
            paragraphs.append(cap(contract(rng.choice(T["renewal"]).format(**ctx2), lang)))
            builds_on = f"{first} signed in {year}"
        valid_from = valid_until = None
        r = rng.random()
        if r < 0.12:
            until = dt.date(signed.year + rng.randrange(2, 6), 12, 31)
            paragraphs.append(cap(contract(rng.choice(T["valid_until"]).format(the_type=ctx["the_type"], date=fmt_date(until, lang, rng, article=False)), lang)))
            valid_until = until.isoformat()
        elif r < 0.2:
            y1, y2 = signed.year, signed.year + rng.randrange(2, 5)
            paragraphs.append(cap(contract(rng.choice(T["valid_span"]).format(the_type=ctx["the_type"], y1=y1, y2=y2), lang)))
            valid_from, valid_until = str(y1), str(y2)
        elif r < 0.3:
            paragraphs.append(cap(contract(rng.choice(T["valid_len"]).format(the_type=ctx["the_type"]), lang)))
        # closing / about
        paragraphs.append(cap(contract(rng.choice(T["closing"]).format(A=a.short(), B=b.short()), lang)))
        about = b if b.gov else a if not a.gov else None
        tail = []
        if about is not None and rng.random() < 0.5:
            tail.append(T["about"].format(X=about.short(), full=about.full()))
        title = cap(contract(rng.choice(T["title_announce" if announced else "title"]).format(
            A=a.short(), B=b.short(), type=tlabel.replace(" (MoU)", ""), themes=theme_words[0]), lang))
        status = "to be signed" if announced else "signed"
        agreement = {
            "type": GOLD_TYPES.get(slug, f"other: {self.type_by[slug]['pref']['en']}"),
            "status": status,
            "parties": [a.gold(), b.gold()],
            "signed_on": signed.isoformat(),
            "date_basis": "relative-to-publication" if today else "stated",
            "place": f"{pcity[0]}, {place_c.names['en']}" if with_place else None,
            "signatories": signatories,
            "themes": [t["pref"]["en"] for t in picks],
            "valid_from": valid_from, "valid_until": valid_until, "builds_on": builds_on,
        }
        return self._finish(idx, lang, title, paragraphs + tail, published, dateline, [agreement], rng,
                            notes="Synthetic document (benchmarks/corpus.py).")

    def _no_agreement(self, idx, lang, rng, published, dateline, host, city):
        a, b = self._pick_parties(lang, rng)
        T = self._templates(lang)
        picks, words = self._themes(lang, rng, 2)
        li = {"en": 0, "fr": 1, "es": 2}[lang]
        ctx = dict(A=a.mention(rng), B=b.mention(rng), city=city[li], themes=self._join(words, lang),
                   date=fmt_date(published, lang, rng))
        paragraphs = [cap(contract(rng.choice(T["talks"]).format(**ctx), lang)),
                      cap(contract(rng.choice(T["talks2"]).format(A=a.short(), B=b.short(), themes=ctx["themes"]), lang))]
        title = cap(contract(rng.choice(T["title_talks"]).format(A=a.short(), B=b.short(), themes=words[0]), lang))
        return self._finish(idx, lang, title, paragraphs, published, dateline, [], rng,
                            notes="Synthetic document (benchmarks/corpus.py): talks, no agreement.")

    def _finish(self, idx, lang, title, paragraphs, published, dateline, agreements, rng, notes):
        site = rng.choice(PUBLISHERS[lang])
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:60].strip("-")
        url = f"https://{site[1]}/{published.year}/{published.month:02d}/{slug}-{idx}"
        gold = {"id": None, "file": None, "url": url, "title": title, "language": lang, "published": published.isoformat(),
                "agreements": agreements, "notes": notes}
        return Article(lang, title, paragraphs, published, dateline, gold, url, site[0])

    # ---- templates
    @staticmethod
    def _templates(lang: str) -> dict:
        return TEMPLATES[lang]


PUBLISHERS = {
    "en": [("Migration News Wire", "news.migrationwire.example"), ("Partnerships Digest", "digest.example.org"),
           ("Global Mobility Times", "mobilitytimes.example.com")],
    "fr": [("Actualités Migrations", "actu-migrations.example.fr"), ("Le Courrier des Partenariats", "courrier.example.org")],
    "es": [("Noticias de Movilidad", "movilidad.example.com"), ("Agencia Migraciones Hoy", "migracioneshoy.example.org")],
}

TEMPLATES = {
    "en": {
        "signed": [
            "{A} and {B} signed {type} on {date} in {city} to strengthen their cooperation on {themes}.",
            "On {date}, {A} and {B} signed {type} in {city}, aimed at {themes}.",
            "{A} has signed {type} with {B} on {themes}; the document was signed in {city} on {date}.",
            "{A} and {B} have concluded {type} focusing on {themes}, signed on {date} in {city}.",
            "{A} and {B} on {date} inked {type} in {city} covering {themes}.",
            "{A} signed {type} with {B} on {date} to work together on {themes}.",
        ],
        "today": [
            "{A} and {B} today signed {type} in {city} to step up joint work on {themes}.",
            "{A} signed {type} with {B} today in {city}, focusing on {themes}.",
            "{A} and {B} signed {type} today covering {themes}.",
        ],
        "announce": [
            "{A} and {B} will sign {type} on {date} in {city} to boost cooperation on {themes}.",
            "{A} is set to sign {type} with {B} in {city} on {date}, covering {themes}.",
            "{A} and {B} are expected to sign {type} on {date} on {themes}.",
        ],
        "background": [
            "Under the agreement, {A} and {B} will cooperate on {themes}, share data and organize joint training.",
            "The partners intend to pool their expertise on {themes} over the coming years.",
            "The document sets out how {A} and {B} will coordinate their programmes, with a focus on {themes}.",
        ],
        "sig2": [
            "{the_type} was signed by {P1}, {post1}, and {P2}, {post2}.",
            "{P1}, {post1}, and {P2}, {post2}, signed {the_type} on behalf of their institutions.",
        ],
        "sig1": [
            "{the_type} was signed by {P1}, {post1}.",
            "Signing for {X} was {P1}, {post1}.",
        ],
        "sig2_future": [
            "{the_type} will be signed by {P1}, {post1}, and {P2}, {post2}.",
            "{P1}, {post1}, and {P2}, {post2}, will sign {the_type} on behalf of their institutions.",
        ],
        "sig1_future": ["{the_type} will be signed by {P1}, {post1}.", "{P1}, {post1}, will sign for {X}."],
        "funder": [
            "The programme is funded by {F}.",
            "Activities under the agreement will be financed by {F}.",
            "The initiative receives financial support from {F}.",
        ],
        "witness": [
            "The ceremony took place in the presence of {P}, a senior official of {W}.",
            "Representatives of {W} attended the event as observers.",
            "{P} of {X} welcomed the partnership in a statement issued after the ceremony.",
        ],
        "renewal": [
            "The new agreement builds on {first} that {A} and {B} signed in {year}.",
            "It renews {first} signed by the two organizations in {year}.",
            "The document updates a previous agreement between the partners, signed in {year}.",
        ],
        "valid_until": ["{the_type} is valid until {date}.", "{the_type} will remain in force until {date}."],
        "valid_span": ["{the_type} covers the period {y1}–{y2}.", "Activities will run under {the_type} in {y1}-{y2}."],
        "valid_len": ["{the_type} is valid for three years.", "{the_type} will run for an initial period of two years."],
        "closing": [
            "Both sides said they would set up a joint working group to follow up on implementation.",
            "{A} and {B} will report on progress at their next annual review.",
            "A first joint activity is expected before the end of the year.",
        ],
        "about": "About {X}: {full} works with governments and partners to promote safe, humane and orderly migration.",
        "talks": [
            "{A} and {B} held talks in {city} on {date} on {themes}.",
            "Senior officials of {A} and {B} met in {city} to discuss {themes}.",
        ],
        "talks2": [
            "The two sides exchanged views on {themes} and agreed to stay in touch.",
            "{A} and {B} discussed possible future cooperation, but no agreement was signed at this stage.",
        ],
        "title": ["{A} and {B} sign {type} on {themes}", "{A}, {B} sign {type}", "{A} and {B} seal {type}"],
        "title_announce": ["{A} and {B} to sign {type} on {themes}", "{A} and {B} set to sign {type}"],
        "title_talks": ["{A} and {B} discuss {themes}", "{A} and {B} hold talks on {themes}"],
    },
    "fr": {
        "signed": [
            "{A} et {B} ont signé {type} {date} à {city} afin de renforcer leur coopération en matière de {themes}.",
            "{date}, {A} et {B} ont signé à {city} {type} portant sur {themes}.",
            "{A} a signé {type} avec {B} {date} à {city}, consacré à {themes}.",
            "{A} et {B} ont conclu {date} {type} sur {themes}.",
        ],
        "today": [
            "{A} et {B} ont signé aujourd'hui à {city} {type} portant sur {themes}.",
            "{A} a signé ce jour {type} avec {B} sur {themes}.",
        ],
        "announce": [
            "{A} et {B} signeront {type} {date} à {city} en matière de {themes}.",
            "{A} va signer {type} avec {B} {date} à {city}, portant sur {themes}.",
        ],
        "background": [
            "Aux termes de cet accord, {A} et {B} coopéreront en matière de {themes}.",
            "Les partenaires entendent mettre en commun leur expertise sur {themes} au cours des prochaines années.",
            "Le document précise comment {A} et {B} coordonneront leurs programmes, notamment sur {themes}.",
        ],
        "sig2": [
            "{the_type} a été signé par {P1}, {post1}, et {P2}, {post2}.",
            "{P1}, {post1}, et {P2}, {post2}, ont signé {the_type} au nom de leurs institutions.",
        ],
        "sig1": ["{the_type} a été signé par {P1}, {post1}.", "{P1}, {post1}, a signé {the_type} au nom de son organisation."],
        "sig2_future": ["{the_type} sera signé par {P1}, {post1}, et {P2}, {post2}.",
                        "{P1}, {post1}, et {P2}, {post2}, signeront {the_type} au nom de leurs institutions."],
        "sig1_future": ["{the_type} sera signé par {P1}, {post1}."],
        "funder": ["Le programme est financé par {F}.", "Les activités prévues seront financées par {F}."],
        "witness": [
            "La cérémonie s'est déroulée en présence de {P}, haut responsable de {W}.",
            "Des représentants de {W} ont assisté à la cérémonie en qualité d'observateurs.",
        ],
        "renewal": [
            "Ce nouvel accord s'appuie sur {first} signé par {A} et {B} en {year}.",
            "Il fait suite à {first} conclu entre les deux organisations en {year}.",
        ],
        "valid_until": ["{the_type} est valable jusqu'au {date}."],
        "valid_span": ["{the_type} couvre la période {y1}-{y2}."],
        "valid_len": ["{the_type} est conclu pour une durée de trois ans."],
        "closing": [
            "Les deux parties mettront en place un groupe de travail conjoint pour assurer le suivi.",
            "Un premier bilan est prévu d'ici la fin de l'année.",
        ],
        "about": "À propos de {X} : {full} œuvre avec les gouvernements et ses partenaires pour une migration sûre et ordonnée.",
        "talks": [
            "{A} et {B} ont tenu des consultations à {city} {date} sur {themes}.",
            "Des responsables de {A} et de {B} se sont réunis à {city} pour examiner {themes}.",
        ],
        "talks2": [
            "Les deux parties ont échangé sur {themes} et sont convenues de rester en contact.",
            "Aucun accord n'a été signé à ce stade, ont précisé {A} et {B}.",
        ],
        "title": ["{A} et {B} signent {type} sur {themes}", "Signature d'un {type} entre {A} et {B}"],
        "title_announce": ["{A} et {B} vont signer {type}"],
        "title_talks": ["{A} et {B} échangent sur {themes}"],
    },
    "es": {
        "signed": [
            "{A} y {B} firmaron {type} {date} en {city} para fortalecer su cooperación en {themes}.",
            "{date}, {A} y {B} suscribieron en {city} {type} sobre {themes}.",
            "{A} firmó {type} con {B} {date} en {city}, centrado en {themes}.",
            "{A} y {B} firmaron {date} {type} en materia de {themes}.",
        ],
        "today": [
            "{A} y {B} firmaron hoy en {city} {type} sobre {themes}.",
            "{A} firmó hoy {type} con {B} en materia de {themes}.",
        ],
        "announce": [
            "{A} y {B} firmarán {type} {date} en {city} sobre {themes}.",
            "{A} va a firmar {type} con {B} {date} en {city} en materia de {themes}.",
        ],
        "background": [
            "En virtud del acuerdo, {A} y {B} cooperarán en {themes}.",
            "Las partes se proponen aunar sus conocimientos sobre {themes} en los próximos años.",
        ],
        "sig2": [
            "{the_type} fue firmado por {P1}, {post1}, y {P2}, {post2}.",
            "{P1}, {post1}, y {P2}, {post2}, firmaron {the_type} en nombre de sus instituciones.",
        ],
        "sig1": ["{the_type} fue firmado por {P1}, {post1}.", "{P1}, {post1}, firmó {the_type} en representación de su institución."],
        "sig2_future": ["{the_type} será firmado por {P1}, {post1}, y {P2}, {post2}.",
                        "{P1}, {post1}, y {P2}, {post2}, firmarán {the_type} en nombre de sus instituciones."],
        "sig1_future": ["{the_type} será firmado por {P1}, {post1}."],
        "funder": ["El programa está financiado por {F}.", "Las actividades serán financiadas por {F}."],
        "witness": [
            "La ceremonia se celebró en presencia de {P}, alto funcionario de {W}.",
            "Representantes de {W} asistieron al acto como observadores.",
        ],
        "renewal": [
            "El nuevo acuerdo renueva {first} firmado por {A} y {B} en {year}.",
            "Se basa en {first} anterior, suscrito por ambas organizaciones en {year}.",
        ],
        "valid_until": ["{the_type} estará vigente hasta el {date}."],
        "valid_span": ["{the_type} abarca el periodo {y1}-{y2}."],
        "valid_len": ["{the_type} tendrá una vigencia de tres años."],
        "closing": [
            "Ambas partes crearán un grupo de trabajo conjunto para dar seguimiento a la implementación.",
            "Se prevé una primera actividad conjunta antes de fin de año.",
        ],
        "about": "Acerca de {X}: {full} trabaja con gobiernos y socios por una migración segura, ordenada y regular.",
        "talks": [
            "{A} y {B} mantuvieron conversaciones en {city} {date} sobre {themes}.",
            "Altos funcionarios de {A} y {B} se reunieron en {city} para analizar {themes}.",
        ],
        "talks2": [
            "Ambas partes intercambiaron opiniones sobre {themes} y acordaron mantener el contacto.",
            "Por ahora no se firmó ningún acuerdo, precisaron {A} y {B}.",
        ],
        "title": ["{A} y {B} firman {type} sobre {themes}", "{A} y {B} suscriben {type}"],
        "title_announce": ["{A} y {B} firmarán {type}"],
        "title_talks": ["{A} y {B} dialogan sobre {themes}"],
    },
}

# --------------------------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------------------------

NAV = {
    "en": ["Home", "News", "Press releases", "Who we are", "Our work", "Where we work", "Get involved", "Data and research",
           "Contact", "Search", "Menu", "Donate", "Careers", "Publications"],
    "fr": ["Accueil", "Actualités", "Communiqués", "Qui sommes-nous", "Notre action", "Publications", "Contact",
           "Rechercher", "Menu", "Faire un don", "Carrières"],
    "es": ["Inicio", "Noticias", "Comunicados", "Quiénes somos", "Nuestro trabajo", "Publicaciones", "Contacto", "Buscar",
           "Menú", "Donar", "Empleo"],
}
FOOTER = {
    "en": ["Share this page", "Facebook", "Twitter", "LinkedIn", "Privacy policy", "Terms of use", "© All rights reserved"],
    "fr": ["Partager", "Facebook", "Twitter", "Politique de confidentialité", "Mentions légales", "© Tous droits réservés"],
    "es": ["Compartir", "Facebook", "Twitter", "Política de privacidad", "Aviso legal", "© Todos los derechos reservados"],
}
BANNER = {"en": "PRESS RELEASE", "fr": "COMMUNIQUÉ DE PRESSE", "es": "COMUNICADO DE PRENSA"}
CONTACT = {"en": "For more information, please contact the media team: press@partners.example.org",
           "fr": "Pour plus d'informations, veuillez contacter le service de presse : presse@partners.example.org",
           "es": "Para más información, contacte con la oficina de prensa: prensa@partners.example.org"}
LOCALE = {"en": "en_US", "fr": "fr_FR", "es": "es_ES"}


def _body_paragraphs(a: Article) -> list[str]:
    return [f"{a.dateline} {a.paragraphs[0]}"] + a.paragraphs[1:]


def render_txt(a: Article, rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.5:
        lines += [BANNER[a.lang], ""]
    lines += [a.title, ""]
    for p in _body_paragraphs(a):
        lines += [p, ""]
    lines += [CONTACT[a.lang], ""]
    return "\n".join(lines)


def render_scraped(a: Article, rng: random.Random) -> str:
    nav = rng.sample(NAV[a.lang], rng.randrange(8, len(NAV[a.lang]) + 1))
    lines = nav + [a.title]
    for p in _body_paragraphs(a):
        lines.append(p)
    lines += [CONTACT[a.lang]] + FOOTER[a.lang]
    return "\n".join(lines) + "\n"


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def render_html(a: Article, rng: random.Random) -> str:
    nav = "".join(f'<li><a href="/{i}">{_esc(n)}</a></li>' for i, n in enumerate(rng.sample(NAV[a.lang], 7)))
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in _body_paragraphs(a))
    foot = "".join(f"<li>{_esc(f)}</li>" for f in FOOTER[a.lang])
    return f"""<!DOCTYPE html>
<html lang="{a.lang}">
<head>
<meta charset="utf-8">
<title>{_esc(a.title)} | {_esc(a.publisher)}</title>
<meta property="og:title" content="{_esc(a.title)}">
<meta property="og:site_name" content="{_esc(a.publisher)}">
<meta property="og:locale" content="{LOCALE[a.lang]}">
<meta property="article:published_time" content="{a.published.isoformat()}T09:00:00+00:00">
<link rel="canonical" href="{_esc(a.url)}">
</head>
<body>
<header><nav><ul>{nav}</ul></nav></header>
<main>
<article>
<h1>{_esc(a.title)}</h1>
<div class="meta"><time datetime="{a.published.isoformat()}">{a.published.isoformat()}</time></div>
{body}
<p>{_esc(CONTACT[a.lang])}</p>
</article>
</main>
<footer><ul>{foot}</ul></footer>
</body>
</html>
"""


def render_json(a: Article, rng: random.Random, post_id: int) -> str:
    content = "".join(f"<p>{_esc(p)}</p>\n" for p in _body_paragraphs(a))
    post = {
        "id": post_id, "date": f"{a.published.isoformat()}T08:{rng.randrange(60):02d}:00",
        "guid": {"rendered": f"https://{a.url.split('/')[2]}/?p={post_id}"}, "status": "publish", "type": "post",
        "link": a.url, "title": {"rendered": _esc(a.title)}, "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": f"<p>{_esc(a.paragraphs[0][:140])}</p>"},
        "yoast_head_json": {"og_locale": LOCALE[a.lang], "og_site_name": a.publisher, "canonical": a.url},
    }
    return json.dumps(post, ensure_ascii=False)


_RFC_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_RFC_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _rfc822(d: dt.date) -> str:
    return f"{_RFC_DAYS[d.weekday()]}, {d.day:02d} {_RFC_MONTHS[d.month - 1]} {d.year} 10:00:00 +0000"


def render_rss(items: list, lang: str, rng: random.Random, feed_no: int) -> str:
    site = rng.choice(PUBLISHERS[lang])
    out = [f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{_esc(site[0])}</title>
<link>https://{site[1]}/</link>
<description>{_esc(site[0])} – feed {feed_no}</description>
<language>{lang}</language>
"""]
    for a, guid in items:
        body = "".join(f"<p>{_esc(p)}</p>" for p in _body_paragraphs(a))
        out.append(f"""<item>
<title>{_esc(a.title)}</title>
<link>{_esc(a.url)}</link>
<guid isPermaLink="false">{guid}</guid>
<pubDate>{_rfc822(a.published)}</pubDate>
<description>{_esc(a.paragraphs[0][:160])}</description>
<content:encoded><![CDATA[{body}]]></content:encoded>
</item>
""")
    out.append("</channel>\n</rss>\n")
    return "".join(out)


# --------------------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------------------

EXT = {"txt": "txt", "scraped": "txt", "html": "html", "json": "json", "rss": "xml"}


def generate(n: int, out, seed: int = 1) -> dict:
    """Write N documents (feed items count one each) under OUT; return counts. Deterministic for a seed."""
    out = Path(out)
    sources = out / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    writer = Writer(Vocab.load())
    rng = random.Random(seed)
    langs, lw = zip(*LANG_WEIGHTS)
    fmts, fw = zip(*FORMAT_WEIGHTS)
    stats = {"documents": 0, "files": 0, "agreements": 0, "formats": {}, "languages": {}}
    gold_all = (out / "gold.jsonl").open("w", encoding="utf-8")
    shard_gold = None
    shard_no = -1
    try:
        while stats["documents"] < n:
            i = stats["files"]
            if i // SHARD != shard_no:
                shard_no = i // SHARD
                if shard_gold:
                    shard_gold.close()
                (sources / f"{shard_no:03d}").mkdir(exist_ok=True)
                shard_gold = (out / "gold" / f"{shard_no:03d}.jsonl").open("w", encoding="utf-8")
            # every format and language early on, so even a small corpus has all of them
            fmt = fmts[i] if i < len(fmts) else rng.choices(fmts, fw)[0]
            lang = langs[i % 3] if i < len(fmts) + 3 else rng.choices(langs, lw)[0]
            name = f"{i:06d}.{EXT[fmt]}"
            k = min(rng.randrange(2, 4), n - stats["documents"]) if fmt == "rss" else 1
            articles = [writer.article(stats["documents"] + j, lang, rng) for j in range(k)]
            if fmt == "txt":
                text = render_txt(articles[0], rng)
            elif fmt == "scraped":
                text = render_scraped(articles[0], rng)
            elif fmt == "html":
                text = render_html(articles[0], rng)
            elif fmt == "json":
                text = render_json(articles[0], rng, 100000 + i)
            else:
                text = render_rss([(a, f"synthetic-{i:06d}-{chr(97 + j)}") for j, a in enumerate(articles)], lang, rng, i)
            (sources / f"{shard_no:03d}" / name).write_text(text, encoding="utf-8")
            for j, a in enumerate(articles):
                g = a.gold
                g["id"] = f"s{i:06d}" + (chr(97 + j) if fmt == "rss" else "")
                if fmt == "rss":
                    g["item_guid"] = f"synthetic-{i:06d}-{chr(97 + j)}"
                g["file"] = name
                shard_gold.write(json.dumps(g, ensure_ascii=False) + "\n")
                g["file"] = f"{shard_no:03d}/{name}"
                gold_all.write(json.dumps(g, ensure_ascii=False) + "\n")
                stats["agreements"] += len(g["agreements"])
            stats["documents"] += k
            stats["files"] += 1
            stats["formats"][fmt] = stats["formats"].get(fmt, 0) + k
            stats["languages"][lang] = stats["languages"].get(lang, 0) + k
    finally:
        gold_all.close()
        if shard_gold:
            shard_gold.close()
    stats["shards"] = shard_no + 1
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (feed items count one each)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    stats = generate(args.docs, args.out, args.seed)
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(stats, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
