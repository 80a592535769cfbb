"""Distinctive vocabulary: log-odds ratios with an informative Dirichlet prior.

Monroe, Colaresi and Quinn (2008, "Fightin' Words", eqs. 16-22). For a term w with counts
y_a, y_b in groups a and b of n_a, n_b terms, and a prior of α_w pseudo-counts out of α0:

    delta_w = log((y_a + α_w) / (n_a + α0 - y_a - α_w)) - log((y_b + α_w) / (n_b + α0 - y_b - α_w))
    var_w  ≈ 1 / (y_a + α_w) + 1 / (y_b + α_w)
    z_w    = delta_w / sqrt(var_w)

With `prior="corpus"` the prior is informative: α_w = α0 · f_w / N, where f_w is the term's
count in both groups together and N the total; α0 says how many pseudo-terms the prior is
worth. Written for a small corpus: every term is kept (no minimum count; the prior shrinks
the rare ones, and z is small for them because var_w is large), and the table shows the raw
counts beside each z so a reader sees what a score rests on.

`term_counts(texts)` turns texts into term counts (unigrams and bigrams by default, stop
words dropped); `keyness(counts_a, counts_b)` returns one row per term:

    term, ngram (1 or 2), count_a, count_b, rate_a, rate_b (per 1,000 terms of the group),
    alpha (α_w), delta, se (sqrt(var_w)), z

sorted by z, most distinctive of group a first. `keyness_by(column, value, units, sentences)`
compares the corpus units (`corpus.units`) where `column == value` with the rest, on their
sentences (`corpus.sentences`): era vs era, one unit vs the rest, one author vs the rest
(authors are split on "; "). The figure (`keyness_plot`) is drawn in the presentation layer.

Unigrams and bigrams share one vocabulary (one multinomial), as CountVectorizer-based
implementations of the method do; n_a and n_b count both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

DEFAULT_ALPHA0 = 1000.0

# English function words, written out here (no download at build time). Content words that
# carry the corpus's subject (japan, india, security) are not stop words.
STOPWORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
be became because become becomes becoming been before beforehand behind being below beside besides
between beyond both but by can cannot could did do does doing done down during each either else
elsewhere enough etc even ever every everyone everything everywhere except few for former formerly
from further had has have having he hence her here hereafter hereby herein hers herself him
himself his how however i if in indeed into is it its itself just last latter latterly least less
many may me meanwhile might mine more moreover most mostly much must my myself namely neither never
nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only
onto or other others otherwise our ours ourselves out over own per perhaps rather same seem seemed
seeming seems several she should since so some somehow someone something sometime sometimes
somewhere still such than that the their theirs them themselves then thence there thereafter
thereby therefore therein thereupon these they this those though through throughout thru thus to
together too toward towards under until up upon us very via was we well were what whatever when
whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while
whither who whoever whole whom whose why will with within without would yet you your yours yourself
yourselves s t can't don't didn't doesn't isn't aren't wasn't weren't won't wouldn't shouldn't
couldn't it's that's
""".split()
)

# A word: letters/digits, joined by inner hyphens or apostrophes ("indo-pacific", "india's").
_TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_POSSESSIVE = re.compile(r"'s$")

KEYNESS_COLUMNS = ["term", "ngram", "count_a", "count_b", "rate_a", "rate_b", "alpha", "delta", "se", "z"]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word of `text`, lower-cased, without a possessive 's."""
    lowered = text.lower().replace("’", "'")
    out = []
    for m in _TOKEN.finditer(lowered):
        word = _POSSESSIVE.sub("", m.group())
        out.append((word, m.start(), m.end()))
    return out


def _terms(text: str, ngram: tuple[int, int], stopwords: frozenset[str], numbers: bool) -> list[str]:
    words = tokens(text)
    keep = [w not in stopwords and (numbers or any(c.isalpha() for c in w)) for w, _, _ in words]
    out: list[str] = []
    if ngram[0] <= 1 <= ngram[1]:
        out += [w for (w, _, _), k in zip(words, keep) if k]
    if ngram[0] <= 2 <= ngram[1]:
        # A bigram is two kept words with only whitespace between them: punctuation or a
        # dropped stop word ends a phrase ("rule of law" gives no "rule law").
        for (w1, _, e1), (w2, s2, _), k1, k2 in zip(words, words[1:], keep, keep[1:]):
            if k1 and k2 and not text[e1:s2].strip():
                out.append(f"{w1} {w2}")
    return out


