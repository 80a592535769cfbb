"""References to states: find them in a text, count them per unit, show them in context.

`find_mentions(text)` applies the lexicon (`data/references.yml`, validated by `lexicon.py`)
to any text and returns one row per reference:

    actor    "China", "United States", "Russia" (or any actor the lexicon adds), or "toponym"
    form     name, demonym, capital, institution, leader, compound, predecessor, toponym
    surface  the words as written, without a possessive ending: text[start:end] == surface
    start, end  character offsets in `text`
    entry    the lexicon entry matched (for a typo, the entry it is a misspelling of)
    typo     True when the surface is a misspelling of the entry

in text order and never overlapping. Why the matcher is written here rather than taken from
a library: the rules (case-sensitive entries that also match in ALL CAPS, the pronoun "US" in
capitals, compounds, person-name guards, possessives, URL masking) are specific to this
book's annotation scheme; the engine underneath is one compiled `re` alternation, the fastest
pure-Python way to match a few hundred phrases.

`mentions_table()` runs it over every unit of the corpus and adds provenance; `count_mentions`
turns that into unit x actor x form counts and rates with bootstrap intervals; `kwic` shows
every mention in its context.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.measures.lexicon import Lexicon, load_lexicon

MENTION_COLUMNS = ["actor", "form", "surface", "start", "end", "entry", "typo"]
_DASH = "-\u2010\u2011\u2012\u2013\u2014"
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'\]\)]+", re.I)
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_WORDCHAR = re.compile(r"[A-Za-z0-9]")


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


def _entry_pattern(entry: str) -> str:
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
                    entries[_key(item.text)] = _Entry(item.text, actor, kind, item.person_name, item.first_name,
                                                      item.fuzzy, is_prefix=form == "compound_prefix")
        for text in lexicon.toponyms:
            entries[_key(text)] = _Entry(text, "toponym", "toponym")
        for text in lexicon.not_references:
            entries[_key(text)] = _Entry(text, None, "")
        self.entries = entries
        upper = {_key(e.text.upper()): e for e in entries.values()}
        self.upper = {k: v for k, v in upper.items() if k not in entries}
        self.variants = _typo_variants(lexicon, entries) if lexicon.typos.enabled else {}
        alternatives = sorted({e.text for e in entries.values()} | {e.text.upper() for e in entries.values()}
                              | set(self.variants))
        prefixes = {_key(i.text) for forms in lexicon.actors.values() for i in forms.get("compound_prefix", [])}
        self.prefixes = prefixes
        # Not inside a word on the left; on the right not inside a word, and an apostrophe
        # may only start a possessive ("Xi's", not "Xi'an").
        # The left boundary (not inside a word) is checked in `_find`: a look-behind here would
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
        entry = self.entries.get(key) or self.upper.get(key)
        if entry is not None:
            return entry, False
        return self.variants.get(key), True


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """URLs and HTML tags: nothing inside them is a reference."""
    spans = [m.span() for m in _TAG.finditer(text)] if "<" in text else []
    if "://" in text or "www." in text or "WWW." in text:
        spans += [m.span() for m in _URL.finditer(text)]
    return sorted(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap any of the sorted, possibly nested `spans`?"""
    from bisect import bisect_left

    i = bisect_left(spans, (end, -1))
    # Spans are short (a URL, a tag); look back over the few that start before `end`.
    for a, b in reversed(spans[max(0, i - 8):i]):
        if a < end and start < b:
            return True
    return False


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
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return (len(before) == 2 and before[1] in _DASH and _WORDCHAR.match(before[0]) is not None) or (
        len(after) >= 1 and after[0] in _DASH and (len(after) == 2 and (_WORDCHAR.match(after[1]) or after[1] == "\n"))
    )


