"""`framelens mentions` reads a file a piece at a time and counts what `find_mentions` counts
in the whole text."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import SEEDS
from framelens.measures.matcher import find_mentions
from framelens.tools import cli


def _whole(text: str) -> Counter:
    found = find_mentions(text)
    return Counter(zip(found["actor"], found["form"]))


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_pieces_of_2000_characters_count_what_the_whole_text_counts(seed):
    path = SEEDS / seed
    counts = cli.count_mentions_streaming(seed, path, chunk_chars=2_000)
    assert counts == _whole(path.read_text(encoding="utf-8"))
    assert sum(counts.values()) > 0


def test_a_reference_broken_over_a_blank_line_at_a_cut_is_counted_once(tmp_path):
    """ "United\\n\\nStates" is one reference in the whole text (whitespace may separate the
    words of an entry); the cut after the blank line must not make it two or none."""
    text = "x " * 20 + "the United\n\nStates and China.\n\n" + "y " * 20 + "\n\nRussia.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    counts = cli.count_mentions_streaming("a.txt", tmp_path / "a.txt", chunk_chars=10)
    assert counts == _whole(text)
    assert sum(n for (actor, _), n in counts.items() if actor == "United States") == 1


def test_the_pieces_are_cut_after_blank_lines_and_join_to_the_text(tmp_path):
    lines = ["one two three\n", "\n", "four five\n", "six\n", "\n", "seven\n"]
    pieces = list(cli._chunks(iter(lines), chunk_chars=5))
    assert pieces == ["one two three\n\n", "four five\nsix\n\n", "seven\n"]
    assert list(cli._chunks(iter(["a" * 30 + "\n"] * 3), chunk_chars=5)) == ["a" * 30 + "\n"] * 3


def test_a_bad_byte_is_reported_at_its_offset_in_the_file(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"China here.\n\nand then \xff there\n")
    with pytest.raises(ValueError, match=r"^bad.txt: not UTF-8 text \(byte 0xff at offset 22\)$"):
        cli.count_mentions_streaming("bad.txt", tmp_path / "bad.txt")
