"""Intervals, randomness and agreement scores: one place for each.

Randomness. Every bootstrap draws from `rng_for(*key)`: a generator seeded from the book's
seed (`SEED`) and what the interval is of (a unit, an actor, a frame...), so one interval
does not depend on which other intervals were computed or in which order (adding a source
leaves every other unit's interval unchanged). There is no other seeding scheme.

Intervals. `bootstrap_rate` (a rate per 1,000 words, resampling sentences), `share_interval`
(a share of 0/1 sentence flags, resampling within groups) and `wilson_interval` (a binomial
share where cells are tiny) are all 95% intervals by default (`CONFIDENCE`), with
`N_RESAMPLES` resamples, percentile method, computed by scipy.stats.

Scores. `prf(tp, fp, fn)` is the one precision/recall/F1 of the package.
"""

from __future__ import annotations

import hashlib

import numpy as np

SEED = 20141
CONFIDENCE = 0.95
N_RESAMPLES = 2000


def rng_for(*key: object, seed: int = SEED) -> np.random.Generator:
    """The random generator for one interval, from the seed and what the interval is of."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in key).encode("utf-8")).digest()
    return np.random.default_rng(np.random.SeedSequence([seed, int.from_bytes(digest[:8], "little")]))


def bootstrap_rate(
    counts: np.ndarray,
    words: np.ndarray,
    rng: np.random.Generator,
    n_resamples: int = N_RESAMPLES,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Percentile bootstrap interval of 1000 * sum(counts) / sum(words), resampling sentences
    (pairs of a sentence's count and its words).

    Fewer than two sentences or no words: (nan, nan). No count at all: no resample can contain a
    reference, so the bootstrap says nothing; the interval is then the exact Poisson one,
    [0, upper bound] (Garwood 1936), never [0, 0].
    """
    from scipy.stats import bootstrap

    if len(counts) < 2 or words.sum() == 0:
        return (np.nan, np.nan)
    if not counts.any():
        return poisson_interval(0, words.sum() / 1000, confidence)

    def ratio(c, w, axis=-1):
        return 1000 * c.sum(axis=axis) / np.maximum(w.sum(axis=axis), 1)

    result = bootstrap(
        (counts, words),
        ratio,
        paired=True,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        rng=rng,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def share_interval(
    groups: list[np.ndarray],
    weighting: str,
    rng: np.random.Generator,
    n_resamples: int = N_RESAMPLES,
    confidence: float = CONFIDENCE,
    signs: list[int] | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap interval of a share, resampling 0/1 sentence flags within each group.

    weighting "unit": the statistic is the mean of the groups' shares (each unit weighs the
    same); "sentence": the pooled share. With `signs` (+1/-1 per group, "unit" weighting) the
    statistic is mean(+1 groups) - mean(-1 groups): an era difference. A share that no
    resample can change (all 0 or all 1 in every group) gets the Wilson interval of the pooled
    sentences (a share of 0 keeps an upper bound above 0), or, for a difference, the point.
    """
    from scipy.stats import bootstrap

    groups = [np.asarray(g, dtype=float) for g in groups]
    signs = signs or [1] * len(groups)
    # A group of one sentence resamples to itself: it enters the statistic as a constant
    # (scipy needs two observations per sample).
    varying = [i for i, g in enumerate(groups) if len(g) >= 2 and 0 < g.sum() < len(g)]
    if not varying:
        point = _share_point(groups, weighting, signs)
        if all(s > 0 for s in signs):
            hits, n = int(sum(g.sum() for g in groups)), int(sum(len(g) for g in groups))
            return wilson_interval(hits, n, confidence)
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

    result = bootstrap(
        tuple(groups[i] for i in varying),
        statistic,
        paired=False,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        rng=rng,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _share_point(groups: list[np.ndarray], weighting: str, signs: list[int]) -> float:
    if weighting == "sentence":
        return float(sum(g.sum() for g in groups) / sum(len(g) for g in groups))
    plus = [g.mean() for g, s in zip(groups, signs) if s > 0]
    minus = [g.mean() for g, s in zip(groups, signs) if s < 0]
    return float(np.mean(plus) - (np.mean(minus) if minus else 0.0))


def poisson_interval(count: int, exposure: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson rate count / exposure; [0, upper] for a count of 0."""
    from scipy.stats import chi2

    alpha = 1 - confidence
    low = chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    high = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(low / exposure), float(high / exposure)


def wilson_interval(hits: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval of hits/n (scipy.stats.binomtest); (nan, nan) when n is 0."""
    from scipy.stats import binomtest

    if n == 0:
        return (np.nan, np.nan)
    ci = binomtest(int(hits), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts.

    Precision is undefined (nan) when nothing was predicted (tp + fp = 0), recall when
    nothing was to be found (tp + fn = 0), and F1 when both are empty (tp = fp = fn = 0: an
    empty class); F1 = 2tp / (2tp + fp + fn) otherwise, which is 0 when tp = 0.
    """
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return precision, recall, f1
