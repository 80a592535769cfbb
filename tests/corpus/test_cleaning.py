"""Cleaning with provenance (framelens.cleaning) and its result on the real corpus."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from framelens.corpus.cleaning import Cleaned, clean_inline, clean_lines
from framelens.corpus.units import load_units, unit_text

OFFSET = 100
QUOTES = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "«": '"',
    "»": '"',
}


def _r(*parts) -> list[int]:
    """Origins: ints and (first, last) inclusive ranges of raw-line indices, plus OFFSET."""
    out = []
    for part in parts:
        if isinstance(part, tuple):
            out += range(part[0] + OFFSET, part[1] + OFFSET + 1)
        else:
            out.append(part + OFFSET)
    return out


def _check(raw: str, text: str, origin: list[int]) -> Cleaned:
    cleaned = clean_inline(raw, OFFSET)
    assert cleaned.text == text
    assert cleaned.origin == origin
    assert len(cleaned.origin) == len(cleaned.text)
    return cleaned


# --- clean_inline: one rule at a time, exact text and exact provenance -----------------------


def test_footnote_sup_goes_entirely():
    raw = "Word<sup>12</sup> next"
    _check(raw, "Word next", _r((0, 3), 17, (18, 21)))
    assert raw[17] == " " and raw[18] == "n"


def test_footnote_sup_before_next_sentence():
    raw = "after the Perestroika period.<sup>12</sup> Russian leaders"
    c = _check(raw, "after the Perestroika period. Russian leaders", _r((0, 28), (42, 57)))
    assert raw[c.origin[29] - OFFSET] == " "


def test_footnote_sup_before_a_full_stop_leaves_no_space():
    _check("x <sup>12</sup>.", "x.", _r(0, 15))


def test_ordinal_sup_keeps_its_letters():
    raw = "the 19<sup>th</sup> century"
    c = _check(raw, "the 19th century", _r((0, 5), 11, 12, (19, 26)))
    assert raw[c.origin[6] - OFFSET : c.origin[7] - OFFSET + 1] == "th"


def test_html_tag_keeps_its_text():
    raw = "ask <i>Ellen</i> now"
    c = _check(raw, "ask Ellen now", _r((0, 3), (7, 11), (16, 19)))
    assert c.origin[4] == raw.index("E") + OFFSET


def test_markdown_link_keeps_its_label():
    raw = "see [label](http://x.org/a_b) here"
    c = _check(raw, "see label here", _r((0, 3), (5, 9), (29, 33)))
    assert c.origin[4] == raw.index("label") + OFFSET


def test_markdown_link_labelled_with_a_url_goes_entirely():
    _check("see [http://x.org](http://x.org) here", "see here", _r((0, 3), (33, 36)))
    _check("[http://x.org](http://x.org)", "", [])


def test_autolink_dropped():
    _check("at <http://x.org> now", "at now", _r((0, 2), (18, 20)))


def test_bare_url_dropped_but_full_stop_kept():
    raw = "Read https://example.org/china-russia."
    c = _check(raw, "Read.", _r((0, 3), 37))
    assert raw[c.origin[-1] - OFFSET] == "."


def test_footnote_reference_dropped():
    _check("as said[1] before", "as said before", _r((0, 6), (10, 16)))
    _check(
        "He said, “India and Japan seek partnership.”[1] On the same",
        'He said, "India and Japan seek partnership." On the same',
        _r((0, 43), (47, 58)),
    )


def test_emphasis_markers_dropped():
    raw = "*Japan's* **Global**"
    c = _check(raw, "Japan's Global", _r((1, 7), 9, (12, 17)))
    assert c.origin[0] == raw.index("J") + OFFSET == 101
    assert c.origin[8] == raw.index("G") + OFFSET


def test_escaped_dollar():
    raw = r"about \$132 billion"
    c = _check(raw, "about $132 billion", _r((0, 5), (7, 18)))
    assert c.origin[6] == raw.index("$") + OFFSET


def test_curly_quotes_become_straight():
    raw = "India’s “primary priority” and ‘change’"
    c = _check(raw, "India's \"primary priority\" and 'change'", _r((0, len(raw) - 1)))
    for i in (5, 8, 25, 31, 38):
        assert raw[c.origin[i] - OFFSET] in QUOTES and QUOTES[raw[c.origin[i] - OFFSET]] == c.text[i]


def test_whitespace_runs_collapse_and_ends_are_stripped():
    _check("a   b \t c", "a b c", _r(0, 1, 4, 5, 8))
    _check("  \u00a0a\u00a0\u00a0b  ", "a b", _r(3, 4, 6))


def test_html_entities():
    _check("Tom &amp; Jerry", "Tom & Jerry", _r((0, 4), (9, 14)))


def test_numeric_entity_for_a_curly_quote_becomes_a_straight_quote():
    # "&#8217;" is the entity for ’; a literal ’ becomes "'", so should this.
    c = clean_inline("Japan&#8217;s role", OFFSET)
    assert c.text == "Japan's role"
    assert c.origin == _r((0, 5), (12, 17))


def test_clean_inline_without_offset_maps_to_the_raw_line():
    raw = "<i>Ellen</i> [1] met *Japan's* envoy"
    c = clean_inline(raw)
    assert c.text == "Ellen met Japan's envoy"
    for ch, at in zip(c.text, c.origin):
        assert ch == raw[at] or ch == " "


# --- clean_lines -----------------------------------------------------------------------


def _triples(lines: list[str], first: int = 1, offset: int = 0) -> list[tuple[int, str, int]]:
    out = []
    for number, line in enumerate(lines, first):
        out.append((number, line, offset))
        offset += len(line) + 1
    return out


def _summary(blocks):
    return [(b.cleaned.text, b.first_line, b.heading_level, b.emphasized, b.list_item) for b in blocks]


def test_pdf_layout_joins_a_broken_sentence():
    lines = ["A sentence that", "", "continues here.", "", "Next one."]
    blocks = clean_lines(_triples(lines), "pdf")
    assert _summary(blocks) == [
        ("A sentence that continues here.", 1, 0, False, False),
        ("Next one.", 5, 0, False, False),
    ]


def test_pdf_layout_title_then_a_broken_sentence():
    lines = [" EXECUTIVE SUMMARY ", "", "A sentence that", "", "continues here.", "", "Next one."]
    triples = _triples(lines)
    blocks = clean_lines(triples, "pdf")
    assert _summary(blocks) == [
        ("EXECUTIVE SUMMARY", 1, 2, False, False),
        ("A sentence that continues here.", 3, 0, False, False),
        ("Next one.", 7, 0, False, False),
    ]
    joined = blocks[1].cleaned
    assert joined.origin[0] == triples[2][2]  # "A"
    assert joined.origin[joined.text.index("continues")] == triples[4][2]
    assert joined.origin[15] == triples[2][2] + 15  # the joining space: the line break after "that"
    assert blocks[2].cleaned.origin == list(range(triples[6][2], triples[6][2] + 9))


def test_pdf_layout_joins_a_word_broken_at_a_hyphen():
    lines = [  # seed 000, lines 85-87
        "India and Japan, and that the increasing momentum of Japan-India relations may begin to overtake US-",
        "",
        "India relations. This has not been the perception in Tokyo, though there is strong support, because of ",
    ]
    triples = _triples(lines, first=85, offset=5000)
    blocks = clean_lines(triples, "pdf")
    assert len(blocks) == 1
    text = blocks[0].cleaned.text
    assert "overtake US-India relations. This" in text
    assert text.endswith("because of")
    at = text.index("US-India")
    assert blocks[0].cleaned.origin[at + 3] == triples[2][2]  # the I of India: first char of line 87
    assert blocks[0].cleaned.origin[at + 2] == triples[0][2] + len(lines[0]) - 1  # the hyphen


def test_pdf_layout_short_hyphenated_lines():
    blocks = clean_lines(_triples(["Talks on US-", "", "India relations went well.", "", "Next."]), "pdf")
    assert [b.cleaned.text for b in blocks] == ["Talks on US-India relations went well.", "Next."]


def test_lines_layout_joins_a_page_break():
    lines = [
        "Australia has grown increasingly assertive in its response to the rise of",
        "",
        "China is a concern for both. Yes.",
        "Second line.",
        "Third line.",
        "It ended here.",
        "and this one starts in lower case.",
    ]
    triples = _triples(lines)
    blocks = clean_lines(triples, "lines")
    assert _summary(blocks) == [
        (
            "Australia has grown increasingly assertive in its response to the rise of China is a concern for both. Yes.",
            1,
            0,
            False,
            False,
        ),
        ("Second line.", 4, 0, False, False),
        ("Third line.", 5, 0, False, False),
        ("It ended here.", 6, 0, False, False),
        ("and this one starts in lower case.", 7, 0, False, False),
    ]
    first = blocks[0].cleaned
    assert first.origin[first.text.index("China")] == triples[2][2]


def test_lines_layout_joins_a_short_page_break():
    triples = _triples(["the rise of", "", "China is a concern.", "Next line."])
    blocks = clean_lines(triples, "lines")
    assert _summary(blocks) == [
        ("the rise of China is a concern.", 1, 0, False, False),
        ("Next line.", 4, 0, False, False),
    ]
    assert blocks[0].cleaned.origin == list(range(0, 12)) + list(range(13, 32))


def test_lines_layout_joins_the_real_page_break_of_seed_004():
    seed = (SEEDS / "004_128de2a04d5d959a.txt").read_text(encoding="utf-8").split("\n")
    lines = seed[239:242]  # lines 240-242: '... “assertive” facing the' / '' / 'rise of China, ...'
    blocks = clean_lines(_triples(lines, first=240), "lines")
    assert len(blocks) == 1
    assert '"assertive" facing the rise of China, could not only worsen' in blocks[0].cleaned.text
    assert blocks[0].first_line == 240


def test_lines_layout_hyphen_break():
    blocks = clean_lines(
        _triples(["The momentum may begin to overtake relations between the US-", "India pair."]), "lines"
    )
    assert [b.cleaned.text for b in blocks] == [
        "The momentum may begin to overtake relations between the US-India pair."
    ]


def test_headings():
    lines = [
        "# Title",
        "*Whole italic line*",
        "Cooperation with the US",
        "### *Create a flexible policy toward Russia.*",
        "Body text here.",
        "*“Fundamental to our diplomacy will be for us to develop a strategic diplomacy.”*",
        "—Prime Minister Shinzo Abe, January 28, 2013",
        "“Quoted epigraph line”",
        "1. Defence and security",
    ]
    triples = _triples(lines)
    blocks = clean_lines(triples, "lines")
    assert _summary(blocks) == [
        ("Title", 1, 1, False, False),
        ("Whole italic line", 2, 5, True, False),
        ("Cooperation with the US", 3, 2, False, False),
        ("Create a flexible policy toward Russia.", 4, 3, True, False),
        ("Body text here.", 5, 0, False, False),
        ('"Fundamental to our diplomacy will be for us to develop a strategic diplomacy."', 6, 0, False, False),
        ("—Prime Minister Shinzo Abe, January 28, 2013", 7, 0, False, False),
        ('"Quoted epigraph line"', 8, 0, False, False),
        ("1. Defence and security", 9, 0, False, True),
    ]
    assert blocks[0].cleaned.origin[0] == triples[0][2] + 2  # the T after "# "
    assert blocks[1].cleaned.origin[0] == triples[1][2] + 1  # the W after "*"


def test_rules_and_blank_lines_make_no_block():
    blocks = clean_lines(_triples(["## Introduction", "", "---", "", "Text."]), "lines")
    assert _summary(blocks) == [("Introduction", 1, 2, False, False), ("Text.", 5, 0, False, False)]


# --- the real corpus -------------------------------------------------------------------

UNIT_IDS = list(load_units(SEEDS)["unit_id"])


@pytest.mark.parametrize("unit_id", UNIT_IDS)
@pytest.mark.parametrize("markup", ["<sup>", "http", "www.", "](", "*", "’", "“", "‘", "”", "\u00ad"])
def test_no_markup_left_in_unit_text(unit_id, markup):
    assert markup not in unit_text(unit_id, SEEDS).text


def test_units_table_text_is_unit_text():
    units = load_units(SEEDS)
    for unit_id, text in zip(units["unit_id"], units["text"]):
        assert text == unit_text(unit_id, SEEDS).text


def test_roundtable_joins_us_india():
    text = unit_text("2014-roundtable", SEEDS).text
    assert text.count("US-India relations") == 2
    assert "US- India" not in text and "US-\n" not in text


def _seed_text(unit) -> str:
    return (SEEDS / unit.seed_file).read_text(encoding="utf-8")


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_random_characters_come_from_the_seed(unit_id):
    unit = unit_text(unit_id, SEEDS)
    seed = _seed_text(unit)
    assert len(unit.origin) == len(unit.text)
    rng = random.Random(f"framelens-{unit_id}")
    for i in rng.sample(range(len(unit.text)), 10):
        ch, source = unit.text[i], seed[int(unit.origin[i])]
        assert ch == QUOTES.get(source, source) or ch in " \n'\"", (i, ch, source)


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_every_character_comes_from_the_seed(unit_id):
    unit = unit_text(unit_id, SEEDS)
    seed = _seed_text(unit)
    mismatches = [
        (i, ch, seed[int(at)])
        for i, (ch, at) in enumerate(zip(unit.text, unit.origin))
        if ch != QUOTES.get(seed[int(at)], seed[int(at)]) and ch not in " \n"
    ]
    assert mismatches == []
    assert all(a <= b for a, b in zip(unit.origin, unit.origin[1:]))  # provenance never runs backwards


def test_seed_line_of_a_heading():
    unit = unit_text("2015-india-asano", SEEDS)
    at = unit.text.index("Cooperation with the US")
    assert unit.seed_line(at) == 405
    assert _seed_text(unit).split("\n")[404] == "## Cooperation with the US"
    assert unit.in_heading(at)


def test_seed_line_of_first_and_last_characters():
    unit = unit_text("2025-gyalpo", SEEDS)
    assert unit.seed_line(0) == 2
    assert unit.seed_line(len(unit.text) - 1) == 28
    unit = unit_text("2023-nagial", SEEDS)
    assert unit.text.startswith("Indo-Japan Security Cooperation\n\nIndo-Japan relations are embedded in history.")
    assert unit.seed_line(0) == 4
    assert unit.seed_line(unit.text.index("Indo-Japan relations")) == 9


_MARKUP_ALPHABET = list("ab Z1_*\\[]()<>/&;#.:'’“\t\u00a0\u00adhtpsfw") + [
    "http://",
    "www.",
    "<sup>",
    "</sup>",
    "&amp;",
    "](",
    "  ",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_ALPHABET), max_size=30).map("".join))
def test_markup_scan_finds_what_the_rule_finds(line):
    """`_markup` jumps between trigger characters; it must find exactly `_INLINE.finditer`'s matches."""
    from framelens.corpus.cleaning import _INLINE, _markup

    fast = [(m.span(), m.lastgroup) for m in _markup(line)]
    assert fast == [(m.span(), m.lastgroup) for m in _INLINE.finditer(line)]


