"""Frames: the codebook (`data/frames.yml`), the sentence tagger and the frame measures.

A frame is an emphasis frame (Entman 1993): which aspect of the Japan-India relationship a
sentence makes salient. The codebook is data; `load_codebook` validates it with pydantic and
fails with `CodebookError` naming the file, the field and the problem (missing or unknown
field, duplicate or missing frame id, empty cue, bad wildcard, unsupported character,
duplicate cue within a frame).

`tag(sentence)` returns the frozenset of frame ids one sentence carries (several or none).
The corpus-level functions return tidy tables:

tag_sentences()  one row per sentence x frame (long)
    unit_id, sentence (index as in `load_sentences`), frame, present (0/1),
    cues (the cue words that fired, "; "-joined, "" when absent)
    `wide(tagged)` turns it into one row per sentence with a 0/1 column per frame.
frame_shares(by="unit")  one row per unit x frame
    unit_id, era, frame, sentences, with_frame, share, low, high
frame_shares(by="era")  one row per era x frame
    era, frame, units, sentences, with_frame, share (mean of the units' shares: every brief
    weighs the same), low, high, pooled_share (share of all the era's sentences)
era_change()  one row per frame: the 2022-25 share minus the 2014-15 share, with interval
state_frames()  one row per state x era x frame, among sentences naming that state
    state, era, frame, units, sentences, with_frame, share, low, high (Wilson interval)
validate(gold)  one row per frame plus "macro" and "micro"
    frame, gold, tagged, tp, fp, fn, precision, recall, f1

Headings are left out by default: they are labels ("Context", "Policy Objectives"), not
sentences, and the recommendation sub-heads repeat the text below them.

Intervals of frame shares are 95% percentile bootstrap intervals (scipy.stats.bootstrap)
that resample sentences within each unit, with a fixed seed per cell, so a table's numbers do
not depend on which other cells were computed. A share of 0 (or 1) gets the interval [0, 0]:
no resample can differ. State x frame shares use Wilson intervals (see `state_frames`).
"""

from __future__ import annotations

import html
import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Iterable

import numpy as np
import pandas as pd
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError,
                      ValidationInfo, field_validator)

from framelens.datafiles import describe, read_yaml
from framelens.paths import CODEBOOK_FILE

DEFAULT_PATH = CODEBOOK_FILE
FRAME_IDS = ("security", "economy", "tech_security", "values", "institutions", "autonomy", "history", "leaders")
SEED = 20141
CONFIDENCE = 0.95
N_RESAMPLES = 2000


class CodebookError(ValueError):
    def __init__(self, file: str | Path, field: str, reason: str):
        self.file, self.field, self.reason = str(file), field, reason
        super().__init__(f"{self.file}: {field}: {reason}")


# --------------------------------------------------------------------------- cue syntax

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"  # for a character class
_CUE_CHARS = re.compile(r"^[A-Za-z0-9 '’&+./*-]+$")
_FUNCTION_WORDS = frozenset("a an and as at by for from in into of on or the to with against".split())
_VOWELS = set("aeiou")


def _check_cue(cue: str) -> str:
    """A cue or exclude phrase is well formed: letters, digits and a few joiners, at most one
    trailing wildcard on a stem of three or more characters."""
    if not cue or not cue.strip():
        raise ValueError("empty cue")
    if cue != cue.strip():
        raise ValueError(f"cue {cue!r} has leading or trailing spaces")
    if not _CUE_CHARS.match(cue):
        bad = sorted(set(ch for ch in cue if not _CUE_CHARS.match(ch)))
        raise ValueError(f"cue {cue!r} has unsupported character(s) {''.join(bad)!r} (cues are words, not regular expressions)")
    if "*" in cue:
        stem = _words(cue)[-1]
        if cue.count("*") > 1 or not cue.endswith("*") or len(stem.rstrip("*")) < 3 or not stem.rstrip("*")[-1].isalnum():
            raise ValueError(f"bad wildcard in {cue!r}: '*' may only end the last word, after a stem of 3 or more letters")
    if not cue[0].isalnum():
        raise ValueError(f"cue {cue!r} must begin with a letter or digit")
    return cue


def _words(cue: str) -> list[str]:
    """A cue's words: split at whitespace and at hyphens (either may join them in a text)."""
    return [w for w in re.split(rf"[\s{_DASHES}]+", cue) if w]


def _key(cue: str) -> str:
    return " ".join(_words(cue.lower().replace("’", "'")))