def find_mentions(text: str, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every reference to a state (and every toponym) in `text`; see the module docstring."""
    matcher = _matcher(lexicon)
    rows = _find(text, matcher)
    return pd.DataFrame(rows, columns=MENTION_COLUMNS).astype({"start": "int64", "end": "int64", "typo": "bool"})


def _find(text: str, matcher: Matcher) -> list[tuple]:
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
        if reading_kind == _NEEDS_CAPS_TEST and _NOT_CAPS_AFTER.match(text, end) \
                and not _all_caps(_word_before(text, start)):
            # "the US-Japan alliance": neither neighbouring word is in capitals, so this is no
            # all-caps "US" (the only test it needs its neighbours for): read it plainly.
            reading_kind = _PLAIN
        if reading_kind == _PLAIN:
            # A plain name, demonym, capital...: read without context but for the compound test.
            before, after = text[start - 2:start] if start >= 2 else "", text[end:end + 2]
            if entry.form == "name" and (
                    (len(before) == 2 and before[1] in _DASH and before[0].isalnum())
                    or (len(after) == 2 and after[0] in _DASH and (after[1].isalnum() or after[1] == "\n"))):
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
_TEXT_SEPARATOR = " <0> "


def find_in_texts(texts: list[str], lexicon: Lexicon | None = None) -> list[list[tuple]]:
    """`_find` of each text (rows as `MENTION_COLUMNS`, offsets within that text), from one pass.

    Many short paragraphs are matched as one string joined by `_TEXT_SEPARATOR`, which no
    rule reads across, so the per-call cost is paid once (streaming: 9 -> 30 MB/s).
    tests/test_references.py checks the rows equal those of matching each text alone, on
    every corpus paragraph and on generated ones. (A user's `not_reference_patterns` must not
    match across " <0> ", which no pattern for a reference would.)
    """
    from bisect import bisect_right

    matcher = _matcher(lexicon)
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(_TEXT_SEPARATOR)
    out: list[list[tuple]] = [[] for _ in texts]
    for row in _find(_TEXT_SEPARATOR.join(texts), matcher):
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
            if _preceded_by_name(text, start, before, matcher) or (entry.first_name and _followed_by_name(text, end, after, matcher)):
                return None
    if form == "name" and compound:
        form = "compound"
    elif entry.is_prefix and not compound:
        return None  # "Sino" on its own is not a reference
    return (entry.actor, form, surface, start, end, entry.text, False)


def _preceded_by_name(text: str, start: int, before: str, matcher: Matcher) -> bool:
    """Is the word before a capitalised first name (or initial), not a title or function word?"""
    gap = text[max(0, start - len(before) - 3):start]
    initial = len(before.rstrip(".")) == 1
    if before.endswith(".") and not initial:
        return False
    # "Japan. Putin": a full stop after a word ends a sentence, unless the word is an initial.
    if not before or not before[0].isupper() or not re.search(re.escape(before) + (r"\s+$" if not initial else r"\.?\s+$"), gap):
        return False
    return before.rstrip(".") not in matcher.titles and before not in matcher.titles and not _all_caps(before) or (
        len(before.rstrip(".")) == 1  # an initial: "Booker T. Washington"
    )


def _followed_by_name(text: str, end: int, after: str, matcher: Matcher) -> bool:
    if not after or not after[0].isupper() or not re.match(r"\s+" + re.escape(after), text[end:end + len(after) + 3]):
        return False
    return after not in matcher.titles and not _all_caps(after) and after not in ("DC", "D.C.")


def _typo_variants(lexicon: Lexicon, entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """Misspellings one edit away from lexicon entries (see `typos` in the lexicon).

    A single-word variant must not be an English word ("Prussia" is not a typo of Russia);
    a two-word entry is matched with its first word misspelt ("Untied States").
    """
    from framelens.measures.lexicon import english_words

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
        variants |= {a + c + b for c in "aeiou" + word.lower()}  # an extra vowel or echoed letter ("Pentagaon", "Chinense")
    # The first letter stays (a slip rarely hits the capital), except a swap of the first two.
    out = {head + v for v in variants}
    if len(word) > 2:
        out.add(word[1].upper() + word[0].lower() + word[2:])
    out.discard(word)
    return out


@lru_cache(maxsize=8)
def _cached_matcher(path: str | None) -> Matcher:
    return Matcher(load_lexicon(path))


def _matcher(lexicon: Lexicon | None) -> Matcher:
    if lexicon is None:
        return _cached_matcher(None)
    return lexicon.matcher()


# --------------------------------------------------------------------------- corpus level

MENTIONS_TABLE_COLUMNS = [
    "unit_id", "sentence", "seed_file", "seed_line", "in_heading", "section",
    "actor", "form", "surface", "start", "end", "entry", "typo",
]


def mentions_table(seeds_dir: str | Path | None = None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every mention in every unit body, with its sentence, seed line and section.

    Offsets are into the unit's clean text (`load_units().text`); `seed_line` is the line of
    the seed file where the mention starts.
    """
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    frames = []
    sentences = corpus.sentences
    for unit_id in corpus.units["unit_id"]:
        unit = corpus.texts[unit_id]
        found = find_mentions(unit.text, lexicon)
        unit_sentences = sentences[sentences["unit_id"] == unit_id]
        starts = unit_sentences["start"].to_numpy()
        idx = np.searchsorted(starts, found["start"].to_numpy(), side="right") - 1
        idx = np.clip(idx, 0, max(len(starts) - 1, 0))
        found.insert(0, "unit_id", unit_id)
        found.insert(1, "sentence", unit_sentences["sentence"].to_numpy()[idx] if len(found) else [])
        found.insert(2, "seed_file", unit.seed_file)
        found.insert(3, "seed_line", [unit.seed_line(s) for s in found["start"]])
        found.insert(4, "in_heading", unit_sentences["is_heading"].to_numpy()[idx] if len(found) else [])
        found.insert(5, "section", unit_sentences["section"].to_numpy()[idx] if len(found) else [])
        frames.append(found)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MENTIONS_TABLE_COLUMNS)
    return table[MENTIONS_TABLE_COLUMNS].astype({"in_heading": "bool", "typo": "bool"})


