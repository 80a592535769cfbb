"""The book's measures over a directory of texts of any size, one batch of paragraphs in memory.

`analyse_directory` reads every file of a directory paragraph by paragraph
(`iter_paragraphs`), in batches of about `BATCH_CHARS` characters, and runs on each
paragraph the same steps as the book:

1. cleaning: `cleaning.clean_inline` on each line, lines joined by a space;
2. sentence splitting: `sentences.sentence_spans` (pysbd, without the book's cache);
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
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framelens.corpus.cleaning import clean_inline, count_words
from framelens.corpus.sentences import sentence_spans

BATCH_CHARS = 262_144  # characters of text per batch: memory holds a batch, never a file
STAGES = ("reading", "cleaning", "splitting", "matching", "tagging")
FILE_COLUMNS = ["file", "bytes", "paragraphs", "sentences", "words"]
MENTION_COLUMNS = ["file", "actor", "form", "mentions"]
FRAME_COLUMNS = ["file", "frame", "sentences"]


@dataclass
class DirectoryCounts:
    files: pd.DataFrame
    mentions: pd.DataFrame
    frames: pd.DataFrame


def analyse_directory(
    directory: str | Path, pattern: str = "*.txt", *, lexicon=None, book=None, timings: dict[str, float] | None = None
) -> DirectoryCounts:
    """Clean, split, match and tag every paragraph of every file matching `pattern`.

    `timings`, if given, receives the seconds spent in each of `STAGES` (added to what it
    holds). Files are read in name order; a file that is not UTF-8 raises UnicodeDecodeError
    naming it.
    """
    from framelens.measures.matcher import find_in_texts
    from framelens.measures.tagger import get_tagger

    directory = Path(directory)
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory}: not a directory")
    tagger = get_tagger(book)
    clock = time.perf_counter
    spent = dict.fromkeys(STAGES, 0.0)
    file_rows, mentions, frames = [], Counter(), Counter()
    for path in sorted(directory.glob(pattern)):
        if not path.is_file():
            continue
        n_paragraphs = n_sentences = n_words = 0
        # Each step runs over a whole batch of paragraphs before the next starts:
        # one matcher call per batch, and each step's tables stay in the CPU cache (interleaving
        # the steps paragraph by paragraph made tagging and cleaning half as fast).
        for paragraphs, seconds in batches(path, BATCH_CHARS):
            t0 = clock()
            texts = [" ".join(clean_inline(line).text for line in paragraph.splitlines()) for paragraph in paragraphs]
            t1 = clock()
            spans = [sentence_spans(text) for text in texts]
            t2 = clock()
            for rows in find_in_texts(texts, lexicon):
                for actor, form, *_ in rows:
                    mentions[path.name, actor, form] += 1
            t3 = clock()
            for text, text_spans in zip(texts, spans):
                for start, end in text_spans:
                    for frame in tagger.tag(text[start:end]):
                        frames[path.name, frame] += 1
            t4 = clock()
            spent["reading"] += seconds
            spent["cleaning"] += t1 - t0
            spent["splitting"] += t2 - t1
            spent["matching"] += t3 - t2
            spent["tagging"] += t4 - t3
            n_paragraphs += len(texts)
            n_sentences += sum(map(len, spans))
            n_words += sum(map(count_words, texts))
        file_rows.append((path.name, path.stat().st_size, n_paragraphs, n_sentences, n_words))
    if timings is not None:
        for stage, seconds in spent.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    return DirectoryCounts(
        files=pd.DataFrame(file_rows, columns=FILE_COLUMNS),
        mentions=_table(mentions, MENTION_COLUMNS),
        frames=_table(frames, FRAME_COLUMNS),
    )


def iter_paragraphs(path: str | Path, max_chars: int = 1_000_000):
    """Stream a text file as (first_line, paragraph) pairs without reading it whole.

    A paragraph ends at a blank line, or after `max_chars` characters at a line end, so a file
    larger than memory is processed in bounded pieces. Lines are decoded as UTF-8 (strict).
    """
    lines: list[str] = []
    size = 0
    first = 1
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
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
    if lines:
        yield first, "".join(lines)


def batches(path: Path, max_chars: int):
    """(paragraphs, seconds spent reading them): `iter_paragraphs` in batches of about
    `max_chars` characters. A file that is not UTF-8 raises UnicodeDecodeError naming it."""
    paragraphs = iter_paragraphs(path)
    batch: list[str] = []
    size = 0
    seconds = 0.0
    while True:
        started = time.perf_counter()
        try:
            _, paragraph = next(paragraphs)
        except StopIteration:
            break
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(exc.encoding, exc.object, exc.start, exc.end, f"{path}: {exc.reason}") from None
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