Cue = Annotated[str, AfterValidator(_check_cue)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Frame(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    include: list[str] = []
    exclude: list[str] = []
    cues: list[Cue] = Field(min_length=1)
    exclude_phrases: list[Cue] = []

    @field_validator("cues", "exclude_phrases")
    @classmethod
    def _unique(cls, cues: list[str], info: ValidationInfo) -> list[str]:
        seen: dict[str, int] = {}
        for i, cue in enumerate(cues):
            key = _key(cue)
            if key in seen:
                raise ValueError(
                    f"cue {cue!r} appears twice ({info.field_name}[{seen[key]}] {cues[seen[key]]!r} and "
                    f"{info.field_name}[{i}]; matching ignores case, and hyphens equal spaces)")
            seen[key] = i
        return cues


class Codebook(_Strict):
    version: int
    frames: list[Frame] = Field(min_length=1)
    source: str = ""
    _tagger: "Tagger | None" = PrivateAttr(default=None)

    @field_validator("frames")
    @classmethod
    def _ids(cls, frames: list[Frame]) -> list[Frame]:
        seen: dict[str, int] = {}
        for i, frame in enumerate(frames):
            if frame.id in seen:
                raise ValueError(f"duplicate frame id {frame.id!r} (frames[{seen[frame.id]}] and frames[{i}])")
            seen[frame.id] = i
        missing = [f for f in FRAME_IDS if f not in seen]
        if missing:
            # A user may add frames; the eight the book reports on must stay.
            raise ValueError(f"missing frame id(s) {', '.join(missing)}: the codebook must define {', '.join(FRAME_IDS)}")
        return frames

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.frames)

    def frame(self, frame_id: str) -> Frame:
        for frame in self.frames:
            if frame.id == frame_id:
                return frame
        raise KeyError(frame_id)

    def tagger(self) -> "Tagger":
        if self._tagger is None:
            self._tagger = Tagger(self)
        return self._tagger


def _frame_id(loc, data) -> str:
    """The id of the frame a location points into ('frames', 3, ...), if any."""
    if len(loc) >= 2 and loc[0] == "frames" and isinstance(loc[1], int):
        try:
            return str(data["frames"][loc[1]].get("id", ""))
        except (KeyError, IndexError, TypeError, AttributeError):
            return ""
    return ""


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook file (the packaged `data/frames.yml` by default)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_yaml(path, CodebookError, "codebook", mapping="with 'version' and 'frames'")
    try:
        return Codebook.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        error = exc.errors()[0]
        field, reason = describe(error)
        field = field or "-"
        frame_id = _frame_id(error["loc"], data)
        if frame_id and field.count(".") >= 1:
            reason = f"in frame {frame_id!r}: {reason}"
        raise CodebookError(path, field, reason) from None


@lru_cache(maxsize=8)
def _cached_codebook(path: str | None) -> Codebook:
    return load_codebook(path)


def codebook(path: str | Path | None = None) -> Codebook:
    """The validated codebook, loaded once per path."""
    return _cached_codebook(str(path) if path is not None else None)


# --------------------------------------------------------------------------- matching

def _inflections(word: str) -> list[str]:
    """The regular forms the codebook promises: -s/-es, -ed, -ing, y -> ies/ied, a final e
    dropped before -ed/-ing, and a final consonant doubled after a short vowel (deter ->
    deterred). Names and acronyms (written with a capital) only take a plural -s."""
    if not word.isalpha():
        return [word]
    low = word.lower()
    if word[0].isupper():
        return [low, low + "s"]
    if len(low) < 3 or low in _FUNCTION_WORDS:
        return [low]
    if low.endswith("e"):
        forms = {low, low + "s", low + "d", low[:-1] + "ing"}
    elif low.endswith("y") and low[-2] not in _VOWELS:
        forms = {low, low[:-1] + "ies", low[:-1] + "ied", low + "ing"}
    else:
        plural = low + "es" if low.endswith(("s", "x", "z", "ch", "sh")) else low + "s"
        forms = {low, plural, low + "ed", low + "ing"}
        if low[-1] not in _VOWELS | {"w", "x", "y"} and low[-2] in _VOWELS and low[-3] not in _VOWELS:
            forms |= {low + low[-1] + "ed", low + low[-1] + "ing"}
    return sorted(forms, key=lambda f: (-len(f), f))


def _word_pattern(word: str, inflect: bool) -> str:
    if word.endswith("*"):
        return _literal(word[:-1]) + "[A-Za-z0-9]*"
    forms = _inflections(word) if inflect else [word]
    body = "|".join(_literal(f) for f in forms)
    return f"(?:{body})" if len(forms) > 1 else body


def _literal(text: str) -> str:
    return "".join("['’]" if ch in "'’" else re.escape(ch) for ch in text)


_SEPARATOR = rf"(?:\s*[{_DASHES}]\s*|\s+)"
# Whole words: no letter or digit may touch a cue on either side.
_LEFT, _RIGHT = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"


def cue_pattern(cue: str, inflect: bool = True) -> str:
    """The regular expression for one cue (see the header of data/frames.yml)."""
    words = _words(cue)
    return _LEFT + _SEPARATOR.join(_word_pattern(w, inflect) for w in words) + _RIGHT


_TOKEN = re.compile(r"[A-Za-z0-9]+")


class _Entry:
    """One cue (or excluded phrase) of one frame, indexed under the first token it can start with."""

    __slots__ = ("frame", "cue", "exclude", "regex", "lead")

    def __init__(self, frame: str, cue: str, exclude: bool, regex: re.Pattern | None, lead: bool = False):
        self.frame, self.cue, self.exclude, self.regex, self.lead = frame, cue, exclude, regex, lead


_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K (Kelvin sign)
_LOOKBACK = 60  # characters before its anchor word in which a phrase's leading function words may sit


def _trie_pattern(words: Iterable[str], prefixes: Iterable[str]) -> str:
    """A regex matching any of `words` exactly or any word starting with one of `prefixes`,
    factored as a trie."""
    END, WILD = "", "*"
    root: dict = {}
    for word, mark in [(w, END) for w in words] + [(p, WILD) for p in prefixes]:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[mark] = True

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch not in (END, WILD)]
        if WILD in node:
            branches.append("[a-z0-9]*")
        if not branches:
            return ""
        optional = END in node and WILD not in node  # a word may end here, or go on
        if len(branches) == 1 and not optional:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return "(?:" + build(root) + ")"


