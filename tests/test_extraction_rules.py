"""Rules that generalise: phrasings real releases use, each found missing on a synthetic corpus and fixed
by structure, not by the strings of one document."""

import pytest

from migkg.extraction import extract
from migkg.reading import read_bytes


def _one(text: str):
    facts = extract(read_bytes(text.encode("utf-8"), source_path="article.txt")[0])
    assert len(facts.agreements) == 1, facts.agreements
    return facts.agreements[0]


def test_a_date_opening_the_sentence_is_no_signatory():
    a = _one("Geneva, 27 January 2021 - On January 26, 2021, the International Committee of the Red Cross (ICRC) and "
             "the United Nations Economic and Social Commission for Western Asia (ESCWA) signed a joint declaration in Casablanca.")
    assert a.signatories == [] and a.signed_on.value == "2021-01-26" and a.place.label == "Casablanca"


def test_two_signatories_after_one_por_and_capitalised_posts():
    a = _one("Bogotá, 3 de mayo de 2022 - La Organización Internacional para las Migraciones (OIM) y el Gobierno de Colombia "
             "firmaron un memorando de entendimiento. El acuerdo fue firmado por Pierre Martin, Jefe de Misión de la OIM en "
             "Colombia, y por Ana Gómez, Ministra de Trabajo.")
    assert [(s.name, s.post) for s in a.signatories] == [
        ("Pierre Martin", "Jefe de Misión de la OIM en Colombia"), ("Ana Gómez", "Ministra de Trabajo")]
    assert a.place is None  # the office "OIM en Colombia" is not where it was signed; the dateline neither


@pytest.mark.parametrize("text, place", [
    ("Dakar, 7 avril 2019 - L'Organisation internationale pour les migrations (OIM) a signé un accord-cadre avec le "
     "Haut-Commissariat des Nations unies pour les réfugiés (HCR) le 6 avril 2019 à Dakar.", "Dakar"),
    ("Nairobi, 27 November 2017 - The International Organization for Migration (IOM) and the World Health Organization "
     "(WHO) have concluded a memorandum of understanding focusing on migration health, signed on 26 November 2017 in "
     "Nairobi.", "Nairobi"),
    ("Tunis, 7 October 2016 - The Organization for Security and Co-operation in Europe (OSCE) is set to sign a cooperation "
     "agreement with the Southern African Development Community in Tunis on October 19, 2016.", "Tunis"),
])
def test_the_signing_place_past_a_name_or_a_purpose_clause(text, place):
    assert _one(text).place.label == place


@pytest.mark.parametrize("text", [
    "Roma, 1 de febrero de 2023 - El Gobierno de Níger va a firmar un acuerdo marco con la Organización para la "
    "Seguridad y la Cooperación en Europa (OSCE) el 11 de febrero de 2023 en Roma.",
    "Berlin, 22 juillet 2024 – Le Gouvernement du Japon et l'Organisation internationale pour les migrations (OIM) "
    "concluront bientôt un accord-cadre. L'accord-cadre sera signé par Pierre Benali, ministre de l'Intérieur.",
])
def test_a_signing_to_come_is_announced(text):
    assert _one(text).status == "announced"


def test_a_post_holds_no_second_person_and_the_signing_sentence_no_second_agreement():
    """'X, Ministro de Relaciones Exteriores' is one person and a post; 'The agreement was signed by A, UNHCR
    Representative, and B, Principal Secretary of a ministry' names who signed, not a second agreement between
    the organizations in the posts."""
    facts = extract(read_bytes((
        "Nairobi, 14 March 2024 - The UN Refugee Agency (UNHCR) and the Government of Kenya today signed a Memorandum "
        "of Understanding on the inclusion of refugees.\n\nThe agreement was signed in Nairobi by Caroline Van Buren, "
        "UNHCR Representative in Kenya, and Julius Bitok, Principal Secretary of the State Department for Immigration "
        "and Citizen Services.").encode("utf-8"), source_path="article.txt")[0])
    assert len(facts.agreements) == 1
    assert [s.name for s in facts.agreements[0].signatories] == ["Caroline Van Buren", "Julius Bitok"]
    a = _one("Bogotá, 7 de septiembre de 2023. La Agencia de la ONU para los Refugiados (ACNUR) y el Gobierno de Colombia "
             "firmaron un memorando de entendimiento. El documento fue firmado por Mireille Girard, Representante del "
             "ACNUR en Colombia, y por Álvaro Leyva, Ministro de Relaciones Exteriores.")
    assert [(s.name, s.post) for s in a.signatories] == [
        ("Mireille Girard", "Representante del ACNUR en Colombia"), ("Álvaro Leyva", "Ministro de Relaciones Exteriores")]