def test_cleaning_is_unchanged_on_every_seed_line():
    """Every seed line cleans to the same text and origins as the straightforward rule gives."""
    for path in sorted(SEEDS.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            fast = clean_inline(line, 10)
            slow = _clean_with_rule(line, 10)
            assert (fast.text, fast.origin) == (slow.text, slow.origin), (path.name, number + 1)


def _clean_with_rule(line: str, offset: int) -> Cleaned:
    """clean_inline as first written: every alternative tried at every character."""
    from unittest import mock

    import framelens.corpus.cleaning as cleaning

    with (
        mock.patch.object(cleaning, "_markup", cleaning._INLINE.finditer),
        mock.patch.object(cleaning, "_untidy", lambda text: True),
    ):
        return cleaning.clean_inline(line, offset)


# --- linear time on hostile lines (issue 16) ---------------------------------------------------

_LINK_ALPHABET = [
    "[",
    "[[",
    "]",
    "](",
    "(",
    ")",
    "<",
    ">",
    "<http://",
    "<ftp://",
    "http://x",
    " ",
    "\n",
    "a",
    "1",
    "*",
    "<sup>",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LINK_ALPHABET), max_size=40).map("".join))
def test_markup_scan_with_runs_of_link_openers(line):
    """The stops `_markup` remembers (next "]", next ">" or space) and the "]" it has tried
    leave its matches exactly `_INLINE.finditer`'s, on lines made of link openers and closers."""
    from framelens.corpus.cleaning import _INLINE, _markup

    fast = [(m.span(), m.lastgroup) for m in _markup(line)]
    assert fast == [(m.span(), m.lastgroup) for m in _INLINE.finditer(line)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab .)\"'-]!", max_size=300), max_size=8))
