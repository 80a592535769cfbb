"""The reference matcher: the lexicon compiled into one regular expression plus the rules around it.

`find_mentions(text)` applies the lexicon (`data/references.yml`, validated by `lexicon.py`)
to any text and returns one row per reference:

    actor    "China", "United States", "Russia" (or any actor the lexicon adds), or "toponym"
    form     name, demonym, capital, institution, leader, compound, predecessor, toponym
    surface  the words as written, without a possessive ending: text[start:end] == surface
    start, end  character offsets in `text`
    entry    the lexicon entry matched (for a typo, the entry it is a misspelling of)
    typo     True when the surface is a misspelling of the entry

in text order and never overlapping. Text is matched in its NFKC form ("ＵＳ" is "US"), with
the Turkish capital "İ" read as "I" ("CHİNA"); offsets and surfaces are those of the text as
given (see `normalised`). A two-word leader also matches with a middle initial ("Donald J.
Trump"). `find_in_texts` gives the same rows for many texts from
one pass (streaming); `find_rows` is the loop under both, for a compiled `Matcher`, and
`get_matcher(lexicon)` compiles a lexicon once and keeps it.

Why the matcher is written here rather than taken from a library: the rules (case-sensitive
entries that also match in ALL CAPS, the pronoun "US" in capitals, compounds, person-name
guards, possessives, URL masking) are specific to this book's annotation scheme; the engine
underneath is one compiled `re` alternation, the fastest pure-Python way to match a few
hundred phrases. The module runs to about 610 lines because the rules, the regex building,
the normalisation and the typo model are one engine: splitting them would spread one loop's
invariants over files. Matching takes time linear in the text (tests/test_hostile.py).

The reference measures over a corpus (`mentions_table`, `count_mentions`, `kwic`...) are in
`framelens.measures.references`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from framelens.measures.lexicon import DEFAULT_PATH, Lexicon, english_words, load_lexicon

MENTION_COLUMNS = ["actor", "form", "surface", "start", "end", "entry", "typo"]
_DASH = "-\u2010\u2011\u2012\u2013\u2014"
_URL_CHAR = r"[^\s<>\"'\]\)]"  # a character a URL goes on with
_URL = re.compile(rf"(?:https?://|ftp://|www\.){_URL_CHAR}+", re.I)
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_WORDCHAR = re.compile(r"[A-Za-z0-9]")
# What may follow the dash of a compound broken at a line end: "US-\nJapan", "US-\r\nJapan".
_LINE_BREAK = "\n\r"


def _entry_atoms(entry: str) -> list[str]:
    """An entry as regex atoms: flexible whitespace, any apostrophe, any dash."""
    out: list[str] = []
    for ch in entry:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "'’":
            out.append("['’]")
        elif ch in _DASH:
            out.append(f"[{_DASH}]")
        else:
            out.append(re.escape(ch))
    return out


def entry_pattern(entry: str) -> str:
    """One lexicon entry as a regular expression (any whitespace, apostrophe or dash), no boundaries."""
    return "".join(_entry_atoms(entry))


def _trie_pattern(entries: list[str]) -> str:
    """One regex for many phrases, factored by common prefixes.

    Python's `re` tries the branches of an alternation one by one at every candidate position;
    a prefix tree turns that into one branch per character, which makes matching thousands
    of phrases (entries, their capitals, their misspellings) many times faster. Longer
    phrases win because each optional tail is greedy.
    """
    trie: dict = {}
    for entry in entries:
        node = trie
        for atom in _entry_atoms(entry):
            node = node.setdefault(atom, {})
        node[""] = {}

    def serialise(node: dict) -> str:
        ends = "" in node
        branches = [atom + serialise(child) for atom, child in sorted(node.items()) if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or not _is_group(body) else body + "?"
        return body

    return serialise(trie)


def _is_group(pattern: str) -> bool:
    return pattern.startswith("(?:") and pattern.endswith(")")


def _key(surface: str) -> str:
    return re.sub(r"\s+", " ", surface).replace("’", "'").translate({ord(d): "-" for d in _DASH})


# How a matched surface is read (Matcher.reading): by itself (only the compound test), by
# itself unless a neighbouring word is in capitals ("US": "LET US"), or with the words around.
_PLAIN, _NEEDS_CAPS_TEST, _IN_CONTEXT = 0, 1, 2
# The word after (as `_WORD_AFTER` reads it) has a lower-case letter among its first two.
_NOT_CAPS_AFTER = re.compile(r"\W*[A-Za-z]?[a-z]")


@dataclass(frozen=True)
class _Entry:
    text: str
    actor: str | None  # None: not a reference (consumed)
    form: str
    person_name: bool = False
    first_name: bool = False
    fuzzy_ok: bool = True
    is_prefix: bool = False

    @property
    def simple(self) -> bool:
        """Read without context words: not a person's name, a leader, a prefix or "US"."""
        return not (self.person_name or self.is_prefix or self.form == "leader" or self.text == "US")