def test_initials_articles_and_initialling():
    """A middle initial stays in the name; an article is a word ('La Universidad', not 'Un|iversidad'); a
    document 'paraphé par' (initialled by) names its signatories."""
    a = _one("Geneva, 20 June 2023 - The International Labour Organization (ILO) and the International Organization "
             "for Migration (IOM) signed a cooperation agreement. The agreement was signed by ILO Director-General "
             "Gilbert F. Houngbo and IOM Director General Amy Pope.")
    assert [s.name for s in a.signatories] == ["Gilbert F. Houngbo", "Amy Pope"]
    a = _one("Santiago, 15 de agosto de 2022. La Universidad de Chile y la Organización Internacional para las "
             "Migraciones (OIM) suscribieron un convenio marco de cooperación.")
    assert sorted(p.org.name for p in a.parties) == ["International Organization for Migration", "Universidad de Chile"]
    a = _one("Nouakchott, 22 janvier 2021 - Le Haut Commissariat des Nations Unies pour les réfugiés (HCR) et le "
             "Gouvernement de la Mauritanie ont signé hier un protocole d'accord. Le document a été paraphé par le ministre "
             "de l'Intérieur, M. Mohamed Salem Ould Merzoug, et par le représentant du HCR en Mauritanie, M. Laurent Raguin.")
    assert [s.name for s in a.signatories] == ["Mohamed Salem Ould Merzoug", "Laurent Raguin"]


def test_an_organization_is_no_signatory_and_a_post_may_open_the_sentence():
    a = _one("Banjul, 5 July 2022 - The Government of the Gambia and the International Organization for Migration (IOM) "
             "signed a memorandum of understanding on Monday. The European Union welcomed the agreement. The Minister of "
             "Trade, Seedy Keita, signed for the Government. The Gambia Red Cross Society signed the attendance list.")
    assert [(s.name, s.post) for s in a.signatories] == [("Seedy Keita", "Minister of Trade")]


@pytest.mark.parametrize("text, other", [
    ("Geneva, 12 December 2023 - IOM and Microsoft signed a memorandum of understanding on digital skills for "
     "migrants.", "Microsoft"),
    ("Banjul, 6 July 2022 - The International Organization for Migration (IOM) and the Gambia Red Cross Society "
     "signed a letter of agreement on psychosocial support for returnees.", "Gambia Red Cross Society"),
])
def test_an_organization_no_list_knows_is_found_beside_a_known_one_as_they_sign(text, other):
    a = _one(text)
    assert sorted(p.org.name for p in a.parties) == sorted(["International Organization for Migration", other])


@pytest.mark.parametrize("text", [
    "Geneva, 12 December 2023 - IOM and John Smith signed the guest book.",   # a person, not an organization
    "Geneva, 12 December 2023 - IOM and Kenya signed a memorandum of understanding.",  # a country is found as such
])
def test_no_organization_is_made_of_a_person_or_a_country(text):
    facts = extract(read_bytes(text.encode("utf-8"), source_path="article.txt")[0])
    assert not any(m.org.kind == "organization" for m in facts.organizations)


def test_today_is_the_day_of_the_text_s_own_dateline():
    feed = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title><id>urn:x</id>'
            '<updated>2024-02-01T00:00:00Z</updated><entry><title>OIM y Ecuador</title><id>urn:e:1</id>'
            '<updated>2024-01-30T12:00:00Z</updated><content type="html">&lt;p&gt;Quito, 29 de enero de 2024 – La '
            'Organización Internacional para las Migraciones (OIM) y el Gobierno del Ecuador firmaron hoy un acuerdo de '
            'cooperación.&lt;/p&gt;</content></entry></feed>')
    doc = read_bytes(feed.encode("utf-8"), source_path="news.xml")[0]
    assert doc.published.isoformat() == "2024-01-30"  # the entry's date stays the publication date
    assert extract(doc).agreements[0].signed_on.value == "2024-01-29"


def test_a_label_before_a_colon_is_the_release_not_the_instrument():
    facts = extract(read_bytes((
        "Joint statement: UNHCR, IOM and UNICEF sign memorandum on children on the move\n\nPanama City, 18 October 2022 - "
        "The Office of the United Nations High Commissioner for Refugees (UNHCR), the International Organization for "
        "Migration (IOM) and the United Nations Children's Fund (UNICEF) signed on 17 October a memorandum of "
        "understanding on children on the move.").encode("utf-8"), source_path="article.txt")[0])
    a = facts.agreements[0]
    assert a.instrument == "memorandum-of-understanding"
    assert len(a.parties) == 3 and a.signed_on.value == "2022-10-17"
