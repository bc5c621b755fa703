"""Sentence splitting keeps offsets and does not cut at titles or initials."""

from migkg import sentences


def test_offsets_point_into_the_text():
    text = "IOM and ECO will sign\na MoU in Geneva.\n\nMr. Swing said so. H.E. Dr Anwar agreed."
    for s in sentences.split(text):
        assert text[s.start:s.end] == s.text


def test_wrapped_lines_join_and_headings_stand_alone():
    text = ("Who we are\nIOM and ECO to Sign Migration Management Capacity Building Pact\n"
            "IOM and the Economic Cooperation Organization (ECO) will today sign\n"
            "a Memorandum of Understanding (MoU) in Geneva on capacity building.\n")
    got = [s.text for s in sentences.split(text)]
    assert got[1] == "IOM and ECO to Sign Migration Management Capacity Building Pact"
    assert got[2].startswith("IOM and the Economic") and got[2].endswith("capacity building.")


def test_abbreviations_do_not_end_sentences():
    text = "Signed by Mr. Michael Spindelegger and Dr. Salim M. AlMalik on 7 Nov. 2020. Then more."
    assert len(sentences.split(text)) == 2