class Matcher:
    """The lexicon compiled into one regular expression plus the rules around it."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        entries: dict[str, _Entry] = {}
        for actor, forms in lexicon.actors.items():
            for form, items in forms.items():
                for item in items:
                    kind = "compound" if form == "compound_prefix" else form
                    entries[_key(item.text)] = _Entry(
                        item.text,
                        actor,
                        kind,
                        item.person_name,
                        item.first_name,
                        item.fuzzy,
                        is_prefix=form == "compound_prefix",
                    )
        for text in lexicon.toponyms:
            entries[_key(text)] = _Entry(text, "toponym", "toponym")
        for text in lexicon.not_references:
            entries[_key(text)] = _Entry(text, None, "")
        self.entries = entries
        upper = {_key(e.text.upper()): e for e in entries.values()}
        self.upper = {k: v for k, v in upper.items() if k not in entries}
        self.variants = _typo_variants(lexicon, entries) if lexicon.typos.enabled else {}
        self.initialled = _with_middle_initials(entries)
        alternatives = sorted(
            {e.text for e in entries.values()}
            | {e.text.upper() for e in entries.values()}
            | set(self.variants)
            | set(self.initialled)
        )
        prefixes = {_key(i.text) for forms in lexicon.actors.values() for i in forms.get("compound_prefix", [])}
        self.prefixes = prefixes
        # Not inside a word on the left; on the right not inside a word, and an apostrophe
        # may only start a possessive ("Xi's", not "Xi'an").
        # The left boundary (not inside a word) is checked in `find_rows`: a look-behind here would
        # stop `re` from skipping quickly to the characters an entry can start with (4x slower).
        self.regex = re.compile(rf"(?:{_trie_pattern(alternatives)})(?![A-Za-z0-9_])(?!['’](?![sS]\b)[A-Za-z])")
        self.exclusions = [re.compile(p) for p in lexicon.not_reference_patterns]
        self.titles = set(lexicon.titles_and_function_words)
        self.readings: dict[str, tuple[_Entry | None, bool, int]] = {}

    def reading(self, surface: str) -> tuple[_Entry | None, bool, int]:
        """(entry or None if not a reference, is a misspelling, how it is read: `_PLAIN`,
        `_NEEDS_CAPS_TEST` or `_IN_CONTEXT`)."""
        found = self.readings.get(surface)
        if found is None:
            entry, typo = self.lookup(surface)
            if entry is not None and entry.actor is None:
                entry = None
            if entry is None or entry.simple:
                kind = _PLAIN  # (an upper-case form of a simple entry reads the same way)
            elif entry.text == "US" and not (entry.person_name or entry.is_prefix or entry.form == "leader"):
                kind = _NEEDS_CAPS_TEST
            else:
                kind = _IN_CONTEXT
            found = self.readings[surface] = (entry, typo, kind)
        return found

    def lookup(self, surface: str) -> tuple[_Entry | None, bool]:
        """The entry a matched surface stands for, and whether it is a misspelling of it
        (not remembered here: `reading` remembers its result per surface)."""
        key = _key(surface)
        entry = self.entries.get(key) or self.upper.get(key) or self.initialled.get(key)
        if entry is not None:
            return entry, False
        return self.variants.get(key), True


def _with_middle_initials(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """Every two-word leader written with a middle initial, as a careful annotator reads it:
    "Donald J. Trump" (and "DONALD J. TRUMP") for the leader "Donald Trump"."""
    out: dict[str, _Entry] = {}
    for entry in entries.values():
        words = entry.text.split()
        if entry.form != "leader" or len(words) != 2 or not all(w.isalpha() and w[0].isupper() for w in words):
            continue
        for initial in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            for text in (f"{words[0]} {initial}. {words[1]}", f"{words[0]} {initial}. {words[1]}".upper()):
                if _key(text) not in entries:
                    out.setdefault(_key(text), entry)
    return out


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """URLs and HTML tags: nothing inside them is a reference."""
    spans = [m.span() for m in _TAG.finditer(text)] if "<" in text else []
    spans += _url_spans(text)
    return sorted(spans)


# Where a URL can be: its "://" or its "www." (any case). `_url_spans` jumps from one to the
# next instead of letting `_URL` (case-insensitive, so `re` cannot skip ahead to a literal) try
# its alternatives at every character; "www." is found by `str.find`, many times faster than
# a regex for it (`_WWW` is the rule, `_www_hints` its fast form).
_WWW = re.compile(r"[wW][wW][wW]\.")
_W_PAIRS = frozenset({"ww", "wW", "Ww", "WW"})


def _www_hints(text: str) -> list[int]:
    """The starts of "www." in any case ("wWw."), by `str.find` of "w." and "W."."""
    hints = []
    for dot in ("w.", "W."):
        at = text.find(dot, 2)
        while at >= 0:
            if text[at - 2 : at] in _W_PAIRS:
                hints.append(at - 2)
            at = text.find(dot, at + 2)
    return hints


# "://" and the rest of a URL after it, in one search (a literal start: `re` jumps to it).
_AFTER_SCHEME = re.compile(rf"://{_URL_CHAR}+")
_URL_REST = re.compile(rf"{_URL_CHAR}+")


def _url_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `_URL.finditer(text)` (tests/measures/test_references.py checks they agree).

    Each URL is found from its "://" (with the rest of it, in one search) or its "www.";
    a URL found inside an earlier one is part of it, as in `finditer`.
    """
    found: list[tuple[int, int]] = []
    at = text.find("://")
    while at >= 0:
        tail = _AFTER_SCHEME.search(text, at)
        if tail is None:
            break
        at = tail.start()
        before = text[max(0, at - 5) : at].lower()
        scheme = 5 if before.endswith("https") else 4 if before.endswith("http") else 3 if before.endswith("ftp") else 0
        if scheme:
            found.append((at - scheme, tail.end()))
            at = text.find("://", tail.end())
        else:
            at = text.find("://", at + 3)  # another "://" may be inside this one's rest
    for at in _www_hints(text):
        rest = _URL_REST.match(text, at + 4)
        if rest is not None:
            found.append((at, rest.end()))
    if len(found) > 1:
        found.sort()
    spans: list[tuple[int, int]] = []
    reach = 0  # the end of the last URL: a URL starting inside it is part of it
    for start, end in found:
        if start >= reach:
            spans.append((start, end))
            reach = end
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z'’.]*)\W*$")  # the rule; `_word_before` is its fast form
_WORD_AFTER = re.compile(r"\W*([A-Za-z][A-Za-z'’.]*)")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD_TAIL = frozenset(_ASCII_LETTERS | {"'", "’", "."})


