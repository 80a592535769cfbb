"""The book's measures over a directory of texts of any size, one batch of paragraphs in memory.

`analyse_directory` reads every file of a directory paragraph by paragraph
(`iter_paragraphs`), in batches of about `BATCH_CHARS` characters, and runs on each
paragraph the same steps as the book:

1. cleaning: `cleaning.clean_text` (the text of `clean_inline`) on each line, lines joined by a space;
2. sentence splitting: `sentences.sentence_spans` (the book's splitter, without its cache);
3. reference matching: the lexicon's matcher (`matcher.find_in_texts`: the rows
   `find_mentions` gives each paragraph);
4. frame tagging: `frames.Tagger.tag` on each sentence.

Only counts are kept, so memory does not grow with the corpus. Registry-specific steps (unit
spans, removed boilerplate, headings, PDF layout) need `seeds/sources.yml` and are not applied:
a directory is read as plain paragraphs. `make bench` times each step (`timings`).

Results (`DirectoryCounts`), tidy tables:

- `files`: file, bytes, paragraphs, sentences, words
- `mentions`: file, actor, form, mentions (actor "toponym" rows are place names, not references)
- `frames`: file, frame, sentences (sentences carrying the frame)
- `problems`: file, problem (files that vanished, changed or failed while being read; their
  counts so far stay in the other tables)

A file's key is its path under the directory ("a/x.txt"), so files of the same name in
different folders stay apart; `bytes` counts the bytes read, not the size on disk. Nothing is
lost when a file changes under the run: its counts are kept and the change is listed in
`problems`. Before anything is read, a symbolic link that leads outside the directory, to
nothing or in a loop raises `StreamError` naming it (`follow_links=True` reads links that
leave the directory). A file that is not UTF-8 raises `NotUTF8Error` (a UnicodeDecodeError)
naming the file and the offset of the byte in it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelens.corpus.cleaning import clean_text, count_words
from framelens.corpus.sentences import sentence_spans
from framelens.datafiles import link_problem

BATCH_CHARS = 262_144  # characters of text per batch: memory holds a batch, never a file
STAGES = ("reading", "cleaning", "splitting", "matching", "tagging")
FILE_COLUMNS = ["file", "bytes", "paragraphs", "sentences", "words"]
MENTION_COLUMNS = ["file", "actor", "form", "mentions"]
FRAME_COLUMNS = ["file", "frame", "sentences"]
PROBLEM_COLUMNS = ["file", "problem"]


@dataclass
class DirectoryCounts:
    files: pd.DataFrame
    mentions: pd.DataFrame
    frames: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))


class StreamError(ValueError):
    """A file the stream will not read (a link that leaves the directory, a link loop): the
    message names the file and says why."""


class NotUTF8Error(UnicodeDecodeError):
    """A file that is not UTF-8: `file`, and `offset`, the position of the bad byte in the file
    (`start` is its position in `object`, the line that holds it)."""

    def __init__(self, file: str, line: bytes, start: int, end: int, offset: int, reason: str):
        super().__init__("utf-8", line, start, end, reason)
        self.file, self.offset = file, offset

    def __str__(self) -> str:
        return f"{self.file}: not UTF-8: byte {self.object[self.start]:#04x} at offset {self.offset} ({self.reason})"


class ReadState:
    """What was read of one file: bytes so far, and its size and time stamp when opened and
    when closed (`changes()` says how the file changed in between, if it did)."""

    def __init__(self) -> None:
        self.bytes_read = 0
        self.opened: os.stat_result | None = None
        self.closed: os.stat_result | None = None

    def changes(self) -> str | None:
        if self.opened is None or self.closed is None:
            return None
        if self.closed.st_nlink == 0:
            return f"removed while it was read (the counts are of the {self.bytes_read:,} bytes read)"
        before, after = self.opened, self.closed
        same = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
        if not same or after.st_size != self.bytes_read:
            return (
                f"changed while it was read: {before.st_size:,} bytes when opened, {after.st_size:,} when closed; "
                f"the counts are of the {self.bytes_read:,} bytes read"
            )
        return None


def text_files(directory: Path, pattern: str = "*.txt", follow_links: bool = False) -> list[tuple[str, Path]]:
    """(key, path) of the regular files matching `pattern`, sorted by key (the path under
    `directory`, "/"-separated). Raises StreamError for a link loop, a link to nothing, or
    (unless `follow_links`) a link or `..` that leads outside `directory`."""
    found = []
    root = directory.resolve()
    for path in sorted(directory.glob(pattern)):
        problem = link_problem(path)  # a loop, or a link to nothing
        if problem is None and not follow_links and not (target := path.resolve()).is_relative_to(root):
            what = f"a symbolic link to {target}" if path.is_symlink() else f"{target}"
            problem = f"{what}, outside {directory} (follow_links=True reads it)"
        if problem is not None:
            raise StreamError(f"{path}: {problem}")
        if path.is_file():
            found.append((path.relative_to(directory).as_posix(), path))
    return sorted(found)


def analyse_directory(
    directory: str | Path,
    pattern: str = "*.txt",
    *,
    lexicon=None,
    book=None,
    timings: dict[str, float] | None = None,
    follow_links: bool = False,
) -> DirectoryCounts:
    """Clean, split, match and tag every paragraph of every file matching `pattern`.

    `timings`, if given, receives the seconds spent in each of `STAGES` (added to what it
    holds). Files are read in the order of their keys (see the module docstring for keys,
    links, problems and bad bytes).
    """
    from framelens.measures.matcher import find_in_texts
    from framelens.measures.tagger import get_tagger

    directory = Path(directory)
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory}: not a directory")
    files = text_files(directory, pattern, follow_links)
    tagger = get_tagger(book)
    clock = time.perf_counter
    spent = dict.fromkeys(STAGES, 0.0)
    file_rows, mentions, frames, problems = [], Counter(), Counter(), []
    for key, path in files:
        n_paragraphs = n_sentences = n_words = 0
        state = ReadState()
        # Each step runs over a whole batch of paragraphs before the next starts:
        # one matcher call per batch, and each step's tables stay in the CPU cache (interleaving
        # the steps paragraph by paragraph made tagging and cleaning half as fast).
        try:
            for paragraphs, seconds in batches(path, BATCH_CHARS, state):
                t0 = clock()
                texts = [
                    " ".join([clean_text(line.strip()) for line in paragraph.splitlines()]) for paragraph in paragraphs
                ]
                t1 = clock()
                spans = [sentence_spans(text) for text in texts]
                t2 = clock()
                for rows in find_in_texts(texts, lexicon):
                    for actor, form, *_ in rows:
                        mentions[key, actor, form] += 1
                t3 = clock()
                # Counted as sets of frames (few distinct ones), then per frame: `Counter`
                # counts in C what a loop over each sentence's frames did in Python.
                tag = tagger.tag
                tagged = Counter(
                    tag(text[start:end]) for text, text_spans in zip(texts, spans) for start, end in text_spans
                )
                for found, n in tagged.items():
                    for frame in found:
                        frames[key, frame] += n
                t4 = clock()
                spent["reading"] += seconds
                spent["cleaning"] += t1 - t0
                spent["splitting"] += t2 - t1
                spent["matching"] += t3 - t2
                spent["tagging"] += t4 - t3
                n_paragraphs += len(texts)
                n_sentences += sum(map(len, spans))
                n_words += sum(map(count_words, texts))
        except FileNotFoundError:
            problems.append((key, "vanished before it was read"))
            continue
        except OSError as exc:
            problems.append((key, f"cannot be read after {state.bytes_read:,} bytes ({exc.strerror or exc})"))
        else:
            change = state.changes()
            if change is not None:
                problems.append((key, change))
        file_rows.append((key, state.bytes_read, n_paragraphs, n_sentences, n_words))
    if timings is not None:
        for stage, seconds in spent.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    return DirectoryCounts(
        files=pd.DataFrame(file_rows, columns=FILE_COLUMNS).astype({c: "int64" for c in FILE_COLUMNS[1:]}),
        mentions=_table(mentions, MENTION_COLUMNS),
        frames=_table(frames, FRAME_COLUMNS),
        problems=pd.DataFrame(problems, columns=PROBLEM_COLUMNS),
    )


def read_lines(stream, name: str, state: ReadState | None = None):
    """The lines of a binary stream as `open(path, encoding="utf-8")` yields them (strict
    UTF-8; "\r\n" and "\r" read as "\n"), counting the bytes read in `state`. A bad byte
    raises NotUTF8Error with its offset in the file."""
    offset = 0
    for raw in stream:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUTF8Error(name, raw, exc.start, exc.end, offset + exc.start, exc.reason) from None
        offset += len(raw)
        if state is not None:
            state.bytes_read = offset
        if "\r" in text:
            pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for piece in pieces[:-1]:
                yield piece + "\n"
            if pieces[-1]:
                yield pieces[-1]
        else:
            yield text


def iter_paragraphs(path: str | Path, max_chars: int = 1_000_000, state: ReadState | None = None):
    """Stream a text file as (first_line, paragraph) pairs without reading it whole.

    A paragraph ends at a blank line, or after `max_chars` characters at a line end, so a file
    larger than memory is processed in bounded pieces. Lines are decoded as UTF-8 (strict;
    NotUTF8Error names the offset of a bad byte in the file). `state`, if given, follows the
    bytes read and the file's size and time stamp when opened and closed.
    """
    lines: list[str] = []
    size = 0
    first = 1
    with open(path, "rb") as stream:
        if state is not None:
            state.opened = os.fstat(stream.fileno())
        for number, line in enumerate(read_lines(stream, str(path), state), start=1):
            if not line.strip() or size >= max_chars:
                if lines:
                    yield first, "".join(lines)
                lines, size = [], 0
                if not line.strip():
                    first = number + 1
                    continue
                first = number
            lines.append(line)
            size += len(line)
        if state is not None:
            state.closed = os.fstat(stream.fileno())
    if lines:
        yield first, "".join(lines)


def batches(path: Path, max_chars: int, state: ReadState | None = None):
    """(paragraphs, seconds spent reading them): `iter_paragraphs` in batches of about
    `max_chars` characters. A file that is not UTF-8 raises NotUTF8Error naming it."""
    paragraphs = iter_paragraphs(path, state=state)
    batch: list[str] = []
    size = 0
    seconds = 0.0
    while True:
        started = time.perf_counter()
        try:
            _, paragraph = next(paragraphs)
        except StopIteration:
            break
        finally:
            seconds += time.perf_counter() - started
        batch.append(paragraph)
        size += len(paragraph)
        if size >= max_chars:
            yield batch, seconds
            batch, size, seconds = [], 0, 0.0
    if batch:
        yield batch, seconds


def _table(counts: Counter, columns: list[str]) -> pd.DataFrame:
    rows = [(*key, n) for key, n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=columns).astype({columns[-1]: "int64"})