def term_counts(
    texts: str | Iterable[str],
    ngram: tuple[int, int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    numbers: bool = False,
) -> pd.Series:
    """Counts of the terms of `texts`: a Series named "count", indexed by term, most frequent
    first (ties alphabetical). Stop words (`STOPWORDS` unless given) and, unless `numbers`,
    words without a letter ("2015") are dropped."""
    if ngram[0] < 1 or ngram[1] > 2 or ngram[0] > ngram[1]:
        raise ValueError(f"ngram must be (1, 1), (1, 2) or (2, 2), not {ngram!r}")
    stop = STOPWORDS if stopwords is None else frozenset(w.lower() for w in stopwords)
    if isinstance(texts, str):
        texts = [texts]
    counts: dict[str, int] = {}
    for text in texts:
        for term in _terms(text, ngram, stop, numbers):
            counts[term] = counts.get(term, 0) + 1
    series = pd.Series(counts, dtype="int64", name="count")
    series.index.name = "term"
    if series.empty:
        return series
    order = sorted(series.index, key=lambda t: (-series[t], t))
    return series.loc[order]


def keyness(
    counts_a: pd.Series, counts_b: pd.Series, prior: str | pd.Series = "corpus", alpha0: float = DEFAULT_ALPHA0
) -> pd.DataFrame:
    """Log-odds ratio of every term of a or b, with an informative Dirichlet prior.

    prior "corpus": α_w = alpha0 · (y_a + y_b) / (n_a + n_b). prior "uniform": α_w = alpha0 / V
    (the uninformative prior). A Series of background counts: α_w = alpha0 · bg_w / Σ bg; it
    must count every term of a and b.
    """
    if alpha0 <= 0:
        raise ValueError("alpha0 must be positive")
    a = counts_a.astype("float64")
    b = counts_b.astype("float64")
    terms = sorted(set(a.index) | set(b.index))
    y_a = a.reindex(terms, fill_value=0.0).to_numpy()
    y_b = b.reindex(terms, fill_value=0.0).to_numpy()
    n_a, n_b = y_a.sum(), y_b.sum()
    if n_a == 0 or n_b == 0:
        raise ValueError("both groups need at least one term")
    if isinstance(prior, pd.Series):
        background = prior.astype("float64").reindex(terms)
        if background.isna().any() or (background <= 0).any():
            missing = background[background.isna() | (background <= 0)].index[:5].tolist()
            raise ValueError(f"the background counts lack terms of the groups, e.g. {missing}")
        alpha = alpha0 * background.to_numpy() / prior.astype("float64").sum()
    elif prior == "corpus":
        alpha = alpha0 * (y_a + y_b) / (n_a + n_b)
    elif prior == "uniform":
        alpha = np.full(len(terms), alpha0 / len(terms))
    else:
        raise ValueError(f"prior must be 'corpus', 'uniform' or a Series of counts, not {prior!r}")
    # alpha0 is the prior's total over the whole vocabulary (for a background prior that
    # includes its terms absent from both groups), so n + alpha0 - y - alpha stays positive.
    log_odds_a = np.log(y_a + alpha) - np.log(n_a + alpha0 - y_a - alpha)
    log_odds_b = np.log(y_b + alpha) - np.log(n_b + alpha0 - y_b - alpha)
    delta = log_odds_a - log_odds_b
    se = np.sqrt(1.0 / (y_a + alpha) + 1.0 / (y_b + alpha))
    table = pd.DataFrame(
        {
            "term": terms,
            "ngram": [t.count(" ") + 1 for t in terms],
            "count_a": y_a.astype("int64"),
            "count_b": y_b.astype("int64"),
            "rate_a": 1000 * y_a / n_a,
            "rate_b": 1000 * y_b / n_b,
            "alpha": alpha,
            "delta": delta,
            "se": se,
            "z": delta / se,
        }
    )
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table.attrs.update(
        {
            "n_a": int(n_a),
            "n_b": int(n_b),
            "alpha0": float(alpha0),
            "prior": prior if isinstance(prior, str) else "background",
        }
    )
    return table


def group_texts(
    column: str, value: str, units: pd.DataFrame, sentences: pd.DataFrame, headings: bool = False
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Sentences of the units where `column == value` and of the rest, with both unit lists.

    `units` has unit_id and `column` (`corpus.units`); `sentences` has unit_id, text and
    is_heading (`corpus.sentences`; headings are left out unless `headings`). For
    `column="authors"` a unit matches when `value` is one of its "; "-joined authors.
    Returns (texts_a, texts_b, units_a, units_b).
    """
    if column not in units.columns:
        raise ValueError(f"unknown column {column!r}; use one of {', '.join(units.columns)}")
    if column == "authors":
        chosen = units["authors"].map(lambda s: value in [a.strip() for a in str(s).split(";")])
    else:
        chosen = units[column].astype(str) == str(value)
    if not chosen.any():
        raise ValueError(f"no unit has {column} = {value!r}")
    if chosen.all():
        raise ValueError(f"every unit has {column} = {value!r}: nothing to compare with")
    if not headings:
        sentences = sentences[~sentences["is_heading"]]
    a_units = units.loc[chosen, "unit_id"].tolist()
    b_units = units.loc[~chosen, "unit_id"].tolist()
    texts_a = sentences[sentences["unit_id"].isin(a_units)]["text"].tolist()
    texts_b = sentences[sentences["unit_id"].isin(b_units)]["text"].tolist()
    return texts_a, texts_b, a_units, b_units


def keyness_by(
    column: str,
    value: str,
    units: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    headings: bool = False,
    ngram: tuple[int, int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    prior: str | pd.Series = "corpus",
    alpha0: float = DEFAULT_ALPHA0,
) -> pd.DataFrame:
    """Keyness of the units where `column == value` (group a) against all other units (b).

    `units` and `sentences` as for `group_texts`. Examples: ("era", "2022-25") is era against
    era; ("unit_id", "2025-gyalpo") one brief against the rest; ("authors", "Yuki Tatsumi") one
    author against the rest. Returns KEYNESS_COLUMNS; the table's attrs record the groups:
    group_a, units_a, units_b, n_a, n_b, alpha0, prior.
    """
    texts_a, texts_b, units_a, units_b = group_texts(column, value, units, sentences, headings)
    table = keyness(term_counts(texts_a, ngram, stopwords), term_counts(texts_b, ngram, stopwords), prior, alpha0)
    table.attrs.update({"group_a": f"{column} = {value}", "units_a": units_a, "units_b": units_b})
    return table


def alpha_sensitivity(
    column: str,
    value: str,
    units: pd.DataFrame,
    sentences: pd.DataFrame,
    alpha0s: Iterable[float] = (100, 1000, 10000),
    k: int = 15,
    reference: float = DEFAULT_ALPHA0,
    *,
    headings: bool = False,
    ngram: tuple[int, int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    prior: str | pd.Series = "corpus",
) -> pd.DataFrame:
    """How much the choice of alpha0 matters for `keyness_by(column, value, units, sentences)`:
    per alpha0, the Spearman correlation of every term's z with the z at `reference`, and how
    many of the k top terms of each side are shared with it.

    columns: alpha0, spearman, top_a_shared, top_b_shared, k
    """
    from scipy.stats import spearmanr

    # The terms are counted once; only the prior's weight changes between runs.
    texts_a, texts_b, _, _ = group_texts(column, value, units, sentences, headings)
    counts_a, counts_b = term_counts(texts_a, ngram, stopwords), term_counts(texts_b, ngram, stopwords)

    def run(a0):
        return keyness(counts_a, counts_b, prior, a0).set_index("term")

    base = run(reference)
    rows = []
    for a0 in alpha0s:
        other = run(a0).loc[base.index]
        rows.append(
            {
                "alpha0": float(a0),
                "spearman": float(spearmanr(base["z"], other["z"]).statistic),
                "top_a_shared": len(set(base["z"].nlargest(k).index) & set(other["z"].nlargest(k).index)),
                "top_b_shared": len(set(base["z"].nsmallest(k).index) & set(other["z"].nsmallest(k).index)),
                "k": k,
            }
        )
    return pd.DataFrame(rows)


def top_terms(table: pd.DataFrame, k: int = 15) -> pd.DataFrame:
    """The k most distinctive terms of each side: group a's highest z, then group b's lowest."""
    top_a = table.head(k).assign(side="a")
    top_b = table.tail(k).iloc[::-1].assign(side="b")
    return pd.concat([top_a, top_b], ignore_index=True)


def log_odds_z(y_a: float, y_b: float, n_a: float, n_b: float, alpha: float, alpha0: float) -> float:
    """The z-score of one term from its counts (the formula of the module docstring)."""
    delta = math.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha)) - math.log(
        (y_b + alpha) / (n_b + alpha0 - y_b - alpha)
    )
    return delta / math.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha))
