"""Arbitrary text never crashes cleaning or sentence splitting (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MARKUP = st.sampled_from(
    list("<>/*_[]()#`$\\&;:!^~|{}-–—'’\"“”.?,\t ")
    + [
        "<sup>1</sup>",
        "</a>",
        "<a href='x'>",
        "&amp;",
        "&#8217;",
        "&#x27;",
        "&nbsp;",
        "http://x.org/a",
        "www.x.org",
        "[^1]",
        "[a](b)",
        "**",
        "__",
        "US",
        "U.S.",
        "China",
        "Sino-",
        "-US",
        "Russia's",
        "Xi",
        "Dr.",
        "No.",
        "\u00a0",
        "\u200b",
        "\ufeff",
        "e\u0301",
        "🇯🇵",
        "\n",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(MARKUP, st.text(max_size=5)), max_size=60).map("".join))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_clean_inline_never_crashes(text):
    from framelens.corpus.cleaning import clean_inline

    line = text.replace("\n", " ")
    cleaned = clean_inline(line)
    assert len(cleaned.origin) == len(cleaned.text)
    assert all(0 <= o <= len(line) for o in cleaned.origin)


@FAST
@given(st.lists(TEXT, max_size=12), st.sampled_from(["lines", "pdf"]))
def test_clean_lines_never_crashes(lines, layout):
    from framelens.corpus.cleaning import clean_lines

    raw = [line.replace("\n", " ") for line in lines]
    starts, offset = [], 0
    for line in raw:
        starts.append(offset)
        offset += len(line) + 1
    blocks = clean_lines([(n + 1, line, start) for n, (line, start) in enumerate(zip(raw, starts))], layout)
    for block in blocks:
        assert block.cleaned.text.strip()
        assert 1 <= block.first_line <= len(raw)


@FAST
@given(TEXT)
def test_split_sentences_never_crashes(text):
    from framelens.corpus.sentences import split_sentences

    spans = split_sentences(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        previous = end


@FAST
@given(TEXT)
def test_find_mentions_never_crashes(text):
    from framelens.measures.references import find_mentions

    found = find_mentions(text)
    for row in found.itertuples():
        assert text[row.start : row.end] == row.surface


@FAST
@given(TEXT)
def test_frame_tagging_never_crashes(text):
    import framelens.measures.frames as frames
    from framelens.measures.codebook import codebook

    tags = frames.tag(text)
    assert isinstance(tags, frozenset)
    assert tags <= set(codebook().ids)
