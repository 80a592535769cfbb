"""Era comparisons with the text as the unit of inference.

The corpus is a handful of texts per era. What varies from one possible corpus to another is
which texts were written, so the era summaries here resample texts (and, within each text,
its sentences), and a difference between eras is tested by permuting the texts' era labels.

Designs (`DESIGNS`): "japan-india" keeps the texts about Japan-India relations (registry field
`about`), like for like in both eras; "all" keeps every text, as the book did first.

text_rates(mentions, sentences, units)   one row per text x state
    unit_id, year, era, about, state, mentions, words, rate (per 1,000 words), low, high (exact
    Poisson interval of the rate, Garwood 1936: a count of 0 gets [0, upper bound], never
    [0, 0])
text_shares(measured, units)             one row per text x frame
    unit_id, year, era, about, frame, sentences, with_frame, share, low, high (Wilson interval)
compare_rates(mentions, sentences, units, design=...)   one row per state
compare_shares(measured, units, design=...)             one row per frame
    design, what (state or frame), texts_early, texts_late, early, early_low, early_high,
    late, late_low, late_high, change, change_low, change_high (95% two-stage cluster
    bootstrap: texts resampled within the era, then sentences within each text), p (exact
    two-sided permutation test over the texts' era labels), min_p (the smallest p that test
    can give with these numbers of texts), verdict ("higher", "lower" or "no clear change":
    a direction only when the interval of the change excludes 0 AND p < 0.05)

Era rates are pooled (all the era's references over all its words); era frame shares are the
mean of the texts' shares (each text weighs the same). References: Efron and Tibshirani
(1993) for the bootstrap, Davison and Hinkley (1997, section 3.8) for resampling in two stages,
Good (2005) for permutation tests, Garwood (1936) and Wilson (1927) for the intervals.
"""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd

from framelens.corpus.cleaning import count_words
from framelens.measures.references import STATES, select_mentions
from framelens.stats import CONFIDENCE, N_RESAMPLES, SEED, poisson_interval, rng_for, wilson_interval

DESIGNS = {
    "japan-india": "texts about Japan-India relations only",
    "all": "every text of the corpus",
}
MAIN_DESIGN = "japan-india"
EARLY, LATE = "2014-15", "2022-25"
ALPHA = 0.05


def design_units(units: pd.DataFrame, design: str) -> pd.DataFrame:
    """The units a design compares (see `DESIGNS`)."""
    if design == "all":
        return units
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r} (known: {', '.join(DESIGNS)})")
    return units[units["about"] == design]


def sentence_counts(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    states=STATES,
    headings: bool = True,
    leaders: bool = True,
    predecessors: bool = True,
) -> pd.DataFrame:
    """One row per sentence: unit_id, sentence, words, and a column of references per state,
    under the counting options (without headings, heading sentences and words are left out)."""
    chosen = select_mentions(mentions, headings=headings, leaders=leaders, predecessors=predecessors)
    table = sentences if headings else sentences[~sentences["is_heading"]]
    table = table[["unit_id", "sentence", "text"]].assign(words=table["text"].map(count_words)).drop(columns="text")
    per = chosen[chosen["actor"].isin(states)].groupby(["unit_id", "sentence", "actor"]).size().unstack(fill_value=0)
    table = table.merge(per.reset_index(), on=["unit_id", "sentence"], how="left")
    for state in states:
        table[state] = table[state].fillna(0).astype(int) if state in table else 0
    return table.reset_index(drop=True)


def text_rates(mentions: pd.DataFrame, sentences: pd.DataFrame, units: pd.DataFrame, **options) -> pd.DataFrame:
    """Each text's references per 1,000 words per state, with an exact Poisson interval."""
    counts = sentence_counts(mentions, sentences, **options)
    rows = []
    for unit in units.itertuples():
        part = counts[counts["unit_id"] == unit.unit_id]
        words = int(part["words"].sum())
        for state in STATES:
            n = int(part[state].sum())
            low, high = poisson_interval(n, words / 1000)
            rows.append(
                {
                    "unit_id": unit.unit_id,
                    "year": unit.year,
                    "era": unit.era,
                    "about": unit.about,
                    "state": state,
                    "mentions": n,
                    "words": words,
                    "rate": 1000 * n / words,
                    "low": low,
                    "high": high,
                }
            )
    return pd.DataFrame(rows)


