"""Sentence spans (framelens.sentences) and the sentences table of the real corpus."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from framelens.corpus.sentences import split_sentences
from framelens.corpus.units import load_sentences, load_units, unit_text


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    text = "The U.S. and Japan met. Dr. Smith spoke on No. 2 issues, e.g. trade. Then they left."
    assert split_sentences(text) == ((0, 23), (24, 68), (69, 84))
    assert _sentences(text) == [
        "The U.S. and Japan met.",
        "Dr. Smith spoke on No. 2 issues, e.g. trade.",
        "Then they left.",
    ]


def test_numbered_items_keep_their_numbers():
    text = "1. Defence and security. Both are pillars. 2. Trade and economic ties. Trade grew."
    assert _sentences(text) == [
        "1. Defence and security.",
        "Both are pillars.",
        "2. Trade and economic ties.",
        "Trade grew.",
    ]
    assert split_sentences(text) == ((0, 24), (25, 42), (43, 70), (71, 82))


def test_indian_honorific_is_not_an_end():
    text = "He met Sh. Narender Modi in Delhi. They talked."
    assert _sentences(text) == ["He met Sh. Narender Modi in Delhi.", "They talked."]


def test_dc_is_not_an_end():
    assert _sentences("Washington, D.C. is far.") == ["Washington, D.C. is far."]
    assert split_sentences("Washington, D.C. is far.") == ((0, 24),)


@pytest.mark.parametrize("text", ["", " ", "   \n\t ", "\n\n", "\u00a0\u2003"])
def test_empty_and_whitespace_have_no_sentences(text):
    assert split_sentences(text) == ()


def test_outer_whitespace_is_not_part_of_a_sentence():
    text = "  Lead space. Trail space.  \n"
    assert split_sentences(text) == ((2, 13), (14, 26))


def test_text_without_a_full_stop_is_one_sentence():
    assert split_sentences("  no full stop here ") == ((2, 19),)


_PIECES = st.sampled_from(
    [
        "a",
        "B",
        " ",
        "  ",
        "\n",
        "\t",
        ".",
        "..",
        ",",
        "!",
        "?",
        ";",
        ":",
        '"',
        "'",
        "(",
        ")",
        "-",
        "1",
        "2.",
        "U.S.",
        "Dr.",
        "e.g.",
        "Sh.",
        "No.",
        "D.C.",
        "…",
        "\u00a0",
        "“",
        "”",
        "Japan",
        "India",
    ]
)
_TEXTS = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=200, deadline=None, database=None)
@given(_TEXTS)
def test_spans_are_ordered_stripped_and_cover_all_text(text):
    spans = split_sentences(text)
    previous_end = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece and piece == piece.strip()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    # nothing but whitespace is left outside the sentences
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


# --- the real corpus -------------------------------------------------------------------

UNIT_IDS = list(load_units(SEEDS)["unit_id"])


def test_sentence_table_columns():
    assert list(load_sentences(SEEDS).columns) == [
        "unit_id",
        "sentence",
        "text",
        "start",
        "end",
        "seed_file",
        "seed_line",
        "is_heading",
        "heading_level",
        "section",
    ]


def test_sentences_in_unit_order_and_indexed_from_zero():
    sentences = load_sentences(SEEDS)
    assert list(dict.fromkeys(sentences["unit_id"])) == UNIT_IDS
    for unit_id, group in sentences.groupby("unit_id", sort=False):
        assert list(group["sentence"]) == list(range(len(group))), unit_id


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_sentence_text_is_its_span_of_the_unit_text(unit_id):
    sentences = load_sentences(SEEDS)
    unit = unit_text(unit_id, SEEDS)
    rows = sentences[sentences["unit_id"] == unit_id]
    assert len(rows) > 0
    previous_end = 0
    for row in rows.itertuples():
        assert row.text == unit.text[row.start : row.end]
        assert row.text == row.text.strip() and row.text
        assert row.start >= previous_end
        assert row.seed_line == unit.seed_line(row.start)
        assert row.seed_file == unit.seed_file
        previous_end = row.end


def test_russia_cooperation_with_the_us():
    sentences = load_sentences(SEEDS)
    rows = sentences[sentences["unit_id"] == "2015-russia-hirose"].reset_index(drop=True)
    hits = rows.index[rows["text"].str.contains("Cooperation with the US", regex=False)]
    assert len(hits) == 1
    heading = rows.loc[hits[0]]
    assert heading["text"] == "Cooperation with the US"
    assert bool(heading["is_heading"]) is True
    assert heading["heading_level"] == 2
    assert heading["seed_line"] == 717
    assert heading["seed_file"] == "004_128de2a04d5d959a.txt"
    assert heading["section"] == "Cooperation with the US"
    after = rows.loc[hits[0] + 1]
    assert after["text"] == "For Japan, cooperation with the US is important in overcoming its challenges with Russia."
    assert bool(after["is_heading"]) is False
    assert after["section"] == "Cooperation with the US"
    assert after["seed_line"] == 719
    before = rows.loc[hits[0] - 1]
    assert before["section"] == "Challenges for Achieving Policy Objectives"


def test_honorific_sentence_in_nagial():
    sentences = load_sentences(SEEDS)
    rows = sentences[sentences["unit_id"] == "2023-nagial"]
    texts = list(rows["text"])
    assert (
        "He is again here from 20-21 March in Delhi for bilateral talks with Hon'ble Prime Minister Sh. Narender Modi."
    ) in texts
    assert not any(t.endswith(" Sh.") for t in texts)