STATES = ("China", "United States", "Russia")
FORMS = ("name", "demonym", "capital", "institution", "leader", "compound", "predecessor")


def select_mentions(mentions: pd.DataFrame, *, headings: bool = True, leaders: bool = True,
                    predecessors: bool = True, toponyms: bool = False) -> pd.DataFrame:
    """Filter mentions by the book's sensitivity options."""
    keep = pd.Series(True, index=mentions.index)
    if not headings:
        keep &= ~mentions["in_heading"]
    if not leaders:
        keep &= mentions["form"] != "leader"
    if not predecessors:
        keep &= mentions["form"] != "predecessor"
    if not toponyms:
        keep &= mentions["actor"] != "toponym"
    return mentions[keep]


def count_mentions(seeds_dir: str | Path | None = None, *, headings: bool = True, leaders: bool = True,
                   predecessors: bool = True, by_form: bool = True, lexicon: Lexicon | None = None,
                   n_resamples: int = 2000, seed: int = 20141) -> pd.DataFrame:
    """Counts and rates per 1,000 words: one row per unit x actor (x form).

    columns: unit_id, year, era, actor, [form], mentions, words, rate (per 1,000 words),
    rate_low, rate_high (95% percentile bootstrap interval, resampling the unit's sentences
    with scipy.stats.bootstrap and a fixed seed). Words and sentences follow the options:
    without headings, heading words and sentences are left out too.
    """
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    mentions = select_mentions(mentions_table(seeds_dir, lexicon), headings=headings, leaders=leaders, predecessors=predecessors)
    sentences = corpus.sentences
    if not headings:
        sentences = sentences[~sentences["is_heading"]]
    from framelens.corpus.cleaning import count_words

    sentences = sentences.assign(words=sentences["text"].map(count_words))
    actors = [a for a in _matcher(lexicon).lexicon.actors]
    forms = list(FORMS) if by_form else [None]
    rows = []
    for unit in corpus.units.itertuples():
        unit_sentences = sentences[sentences["unit_id"] == unit.unit_id]
        words = unit_sentences["words"].to_numpy()
        unit_mentions = mentions[mentions["unit_id"] == unit.unit_id]
        for actor in actors:
            for form in forms:
                chosen = unit_mentions[(unit_mentions["actor"] == actor) & ((unit_mentions["form"] == form) if form else True)]
                per_sentence = chosen.groupby("sentence").size()
                counts = unit_sentences["sentence"].map(per_sentence).fillna(0).to_numpy()
                low, high = bootstrap_rate(counts, words, cell_rng(seed, unit.unit_id, actor, form or ""))
                row = {"unit_id": unit.unit_id, "year": unit.year, "era": unit.era, "actor": actor}
                if form:
                    row["form"] = form
                total_words = int(words.sum())
                row.update({
                    "mentions": int(counts.sum()),
                    "words": total_words,
                    "rate": 1000 * counts.sum() / total_words if total_words else np.nan,
                    "rate_low": low,
                    "rate_high": high,
                })
                rows.append(row)
    return pd.DataFrame(rows)


