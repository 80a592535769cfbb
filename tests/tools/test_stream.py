"""Streaming a directory of texts (framelens.stream): exact counts, bounded memory, bad input."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from framelens.measures.frames import tag
from framelens.measures.references import find_mentions
from framelens.tools.stream import analyse_directory, iter_paragraphs

# Annotated by hand (the lexicon's rules: "LET US" is the pronoun in capitals; Moscow, Beijing
# and Washington are capitals; "Chinese" a demonym; the URL and the tag are not text, so
# 12 + 15 + 6 = 33 words).
A_TXT = """\
Maritime security in the Indian Ocean matters. The US and Russia watched.

Trade and investment grew fast.
Moscow said <b>nothing</b>; Beijing and Chinese officials agreed with Washington.

LET US GO. See https://example.org/China for more.
"""
B_TXT = "Prime Minister Abe visited Delhi.\n"


@pytest.fixture()
def small_dir(tmp_path):
    (tmp_path / "a.txt").write_text(A_TXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B_TXT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("China China China\n", encoding="utf-8")  # not *.txt: not read
    return tmp_path


def test_iter_paragraphs_splits_at_blank_lines_and_keeps_line_numbers(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("one\ntwo\n\n\nthree\n  \nfour\n", encoding="utf-8")
    assert list(iter_paragraphs(path)) == [(1, "one\ntwo\n"), (5, "three\n"), (7, "four\n")]


def test_iter_paragraphs_cuts_a_paragraph_without_blank_lines(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("".join(f"line {i}\n" for i in range(1, 1001)), encoding="utf-8")
    pieces = list(iter_paragraphs(path, max_chars=100))
    assert all(len(text) <= 100 + len("line 1000\n") for _, text in pieces)
    assert "".join(text for _, text in pieces) == path.read_text()
    assert pieces[1][0] == 1 + pieces[0][1].count("\n")  # first line numbers follow on


def test_analyse_directory_counts_exactly(small_dir):
    counts = analyse_directory(small_dir)
    assert counts.files.to_dict("records") == [
        {"file": "a.txt", "bytes": len(A_TXT.encode()), "paragraphs": 3, "sentences": 6, "words": 33},
        {"file": "b.txt", "bytes": len(B_TXT.encode()), "paragraphs": 1, "sentences": 1, "words": 5},
    ]
    mentions = {(r.file, r.actor, r.form): r.mentions for r in counts.mentions.itertuples()}
    assert mentions == {
        ("a.txt", "China", "capital"): 1,
        ("a.txt", "China", "demonym"): 1,
        ("a.txt", "Russia", "name"): 1,
        ("a.txt", "Russia", "capital"): 1,
        ("a.txt", "United States", "name"): 1,
        ("a.txt", "United States", "capital"): 1,
    }
    frames = {(r.file, r.frame): r.sentences for r in counts.frames.itertuples()}
    assert frames == {("a.txt", "security"): 1, ("a.txt", "economy"): 1, ("b.txt", "leaders"): 1}
    assert list(counts.mentions.columns) == ["file", "actor", "form", "mentions"]
    assert list(counts.frames.columns) == ["file", "frame", "sentences"]


def test_analyse_directory_agrees_with_the_book_functions_on_the_seeds(tmp_path):
    """Per paragraph, the same matcher and tagger as the book: totals equal those of
    find_mentions and tag applied paragraph by paragraph to the same clean text."""
    from framelens.corpus.cleaning import clean_inline
    from framelens.corpus.sentences import sentence_spans

    seed = sorted(SEEDS.glob("*.txt"))[2]
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    counts = analyse_directory(tmp_path)
    expected_mentions, expected_frames = 0, 0
    for _, paragraph in iter_paragraphs(seed):
        text = " ".join(clean_inline(line).text for line in paragraph.splitlines())
        expected_mentions += len(find_mentions(text))
        expected_frames += sum(len(tag(text[a:b])) for a, b in sentence_spans(text))
    assert int(counts.mentions["mentions"].sum()) == expected_mentions > 0
    assert int(counts.frames["sentences"].sum()) == expected_frames > 0


def test_timings_cover_every_stage(small_dir):
    timings = {}
    analyse_directory(small_dir, timings=timings)
    assert set(timings) == {"reading", "cleaning", "splitting", "matching", "tagging"}
    assert all(seconds > 0 for seconds in timings.values())


def test_bad_input_names_the_file(tmp_path):
    with pytest.raises(NotADirectoryError, match="nowhere"):
        analyse_directory(tmp_path / "nowhere")
    (tmp_path / "good.txt").write_text("China.\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 China\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError, match="latin1.txt"):
        analyse_directory(tmp_path)


def test_reading_a_large_file_holds_one_paragraph_at_a_time(tmp_path):
    """A 20 MB file with no blank line: reading it never holds more than about max_chars."""
    path = tmp_path / "big.txt"
    line = "The US and China met again, and Russia watched from Moscow.\n"
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(20_000_000 // len(line)):
            out.write(line)
    tracemalloc.start()
    try:
        chars = sum(len(text) for _, text in iter_paragraphs(path, max_chars=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert chars == path.stat().st_size
    assert peak < 8_000_000, f"peak {peak / 1e6:.1f} MB while streaming a {chars / 1e6:.0f} MB file"


@pytest.mark.slow
def test_analysis_memory_does_not_grow_with_the_corpus(tmp_path):
    """Peak memory of a fresh process analysing 0.2 MB and 0.8 MB of replicated seeds: the
    same, give or take a batch (counts are kept, not text)."""
    from framelens.tools.bench import make_corpus

    peaks = []
    for megabytes in (0.2, 0.8):
        directory = tmp_path / str(megabytes)
        directory.mkdir()
        make_corpus(directory, megabytes)
        script = textwrap.dedent(f"""
            import resource, tracemalloc
            from framelens.tools.stream import analyse_directory
            from framelens.measures.matcher import get_matcher
            from framelens.measures.tagger import get_tagger
            get_matcher(), get_tagger()
            tracemalloc.start()
            analyse_directory({str(directory)!r})
            print(tracemalloc.get_traced_memory()[1])
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        peaks.append(int(out.split()[-1]))
    assert peaks[1] < peaks[0] + 3_000_000, peaks
    assert peaks[1] < 20_000_000, peaks


# --------------------------------------------------------------------------- reading bytes (issue 16)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\n", "\r", "\r\n", " ", "\n\n", "\u2028", "\x0b", "\ufeff"]), max_size=30))
def test_lines_read_as_bytes_are_the_lines_of_text_mode(tmp_path_factory, pieces):
    """`iter_paragraphs` reads bytes (to count them and to place a bad byte in the file) and
    gives the paragraphs reading the file as text gave: the same universal newlines."""
    from framelens.tools.stream import ReadState, read_lines

    path = tmp_path_factory.mktemp("lines") / "x.txt"
    path.write_bytes("".join(pieces).encode("utf-8"))
    with open(path, encoding="utf-8") as text_mode:
        expected = list(text_mode)
    state = ReadState()
    with open(path, "rb") as stream:
        assert list(read_lines(stream, str(path), state)) == expected
    assert state.bytes_read == path.stat().st_size


def test_bytes_are_counted_from_what_was_read(small_dir):
    counts = analyse_directory(small_dir)
    assert list(counts.files["bytes"]) == [(small_dir / f).stat().st_size for f in counts.files["file"]]
    assert counts.problems.empty and list(counts.problems.columns) == ["file", "problem"]