def test_cleaned_pieces_and_tails_read_like_the_whole_text(pieces):
    """`Cleaned` keeps pieces; its text, length, tail and end tests equal those of the joined text."""
    from framelens.corpus.cleaning import _HYPHEN_END, _SENTENCE_END, _TERMINAL, _ends, _last_word

    cleaned, text = Cleaned(), ""
    for i, piece in enumerate(pieces):
        cleaned.append(piece, i, exact=bool(i % 2))
        text += piece
        assert len(cleaned) == len(text) and cleaned.tail(5) == text[-5:]
        for pattern in (_TERMINAL, _SENTENCE_END, _HYPHEN_END):
            assert _ends(cleaned, pattern) == bool(pattern.search(text))
        assert _last_word(cleaned) == text.rsplit(" ", 1)[-1]
    assert cleaned.text == text and len(cleaned.origin) == len(text)
    assert cleaned == Cleaned(text, list(cleaned.origin))


def test_end_tests_read_back_past_a_long_run_of_closing_marks():
    from framelens.corpus.cleaning import _TERMINAL, _ends, _last_word

    assert _ends(Cleaned("It ended." + ")" * 300, list(range(309))), _TERMINAL)
    assert not _ends(Cleaned("It went on" + ")" * 300, list(range(310))), _TERMINAL)
    assert _last_word(Cleaned("one " + "x" * 300, list(range(304)))) == "x" * 300