def cell_rng(seed: int, *key: object) -> np.random.Generator:
    """The random generator for one interval, from the seed and what the interval is of.

    Each unit x actor x form (or group x actor) gets its own stream, so an interval does not
    depend on which other units exist or in which order they are computed: adding a source
    leaves every other unit's interval unchanged.
    """
    digest = hashlib.sha256("\x1f".join(str(part) for part in key).encode("utf-8")).digest()
    return np.random.default_rng(np.random.SeedSequence([seed, int.from_bytes(digest[:8], "little")]))


def bootstrap_rate(counts: np.ndarray, words: np.ndarray, rng: np.random.Generator,
                   n_resamples: int = 2000, confidence: float = 0.95) -> tuple[float, float]:
    """95% percentile bootstrap interval of 1000 * sum(counts) / sum(words), resampling sentences."""
    from scipy.stats import bootstrap

    if len(counts) < 2 or words.sum() == 0:
        return (np.nan, np.nan)
    if not counts.any():
        return (0.0, 0.0)  # no resample can contain a mention: the interval is the point

    def ratio(c, w, axis=-1):
        return 1000 * c.sum(axis=axis) / np.maximum(w.sum(axis=axis), 1)

    result = bootstrap((counts, words), ratio, paired=True, vectorized=True, n_resamples=n_resamples,
                       confidence_level=confidence, method="percentile", random_state=rng)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def kwic(mentions: pd.DataFrame | None = None, window: int = 60, seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """Keyword in context: every mention with `window` characters either side and its provenance.

    columns: unit_id, seed_file, seed_line, actor, form, left, surface, right, in_heading
    """
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    if mentions is None:
        mentions = mentions_table(seeds_dir)
    rows = []
    for m in mentions.itertuples():
        text = corpus.texts[m.unit_id].text
        left = text[max(0, m.start - window):m.start].replace("\n\n", " ¶ ")
        right = text[m.end:m.end + window].replace("\n\n", " ¶ ")
        rows.append({
            "unit_id": m.unit_id, "seed_file": m.seed_file, "seed_line": m.seed_line,
            "actor": m.actor, "form": m.form, "left": left, "surface": m.surface, "right": right,
            "in_heading": m.in_heading,
        })
    return pd.DataFrame(rows, columns=["unit_id", "seed_file", "seed_line", "actor", "form", "left", "surface", "right", "in_heading"])


# --------------------------------------------------------------------------- analyses


def rates_by(group: str = "year", seeds_dir: str | Path | None = None, *, headings: bool = True,
             leaders: bool = True, predecessors: bool = True, seed: int = 20141) -> pd.DataFrame:
    """Rates per 1,000 words pooled over the units of each `group` value (a units column).

    columns: <group>, actor, units, mentions, words, rate, rate_low, rate_high (bootstrap over
    the pooled sentences of the group).
    """
    from framelens.corpus.cleaning import count_words
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    mentions = select_mentions(mentions_table(seeds_dir), headings=headings, leaders=leaders, predecessors=predecessors)
    sentences = corpus.sentences if headings else corpus.sentences[~corpus.sentences["is_heading"]]
    sentences = sentences.merge(corpus.units[["unit_id", group]], on="unit_id")
    sentences = sentences.assign(words=sentences["text"].map(count_words))
    per_sentence = mentions.groupby(["unit_id", "sentence", "actor"]).size()
    rows = []
    for value, chunk in sentences.groupby(group, sort=True):
        words = chunk["words"].to_numpy()
        for actor in STATES:
            counts = np.array([per_sentence.get((u, s, actor), 0) for u, s in zip(chunk["unit_id"], chunk["sentence"])])
            low, high = bootstrap_rate(counts, words, cell_rng(seed, group, value, actor))
            rows.append({group: value, "actor": actor, "units": chunk["unit_id"].nunique(), "mentions": int(counts.sum()),
                         "words": int(words.sum()), "rate": 1000 * counts.sum() / words.sum(), "rate_low": low, "rate_high": high})
    return pd.DataFrame(rows)


def form_shares(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """How each state is named: mentions and share of that state's mentions by form, per era."""
    from framelens.corpus.units import load_units

    mentions = select_mentions(mentions_table(seeds_dir)).merge(load_units(seeds_dir)[["unit_id", "era"]], on="unit_id")
    table = mentions.groupby(["era", "actor", "form"]).size().rename("mentions").reset_index()
    table["share"] = table["mentions"] / table.groupby(["era", "actor"])["mentions"].transform("sum")
    return table


def section_effect(section: str = "Cooperation with the US", actor: str = "United States",
                   seeds_dir: str | Path | None = None, units: list[str] | None = None) -> pd.DataFrame:
    """What one recurring section does to one state's count, per unit.

    columns: unit_id, words, words_in_section, mentions, in_headings, in_section (its heading
    and body), outside_section, rate, rate_without_headings, rate_outside_section (per 1,000
    words of the text they count).
    """
    from framelens.corpus.cleaning import count_words
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    mentions = mentions_table(seeds_dir)
    mentions = mentions[mentions["actor"] == actor]
    sentences = corpus.sentences.assign(words=corpus.sentences["text"].map(count_words))
    chosen = units or [u for u in corpus.units["unit_id"] if (sentences[sentences["unit_id"] == u]["section"] == section).any()]
    rows = []
    for unit_id in chosen:
        s = sentences[sentences["unit_id"] == unit_id]
        m = mentions[mentions["unit_id"] == unit_id]
        inside_words = int(s.loc[s["section"] == section, "words"].sum())
        words = int(s["words"].sum())
        heading_words = int(s.loc[s["is_heading"], "words"].sum())
        in_section = int((m["section"] == section).sum())
        in_headings = int(m["in_heading"].sum())
        rows.append({
            "unit_id": unit_id, "words": words, "words_in_section": inside_words, "mentions": len(m),
            "in_headings": in_headings, "in_section": in_section, "outside_section": len(m) - in_section,
            "rate": 1000 * len(m) / words,
            "rate_without_headings": 1000 * (len(m) - in_headings) / (words - heading_words),
            "rate_outside_section": 1000 * (len(m) - in_section) / (words - inside_words),
        })
    return pd.DataFrame(rows)


def where_named(actor: str, seeds_dir: str | Path | None = None, units: list[str] | None = None) -> pd.DataFrame:
    """Per unit and section: sentences and mentions naming `actor` (where a state is discussed)."""
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    mentions = mentions_table(seeds_dir)
    mentions = mentions[mentions["actor"] == actor]
    if units is not None:
        mentions = mentions[mentions["unit_id"].isin(units)]
    table = mentions.groupby(["unit_id", "section"], sort=False).agg(
        mentions=("surface", "size"), sentences=("sentence", "nunique")).reset_index()
    order = {u: i for i, u in enumerate(corpus.units["unit_id"])}
    return table.sort_values(["unit_id"], key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def sentence_coverage(actor: str, seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """Per unit: sentences, sentences naming `actor`, their share, and the sections they fall in."""
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    mentions = mentions_table(seeds_dir)
    mentions = mentions[mentions["actor"] == actor]
    rows = []
    for unit in corpus.units.itertuples():
        s = corpus.sentences[(corpus.sentences["unit_id"] == unit.unit_id) & ~corpus.sentences["is_heading"]]
        m = mentions[(mentions["unit_id"] == unit.unit_id) & ~mentions["in_heading"]]
        naming = m["sentence"].nunique()
        sections = m.groupby("section", sort=False).size()
        rows.append({"unit_id": unit.unit_id, "kind": unit.kind, "sentences": len(s), "sentences_naming": naming,
                     "share": naming / len(s) if len(s) else np.nan, "mentions": len(m),
                     "sections_naming": len(sections),
                     "first_named_at": float(m["sentence"].min() / max(len(corpus.sentences[corpus.sentences["unit_id"] == unit.unit_id]) - 1, 1)) if len(m) else np.nan})
    return pd.DataFrame(rows)


def comentions(seeds_dir: str | Path | None = None, by: str | None = None) -> pd.DataFrame:
    """Sentences naming each pair of states (diagonal: sentences naming the state at all).

    Tidy: [by], actor_a, actor_b, sentences. `by` may be "era" or "unit_id".
    """
    from framelens.corpus.units import load_units

    mentions = select_mentions(mentions_table(seeds_dir))
    named = mentions.groupby(["unit_id", "sentence"])["actor"].agg(lambda a: frozenset(a)).reset_index()
    if by and by != "unit_id":
        named = named.merge(load_units(seeds_dir)[["unit_id", by]], on="unit_id")
    rows = []
    groups = named.groupby(by, sort=False) if by else [(None, named)]
    for value, chunk in groups:
        for a in STATES:
            for b in STATES:
                n = int(sum(1 for s in chunk["actor"] if a in s and b in s))
                row = {"actor_a": a, "actor_b": b, "sentences": n}
                if by:
                    row = {by: value, **row}
                rows.append(row)
    return pd.DataFrame(rows)


def sensitivity(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """How the headline numbers move with the counting options.

    One row per option set and state: references and rate per 1,000 words in each era, and the
    share of all references to the three states. Columns: option, actor, mentions_2014_15,
    rate_2014_15, mentions_2022_25, rate_2022_25, share_of_references.
    """
    options = {
        "all references (the book's default)": {},
        "without headings": {"headings": False},
        "without leaders": {"leaders": False},
        "without predecessor forms": {"predecessors": False},
        "names only (no headings, leaders or predecessors)": {"headings": False, "leaders": False, "predecessors": False},
    }
    rows = []
    for label, kwargs in options.items():
        rates = rates_by("era", seeds_dir, **kwargs).set_index(["era", "actor"])
        total = rates["mentions"].sum()
        for actor in STATES:
            row = {"option": label, "actor": actor}
            for era in ("2014-15", "2022-25"):
                tag = era.replace("-", "_")
                row[f"mentions_{tag}"] = int(rates.loc[(era, actor), "mentions"])
                row[f"rate_{tag}"] = round(float(rates.loc[(era, actor), "rate"]), 2)
            row["share_of_references"] = round(float(rates.xs(actor, level="actor")["mentions"].sum() / total), 3)
            rows.append(row)
    return pd.DataFrame(rows)
