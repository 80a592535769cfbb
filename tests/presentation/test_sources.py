"""Each source's page block says what its document states and what the registry infers."""

from __future__ import annotations

from booktools import EVIL
from framelens.presentation.sources import FIELDS, source_cards, source_statements


def test_statements_mark_stated_inferred_and_missing(corpus):
    table = source_statements(corpus)
    assert len(table) == len(FIELDS) * len(corpus.registry.sources)
    status = table.set_index(["source_id", "field"])["status"]
    value = table.set_index(["source_id", "field"])["value"]
    # the 2023 article's page names its site; the 2022 article's site is inferred
    assert (
        value[("chanakya-2023-nagial", "publisher or site")],
        status[("chanakya-2023-nagial", "publisher or site")],
    ) == (
        "Chanakya Forum",
        "stated",
    )
    assert status[("ankasam-2022-tamer", "publisher or site")] == "inferred"
    # the 2025 text has no title and names no outlet
    assert status[("gyalpo-2025", "title")] == "not stated" and value[("gyalpo-2025", "title")] == ""
    assert status[("gyalpo-2025", "publisher or site")] == "not stated"
    assert (value[("chanakya-2023-nagial", "web address")], status[("chanakya-2023-nagial", "web address")]) == (
        "www.chanakyaforum.com",
        "stated",
    )
    assert status[("gyalpo-2025", "web address")] == "not stated"
    assert set(table["status"]) <= {"stated", "inferred", "not stated"}


def test_cards_say_when_the_book_supplied_a_title(corpus):
    cards = source_cards(source_statements(corpus), corpus.units)._repr_html_()
    block = cards[cards.index("id='source-gyalpo-2025'") :]
    assert "a title supplied by this book; the document has none" in block
    others = cards[: cards.index("id='source-gyalpo-2025'")]
    assert "supplied by this book" not in others
    assert "inferred by the registry" in cards and "stated in the document" in cards


def test_cards_escape_source_text(corpus):
    table = source_statements(corpus)
    table.loc[0, "value"] = EVIL[0]
    cards = source_cards(table, corpus.units)._repr_html_()
    assert "<script>" not in cards and "&lt;script&gt;" in cards