class Tagger:
    """The codebook compiled into an index from a sentence's tokens to the cues they may start.

    Why not one regular expression per frame: a frame's excluded phrases apply to that frame
    only ("economic security" is removed for economy but is itself a tech_security cue), so
    that takes two passes per frame, sixteen per sentence, and ran at under 0.5 MB/s. Here
    one pass of one regex (a trie of every word a cue or excluded phrase can begin with, in
    all its inflected forms, plus the wildcard stems) finds the candidate tokens; each is
    looked up in a dict, and only multi-word cues are then checked with their own anchored
    regex. A cue counts unless it overlaps an excluded phrase of its own frame, which is the
    same as removing the phrase before matching (tests/test_frames.py checks the two agree
    on every corpus sentence).

    Cues inflect; excluded phrases match as written (plus a trailing wildcard), because they
    are specific phrases: "the value" must not also remove "the values".
    """

    def __init__(self, book: Codebook):
        self.codebook = book
        self.ids = book.ids
        self.index: dict[str, list[_Entry]] = {}
        self.prefixes: dict[str, list[_Entry]] = {}
        for frame in book.frames:
            for cue in frame.cues:
                self._add(frame.id, cue, exclude=False)
            for phrase in frame.exclude_phrases:
                self._add(frame.id, phrase, exclude=True)
        self.has_excludes = {f.id for f in book.frames if f.exclude_phrases}
        self.prefix_tuple = tuple(self.prefixes)
        self.plans: dict[str, tuple[tuple[_Entry, ...], frozenset[str], tuple[_Entry, ...]]] = {}
        # Only tokens that can start a cue or an excluded phrase are visited: one regex finds
        # them (a trie of the first words, so the engine checks a letter, not every key, at
        # each position).
        first_words = _trie_pattern(self.index, self.prefixes)
        self.candidates = re.compile(_LEFT + first_words + _RIGHT)
        self.candidates_any_case = re.compile(_LEFT + first_words + _RIGHT, re.IGNORECASE)

    def _add(self, frame: str, cue: str, exclude: bool) -> None:
        words = _words(cue)
        # A phrase is found through its first word, unless that is a function word ("the
        # value"): then through the next one, so "the" is not a candidate in every sentence.
        lead = 0
        while lead < len(words) - 1 and words[lead].lower() in _FUNCTION_WORDS:
            lead += 1
        anchor = words[lead]
        single = len(words) == 1 and anchor.rstrip("*").isalnum()
        pattern = cue_pattern(cue, not exclude)
        regex = None if single else re.compile(pattern if lead else pattern[len(_LEFT):], re.IGNORECASE)
        entry = _Entry(frame, cue, exclude, regex, lead > 0)
        if anchor.endswith("*") and anchor[:-1].isalnum():
            self.prefixes.setdefault(anchor[:-1].lower(), []).append(entry)
            return
        forms = [anchor.lower()] if exclude else _inflections(anchor)
        for form in dict.fromkeys(_TOKEN.match(f).group().lower() for f in forms):
            self.index.setdefault(form, []).append(entry)

    def _plan(self, token: str) -> tuple[tuple[_Entry, ...], frozenset[str], tuple[_Entry, ...]]:
        """For a candidate token (kept per token: the same words recur): the entries it may
        start; the frames it settles by itself (one-word cues of frames without excluded
        phrases); and the other entries, which need a closer look."""
        word = token.lower()
        entries = list(self.index.get(word, ()))
        if self.prefix_tuple and word.startswith(self.prefix_tuple):
            entries += [e for p, es in self.prefixes.items() if word.startswith(p) for e in es]
        settles = frozenset(e.frame for e in entries
                            if e.regex is None and not e.exclude and e.frame not in self.has_excludes)
        rest = tuple(e for e in entries if not (e.frame in settles and e.regex is None and not e.exclude))
        plan = self.plans[token] = (tuple(entries), settles, rest)
        return plan

    def _tokens(self, text: str):
        """The candidate tokens of `text`: words that may start a cue or an excluded phrase."""
        # Matching the lower-cased text finds what matching ignoring case finds, at the same
        # offsets, and is faster, except with the four characters below: the only ones whose
        # lower case is not one character or that match an ASCII letter ignoring case.
        if not _CASE_TRAPS.search(text):
            return self.candidates.finditer(text.lower())
        return self.candidates_any_case.finditer(text)

    def _scan(self, sentence: str, skip: set[str]):
        """(entry, start, end) of every cue and excluded phrase found, in text order; frames
        in `skip` (a set the caller may grow while scanning) are not looked for."""
        plans = self.plans
        for token in self._tokens(sentence):
            word = token.group()
            plan = plans.get(word)
            entries = (plan or self._plan(word))[0]
            for entry in entries:
                if entry.frame not in skip:
                    span = _locate(entry, sentence, token)
                    if span is not None:
                        yield entry, span[0], span[1]

    def matches(self, sentence: str) -> list[tuple[str, str, int, int]]:
        """(frame, cue, start, end) of every cue occurrence that counts, in text order."""
        found, excluded = [], {}
        for entry, start, end in self._scan(sentence, set()):
            if entry.exclude:
                excluded.setdefault(entry.frame, []).append((start, end))
            else:
                found.append((entry.frame, entry.cue, start, end))
        if excluded:
            found = [m for m in found if not any(a < m[3] and m[2] < b for a, b in excluded.get(m[0], ()))]
        return found

    def tag(self, sentence: str) -> frozenset[str]:
        confirmed: set[str] = set()
        cues: dict[str, list[tuple[int, int]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        plans, has_excludes = self.plans, self.has_excludes
        # A frame without excluded phrases is settled by its first cue and not looked for
        # again; the others are settled at the end. (This is `_scan` with the commonest case,
        # a one-word cue that settles its frame, taken first: tagging is the hot loop.)
        for token in self._tokens(sentence):
            plan = plans.get(token.group()) or self._plan(token.group())
            if plan[1]:
                confirmed |= plan[1]
            for entry in plan[2]:
                if entry.frame in confirmed:
                    continue
                span = _locate(entry, sentence, token)
                if span is None:
                    continue
                if entry.exclude:
                    excluded.setdefault(entry.frame, []).append(span)
                elif entry.frame in has_excludes:
                    cues.setdefault(entry.frame, []).append(span)
                else:
                    confirmed.add(entry.frame)
        for frame, spans in cues.items():
            out = excluded.get(frame, ())
            if any(not any(a < e and s < b for a, b in out) for s, e in spans):
                confirmed.add(frame)
        return frozenset(confirmed)

    def cues_found(self, sentence: str) -> dict[str, list[str]]:
        """Frame id -> the cue surfaces found, in text order (frames without a cue are left out).

        A surface inside a longer one of the same frame ("values" in "shared values") is not
        repeated.
        """
        spans: dict[str, list[tuple[int, int]]] = {}
        for frame, _, start, end in self.matches(sentence):
            spans.setdefault(frame, []).append((start, end))
        out = {}
        for frame in self.ids:
            if frame in spans:
                unique = sorted(set(spans[frame]), key=lambda s: (s[0], -s[1]))
                kept = [s for s in unique if not any(a <= s[0] and s[1] <= b and (a, b) != s for a, b in unique)]
                out[frame] = [sentence[a:b] for a, b in kept]
        return out


def _locate(entry: _Entry, sentence: str, token: re.Match) -> tuple[int, int] | None:
    """Where `entry` occurs at this candidate token of `sentence`, if it does."""
    start = token.start()
    if entry.regex is None:
        return start, token.end()
    if not entry.lead:
        match = entry.regex.match(sentence, start)
        return (start, match.end()) if match is not None else None
    # the phrase starts before this token: find it in the stretch before
    for match in entry.regex.finditer(sentence, max(0, start - _LOOKBACK)):
        if match.start() > start:
            return None
        if match.end() > start:
            return match.start(), match.end()
    return None


def _tagger(book: Codebook | None) -> Tagger:
    return (book or codebook()).tagger()


def tag(sentence: str, book: Codebook | None = None) -> frozenset[str]:
    """The ids of the frames `sentence` carries: any subset of the codebook's frames."""
    return _tagger(book).tag(sentence)


def cues_found(sentence: str, book: Codebook | None = None) -> dict[str, list[str]]:
    """Which cue words made `tag` assign each frame (for auditing a tagging)."""
    return _tagger(book).cues_found(sentence)


# --------------------------------------------------------------------------- corpus level

TAGGED_COLUMNS = ["unit_id", "sentence", "frame", "present", "cues"]


def corpus_sentences(seeds_dir: str | Path | None = None, headings: bool = False) -> pd.DataFrame:
    """The corpus sentences the frame measures use (body text only unless `headings`)."""
    from framelens.corpus.units import load_corpus

    corpus = load_corpus(seeds_dir)
    sentences = corpus.sentences
    if not headings:
        sentences = sentences[~sentences["is_heading"]]
    era = dict(zip(corpus.units["unit_id"], corpus.units["era"]))
    return sentences.assign(era=sentences["unit_id"].map(era)).reset_index(drop=True)


def tag_sentences(seeds_dir: str | Path | None = None, headings: bool = False,
                  book: Codebook | None = None) -> pd.DataFrame:
    """Every sentence of every unit x every frame, long and tidy (columns: see module doc)."""
    tagger = _tagger(book)
    sentences = corpus_sentences(seeds_dir, headings)
    rows = []
    for s in sentences.itertuples():
        found = tagger.cues_found(s.text)
        for f in tagger.ids:
            rows.append((s.unit_id, s.sentence, f, int(f in found), "; ".join(found.get(f, []))))
    return pd.DataFrame(rows, columns=TAGGED_COLUMNS)


def wide(tagged: pd.DataFrame, seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per sentence: unit_id, era, sentence, text, a 0/1 column per frame, n_frames."""
    table = tagged.pivot(index=["unit_id", "sentence"], columns="frame", values="present")
    ids = list(dict.fromkeys(tagged["frame"]))
    table = table[ids].reset_index()
    table.columns.name = None
    sentences = corpus_sentences(seeds_dir, headings=True)[["unit_id", "sentence", "era", "text"]]
    table = sentences.merge(table, on=["unit_id", "sentence"], how="inner", validate="one_to_one")
    return table.assign(n_frames=table[ids].sum(axis=1))


def audit_table(tagged: pd.DataFrame, seeds_dir: str | Path | None = None,
                pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per sentence, to read the tagging: unit_id, sentence, era, seed_line, text,
    frames ("; "-joined ids, "" for none), cues ("frame: cue, cue | frame: cue").

    With `pairs` (a table with unit_id and sentence), only those sentences.
    """
    keys = ["unit_id", "sentence"]
    present = tagged[tagged["present"] == 1]
    frames_of = present.groupby(keys, sort=False)["frame"].agg("; ".join)
    cues_of = present.assign(both=present["frame"] + ": " + present["cues"].str.replace("; ", ", ")).groupby(
        keys, sort=False)["both"].agg(" | ".join)
    sentences = corpus_sentences(seeds_dir, headings=True)[[*keys, "era", "seed_line", "text"]]
    table = tagged[keys].drop_duplicates().merge(sentences, on=keys, how="left")
    if pairs is not None:
        table = table.merge(pairs[keys].drop_duplicates(), on=keys, how="inner")
    index = pd.MultiIndex.from_frame(table[keys])
    table["frames"] = frames_of.reindex(index).fillna("").to_numpy()
    table["cues"] = cues_of.reindex(index).fillna("").to_numpy()
    return table.reset_index(drop=True)


def _seed_for(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(zlib.crc32(k.encode("utf-8")) for k in keys)])


def share_interval(groups: list[np.ndarray], weighting: str, rng: np.random.Generator,
                   n_resamples: int = N_RESAMPLES, confidence: float = CONFIDENCE,
                   signs: list[int] | None = None) -> tuple[float, float]:
    """Percentile bootstrap interval of a share, resampling 0/1 sentence flags within each group.

    weighting "unit": the statistic is the mean of the groups' shares (each unit weighs the
    same); "sentence": the pooled share. With `signs` (+1/-1 per group, "unit" weighting) the
    statistic is mean(+1 groups) - mean(-1 groups): an era difference.
    """
    from scipy.stats import bootstrap

    groups = [np.asarray(g, dtype=float) for g in groups]
    signs = signs or [1] * len(groups)
    # A group of one sentence resamples to itself: it enters the statistic as a constant
    # (scipy needs two observations per sample).
    varying = [i for i, g in enumerate(groups) if len(g) >= 2 and 0 < g.sum() < len(g)]
    if not varying:
        point = _share_point(groups, weighting, signs)
        return (point, point)

    def statistic(*samples, axis=-1):
        values = {i: s for i, s in zip(varying, samples)}
        if weighting == "sentence":
            hits = sum(values[i].sum(axis=axis) if i in values else groups[i].sum() for i in range(len(groups)))
            return hits / sum(len(g) for g in groups)
        shares = [values[i].mean(axis=axis) if i in values else groups[i].mean() for i in range(len(groups))]
        plus = [s for s, sign in zip(shares, signs) if sign > 0]
        minus = [s for s, sign in zip(shares, signs) if sign < 0]
        result = sum(plus) / len(plus)
        return result - sum(minus) / len(minus) if minus else result

    result = bootstrap(tuple(groups[i] for i in varying), statistic, paired=False, vectorized=True,
                       n_resamples=n_resamples, confidence_level=confidence, method="percentile", rng=rng)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _share_point(groups: list[np.ndarray], weighting: str, signs: list[int]) -> float:
    if weighting == "sentence":
        return float(sum(g.sum() for g in groups) / sum(len(g) for g in groups))
    plus = [g.mean() for g, s in zip(groups, signs) if s > 0]
    minus = [g.mean() for g, s in zip(groups, signs) if s < 0]
    return float(np.mean(plus) - (np.mean(minus) if minus else 0.0))


def _tagged(tagged, seeds_dir, headings, book) -> pd.DataFrame:
    return tagged if tagged is not None else tag_sentences(seeds_dir, headings, book)


def _units(seeds_dir) -> pd.DataFrame:
    from framelens.corpus.units import load_units

    return load_units(seeds_dir)[["unit_id", "era", "authors"]]


def frame_shares(tagged: pd.DataFrame | None = None, *, by: str = "unit", seeds_dir: str | Path | None = None,
                 headings: bool = False, book: Codebook | None = None, n_resamples: int = N_RESAMPLES,
                 seed: int = SEED) -> pd.DataFrame:
    """Share of sentences carrying each frame, per unit (`by="unit"`) or per era (`by="era"`)."""
    tagged = _tagged(tagged, seeds_dir, headings, book)
    units = _units(seeds_dir)
    era_of = dict(zip(units["unit_id"], units["era"]))
    frames = list(dict.fromkeys(tagged["frame"]))
    flags = {(u, f): g["present"].to_numpy() for (u, f), g in tagged.groupby(["unit_id", "frame"], sort=False)}
    order = [u for u in units["unit_id"] if (u, frames[0]) in flags]
    rows = []
    if by == "unit":
        for unit in order:
            for f in frames:
                x = flags[(unit, f)]
                low, high = share_interval([x], "unit", _seed_for(seed, unit, f), n_resamples)
                rows.append({"unit_id": unit, "era": era_of[unit], "frame": f, "sentences": len(x),
                             "with_frame": int(x.sum()), "share": x.mean(), "low": low, "high": high})
        return pd.DataFrame(rows)
    if by != "era":
        raise ValueError(f"by must be 'unit' or 'era', not {by!r}")
    for era in dict.fromkeys(era_of[u] for u in order):
        members = [u for u in order if era_of[u] == era]
        for f in frames:
            groups = [flags[(u, f)] for u in members]
            low, high = share_interval(groups, "unit", _seed_for(seed, era, f), n_resamples)
            pooled = np.concatenate(groups)
            rows.append({"era": era, "frame": f, "units": len(members), "sentences": len(pooled),
                         "with_frame": int(pooled.sum()), "share": float(np.mean([g.mean() for g in groups])),
                         "low": low, "high": high, "pooled_share": pooled.mean()})
    return pd.DataFrame(rows)


def era_change(tagged: pd.DataFrame | None = None, *, early: str = "2014-15", late: str = "2022-25",
               seeds_dir: str | Path | None = None, headings: bool = False, book: Codebook | None = None,
               n_resamples: int = N_RESAMPLES, seed: int = SEED) -> pd.DataFrame:
    """Per frame: share in `late` minus share in `early` (means of unit shares), with interval.

    columns: frame, early, late, change, low, high (percentage-point change as a fraction)
    """
    tagged = _tagged(tagged, seeds_dir, headings, book)
    units = _units(seeds_dir)
    era_of = dict(zip(units["unit_id"], units["era"]))
    rows = []
    for f, g in tagged.groupby("frame", sort=False):
        groups, signs = [], []
        for unit, flags in g.groupby("unit_id", sort=False)["present"]:
            if era_of[unit] in (early, late):
                groups.append(flags.to_numpy())
                signs.append(1 if era_of[unit] == late else -1)
        low, high = share_interval(groups, "unit", _seed_for(seed, "change", f), n_resamples, signs=signs)
        late_share = float(np.mean([x.mean() for x, s in zip(groups, signs) if s > 0]))
        early_share = float(np.mean([x.mean() for x, s in zip(groups, signs) if s < 0]))
        rows.append({"frame": f, "early": early_share, "late": late_share, "change": late_share - early_share,
                     "low": low, "high": high})
    return pd.DataFrame(rows)


ALL_SENTENCES = "all sentences"


def state_sentences(seeds_dir: str | Path | None = None, states: Iterable[str] | None = None,
                    headings: bool = False, leaders: bool = True) -> pd.DataFrame:
    """Which sentences name which state: unit_id, sentence, state (one row per pair).

    From `references.mentions_table()`; toponyms ("South China Sea") never count. With
    `leaders=False` a sentence naming only a state's leader ("Xi") does not count.
    """
    from framelens.measures.references import STATES, mentions_table, select_mentions

    states = tuple(states or STATES)
    mentions = select_mentions(mentions_table(seeds_dir), headings=headings, leaders=leaders, toponyms=False)
    mentions = mentions[mentions["actor"].isin(states)]
    pairs = mentions[["unit_id", "sentence", "actor"]].drop_duplicates().rename(columns={"actor": "state"})
    return pairs.reset_index(drop=True)


def wilson_interval(hits: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval of hits/n (scipy.stats.binomtest)."""
    from scipy.stats import binomtest

    if n == 0:
        return (np.nan, np.nan)
    ci = binomtest(int(hits), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def state_frames(tagged: pd.DataFrame | None = None, *, seeds_dir: str | Path | None = None,
                 states: Iterable[str] | None = None, headings: bool = False, leaders: bool = True,
                 baseline: bool = True, book: Codebook | None = None) -> pd.DataFrame:
    """Among the sentences naming each state, the share carrying each frame, per era.

    Shares pool the era's sentences that name the state: few briefs name Russia or the US
    often, so a mean of unit shares would rest on units with one or two sentences. Intervals
    are Wilson score intervals rather than bootstrap ones because many cells rest on a dozen
    sentences or fewer and many shares are 0, where a percentile bootstrap collapses to a
    point. With `baseline`, rows for state "all sentences" give the era's pooled share over
    every sentence, for comparison.
    """
    from framelens.measures.references import STATES

    tagged = _tagged(tagged, seeds_dir, headings, book)
    units = _units(seeds_dir)
    era_of = dict(zip(units["unit_id"], units["era"]))
    states = tuple(states or STATES)
    naming = state_sentences(seeds_dir, states, headings, leaders)
    tagged = tagged.assign(era=tagged["unit_id"].map(era_of))
    frames = list(dict.fromkeys(tagged["frame"]))
    eras = list(dict.fromkeys(era_of[u] for u in units["unit_id"]))
    selections = [(s, naming[naming["state"] == s][["unit_id", "sentence"]]) for s in states]
    if baseline:
        selections.append((ALL_SENTENCES, None))
    rows = []
    for state, chosen in selections:
        subset = tagged if chosen is None else tagged.merge(chosen, on=["unit_id", "sentence"], how="inner")
        for era in eras:
            in_era = subset[subset["era"] == era]
            for f in frames:
                flags = in_era[in_era["frame"] == f]
                n, hits = len(flags), int(flags["present"].sum())
                low, high = wilson_interval(hits, n)
                rows.append({"state": state, "era": era, "frame": f, "units": flags["unit_id"].nunique(),
                             "sentences": n, "with_frame": hits, "share": hits / n if n else np.nan,
                             "low": low, "high": high})
    return pd.DataFrame(rows)


def cue_counts(seeds_dir: str | Path | None = None, headings: bool = False,
               book: Codebook | None = None) -> pd.DataFrame:
    """How many sentences each cue tags (after its frame's exclusions): frame, cue, sentences.

    Every cue of the codebook has a row, also those that never fire in this corpus.
    """
    book = book or codebook()
    tagger = book.tagger()
    hits: dict[tuple[str, str], set[int]] = {}
    for i, text in enumerate(corpus_sentences(seeds_dir, headings)["text"]):
        for frame, cue, _, _ in tagger.matches(text):
            hits.setdefault((frame, cue), set()).add(i)
    return pd.DataFrame([{"frame": f.id, "cue": cue, "sentences": len(hits.get((f.id, cue), ()))}
                         for f in book.frames for cue in f.cues])


# --------------------------------------------------------------------------- validation

def gold_path() -> Path:
    """tests/annotations/frames_gold.csv of the project (found from the seeds directory)."""
    from framelens.paths import annotations_dir

    return annotations_dir() / "frames_gold.csv"


def load_gold(path: str | Path | None = None) -> pd.DataFrame:
    """The hand-coded validation sample: unit_id, sentence, text, a 0/1 column per frame, note."""
    return pd.read_csv(path or gold_path(), dtype={"note": "string"}, keep_default_na=False,
                       na_values={f: [""] for f in FRAME_IDS})


VALIDATION_COLUMNS = ["frame", "gold", "tagged", "tp", "fp", "fn", "precision", "recall", "f1"]


def _flags(column: pd.Series, name: str) -> np.ndarray:
    values = pd.to_numeric(column.fillna(0), errors="coerce")
    if values.isna().any() or not values.isin([0, 1]).all():
        bad = column[values.isna() | ~values.isin([0, 1])].iloc[0]
        raise ValueError(f"gold column {name!r}: values must be 0 or 1 (found {bad!r})")
    return values.astype(int).to_numpy()


def validate(gold: pd.DataFrame, book: Codebook | None = None) -> pd.DataFrame:
    """Precision, recall and F1 of the tagger against hand-coded sentences, per frame.

    `gold` has a `text` column and one 0/1 column per frame id (blank counts as 0), as in
    tests/annotations/frames_gold.csv. Rows "macro" (the unweighted mean of the frames'
    precision, recall and F1) and "micro" (from the summed counts) follow the frames.
    Precision is undefined (NaN) for a frame the tagger never assigns, recall for a frame the
    coder never assigns; the macro mean skips undefined values.
    """
    tagger = _tagger(book)
    missing = [c for c in ("text", *tagger.ids) if c not in gold.columns]
    if missing:
        raise ValueError(f"gold table lacks column(s): {', '.join(missing)}")
    predicted = [tagger.tag(str(t)) for t in gold["text"]]
    rows = []
    for f in tagger.ids:
        truth = _flags(gold[f], f)
        guess = np.array([int(f in p) for p in predicted])
        rows.append(_scores(f, truth, guess))
    table = pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
    # The macro row has no counts of its own (they are the micro row's); only the means.
    macro = {"frame": "macro", **{c: np.nan for c in VALIDATION_COLUMNS[1:]}}
    for c in ("precision", "recall", "f1"):
        macro[c] = float(table[c].mean(skipna=True))
    micro = _counts_scores("micro", int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    out = pd.concat([table, pd.DataFrame([macro, micro])], ignore_index=True)
    return out.astype({c: "Int64" for c in ("gold", "tagged", "tp", "fp", "fn")})


def _scores(frame: str, truth: np.ndarray, guess: np.ndarray) -> dict:
    tp = int(((truth == 1) & (guess == 1)).sum())
    fp = int(((truth == 0) & (guess == 1)).sum())
    fn = int(((truth == 1) & (guess == 0)).sum())
    return _counts_scores(frame, tp, fp, fn)


def _counts_scores(frame: str, tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return {"frame": frame, "gold": tp + fn, "tagged": tp + fp, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------- codebook page

def codebook_header(path: str | Path | None = None) -> str:
    """The comment block at the top of the codebook file (what a frame is, the cue syntax)."""
    lines = []
    for line in Path(path or DEFAULT_PATH).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if lines:
                break
            continue
        lines.append(line[1:].removeprefix(" "))
    return "\n".join(lines).strip()


def codebook_table(book: Codebook | None = None) -> pd.DataFrame:
    """One row per frame: frame, label, definition, include, exclude, cues, exclude_phrases
    (lists "; "-joined), for a CSV of the codebook."""
    book = book or codebook()
    return pd.DataFrame([{
        "frame": f.id, "label": f.label, "definition": " ".join(f.definition.split()),
        "include": "; ".join(f.include), "exclude": "; ".join(f.exclude),
        "cues": "; ".join(f.cues), "exclude_phrases": "; ".join(f.exclude_phrases),
    } for f in book.frames])


class Html:
    """A fragment of escaped HTML for a notebook output."""

    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.body)


def codebook_html(book: Codebook | None = None, counts: pd.DataFrame | None = None) -> Html:
    """The codebook as a page section per frame: definition, in, out, cues, excluded phrases.

    With `counts` (from `cue_counts`), each cue shows how many corpus sentences it tags.
    """
    book = book or codebook()
    hits = {} if counts is None else {(r.frame, r.cue): r.sentences for r in counts.itertuples()}
    esc = html.escape
    parts = []
    for f in book.frames:
        def items(values):
            return "".join(f"<li>{esc(v)}</li>" for v in values) or "<li>(none)</li>"

        def cue_list(values, frame_id=f.id, counted=True):
            shown = []
            for v in values:
                n = hits.get((frame_id, v))
                suffix = f" <span class='framelens-cue-count'>({n})</span>" if counted and n is not None else ""
                shown.append(f"<code>{esc(v)}</code>{suffix}")
            return ", ".join(shown) or "(none)"

        parts.append(
            f"<div class='framelens-frame' id='frame-{esc(f.id)}'>"
            f"<p><strong>{esc(f.label)}</strong> (<code>{esc(f.id)}</code>)</p>"
            f"<p>{esc(' '.join(f.definition.split()))}</p>"
            f"<p>In:</p><ul>{items(f.include)}</ul>"
            f"<p>Out:</p><ul>{items(f.exclude)}</ul>"
            f"<p>Cues{' (sentences tagged in the corpus)' if hits else ''}: {cue_list(f.cues)}</p>"
            f"<p>Excluded phrases: {cue_list(f.exclude_phrases, counted=False)}</p>"
            "</div>")
    return Html("".join(parts))


# --------------------------------------------------------------------------- figures

SHORT_LABELS = {
    "security": "security", "economy": "economy", "tech_security": "econ. security\n& technology",
    "values": "values\n& order", "institutions": "institutions", "autonomy": "autonomy\n& hedging",
    "history": "history\n& people", "leaders": "leaders",
}


def _frame_labels(book: Codebook | None) -> dict[str, str]:
    book = book or codebook()
    return {f.id: f.label for f in book.frames}


def heatmap(shares: pd.DataFrame, book: Codebook | None = None):
    """Units x frames, cell = share of the unit's sentences carrying the frame (cividis)."""
    import matplotlib.pyplot as plt

    from framelens.presentation.style import style

    style()
    labels = _frame_labels(book)
    frames = list(dict.fromkeys(shares["frame"]))
    units = list(dict.fromkeys(shares["unit_id"]))
    grid = shares.pivot(index="unit_id", columns="frame", values="share").loc[units, frames].to_numpy()
    fig, ax = plt.subplots(figsize=(8.2, 5.2))
    image = ax.imshow(grid * 100, cmap="cividis", vmin=0, vmax=max(50, float(np.nanmax(grid)) * 100), aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j] * 100
            colour = "black" if value > 0.55 * image.get_clim()[1] else "white"
            ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=8.5, color=colour)
    ax.set_xticks(range(len(frames)), [SHORT_LABELS.get(f, labels.get(f, f)) for f in frames], fontsize=8.5)
    ax.xaxis.tick_top()
    sizes = shares.drop_duplicates("unit_id").set_index("unit_id")["sentences"]
    ax.set_yticks(range(len(units)), [f"{u} (n={sizes[u]})" for u in units], fontsize=8.5)
    eras = shares.drop_duplicates("unit_id").set_index("unit_id")["era"]
    for i in range(1, len(units)):
        if eras[units[i]] != eras[units[i - 1]]:
            ax.axhline(i - 0.5, color="white", linewidth=3)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.set_label("% of the unit's sentences")
    ax.set_title("Share of sentences carrying each frame, per unit (%)", pad=10)
    return fig


def _dodge(n: int, width: float = 0.5) -> list[float]:
    return [0.0] if n == 1 else list(np.linspace(-width / 2, width / 2, n))


def era_plot(era_shares: pd.DataFrame, book: Codebook | None = None):
    """The frames' shares in the two eras side by side, with bootstrap intervals."""
    import matplotlib.pyplot as plt

    from framelens.presentation.style import PALETTE, style

    style()
    labels = _frame_labels(book)
    frames = list(dict.fromkeys(era_shares["frame"]))
    eras = list(dict.fromkeys(era_shares["era"]))
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    colours = [PALETTE[0], PALETTE[1], PALETTE[2]]
    markers = ["o", "s", "D"]
    y = np.arange(len(frames))[::-1]
    for k, (era, offset) in enumerate(zip(eras, _dodge(len(eras), 0.36))):
        rows = era_shares[era_shares["era"] == era].set_index("frame").loc[frames]
        share = rows["share"].to_numpy() * 100
        err = np.vstack([share - rows["low"].to_numpy() * 100, rows["high"].to_numpy() * 100 - share])
        n_units = int(rows["units"].iloc[0])
        ax.errorbar(share, y - offset, xerr=err, fmt=markers[k], color=colours[k], ecolor=colours[k],
                    elinewidth=1.4, capsize=2.5, markersize=6, label=f"{era} ({n_units} units)")
    ax.set_yticks(y, [labels.get(f, f) for f in frames])
    ax.set_xlabel("% of sentences carrying the frame (mean over units; 95% bootstrap interval)")
    ax.set_xlim(0, None)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Frames in 2014-15 and 2022-25")
    return fig


def state_plot(table: pd.DataFrame, book: Codebook | None = None, min_sentences: int = 10):
    """One panel per state: the frames of the sentences naming it, per era, with intervals.

    A grey tick marks the era's share over all sentences; a hollow marker, a cell resting on
    fewer than `min_sentences` sentences.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from framelens.presentation.style import PALETTE, style

    style()
    labels = _frame_labels(book)
    frames = list(dict.fromkeys(table["frame"]))
    eras = list(dict.fromkeys(table["era"]))
    states = [s for s in dict.fromkeys(table["state"]) if s != ALL_SENTENCES]
    base = table[table["state"] == ALL_SENTENCES]
    fig, axes = plt.subplots(1, len(states), figsize=(3.0 * len(states) + 1.9, 5.0), sharey=True, sharex=True)
    axes = np.atleast_1d(axes)
    colours = [PALETTE[0], PALETTE[1], PALETTE[2]]
    markers = ["o", "s", "D"]
    y = np.arange(len(frames))[::-1]
    for ax, state in zip(axes, states):
        counts = []
        for k, (era, offset) in enumerate(zip(eras, _dodge(len(eras), 0.36))):
            rows = table[(table["state"] == state) & (table["era"] == era)].set_index("frame").loc[frames]
            n = int(rows["sentences"].iloc[0])
            counts.append(n)
            if not base.empty:
                ref = base[base["era"] == era].set_index("frame").loc[frames, "share"].to_numpy() * 100
                ax.scatter(ref, y - offset, marker="|", s=70, color="#888888", zorder=1)
            if n == 0:
                continue
            share = rows["share"].to_numpy() * 100
            err = np.vstack([share - rows["low"].to_numpy() * 100, rows["high"].to_numpy() * 100 - share])
            hollow = n < min_sentences
            ax.errorbar(share, y - offset, xerr=err, fmt=markers[k], color=colours[k], ecolor=colours[k],
                        elinewidth=1.1, capsize=2, markersize=5, alpha=0.55 if hollow else 1,
                        markerfacecolor="white" if hollow else colours[k], zorder=3)
        ax.set_title(state, fontsize=10.5, pad=16)
        ax.text(0.5, 1.01, "sentences: " + ", ".join(f"{n} ({e})" for n, e in zip(counts, eras)),
                transform=ax.transAxes, ha="center", va="bottom", fontsize=7.8, color="#444444")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlim(0, 100)
    axes[0].set_yticks(y, [labels.get(f, f) for f in frames])
    handles = [Line2D([], [], marker=markers[k], color=colours[k], linestyle="", label=era) for k, era in enumerate(eras)]
    handles += [Line2D([], [], marker="|", color="#888888", linestyle="", markersize=10, label="all sentences of the era"),
                Line2D([], [], marker="o", color="#555555", markerfacecolor="white", linestyle="",
                       label=f"fewer than {min_sentences} sentences")]
    axes[len(axes) // 2].set_xlabel("% of the sentences naming the state that carry the frame (95% Wilson interval)",
                                    fontsize=9)
    fig.suptitle("How sentences naming China, the United States and Russia are framed, by era", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8.5,
               bbox_to_anchor=(0.5, 0.0))
    return fig
