"""Sentence boundaries, from pysbd (a maintained rule-based splitter).

pysbd knows abbreviations such as "U.S.", "Dr.", "No. 2" and "e.g." and keeps numbered list
markers ("1. Defence and security.") with their item. It returns strings; `split_sentences`
turns them into character spans of the input so every sentence keeps its offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

_SEGMENTER = pysbd.Segmenter(language="en", clean=False)

# Abbreviations pysbd does not know and the corpus uses ("Sh. Narender Modi", Indian
# honorifics and ranks); a segment ending in one of them continues in the next segment.
_NOT_AN_END = re.compile(r"(?:^|[\s(])(?:Sh|Shri|Smt|Col|Lt|Gen|Adm|Brig|Maj|Capt|Amb|Vol|Ch|Cf|Art|Sec|Nos?)\.$")


@lru_cache(maxsize=100_000)
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) spans of the sentences in `text`, in order, without outer whitespace."""
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
        if merged and _NOT_AN_END.search(text[merged[-1][0]:merged[-1][1]]):
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
