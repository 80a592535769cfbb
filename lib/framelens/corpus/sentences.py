"""Sentence boundaries: sentencex (a maintained splitter) with a thin rule layer.

`sentence_spans(text)` (and `split_sentences`, the same remembered per text) returns the
(start, end) spans of the sentences of `text`, so every sentence keeps its offsets. It is
`fast_sentence_spans`: sentencex plus the rules below (list markers kept with their item, titles
and "No."/"Art." before a number never end a sentence, no sentence starts with ; , : ) ]), linear
in paragraph length, about 15-25 MB/s on one core. Against the public gold
(`framelens.tools.splitters`): internal-boundary F1 0.863 on the English Web Treebank test split
and 46 of the 48 pySBD Golden Rules, where pysbd 0.3.4 (the book's first splitter, kept as
`pysbd_sentence_spans` for that comparison) has 0.846 and 47 at 0.15 MB/s, quadratic in
paragraph length. On the corpus the two differ on one sentence (2015-intro-tatsumi, seed line
172: a list of five questions pysbd cut after each "?"), which was recoded.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
import sentencex


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
    (`framelens.tools.stream`, `framelens.tools.analyse`) calls `sentence_spans`, which
    remembers nothing.
    """
    return sentence_spans(text)


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """`split_sentences` without the cache: `fast_sentence_spans`."""
    return fast_sentence_spans(text)


def pysbd_sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The book's first splitter, pysbd 0.3.4 (kept for the comparison in `tools.splitters`)."""
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


# --- the fast splitter -------------------------------------------------------------------
# `fast_sentence_spans` is measured against pysbd by `framelens.tools.splitters` (issue 15); the
# corpus does not use it yet. It is sentencex (Wikimedia's rule-based splitter, in Rust: about
# 30 MB/s, maintained, no dependencies) and a thin rule layer in which each rule looks at the few
# characters around one cut. nupunkt under the same rules (and without the ~900 ordinary words
# its legal-text model lists as abbreviations: "met", "south", "York") was more accurate on the
# English Web Treebank (F1 0.88 against 0.86) but split text it had not seen at 2-6 MB/s (it
# memoizes its decisions, so replicated text flatters it: 10-20 MB/s).

