"""Ontology terms, declared once. A mistyped term raises (DefinedNamespace with _fail)."""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

BASE = "https://w3id.org/migkg/"


class MKG(DefinedNamespace):
    """The migkg ontology: https://w3id.org/migkg/ontology#"""

    _fail = True
    _NS = Namespace("https://w3id.org/migkg/ontology#")

    Organization: URIRef
    IntergovernmentalOrganization: URIRef
    UNAgency: URIRef
    RegionalOrganization: URIRef
    Government: URIRef
    GovernmentBody: URIRef
    NGO: URIRef
    AcademicInstitution: URIRef
    Company: URIRef
    Office: URIRef
    Agreement: URIRef
    Event: URIRef
    SigningEvent: URIRef
    Signature: URIRef
    Person: URIRef
    Place: URIRef
    SourceDocument: URIRef
    Evidence: URIRef
    party: URIRef
    instrumentType: URIRef
    status: URIRef
    signing: URIRef
    theme: URIRef
    buildsOn: URIRef
    renews: URIRef
    date: URIRef
    dateBasis: URIRef
    place: URIRef
    signature: URIRef
    partOf: URIRef
    signatory: URIRef
    onBehalfOf: URIRef
    inPost: URIRef
    validFrom: URIRef
    validUntil: URIRef
    themeWording: URIRef
    acronym: URIRef
    formerName: URIRef
    headquarters: URIRef
    memberState: URIRef
    country: URIRef
    url: URIRef
    fileName: URIRef
    format: URIRef
    contentHash: URIRef
    itemId: URIRef
    retrievedFrom: URIRef
    curatedBy: URIRef
    reason: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms migkg uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    hasBody: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef
    motivatedBy: URIRef
    describing: URIRef


SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
