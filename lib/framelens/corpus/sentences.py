"""Sentence boundaries, from pysbd (a maintained rule-based splitter).

pysbd knows abbreviations such as "U.S.", "Dr.", "No. 2" and "e.g." and keeps numbered list
markers ("1. Defence and security.") with their item. It returns strings; `split_sentences`
turns them into character spans of the input so every sentence keeps its offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd


class _PatternCache:
    """Stands in for the `re` module inside pysbd, compiling each pattern once.

    Why: pysbd builds a regular expression per abbreviation on every call and passes
    strings to `re.sub`/`re.findall`; they outnumber the 512 entries of `re`'s own cache, so
    pysbd recompiled about 3,900 patterns per 450 paragraphs and spent two thirds of its time
    in the regex compiler (profiled: 0.1 MB/s). With an unbounded cache (a few thousand
    patterns, compiled once) the sentences are the same, several times faster.
    """

    def __init__(self) -> None:
        self._compiled: dict[tuple, re.Pattern] = {}

    def _get(self, pattern, flags: int = 0) -> re.Pattern:
        if isinstance(pattern, re.Pattern):
            return pattern
        key = (type(pattern), pattern, flags)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = re.compile(pattern, flags)
        return compiled

    def sub(self, pattern, repl, string, count=0, flags=0):
        return self._get(pattern, flags).sub(repl, string, count)

    def search(self, pattern, string, flags=0):
        return self._get(pattern, flags).search(string)

    def match(self, pattern, string, flags=0):
        return self._get(pattern, flags).match(string)

    def findall(self, pattern, string, flags=0):
        return self._get(pattern, flags).findall(string)

    def finditer(self, pattern, string, flags=0):
        return self._get(pattern, flags).finditer(string)

    def split(self, pattern, string, maxsplit=0, flags=0):
        return self._get(pattern, flags).split(string, maxsplit)

    def __getattr__(self, name):  # escape, IGNORECASE, compile ...: the real module's
        return getattr(re, name)


def _install_pattern_cache() -> None:
    import importlib

    cache = _PatternCache()
    for name in (
        "abbreviation_replacer",
        "between_punctuation",
        "cleaner",
        "exclamation_words",
        "lists_item_replacer",
        "processor",
        "punctuation_replacer",
        "segmenter",
        "utils",
    ):
        module = importlib.import_module(f"pysbd.{name}")
        if getattr(module, "re", None) is re:
            module.re = cache


_install_pattern_cache()
_SEGMENTER = pysbd.Segmenter(language="en", clean=False)

# Abbreviations pysbd does not know and the corpus uses ("Sh. Narender Modi", Indian
# honorifics and ranks); a segment ending in one of them continues in the next segment.
_NOT_AN_END = re.compile(r"(?:^|[\s(])(?:Sh|Shri|Smt|Col|Lt|Gen|Adm|Brig|Maj|Capt|Amb|Vol|Ch|Cf|Art|Sec|Nos?)\.$")


@lru_cache(maxsize=100_000)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) spans of the sentences in `text`, in order, without outer whitespace.

    Remembered per text: the book splits the same units again and again. Streaming
    (`framelens.stream`) calls `sentence_spans`, which remembers nothing.
    """
    return sentence_spans(text)


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """`split_sentences` without the cache."""
    spans = []
    cursor = 0
    for segment in _SEGMENTER.segment(text) if text.strip() else []:
        piece = segment.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text (it should not with clean=False): resync on words
            start = cursor + len(text[cursor:]) - len(text[cursor:].lstrip())
            end = min(len(text), start + len(piece))
        else:
            end = start + len(piece)
        spans.append((start, end))
        cursor = end
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _NOT_AN_END.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    spans = merged
    if spans and text[cursor:].strip():  # never lose trailing text
        start, _ = spans[-1]
        spans[-1] = (start, len(text.rstrip()))
    elif not spans and text.strip():
        start = len(text) - len(text.lstrip())
        spans.append((start, len(text.rstrip())))
    return tuple(spans)
