"""A new source enters every table and changes nothing else."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from booktools import copy_project
from conftest import SEEDS

NEW_FILE = "950_test_note.txt"
NEW_TEXT = """\
A Test Note on Japan and India

Japan and India meet every year at the summit level, and their ministers talk about trade,
railways, clean energy and the safety of the sea lanes that both economies depend on.
Officials in Tokyo say that the rise of China is one reason for closer ties, while officials
in New Delhi prefer to speak of a free and open region that includes everyone who follows
the rules. Both capitals also work with the United States and with Australia in the Quad.
Critics in India ask whether the partnership delivers enough investment, and critics in
Japan ask whether India will ever sign a large trade agreement. The US welcomes the
partnership but does not lead it. China watches the meetings closely and answers with its
own diplomacy in South Asia. Whatever the outcome, this short note exists only to test how a
new source enters the corpus.
"""
NEW_ENTRY = """\
  - id: test-2023-note
    file: 950_test_note.txt
    sha256: {sha256}
    title: A Test Note on Japan and India
    title_status: stated
    authors: [T. Tester]
    publisher: framelens tests
    date:
      value: "2023-06"
      status: stated
      basis: Written for the test suite.
    kind: analysis/op-ed
    outlet_based_in: null
    units:
      - id: 2023-test-note
        about: japan-india
        title: A Test Note on Japan and India
        authors: [T. Tester]
        body: [[1, 12]]
"""


def test_a_new_source_enters_every_table_and_changes_nothing_else(tmp_path):
    from framelens.corpus.units import load_corpus, load_sentences, load_units
    from framelens.measures.references import count_mentions, mentions_table
    from framelens.tools.reproducibility import seed_checksums

    root = copy_project(tmp_path / "project")
    seeds = root / "seeds"
    raw = NEW_TEXT.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    (seeds / NEW_FILE).write_bytes(raw)
    with open(seeds / "SHA256SUMS", "a", encoding="utf-8") as sums:
        sums.write(f"{digest}  {NEW_FILE}\n")
    with open(seeds / "sources.yml", "a", encoding="utf-8") as registry:
        registry.write("\n" + NEW_ENTRY.replace("{sha256}", digest))
    assert len(NEW_TEXT.split()) in range(140, 170)

    checked = seed_checksums(seeds)
    assert NEW_FILE in set(checked["file"]) and checked["matches_SHA256SUMS"].all()

    new = "2023-test-note"
    units, old_units = load_units(seeds), load_units(SEEDS)
    assert len(units) == len(old_units) + 1
    row = units[units["unit_id"] == new].iloc[0]
    assert (row["source_id"], row["year"], row["era"], row["kind"], row["authors"]) == (
        "test-2023-note",
        2023,
        "2022-25",
        "analysis/op-ed",
        "T. Tester",
    )
    body = NEW_TEXT.split("\n", 2)[2]
    assert row["words"] == len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", body)) + 7  # + the title
    assert row["removed_lines"] == 0
    pd.testing.assert_frame_equal(units[units["unit_id"] != new].reset_index(drop=True), old_units)

    sentences, old_sentences = load_sentences(seeds), load_sentences(SEEDS)
    assert (sentences["unit_id"] == new).sum() >= 8
    pd.testing.assert_frame_equal(sentences[sentences["unit_id"] != new].reset_index(drop=True), old_sentences)

    corpus, old_corpus = load_corpus(seeds), load_corpus(SEEDS)
    mentions, old_mentions = mentions_table(corpus), mentions_table(old_corpus)
    mine = mentions[mentions["unit_id"] == new]
    assert mine.groupby("actor").size().to_dict() == {"China": 2, "United States": 2}
    assert sorted(mine["surface"]) == ["China", "China", "US", "United States"]
    assert (mine["seed_file"] == NEW_FILE).all()
    pd.testing.assert_frame_equal(mentions[mentions["unit_id"] != new].reset_index(drop=True), old_mentions)

    counts = count_mentions(mentions, corpus.sentences, corpus.units, by_form=False)
    old_counts = count_mentions(old_mentions, old_corpus.sentences, old_corpus.units, by_form=False)
    mine = counts[counts["unit_id"] == new].set_index("actor")
    assert mine["mentions"].to_dict() == {"China": 2, "United States": 2, "Russia": 0}
    assert (mine["words"] == row["words"]).all()
    assert mine.loc["China", "rate"] == pytest.approx(2000 / row["words"])
    pd.testing.assert_frame_equal(counts[counts["unit_id"] != new].reset_index(drop=True), old_counts)