def _word_before(text: str, start: int, window: int = 40) -> str:
    """What `_WORD_BEFORE.search(text, start - window, start)` finds, as group 1, or "".

    Written out because the search tries every position of the window and was the slowest
    step of matching "US" (it runs for every all-caps match); this walks back from `start`
    instead. tests/test_references.py checks the two agree (hypothesis).
    """
    low = max(0, start - window)
    j = start
    while j > low and not (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1  # the non-word characters between the word and `start`
    if j == low or text[j - 1] not in _ASCII_LETTERS:
        return ""
    p = j - 1
    while p > low and text[p - 1] in _WORD_TAIL:
        p -= 1
    while text[p] not in _ASCII_LETTERS:
        p += 1
    q = j
    while q < start and text[q] in _WORD_TAIL:
        q += 1  # trailing "." and apostrophes belong to the word ("U.S.", "Xi's")
    return text[p:q]


def _words_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The words just before and after a match (within 40 characters)."""
    after = _WORD_AFTER.match(text, end, end + 40)
    return _word_before(text, start), (after.group(1) if after else "")


def _all_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _is_compound(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] in _DASH and _WORDCHAR.match(before[0]) is not None) or (
        len(after) >= 1
        and after[0] in _DASH
        and (len(after) == 2 and (_WORDCHAR.match(after[1]) or after[1] in _LINE_BREAK))
    )


def find_mentions(text: str, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every reference to a state (and every toponym) in `text`; see the module docstring."""
    matcher = get_matcher(lexicon)
    rows = find_rows(text, matcher)
    return pd.DataFrame(rows, columns=MENTION_COLUMNS).astype({"start": "int64", "end": "int64", "typo": "bool"})


_FOLD = str.maketrans({"\u0130": "I"})  # İ: NFKC keeps the Turkish capital, which reads as I in "CHİNA"
# Non-ASCII letters and marks of English prose that NFKC leaves as they are and that compose
# with nothing after them (checked here, at import, by `_stable_run`): `normalised` does not
# stop at them, which saves a Python step at every apostrophe of a text with one "İ" or no-break space.
_PROSE = "".join(
    ch for ch in "’‘“”—–•·«»€£§©®°±×÷éèêëáàâäíìîïóòôöúùûüñçÉÈÁÀÖÜÑÇ" if unicodedata.is_normalized("NFKC", ch)
)
_MAY_CHANGE = re.compile(rf"[^\x00-\x7f{_PROSE}]+")


@lru_cache(maxsize=65_536)
def _stable_run(run: str) -> bool:
    """Is this run of non-ASCII characters read as it is (the text around it ASCII or `_PROSE`)?

    Why this test: a text with one "…" is not NFKC as a whole, and reading it cluster by
    cluster costs a Python step per character; most runs ("—", "é", "’") are already normal
    and recur, so a cached test per run decides most texts at once. A run is read as it is
    when it is NFKC by itself, holds no "İ", and does not start with a combining mark (which
    would join the letter before it): then every cluster `normalised` would read is normal
    too (decomposition is per character, and a run that is normal as a whole has nothing to
    compose), and no ASCII or `_PROSE` character composes with a neighbour.
    """
    return "\u0130" not in run and not unicodedata.combining(run[0]) and unicodedata.is_normalized("NFKC", run)


# Stretches of text `normalised` checks as a whole before looking at their runs: a stretch that
# is NFKC already and holds no "İ" reads as it is, as a whole text does. Cut after a newline
# or a space, which nothing composes with, so a stretch reads as it would inside the text.
_STRETCH = 4096


def _runs_that_may_change(text: str):
    """The matches of `_MAY_CHANGE` in `text`, but for those in stretches that read as they are.

    Why: `_MAY_CHANGE` runs a negated character class over every character (about 45 MB/s);
    `unicodedata.is_normalized` checks a stretch at C speed, so a text with a few odd
    characters (a PDF's ligatures, say) pays the scan only where they are.
    """
    size, start = len(text), 0
    newline = space = 0  # the next of each at or after the cut point (-1: none left)
    while start < size:
        cut = start + _STRETCH
        # Each is looked for again only once passed, from past its last place: linear time.
        if 0 <= newline < cut:
            newline = text.find("\n", cut)
        if 0 <= space < cut:
            space = text.find(" ", cut)
        ends = [at for at in (newline, space) if at >= 0]
        end = min(ends) + 1 if ends else size
        stretch = text[start:end]
        if not (stretch.isascii() or ("\u0130" not in stretch and unicodedata.is_normalized("NFKC", stretch))):
            yield from _MAY_CHANGE.finditer(text, start, end)
        start = end


def normalised(text: str) -> tuple[str, tuple[list[int], list[int], list[bool]] | None]:
    """`text` as the matcher reads it, and how to map offsets back (None: it reads `text`).

    The reading is NFKC ("ＵＳ" -> "US", a no-break space -> a space) with "İ" -> "I", applied
    to each character with the combining marks that follow it (so that every character of the
    reading comes from one place in `text`). The map is a list of pieces: the piece's start in
    the reading, its start in `text`, and whether it maps character by character (else it is
    one character cluster whose reading has another length: "ﬁ" -> "fi"). Text that is ASCII
    or already normal (the corpus) is read as it is, at no cost.
    """
    if text.isascii() or ("\u0130" not in text and unicodedata.is_normalized("NFKC", text)):
        return text, None
    parts: list[str] = []
    marks: tuple[list[int], list[int], list[bool]] = ([], [], [])
    length = 0  # of the reading so far

    def piece(reading: str, origin: int, exact: bool) -> None:
        nonlocal length
        if not reading:
            return
        pieces_norm, pieces_orig, pieces_exact = marks
        contiguous = (
            exact and pieces_exact and pieces_exact[-1] and pieces_orig[-1] + (length - pieces_norm[-1]) == origin
        )
        if not contiguous:
            pieces_norm.append(length)
            pieces_orig.append(origin)
            pieces_exact.append(exact)
        parts.append(reading)
        length += len(reading)

    pos = 0
    for run in _runs_that_may_change(text):
        if _stable_run(run.group()):
            continue  # read as it is: part of the exact stretch up to the next run that changes
        start, end = run.span()
        if start > pos and unicodedata.combining(text[start]):
            start -= 1  # a combining mark belongs to the character before it
        piece(text[pos:start], pos, True)
        cluster = start
        for i in range(start + 1, end + 1):
            if i == end or not unicodedata.combining(text[i]):
                raw = text[cluster:i]
                reading = unicodedata.normalize("NFKC", raw)
                reading = reading.translate(_FOLD) if "\u0130" in reading else reading
                piece(reading, cluster, len(reading) == len(raw))
                cluster = i
        pos = end
    if pos == 0:
        return text, None  # every run is read as it is
    piece(text[pos:], pos, True)
    return "".join(parts), marks


def _original_span(marks, n_text: int, start: int, end: int) -> tuple[int, int]:
    """The span of the given text that the reading's [start, end) comes from."""
    norms, origins, exact = marks

    def at(position: int, closing: bool) -> int:
        k = bisect_right(norms, position - (1 if closing else 0)) - 1
        if exact[k]:
            return origins[k] + position - norms[k]
        if not closing:
            return origins[k]
        return origins[k + 1] if k + 1 < len(origins) else n_text  # the whole cluster

    return at(start, False), at(end, True)


def find_rows(text: str, matcher: Matcher) -> list[tuple]:
    """The rows of `find_mentions` as plain tuples (`MENTION_COLUMNS` order), for a compiled matcher."""
    reading, marks = normalised(text)
    if marks is None:
        return _find_rows(text, matcher)
    if marks[0] == [0] and marks[2] == [True]:  # same offsets ("İ" read as "I"): surfaces as written
        return [row[:2] + (text[row[3] : row[4]],) + row[3:] for row in _find_rows(reading, matcher)]
    rows = []
    for row in _find_rows(reading, matcher):
        start, end = _original_span(marks, len(text), row[3], row[4])
        rows.append((row[0], row[1], text[start:end], start, end, row[5], row[6]))
    return rows


def _find_rows(text: str, matcher: Matcher) -> list[tuple]:
    masked = _masked_spans(text)
    if matcher.exclusions:
        masked += [m.span() for p in matcher.exclusions for m in p.finditer(text)]
    masked = _merge(masked)
    next_mask, n_masks = 0, len(masked)
    rows: list[tuple] = []
    append = rows.append
    readings = matcher.readings
    # This loop decides the MB/s (see `make bench`): the common case is kept to a few steps.
    for match in matcher.regex.finditer(text):
        start, end = match.span()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # inside a word ("AUSSIE" holds no "US")
        if n_masks:
            # Matches come in text order, so one pointer walks the (disjoint, sorted) masks.
            while next_mask < n_masks and masked[next_mask][1] <= start:
                next_mask += 1
            if next_mask < n_masks and masked[next_mask][0] < end:
                continue
        surface = match.group()
        reading = readings.get(surface)
        if reading is None:
            reading = matcher.reading(surface)
        entry, typo, reading_kind = reading
        if entry is None:
            continue
        if (
            reading_kind == _NEEDS_CAPS_TEST
            and _NOT_CAPS_AFTER.match(text, end)
            and not _all_caps(_word_before(text, start))
        ):
            # "the US-Japan alliance": neither neighbouring word is in capitals, so this is no
            # all-caps "US" (the only test it needs its neighbours for): read it plainly.
            reading_kind = _PLAIN
        if reading_kind == _PLAIN:
            # A plain name, demonym, capital...: read without context but for the compound test.
            before, after = text[start - 2 : start] if start >= 2 else "", text[end : end + 2]
            if entry.form == "name" and (
                (len(before) == 2 and before[1] in _DASH and before[0].isalnum())
                or (len(after) == 2 and after[0] in _DASH and (after[1].isalnum() or after[1] in _LINE_BREAK))
            ):
                append((entry.actor, "compound", surface, start, end, entry.text, typo))
            else:
                append((entry.actor, entry.form, surface, start, end, entry.text, typo))
            continue
        row = _classify(text, start, end, surface, entry, matcher)
        if row is not None:
            append(row[:-1] + (typo,))
    return rows


# Between texts matched together: a space (ends a URL), "<" (no HTML tag runs past it), a
# digit (no word before or after a match is read across it: the context rules stop at a
# digit) and no letter, dash or newline (nothing to match or join to). See `find_in_texts`.
TEXT_SEPARATOR = " <0> "


def find_in_texts(texts: list[str], lexicon: Lexicon | None = None) -> list[list[tuple]]:
    """`find_rows` of each text (rows as `MENTION_COLUMNS`, offsets within that text), from one pass.

    Many short paragraphs are matched as one string joined by `TEXT_SEPARATOR`, which no
    rule reads across, so the per-call cost is paid once (streaming: 9 -> 30 MB/s).
    tests/test_references.py checks the rows equal those of matching each text alone, on
    every corpus paragraph and on generated ones. (A user's `not_reference_patterns` must not
    match across " <0> ", which no pattern for a reference would.)
    """
    matcher = get_matcher(lexicon)
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(TEXT_SEPARATOR)
    out: list[list[tuple]] = [[] for _ in texts]
    for row in find_rows(TEXT_SEPARATOR.join(texts), matcher):
        i = bisect_right(starts, row[3]) - 1
        base = starts[i]
        out[i].append(row[:3] + (row[3] - base, row[4] - base) + row[5:])
    return out


_NAMESAKE_SUFFIX = re.compile(r",?\s+(?:Jr|Sr)\b")


def _classify(text: str, start: int, end: int, surface: str, entry: _Entry, matcher: Matcher):
    form = entry.form
    compound = _is_compound(text, start, end)
    # Most matches need only the compound test; the context words are looked up only for the
    # entries whose reading depends on them (kept lazy: this loop decides the MB/s).
    if surface.isupper() or entry.person_name or form == "leader":
        before, after = _words_around(text, start, end)
        caps = surface.isupper() and (_all_caps(before) or _all_caps(after))
        if entry.text == "US" and caps and not compound and before.upper() != "THE":
            return None  # "LET US BEGIN", "JOIN US": the pronoun in an all-caps passage
        if form == "leader" and _NAMESAKE_SUFFIX.match(text, end):
            return None  # "Donald Trump Jr.": a namesake
        if entry.person_name and not caps:
            if _preceded_by_name(text, start, before, matcher) or (
                entry.first_name and _followed_by_name(text, end, after, matcher)
            ):
                return None
    if form == "name" and compound:
        form = "compound"
    elif entry.is_prefix and not compound:
        return None  # "Sino" on its own is not a reference
    return (entry.actor, form, surface, start, end, entry.text, False)


def _preceded_by_name(text: str, start: int, before: str, matcher: Matcher) -> bool:
    """Is the word before a capitalised first name (or initial), not a title or function word?"""
    gap = text[max(0, start - len(before) - 3) : start]
    initial = len(before.rstrip(".")) == 1
    if before.endswith(".") and not initial:
        return False
    # "Japan. Putin": a full stop after a word ends a sentence, unless the word is an initial.
    if (
        not before
        or not before[0].isupper()
        or not re.search(re.escape(before) + (r"\s+$" if not initial else r"\.?\s+$"), gap)
    ):
        return False
    return (
        before.rstrip(".") not in matcher.titles
        and before not in matcher.titles
        and not _all_caps(before)
        or (
            len(before.rstrip(".")) == 1  # an initial: "Booker T. Washington"
        )
    )


def _followed_by_name(text: str, end: int, after: str, matcher: Matcher) -> bool:
    if not after or not after[0].isupper() or not re.match(r"\s+" + re.escape(after), text[end : end + len(after) + 3]):
        return False
    return after not in matcher.titles and not _all_caps(after) and after not in ("DC", "D.C.")


def _typo_variants(lexicon: Lexicon, entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """Misspellings one edit away from lexicon entries (see `typos` in the lexicon).

    A single-word variant must not be an English word ("Prussia" is not a typo of Russia);
    a two-word entry is matched with its first word misspelt ("Untied States").
    """
    words = english_words()
    forms = set(lexicon.typos.forms)
    variants: dict[str, _Entry] = {}
    for entry in sorted(entries.values(), key=lambda e: e.text):
        if entry.actor in (None, "toponym") or entry.form not in forms or not entry.fuzzy_ok:
            continue
        parts = entry.text.split()
        if len(parts) == 1 and len(entry.text) >= lexicon.typos.min_length and entry.text.isalpha():
            candidates = {v for v in _edits(entry.text) if v.lower() not in words}
        elif len(parts) == 2 and all(p.isalpha() for p in parts) and len(parts[0]) >= lexicon.typos.min_length:
            candidates = {f"{v} {parts[1]}" for v in _edits(parts[0])}
        else:
            continue
        for variant in sorted(candidates):
            if _key(variant) not in entries:
                variants.setdefault(_key(variant), entry)
    return variants


_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _neighbours(letter: str) -> str:
    """Letters next to `letter` on a QWERTY keyboard (the usual source of slips)."""
    for row_index, row in enumerate(_KEYBOARD):
        col = row.find(letter)
        if col < 0:
            continue
        near = {row[c] for c in (col - 1, col + 1) if 0 <= c < len(row)}
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_KEYBOARD):
                near |= {_KEYBOARD[other][c] for c in (col - 1, col, col + 1) if 0 <= c < len(_KEYBOARD[other])}
        return "".join(sorted(near))
    return ""


def _edits(word: str) -> set[str]:
    """Typing slips one edit away: a letter dropped, doubled, swapped with its neighbour,
    or replaced or joined by a key next to it or a vowel (a keyboard model of Norvig's edits1; all 26
    letters everywhere would make thousands of variants that are rarely typos)."""
    head, rest = word[0], word[1:]
    variants = set()
    for i in range(len(rest) + 1):
        a, b = rest[:i], rest[i:]
        if b:
            variants.add(a + b[1:])  # dropped
            variants |= {a + c + b[1:] for c in _neighbours(b[0].lower())}  # mistyped
            variants.add(a + b[0] + b)  # doubled
        if len(b) > 1:
            variants.add(a + b[1] + b[0] + b[2:])  # swapped
        around = (a[-1:] + b[:1]).lower()
        variants |= {a + c + b for ch in around for c in _neighbours(ch) + ch}  # extra key
        variants |= {
            a + c + b for c in "aeiou" + word.lower()
        }  # an extra vowel or echoed letter ("Pentagaon", "Chinense")
    # The first letter stays (a slip rarely hits the capital), except a swap of the first two.
    out = {head + v for v in variants}
    if len(word) > 2:
        out.add(word[1].upper() + word[0].lower() + word[2:])
    out.discard(word)
    return out


@cache
def _compiled(source: str) -> Matcher:
    return Matcher(load_lexicon(source))


# Matchers of Lexicon objects other than the default, by object identity: a Lexicon holds
# dicts, so it is not hashable, and a weak reference would not help since the matcher refers to
# its lexicon. The cache holds the lexicon, so its id cannot be reused while it is cached.
_BY_OBJECT: OrderedDict[int, tuple[Lexicon, Matcher]] = OrderedDict()
_MAX_OBJECTS = 8


def get_matcher(lexicon: Lexicon | None = None) -> Matcher:
    """The compiled matcher of `lexicon` (default: the packaged lexicon, compiled once per process).

    Compiling takes about a second (the typo variants), so each lexicon is compiled once: the
    default by its path, any other Lexicon object by identity (the last few are kept).
    """
    if lexicon is None:
        return _compiled(str(DEFAULT_PATH))
    key = id(lexicon)
    cached = _BY_OBJECT.get(key)
    if cached is not None and cached[0] is lexicon:
        _BY_OBJECT.move_to_end(key)
        return cached[1]
    matcher = _BY_OBJECT[key] = (lexicon, Matcher(lexicon))
    while len(_BY_OBJECT) > _MAX_OBJECTS:
        _BY_OBJECT.popitem(last=False)
    return matcher[1]