def _tidy_by_walk(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """The tidying rule read one character at a time (the specification `_tidy` must meet)."""
    keep: list[int] = []
    for i, ch in enumerate(text):
        last = text[keep[-1]] if keep else ""
        if ch == " " and (not keep or last == " "):
            continue
        if ch in ".,;:!?)" and last == " ":
            keep.pop()
            last = text[keep[-1]] if keep else ""
            if ch in ".,;:" and last in ".,;:":
                continue
        keep.append(i)
    kept = "".join(text[i] for i in keep)
    left, right = len(kept) - len(kept.lstrip()), len(kept.rstrip())
    return kept[left:right], [origin[i] for i in keep][left:right]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab .,;:!?)(x", max_size=60))
def test_tidy_visits_only_the_runs_and_agrees_with_the_walk(text):
    """`_tidy` jumps from one run of spaces to the next; it keeps exactly the characters (and
    their seed offsets) the character-by-character rule keeps."""
    from framelens.corpus.cleaning import _tidy

    origin = [100 + 2 * i for i in range(len(text))]
    tidied = _tidy(Cleaned(text, list(origin)))
    assert (tidied.text, tidied.origin) == _tidy_by_walk(text, origin)


def test_tidy_examples():
    from framelens.corpus.cleaning import _tidy

    for text, want in [
        ("  a  b . c", "a b. c"),
        ("2015. . Then", "2015. Then"),
        ("a . . .", "a."),
        ("x. . b", "x. b"),
        ("(see ) end ", "(see) end"),
    ]:
        assert _tidy(Cleaned(text, list(range(len(text))))).text == want


_MARKUP_ALPHABET = [
    "a",
    "b",
    " ",
    "  ",
    ".",
    ",",
    ")",
    "(",
    "’",
    "‘",
    "“",
    "”",
    "«",
    "'",
    '"',
    "\u00ad",
    "*",
    "_",
    "[",
    "]",
    "](",
    "<sup>",
    "</sup>",
    "<b>",
    "<",
    ">",
    "&amp;",
    "&#8217;",
    "\\",
    "http://",
    "www.",
    "x.org",
    "\t",
    "19",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_ALPHABET), max_size=30).map("".join))
