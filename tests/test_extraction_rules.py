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
