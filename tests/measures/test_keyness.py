"""Distinctive vocabulary: term counts and log-odds with an informative Dirichlet prior."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

import framelens.measures.keyness as K
from framelens.presentation.figures import framing as figures

matplotlib.use("Agg")


# --------------------------------------------------------------------------- term counts


def test_unigrams_drop_stop_words_numbers_and_possessives():
    counts = K.term_counts("The Japan's security policy of 2015 and India's security.", ngram=(1, 1))
    assert counts.to_dict() == {"security": 2, "india": 1, "japan": 1, "policy": 1}
    assert counts.name == "count" and counts.index.name == "term"


def test_numbers_can_be_kept():
    assert "2015" in K.term_counts("Talks in 2015.", ngram=(1, 1), numbers=True)
    assert "g20" in K.term_counts("The G20 summit.", ngram=(1, 1))


def test_bigrams_stop_at_punctuation_and_stop_words():
    counts = K.term_counts(["Maritime security, cooperation; the rule of law.", "Maritime security."], ngram=(2, 2))
    assert counts.to_dict() == {"maritime security": 2}


def test_hyphenated_words_are_one_term():
    counts = K.term_counts("A free and open Indo-Pacific; Indo-Pacific Japan-India ties.", ngram=(1, 2))
    assert counts["indo-pacific"] == 2
    assert counts["japan-india ties"] == 1
    assert counts["indo-pacific japan-india"] == 1
    assert "indo" not in counts


def test_custom_stop_words_and_order():
    counts = K.term_counts(["b a b c", "c b"], ngram=(1, 1), stopwords=["A"])
    assert counts.index.tolist() == ["b", "c"] and counts.tolist() == [3, 2]


def test_bad_ngram():
    with pytest.raises(ValueError, match="ngram"):
        K.term_counts("x", ngram=(1, 3))


# --------------------------------------------------------------------------- keyness, by hand


def test_symmetric_example_by_hand():
    # a: war 3, trade 1 (n_a = 4); b: war 1, trade 3 (n_b = 4); alpha0 = 8 with the corpus
    # prior gives alpha_war = 8 * 4/8 = 4 and alpha_trade = 4.
    # delta_war = log((3+4)/(4+8-3-4)) - log((1+4)/(4+8-1-4)) = log(7/5) - log(5/7) = 2 log 1.4 = 0.672944
    # var_war = 1/(3+4) + 1/(1+4) = 0.342857; z = 0.672944 / 0.585540 = 1.149271
    table = K.keyness(pd.Series({"war": 3, "trade": 1}), pd.Series({"war": 1, "trade": 3}), alpha0=8)
    war = table.set_index("term").loc["war"]
    assert war["alpha"] == pytest.approx(4.0)
    assert war["delta"] == pytest.approx(0.672944, abs=1e-6)
    assert war["se"] ** 2 == pytest.approx(0.342857, abs=1e-6)
    assert war["z"] == pytest.approx(1.149271, abs=1e-6)
    assert table.set_index("term").loc["trade", "z"] == pytest.approx(-1.149271, abs=1e-6)


def test_asymmetric_example_with_zero_counts_by_hand():
    # a: quad 2, india 2 (n_a = 4); b: india 4, russia 4 (n_b = 8); N = 12, alpha0 = 6:
    # alpha = 6 * f/12 -> quad 1, india 3, russia 2.
    # quad:   log(3/(4+6-2-1)) - log(1/(8+6-0-1)) = log(39/7) = 1.717651; var 1/3 + 1 -> z 1.487530
    # india:  log(5/5) - log(7/7) = 0 -> z 0
    # russia: log(2/(4+6-0-2)) - log(6/(8+6-4-2)) = log(1/3) = -1.098612; var 1/2 + 1/6 -> z -1.345520
    table = K.keyness(pd.Series({"quad": 2, "india": 2}), pd.Series({"india": 4, "russia": 4}), alpha0=6)
    assert table["term"].tolist() == ["quad", "india", "russia"]  # sorted by z
    assert table["count_a"].tolist() == [2, 2, 0] and table["count_b"].tolist() == [0, 4, 4]
    assert table["alpha"].tolist() == pytest.approx([1.0, 3.0, 2.0])
    assert table["delta"].tolist() == pytest.approx([1.717651, 0.0, -1.098612], abs=1e-6)
    assert table["z"].tolist() == pytest.approx([1.487530, 0.0, -1.345520], abs=1e-6)
    assert table["rate_a"].tolist() == pytest.approx([500.0, 500.0, 0.0])
    assert table["rate_b"].tolist() == pytest.approx([0.0, 500.0, 500.0])
    assert table.attrs == {"n_a": 4, "n_b": 8, "alpha0": 6.0, "prior": "corpus"}
    for row in table.itertuples():
        assert row.z == pytest.approx(K.log_odds_z(row.count_a, row.count_b, 4, 8, row.alpha, 6))


def test_every_term_is_kept_and_columns_are_documented():
    a = pd.Series({"x": 1, "y": 5})
    b = pd.Series({"z": 1, "y": 1})
    table = K.keyness(a, b)
    assert list(table.columns) == K.KEYNESS_COLUMNS
    assert sorted(table["term"]) == ["x", "y", "z"]
    assert table["z"].is_monotonic_decreasing
    assert np.isfinite(table[["delta", "se", "z"]].to_numpy()).all()


def test_uniform_and_background_priors():
    a, b = pd.Series({"x": 3, "y": 1}), pd.Series({"x": 1, "y": 3})
    uniform = K.keyness(a, b, prior="uniform", alpha0=2).set_index("term")
    assert uniform["alpha"].tolist() == [1.0, 1.0]
    background = K.keyness(a, b, prior=pd.Series({"x": 10, "y": 30, "w": 60}), alpha0=10).set_index("term")
    assert background.loc["x", "alpha"] == pytest.approx(1.0) and background.loc["y", "alpha"] == pytest.approx(3.0)
    assert background.attrs["prior"] == "background"


def test_bad_arguments():
    a, b = pd.Series({"x": 1}), pd.Series({"y": 1})
    with pytest.raises(ValueError, match="alpha0"):
        K.keyness(a, b, alpha0=0)
    with pytest.raises(ValueError, match="prior"):
        K.keyness(a, b, prior="flat")
    with pytest.raises(ValueError, match="background"):
        K.keyness(a, b, prior=pd.Series({"x": 1}))
    with pytest.raises(ValueError, match="at least one term"):
        K.keyness(pd.Series(dtype="int64"), b)


def test_larger_prior_shrinks_delta():
    a, b = pd.Series({"x": 5, "y": 5}), pd.Series({"x": 1, "y": 9})
    small = K.keyness(a, b, alpha0=2).set_index("term").loc["x", "delta"]
    large = K.keyness(a, b, alpha0=200).set_index("term").loc["x", "delta"]
    assert 0 < large < small


# --------------------------------------------------------------------------- groupings


def test_era_against_era(corpus):
    table = K.keyness_by("era", "2022-25", corpus.units, corpus.sentences)
    assert table.attrs["units_a"] == ["2022-tamer", "2023-nagial", "2025-gyalpo"]
    assert len(table.attrs["units_b"]) == 7
    texts_a, texts_b, _, _ = K.group_texts("era", "2022-25", corpus.units, corpus.sentences)
    assert table["count_a"].sum() == K.term_counts(texts_a).sum() == table.attrs["n_a"]
    assert table["count_b"].sum() == K.term_counts(texts_b).sum() == table.attrs["n_b"]
    assert table.attrs["alpha0"] == K.DEFAULT_ALPHA0
    top = table.set_index("term")
    assert top.loc["indo-pacific", "z"] > 1.96  # the 2022-25 texts' term
    assert top.loc["europe", "count_a"] == 0 and top.loc["europe", "z"] < -1.96


def test_unit_and_author_against_the_rest(corpus):
    unit = K.keyness_by("unit_id", "2025-gyalpo", corpus.units, corpus.sentences)
    assert unit.attrs["units_a"] == ["2025-gyalpo"] and len(unit.attrs["units_b"]) == 9
    author = K.keyness_by("authors", "Yuki Tatsumi", corpus.units, corpus.sentences)
    assert author.attrs["units_a"] == ["2015-intro-tatsumi", "2015-conclusion-tatsumi"]
    with pytest.raises(ValueError, match="no unit"):
        K.keyness_by("authors", "Nobody", corpus.units, corpus.sentences)
    with pytest.raises(ValueError, match="unknown column"):
        K.keyness_by("colour", "x", corpus.units, corpus.sentences)


def test_headings_only_when_asked(corpus):
    without = K.group_texts("unit_id", "2015-india-asano", corpus.units, corpus.sentences)[0]
    with_heads = K.group_texts("unit_id", "2015-india-asano", corpus.units, corpus.sentences, headings=True)[0]
    assert len(with_heads) > len(without)


def test_top_terms_and_plot(corpus):
    table = K.keyness_by("era", "2022-25", corpus.units, corpus.sentences)
    top = K.top_terms(table, 5)
    assert top["side"].tolist() == ["a"] * 5 + ["b"] * 5
    assert top["z"].iloc[0] == table["z"].max() and top["z"].iloc[5] == table["z"].min()
    fig = figures.keyness_plot(table, "2022-25", "2014-15", k=6)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(1 for t in texts if "(" in t and ":" in t) == 12


def test_label_spreading_keeps_a_gap():
    pos = figures._spread(np.array([1.0, 1.01, 1.02, 3.0]), gap=0.5, low=0, high=2.0)
    assert np.all(np.diff(np.sort(pos)) >= 0.5 - 1e-9)
    assert pos.max() <= 2.0 + 1e-9


def test_alpha_sensitivity_agrees_with_keyness_by(corpus):
    table = K.alpha_sensitivity("era", "2022-25", corpus.units, corpus.sentences, alpha0s=(100, 1000), k=10)
    assert list(table.columns) == ["alpha0", "spearman", "top_a_shared", "top_b_shared", "k"]
    at_reference = table.set_index("alpha0").loc[1000.0]
    assert at_reference["spearman"] == pytest.approx(1.0) and at_reference["top_a_shared"] == 10
    low = K.keyness_by("era", "2022-25", corpus.units, corpus.sentences, alpha0=100).set_index("term")
    base = K.keyness_by("era", "2022-25", corpus.units, corpus.sentences).set_index("term")
    top = len(set(low["z"].nlargest(10).index) & set(base["z"].nlargest(10).index))
    assert table.set_index("alpha0").loc[100.0, "top_a_shared"] == top