def test_clean_text_is_the_text_of_clean_inline(line):
    """The fast path (quotes straightened by `str.replace`) gives exactly the cleaned text."""
    from framelens.corpus.cleaning import clean_inline, clean_text

    assert clean_text(line) == clean_inline(line).text


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from([" ", "  ", "\n", "\t", ".", ")", "a", "\u00a0", "\u00ad", "[", "&", "*", "_", "\\", "\u200b"]),
        max_size=12,
    ).map("".join)
)
def test_the_fast_checks_are_the_rules(line):
    """`_untidy` is `_UNTIDY.search`; `_no_markup` is never True where `_TRIGGER` finds something."""
    from framelens.corpus.cleaning import _TRIGGER, _UNTIDY, _no_markup, _untidy

    assert _untidy(line) == (_UNTIDY.search(line) is not None)
    if _no_markup(line):
        assert _TRIGGER.search(line) is None


def test_clean_text_on_every_seed_line():
    from framelens.corpus.cleaning import clean_inline, clean_text

    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 500
    assert [clean_text(line) for line in lines] == [clean_inline(line).text for line in lines]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "Z", "7", "'", "’", "-", "--", " ", "\n", "é", ".", "‘", "ab"]), max_size=16).map(
        "".join
    )
)
def test_count_words_is_the_word_rule(text):
    """`count_words` counts in C what `_WORD.findall` finds: joined words ("x-y-z", "don’t"),
    joiners that join nothing ("a--b", "-a-"), letters outside ASCII (which split words)."""
    from framelens.corpus.cleaning import _WORD, count_words

    assert count_words(text) == len(_WORD.findall(text))


def test_count_words_on_every_seed():
    from framelens.corpus.cleaning import _WORD, count_words

    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert count_words(text) == len(_WORD.findall(text)), path.name
        assert [count_words(line) for line in text.splitlines()] == [len(_WORD.findall(x)) for x in text.splitlines()]