_CHUNK = 10_000  # sentencex compares every cut with every quote and bracket of its input: bound it
_LONG_PIECE = 1_000  # a "sentence" this long is split again with quotes and brackets ignored
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# sentencex panics (a Rust slice inside a character) on a capital, a non-ASCII space and a full
# stop ("B\u00a0."); it gets these spaces as plain ones, which keeps every offset.
_ODD_SPACES = (
    "\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_INNER_END = re.compile(r"[.!?…][\"”’)\]]*\s")
_NO_QUOTES = str.maketrans(dict.fromkeys("\"'“”‘’«»()[]{}<>", " "))
# Where a long paragraph may be cut before sentencex sees it: a full stop after a lower-case
# word of four letters or more, before a capital. Wrong only after "approx." and the like.
_SAFE_CUT = re.compile(r"(?<![A-Za-z.])[a-z]{4,}[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z])")
_PLAIN_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")

_BULLETS = "•◦▪‣⁃∙*–-"
# A list marker: "1." "2.)" "3)" "(4)" "a." "(b)" "iv." "(ii)", maybe after a bullet ("• 9.", "⁃10.").
_LABEL = r"(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,6})"
_MARKER = re.compile(rf"(?:[{_BULLETS}][ \t]*)?(?:\({_LABEL}\)|{_LABEL}(?:\.\)|[.)]))")
_LEADING_MARKER = re.compile(rf"(?:[{_BULLETS}][ \t]*)?\(?(?P<label>{_LABEL})(?P<close>\.\)|[.)])(?=\s|\Z)")
_MARKER_FIRST = frozenset(f"0123456789(ivxlcIVXLCabcdefghABCDEFGH{_BULLETS}")  # cheap test before the pattern
# Titles stand before a name ("Dr. Smith", "Sh. Narender Modi", "Smt. Sushma Swaraj"), so they
# never end a sentence: pysbd's prepositive abbreviations and the corpus's Indian honorifics and ranks.
_TITLES = frozenset(
    f"{t}."
    for t in "Dr Drs Mr Mrs Ms Messrs Prof Sh Shri Smt Hon Rev Gov Sen Rep Amb Gen Lt Col Maj Capt Cdr Cmdr "
    "Adm Brig Sgt Cpl Mt St".split()
)
# Before a number ("No. 2", "N°. 1026", "Art. 9", "Vol. II", "approx. 40") these do not end a sentence.
_NUMBER_ABBREVIATIONS = frozenset(
    f"{t}."
    for t in "No no Nos nos N° Art art Arts Sec sec Secs Vol vol Vols Ch ch Fig fig Figs Para para Cf cf p pp "
    "Approx approx ca".split()
)
_NUMBER_START = re.compile(r"[\d(]|[IVXLC]{2,}\b|[VXLC]\b")  # not "I": "No. I disagree."
# After these a number is a quantity or a reference, not the marker of the next list item.
_QUANTITY_WORDS = frozenset(
    "a about above after almost and around at below by chapter from in just less level more nearly no number "
    "of only or over page para part phase section some stage step than the to top under up".split()
)
_OPENERS = "([\"'“‘"
_STARTS_NO_SENTENCE = frozenset(";,:)]")
_ENDS_NO_SENTENCE = frozenset(";,:")
_CONJUNCTIONS = frozenset({"and", "or", "nor", "but"})


def fast_sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """`sentence_spans` by sentencex and the rules below, in time linear in the length of `text`.

    Same contract: (start, end) spans of `text`, in order, not overlapping, without outer
    whitespace, together covering every non-space character. A blank line always ends a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for gap in _BLANK_LINE.finditer(text):
        spans += _paragraph_spans(text, start, gap.start())
        start = gap.end()
    spans += _paragraph_spans(text, start, len(text))
    return tuple(spans)


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    paragraph = text[start:end]
    out: list[tuple[int, int]] = []
    for a, b in _sentencex_spans(paragraph):
        if out:
            pa, pb = out[-1]
            last = paragraph[pb - 1]
            # A list marker alone ("1.", "(2)", "• 9.") is not a sentence: it opens the item after it.
            # No sentence starts with ; , : ) ] or ends with ; , : or a conjunction. sentencex cuts
            # "five questions: | (1) What are Japan's goals?; | (2) In what context ...?; and | (5) ...",
            # an enumeration inside one sentence.
            if (
                (pb - pa <= 10 and _MARKER.fullmatch(paragraph, pa, pb))
                or paragraph[a] in _STARTS_NO_SENTENCE
                or last in _ENDS_NO_SENTENCE
                or (last.isalpha() and paragraph[max(pa, pb - 4) : pb].rsplit(None, 1)[-1] in _CONJUNCTIONS)
            ):
                out[-1] = (pa, b)
                continue
            if last in ".)":
                # The rules below concern short last words (titles, abbreviations, list markers).
                # Looking no further back than 8 characters keeps this step linear and cheap.
                window = max(pa, pb - 8)
                space = max(paragraph.rfind(" ", window, pb), paragraph.rfind("\n", window, pb))
                if space >= 0 or window == pa:
                    a = _after_a_short_word(paragraph, out, max(space + 1, pa), a, b)
                    if a is None:
                        continue
        out.append((a, b))
    return [(start + a, start + b) for a, b in out] if start else out


def _sentencex_spans(paragraph: str) -> list[tuple[int, int]]:
    """Tight spans covering every non-space character of `paragraph` (which has no blank line)."""
    plain = paragraph
    if _ODD_SPACE.search(plain):
        for space in _ODD_SPACES:  # str.replace is several times faster than str.translate
            if space in plain:
                plain = plain.replace(space, " ")
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(plain):
        end = _chunk_end(plain, start)
        chunk = plain if (start, end) == (0, len(plain)) else plain[start:end]
        found, position = _tight_spans(_segment(chunk), start)
        if position != end:  # sentencex returns consecutive pieces of its input; if ever not:
            found, position = _tight_spans(_plain_segments(chunk), start)
        spans += _split_again(plain, found)
        start = end
    return spans


def _chunk_end(text: str, start: int) -> int:
    if len(text) - start <= _CHUNK:
        return len(text)
    cut = _SAFE_CUT.search(text, start + _CHUNK // 2, start + _CHUNK)
    if cut:
        return cut.end()
    space = text.rfind(" ", start + 1, start + _CHUNK)
    return space + 1 if space > start else start + _CHUNK


def _segment(text: str) -> list[str]:
    """sentencex's sentences of `text`: consecutive pieces, whitespace included."""
    try:
        return sentencex.segment("en", text)
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return _plain_segments(text)


def _plain_segments(text: str) -> list[str]:
    """`text` cut after every sentence-ending mark before a capital or a digit (a last resort)."""
    cuts = [0, *(m.end() for m in _PLAIN_END.finditer(text)), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _tight_spans(segments: list[str], start: int, original: str | None = None) -> tuple[list[tuple[int, int]], int]:
    """Spans without outer whitespace of consecutive `segments` placed from `start`, and where
    they end. Whitespace is judged in `original` when given (the segments' text may differ)."""
    spans, position = [], start
    for segment in segments:
        piece = segment if original is None else original[position : position + len(segment)]
        stripped = piece.strip()
        if stripped:
            lead = position + len(piece) - len(piece.lstrip())
            spans.append((lead, lead + len(stripped)))
        position += len(segment)
    return spans, position


def _split_again(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """sentencex's spans, two kinds of them split again where sentencex would split them if

    - a list item ("(1) Security. It matters.") had no marker: sentencex keeps an item whole;
    - a long one (over _LONG_PIECE characters) had no quotes or brackets: sentencex does not cut
      inside them, and an unbalanced one ("(see note 3.", a stray inch mark) can hide every
      sentence up to the next closing mark.
    """
    out = []
    for a, b in spans:
        marker = _LEADING_MARKER.match(text, a, b) if text[a] in _MARKER_FIRST else None
        long = b - a > _LONG_PIECE
        if long or (marker and _INNER_END.search(text, marker.end(), b - 1)):
            variant = text[a:b]
            if marker:
                variant = " " * (marker.end() - a) + variant[marker.end() - a :]
            if long:
                variant = variant.translate(_NO_QUOTES)
            found, position = _tight_spans(_segment(variant), a, text)
            if position == b and found:
                out += found
                continue
        out.append((a, b))
    return out


def _after_a_short_word(text: str, out: list[tuple[int, int]], word_start: int, a: int, b: int) -> int | None:
    """The rules for a cut after out[-1], which ends in "." or ")" and in a word of at most 8
    characters from `word_start`: None when the piece text[a:b] joins out[-1] (extended in
    place), else where the new sentence starts."""
    pa, pb = out[-1]
    word = text[word_start:pb]
    # sentencex cuts "Sh. | Narender Modi" and "Smt. | Sushma Swaraj", and "approx. | 40".
    if word.lstrip(_OPENERS) in _TITLES or (word in _NUMBER_ABBREVIATIONS and _NUMBER_START.match(text, a)):
        out[-1] = (pa, b)
        return None
    # "1. The first item 2." + "The second item": sentencex cut after the next item's marker.
    # The marker moves to the item it opens -- only when the sentence began with the marker
    # just before it in the same style (1. then 2., a) then b)) and the word before it does not
    # make it a quantity: "1. Exports rose by 2." stays put.
    if word[0] in _MARKER_FIRST and _MARKER.fullmatch(word):
        marker = word_start
        if word[0] not in _BULLETS and marker - 2 >= pa and text[marker - 2] in _BULLETS:
            marker -= 2  # "• 10."
        leading, trailing = _LEADING_MARKER.match(text, pa, pb), _LEADING_MARKER.match(text, marker, pb)
        if (
            leading
            and trailing
            and leading["close"] == trailing["close"]
            and _follows(leading["label"], trailing["label"])
        ):
            end = marker
            while end > pa and text[end - 1].isspace():
                end -= 1
            before = text[max(pa, end - 12) : end].split()
            if end > leading.end() and before and before[-1].lower() not in _QUANTITY_WORDS:
                out[-1] = (pa, end)
                return marker
    return a


def _follows(first: str, second: str) -> bool:
    if first.isdigit() and second.isdigit():
        return int(second) == int(first) + 1
    if len(first) == 1 and len(second) == 1 and first.isalpha() and second.isalpha():
        return ord(second) == ord(first) + 1
    return False