def text_shares(measured: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Each text's share of sentences carrying each frame, with a Wilson interval.

    `measured` is long (unit_id, sentence, frame, present): the coders' codes (`coding.coded_long`)
    or the tagger's tags (`frames.tag_sentences`)."""
    info = units.set_index("unit_id")
    rows = []
    for (unit_id, frame), part in measured.groupby(["unit_id", "frame"], sort=False):
        n, hits = len(part), int(part["present"].sum())
        low, high = wilson_interval(hits, n)
        rows.append(
            {
                "unit_id": unit_id,
                "year": int(info.loc[unit_id, "year"]),
                "era": info.loc[unit_id, "era"],
                "about": info.loc[unit_id, "about"],
                "frame": frame,
                "sentences": n,
                "with_frame": hits,
                "share": hits / n,
                "low": low,
                "high": high,
            }
        )
    order = {u: i for i, u in enumerate(units["unit_id"])}
    table = pd.DataFrame(rows)
    return table.sort_values("unit_id", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def _two_stage(
    groups: list[tuple[np.ndarray, np.ndarray]], pooled: bool, rng: np.random.Generator, n_resamples: int
) -> np.ndarray:
    """Bootstrap distribution of an era statistic over `groups` (one (values, weights) pair of
    sentence arrays per text): texts drawn with replacement, then each drawn text's sentences.

    Written here because scipy.stats.bootstrap resamples one level only; this is its
    two-stage form (Davison and Hinkley 1997, sec. 3.8). `pooled`: sum(values) / sum(weights)
    over the drawn texts (a rate); otherwise the mean of the drawn texts' value means (a share).
    """
    k = len(groups)
    picks = rng.integers(0, k, size=(n_resamples, k))
    sums = np.zeros((n_resamples, k))
    totals = np.zeros((n_resamples, k))
    for slot in range(k):
        for text in range(k):
            rows = np.flatnonzero(picks[:, slot] == text)
            if not len(rows):
                continue
            values, weights = groups[text]
            draw = rng.integers(0, len(values), size=(len(rows), len(values)))
            sums[rows, slot] = values[draw].sum(axis=1)
            totals[rows, slot] = weights[draw].sum(axis=1)
    if pooled:
        return sums.sum(axis=1) / np.maximum(totals.sum(axis=1), 1e-12)
    return (sums / np.maximum(totals, 1e-12)).mean(axis=1)


def _statistic(groups, pooled: bool) -> float:
    if pooled:
        return float(sum(v.sum() for v, _ in groups) / sum(w.sum() for _, w in groups))
    return float(np.mean([v.sum() / w.sum() for v, w in groups]))


def _permutation_p(early, late, pooled: bool) -> tuple[float, float]:
    """Exact two-sided permutation p of late - early over the texts' era labels, and the
    smallest p the test can give with these numbers of texts."""
    from scipy.stats import permutation_test

    texts = early + late
    totals = np.array([[v.sum(), w.sum()] for v, w in texts])

    def difference(a, b):
        if pooled:
            return totals[b, 0].sum() / totals[b, 1].sum() - totals[a, 0].sum() / totals[a, 1].sum()
        return (totals[b, 0] / totals[b, 1]).mean() - (totals[a, 0] / totals[a, 1]).mean()

    result = permutation_test(
        (np.arange(len(early)), np.arange(len(early), len(texts))),
        difference,
        permutation_type="independent",
        vectorized=False,
        n_resamples=np.inf,
        alternative="two-sided",
    )
    return float(result.pvalue), min(1.0, 2 / comb(len(texts), len(early)))


def _compare(
    groups_by_era: dict, design: str, what: str, pooled: bool, scale: float, seed: int, n_resamples: int
) -> dict:
    early, late = groups_by_era[EARLY], groups_by_era[LATE]
    rng = rng_for("era-comparison", design, what, seed=seed)
    dist_early = _two_stage(early, pooled, rng, n_resamples) * scale
    dist_late = _two_stage(late, pooled, rng, n_resamples) * scale
    q = [(1 - CONFIDENCE) / 2 * 100, (1 + CONFIDENCE) / 2 * 100]
    e, la = _statistic(early, pooled) * scale, _statistic(late, pooled) * scale
    el, eh = np.percentile(dist_early, q)
    ll, lh = np.percentile(dist_late, q)
    cl, ch = np.percentile(dist_late - dist_early, q)
    p, min_p = _permutation_p(early, late, pooled)
    clear = (cl > 0 or ch < 0) and p < ALPHA
    verdict = ("higher" if la > e else "lower") if clear else "no clear change"
    return {
        "design": design,
        "what": what,
        "texts_early": len(early),
        "texts_late": len(late),
        "early": e,
        "early_low": el,
        "early_high": eh,
        "late": la,
        "late_low": ll,
        "late_high": lh,
        "change": la - e,
        "change_low": cl,
        "change_high": ch,
        "p": p,
        "min_p": min_p,
        "verdict": verdict,
    }


def compare_rates(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    *,
    design: str = MAIN_DESIGN,
    seed: int = SEED,
    n_resamples: int = N_RESAMPLES,
    **options,
) -> pd.DataFrame:
    """Era rates per 1,000 words of each state under a design, text-level inference (module doc)."""
    chosen = design_units(units, design)
    counts = sentence_counts(mentions, sentences, **options)
    rows = []
    for state in STATES:
        groups = {EARLY: [], LATE: []}
        for unit in chosen.itertuples():
            part = counts[counts["unit_id"] == unit.unit_id]
            if unit.era in groups:
                groups[unit.era].append((part[state].to_numpy(float), part["words"].to_numpy(float)))
        rows.append(_compare(groups, design, state, True, 1000, seed, n_resamples))
    return pd.DataFrame(rows)


def compare_shares(
    measured: pd.DataFrame,
    units: pd.DataFrame,
    *,
    design: str = MAIN_DESIGN,
    seed: int = SEED,
    n_resamples: int = N_RESAMPLES,
) -> pd.DataFrame:
    """Era shares of each frame (mean of the texts' shares) under a design (module doc)."""
    chosen = design_units(units, design)
    era_of = dict(zip(chosen["unit_id"], chosen["era"]))
    rows = []
    for frame, part in measured.groupby("frame", sort=False):
        groups = {EARLY: [], LATE: []}
        for unit_id in chosen["unit_id"]:
            flags = part.loc[part["unit_id"] == unit_id, "present"].to_numpy(float)
            if era_of[unit_id] in groups and len(flags):
                groups[era_of[unit_id]].append((flags, np.ones_like(flags)))
        rows.append(_compare(groups, design, frame, False, 1, seed, n_resamples))
    return pd.DataFrame(rows)


MULTIVERSE_COLUMNS = [
    "quantity",
    "what",
    "design",
    "specification",
    "early",
    "late",
    "change",
    "change_low",
    "change_high",
    "p",
    "min_p",
    "verdict",
]


def multiverse_rates(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    *,
    seed: int = SEED,
    n_resamples: int = N_RESAMPLES,
) -> pd.DataFrame:
    """Every state's era comparison under every design x counting option (a specification table,
    Steegen et al. 2016; Simonsohn et al. 2020). Columns: `MULTIVERSE_COLUMNS`."""
    from framelens.measures.references import SENSITIVITY_OPTIONS

    rows = []
    for design in DESIGNS:
        for label, options in SENSITIVITY_OPTIONS.items():
            table = compare_rates(
                mentions, sentences, units, design=design, seed=seed, n_resamples=n_resamples, **options
            )
            rows.append(table.assign(quantity="references per 1,000 words", specification=label))
    return pd.concat(rows, ignore_index=True)[MULTIVERSE_COLUMNS]


def multiverse_shares(
    measures: dict[str, pd.DataFrame], units: pd.DataFrame, *, seed: int = SEED, n_resamples: int = N_RESAMPLES
) -> pd.DataFrame:
    """Every frame's era comparison under every design x measurement (`measures`: name -> long
    table, e.g. {"coders' codes": coded, "tagger": tagged}). Columns: `MULTIVERSE_COLUMNS`."""
    rows = []
    for design in DESIGNS:
        for label, measured in measures.items():
            table = compare_shares(measured, units, design=design, seed=seed, n_resamples=n_resamples)
            rows.append(table.assign(quantity="share of sentences", specification=label))
    return pd.concat(rows, ignore_index=True)[MULTIVERSE_COLUMNS]


def robustness(multiverse: pd.DataFrame) -> pd.DataFrame:
    """Per quantity and item, what survives the specifications: specifications, higher, lower,
    unclear (how many give each verdict), same_sign (the change has one sign in all), and
    summary: "higher in every specification", "lower in every specification", "direction
    holds, not clear in every specification", or "direction depends on the specification"."""
    rows = []
    for (quantity, what), part in multiverse.groupby(["quantity", "what"], sort=False):
        verdicts = part["verdict"].value_counts()
        signs = set(np.sign(part["change"].round(12)))
        n = len(part)
        if verdicts.get("higher", 0) == n:
            summary = "higher in every specification"
        elif verdicts.get("lower", 0) == n:
            summary = "lower in every specification"
        elif len(signs) == 1:
            summary = "direction holds, not clear in every specification"
        else:
            summary = "direction depends on the specification"
        rows.append(
            {
                "quantity": quantity,
                "what": what,
                "specifications": n,
                "higher": int(verdicts.get("higher", 0)),
                "lower": int(verdicts.get("lower", 0)),
                "unclear": int(verdicts.get("no clear change", 0)),
                "same_sign": len(signs) == 1,
                "summary": summary,
            }
        )
    return pd.DataFrame(rows)
