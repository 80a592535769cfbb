"""Readability: hand-computed values, the sentence-count choice, MTLD, the real table, offline runs."""

from __future__ import annotations

import ast
import json
import math
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import textstat

import framelens.measures.readability as r
from conftest import SEEDS
from framelens.corpus.sentences import split_sentences
from framelens.presentation.figures import readability as figures

# Syllables of each word from its first CMU pronunciation (stressed vowels counted by hand).
CMU_SYLLABLES = {
    "the": 1,
    "cat": 1,
    "sat": 1,
    "on": 1,
    "mat": 1,
    "education": 4,  # EH2 JH AH0 K EY1 SH AH0 N
    "is": 1,
    "important": 3,  # IH2 M P AO1 R T AH0 N T
    "cooperation": 5,  # K OW0 AA2 P ER0 EY1 SH AH0 N
    "necessary": 4,  # N EH1 S AH0 S EH2 R IY0
}


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_syllables_come_from_the_cmu_dictionary():
    for word, n in CMU_SYLLABLES.items():
        assert textstat.syllable_count(word) == n, word


def test_flesch_on_a_one_sentence_text_by_hand():
    # W = 6 words, S = 1 sentence, Syl = 6 syllables
    s = r.scores(["The cat sat on the mat."])
    assert (s["words"], s["sentences"], s["syllables"]) == (6, 1, 6)
    assert s["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)  # 116.145
    assert s["flesch_kincaid_grade"] == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)  # -1.45
    assert r.flesch_reading_ease("The cat sat on the mat.") == pytest.approx(116.145)


def test_all_formulas_on_a_two_sentence_text_by_hand():
    # W = 6, S = 2, Syl = 4+1+3 + 5+1+4 = 18; words of 3+ syllables: all but "is" (P = 4);
    # not on the Dale-Chall easy list: education, cooperation, necessary ("important" is on it).
    s = r.scores(["Education is important.", "Cooperation is necessary."])
    assert (s["words"], s["sentences"], s["syllables"], s["polysyllables"]) == (6, 2, 18, 4)
    assert s["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 3 - 84.6 * 3)  # -50.01
    assert s["flesch_kincaid_grade"] == pytest.approx(0.39 * 3 + 11.8 * 3 - 15.59)  # 20.98
    assert s["smog_index"] == pytest.approx(1.043 * math.sqrt(30 * 4 / 2) + 3.1291)  # 11.208
    assert s["gunning_fog"] == pytest.approx(0.4 * (3 + 100 * 3 / 6))  # 21.2
    assert s["dale_chall"] == pytest.approx(0.1579 * 50 + 0.0496 * 3 + 3.6365)  # 11.680
    assert s["long_words"] == 4  # 7+ characters: education, important, cooperation, necessary


PLAIN = (
    "Japan and India signed a new agreement on trade in the spring. Both governments welcomed "
    "the plan and promised more meetings. Officials from the two capitals met again in the "
    "summer to discuss ports, railways and power plants. Several companies announced new "
    "investments in the following months. Critics argued that the promises were vague and that "
    "progress would be slow. Supporters replied that trust between the two countries had grown "
    "steadily for a decade. The next summit is planned for the autumn, when leaders hope to "
    "conclude a security dialogue. Observers will watch whether the partnership delivers "
    "concrete results for ordinary citizens."
)


def test_equals_textstat_when_the_two_splitters_agree():
    sentences = sentences_of(PLAIN)
    assert textstat.sentence_count(PLAIN) == len(sentences) == 8
    assert textstat.lexicon_count(PLAIN) > 100  # Linsear Write reads only the first 100 words
    ours, theirs = r.scores(sentences), r.textstat_scores(PLAIN)
    for key in r.SCORE_COLUMNS:
        assert ours[key] == pytest.approx(theirs[key], rel=1e-12, abs=1e-12), key


def test_equals_textstat_on_real_units_where_the_splitters_agree(corpus):
    # Agree sentence by sentence, not only in total: 2015-intro-tatsumi has as many sentences
    # either way, but one split and one join, and Linsear Write reads only its first 100 words.
    sentences = corpus.sentences
    body = sentences[~sentences["is_heading"]]
    differ = set(r.splitter_disagreements(sentences)["unit_id"])
    compared = 0
    for unit_id, part in body.groupby("unit_id"):
        if unit_id in differ:
            continue
        texts = part["text"].tolist()
        joined = " ".join(texts)
        assert textstat.sentence_count(joined) == len(texts)
        ours, theirs = r.scores(texts), r.textstat_scores(joined)
        for key in r.SCORE_COLUMNS:
            assert ours[key] == pytest.approx(theirs[key], rel=1e-12, abs=1e-12), (unit_id, key)
        compared += 1
    assert compared >= 3


def test_us_abbreviation_adds_a_textstat_sentence():
    text = "Japan and the U.S. signed a new agreement in Tokyo. Both sides welcomed the deal."
    sentences = sentences_of(text)
    assert sentences == ["Japan and the U.S. signed a new agreement in Tokyo.", "Both sides welcomed the deal."]
    # textstat: "Japan and the U." | "S." (one word, dropped) | "signed ... Tokyo." | "Both ... deal."
    assert textstat.sentence_count(text) == 3
    ours = r.scores(sentences)
    assert (ours["sentences"], ours["words"]) == (2, 15)  # "U.S." is one word, "US"
    # Shorter apparent sentences make textstat's reading ease higher by 1.015 * (15/2 - 15/3).
    change = textstat.flesch_reading_ease(text) - ours["flesch_reading_ease"]
    assert change == pytest.approx(1.015 * (15 / 2 - 15 / 3))


def test_textstat_sentence_starts_reproduces_textstat_count(corpus):
    sentences = corpus.sentences
    for unit_id, part in sentences.groupby("unit_id"):
        for texts in (part["text"].tolist(), part.loc[~part["is_heading"], "text"].tolist()):
            joined = " ".join(texts)
            assert len(r.textstat_sentence_starts(joined)) == textstat.sentence_count(joined), unit_id


def test_mtld_by_hand():
    tokens = "the cat saw the dog and the bird".split()
    # forward: TTR falls to 5/7 = 0.714 <= 0.72 at the 7th token: one factor; "bird" alone has
    #   TTR 1, so the rest adds (1 - 1)/(1 - 0.72) = 0 factors: 8 / 1 = 8.
    # backward: "bird the and dog the saw cat the" never falls to 0.72; it ends at TTR 6/8, a
    #   partial factor of (1 - 0.75)/0.28 = 0.892857: 8 / 0.892857 = 8.96.
    assert r.mtld_factors(tokens, 0.72) == pytest.approx(1.0)
    assert r.mtld_factors(tokens[::-1], 0.72) == pytest.approx(0.25 / 0.28)
    assert r.mtld(tokens) == pytest.approx((8 + 8.96) / 2)


def test_mtld_does_not_fall_with_length_where_ttr_does():
    for n in (6, 60, 600):
        tokens = ["a", "b"] * (n // 2)  # a factor closes at every third token: MTLD = 3
        assert r.mtld(tokens) == pytest.approx(3.0)
    assert math.isnan(r.mtld(["no", "word", "repeats"]))


def test_real_table_has_ten_complete_rows(corpus):
    table = r.readability_table(corpus.units, corpus.sentences)
    assert len(table) == 10
    assert not table.isna().any().any()
    expected = {
        "unit_id",
        "kind",
        "era",
        "year",
        "sentences",
        "words",
        "words_per_sentence_mean",
        "words_per_sentence_median",
        "words_per_sentence_p90",
        "long_word_share",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "gunning_fog",
        "smog_index",
        "dale_chall",
        "text_standard",
        "mtld",
    }
    assert expected <= set(table.columns)
    lengths = r.sentence_lengths(corpus.sentences)
    per_unit = lengths.groupby("unit_id")["words"].agg(["size", "sum", "median"])
    for row in table.itertuples():
        assert row.sentences == per_unit.loc[row.unit_id, "size"]
        assert row.words == per_unit.loc[row.unit_id, "sum"]  # sentence words add up to the unit's
        assert row.words_per_sentence_median == per_unit.loc[row.unit_id, "median"]
        assert row.sentences >= 30  # SMOG's minimum sample
        assert 1 <= row.text_standard <= 18
    assert (table["long_word_share"].between(0, 1)).all()


def test_headings_are_left_out_unless_asked_for(corpus):
    sentences = corpus.sentences
    headings = sentences.groupby("unit_id")["is_heading"].sum()
    without = r.readability_table(corpus.units, sentences)
    with_ = r.readability_table(corpus.units, sentences, headings=True)
    for a, b in zip(without.itertuples(), with_.itertuples()):
        assert b.sentences - a.sentences == headings[a.unit_id]


def test_splitter_comparison_and_disagreements_agree(corpus):
    comparison = r.splitter_comparison(corpus.units, corpus.sentences).set_index("unit_id")
    disagreements = r.splitter_disagreements(corpus.sentences)
    extra = (disagreements["textstat_sentences"] - 1).groupby(disagreements["unit_id"]).sum()
    for unit_id, row in comparison.iterrows():
        assert row["difference"] == extra.get(unit_id, 0), unit_id
        assert (row["flesch_change"] == 0) == (row["difference"] == 0)
    assert (disagreements["reason"] != "other").all()
    assert disagreements["text"].str.contains("U.S.", regex=False).any()


def test_group_comparison_covers_every_unit(corpus):
    table = r.readability_table(corpus.units, corpus.sentences)
    groups = r.group_comparison(table)
    for grouping in ("kind", "era"):
        part = groups[groups["grouping"] == grouping]
        assert part["units"].sum() == len(table)
        assert part["words"].sum() == table["words"].sum()


def test_summaries_agree_with_the_tables(corpus):
    table = r.readability_table(corpus.units, corpus.sentences)
    lengths = r.sentence_lengths(corpus.sentences)
    comparison = r.splitter_comparison(corpus.units, corpus.sentences)
    disagreements = r.splitter_disagreements(corpus.sentences)
    totals = r.corpus_summary(table, corpus.sentences)
    assert totals["units"] == len(table) == 10
    assert totals["sentences"] == len(lengths)
    assert totals["headings"] == len(corpus.sentences) - len(lengths)
    split = r.splitter_summary(comparison, disagreements)
    assert split["sentences_textstat"] - split["sentences_corpus"] == comparison["difference"].sum()
    assert split["decimal"] + split["joined"] <= split["disagreements"] == len(disagreements)
    assert abs(split["worst_change"]) == comparison["flesch_change"].abs().max()
    levels = r.score_summary(table)
    assert levels["hardest_flesch"] <= levels["easiest_flesch"]
    assert levels["spread_min"] <= levels["spread_max"] == r.grade_spread(table).max()
    length = r.sentence_length_summary(lengths, table)
    assert length["longest_words"] == lengths["words"].max() >= length["p90_max"]
    vocabulary = r.vocabulary_summary(table)
    assert vocabulary["others"] == len(table) - 1
    assert vocabulary["others_max"] < vocabulary["top_mtld"] == table["mtld"].max()
    assert -1 <= vocabulary["ttr_correlation"] <= 1 and -1 <= vocabulary["mtld_correlation"] <= 1


CORRELATION_COLUMNS = ["state", "measure", "label", "texts", "rho", "p", "p_method", "p_asymptotic"]


def test_style_rate_correlations_on_the_real_corpus(corpus):
    from scipy.stats import spearmanr

    from framelens.measures.eras import text_rates
    from framelens.measures.references import STATES, mentions_table

    table = r.readability_table(corpus.units, corpus.sentences)
    rates = text_rates(mentions_table(corpus), corpus.sentences, corpus.units)
    joined = r.rates_with_style(table, rates)
    assert len(joined) == 10 * len(STATES) == 30
    assert list(joined.columns) == [
        "unit_id",
        "kind",
        "era",
        "year",
        "state",
        "mentions",
        "rate_words",
        "rate",
        *r.STYLE_MEASURES,
    ]
    correlations = r.style_rate_correlations(table, rates)
    assert len(correlations) == len(STATES) * len(r.STYLE_MEASURES) == 9
    assert list(correlations.columns) == CORRELATION_COLUMNS
    assert list(dict.fromkeys(correlations["state"])) == list(STATES)
    assert (correlations["texts"] == 10).all()
    assert (correlations["p_method"] == "exact").all()
    assert correlations["rho"].between(-1, 1).all() and correlations["p"].between(0, 1).all()
    # The same numbers straight from scipy, for one state.
    us = rates[rates["state"] == "United States"].drop(columns="words").merge(table, on="unit_id")
    assert len(us) == 10
    for measure in r.STYLE_MEASURES:
        expected = spearmanr(us[measure], us["rate"])
        row = correlations[(correlations["state"] == "United States") & (correlations["measure"] == measure)]
        assert len(row) == 1
        assert row["rho"].iloc[0] == pytest.approx(expected.statistic, abs=1e-12), measure
        assert row["p_asymptotic"].iloc[0] == pytest.approx(expected.pvalue, rel=1e-12), measure
        assert row["p"].iloc[0] == r.spearman_exact_p(us[measure], us["rate"])
    summary = r.style_rate_summary(correlations, joined)
    assert summary["texts"] == 10 and summary["correlations"] == 9 and summary["pairings"] == 3628800
    assert summary["clear"] == (correlations["p"] < 0.05).sum()
    assert summary["strongest"]["p"] == correlations["p"].min() <= summary["runner_up"]["p"]


def test_spearman_exact_p_equals_scipy_permutation_test():
    from scipy.stats import PermutationMethod, spearmanrho

    rng = np.random.default_rng(7)
    for _ in range(5):
        x = rng.integers(0, 4, 7).astype(float)  # ties in both
        y = rng.random(7)
        y[:3] = 0
        expected = spearmanrho(x, y, method=PermutationMethod(n_resamples=np.inf)).pvalue
        assert r.spearman_exact_p(x, y) == pytest.approx(expected, rel=1e-12)
    assert r.spearman_exact_p([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(2 / 24)  # one pairing of 24 per side
    assert math.isnan(r.spearman_exact_p([1, 2, 3], [5, 5, 5]))
    with pytest.raises(ValueError):
        r.spearman_exact_p(range(r.MAX_EXACT_TEXTS + 1), range(r.MAX_EXACT_TEXTS + 1))


def test_style_rate_correlations_beyond_the_exact_limit():
    # Eleven texts: too many pairings to enumerate, so p comes from scipy's Monte Carlo test.
    n = r.MAX_EXACT_TEXTS + 1
    units = [f"u{i}" for i in range(n)]
    table = pd.DataFrame(
        {
            "unit_id": units,
            "kind": "op-ed",
            "era": "late",
            "year": 2025,
            "words": np.arange(n) * 100 + 500,
            "flesch_kincaid_grade": np.linspace(10, 20, n),
            "words_per_sentence_mean": np.arange(n)[::-1] + 15.0,
        }
    )
    rates = pd.DataFrame(
        {"unit_id": units, "state": "China", "mentions": 1, "words": 1000, "rate": np.arange(n) % 4 + 1.0}
    )
    correlations = r.style_rate_correlations(table, rates)
    assert len(correlations) == len(r.STYLE_MEASURES)
    assert (correlations["p_method"] == "Monte Carlo").all() and (correlations["texts"] == n).all()
    assert correlations["p"].between(0, 1).all()
    again = r.style_rate_correlations(table, rates)
    assert correlations["p"].tolist() == again["p"].tolist()  # seeded by framelens.stats.rng_for


@pytest.mark.slow
def test_exact_p_on_the_real_corpus_equals_scipy(corpus):
    # scipy enumerates the 10! pairings itself here (about 15 s).
    from scipy.stats import PermutationMethod, spearmanrho

    from framelens.measures.eras import text_rates
    from framelens.measures.references import mentions_table

    table = r.readability_table(corpus.units, corpus.sentences)
    rates = text_rates(mentions_table(corpus), corpus.sentences, corpus.units)
    correlations = r.style_rate_correlations(table, rates).set_index(["state", "measure"])
    joined = r.rates_with_style(table, rates)
    us = joined[joined["state"] == "United States"]
    expected = spearmanrho(us["words"], us["rate"], method=PermutationMethod(n_resamples=np.inf)).pvalue
    assert correlations.loc[("United States", "words"), "p"] == pytest.approx(expected, rel=1e-12)


def test_measures_do_not_draw():
    # Layering: the measure module imports neither matplotlib nor the presentation or tools layers.
    tree = ast.parse(Path(r.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {m for m in imported if m.startswith(("matplotlib", "framelens.presentation", "framelens.tools"))}


def test_figures_build_without_warnings(corpus):
    matplotlib.use("Agg")
    table, lengths = r.readability_table(corpus.units, corpus.sentences), r.sentence_lengths(corpus.sentences)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (
            figures.grade_levels(table),
            figures.sentence_lengths(lengths, table),
            figures.group_comparison(table),
        ):
            fig.canvas.draw()
            matplotlib.pyplot.close(fig)


class DownloadAttempted(Exception):
    pass


def test_offline_in_process(corpus, monkeypatch, tmp_path):
    import nltk
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    expected = r.readability_table(corpus.units, corpus.sentences)

    def no_network(*args, **kwargs):
        raise OSError("network disabled by the test")

    def no_download(*args, **kwargs):
        raise DownloadAttempted(args)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(nltk, "download", no_download)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # as on a machine with no NLTK data
    # The trap works: textstat's own dictionary loader would try to download here.
    with pytest.raises(DownloadAttempted):
        _get_cmudict.get_cmudict.__wrapped__("en_US")
    # Recount every syllable with the trap set.
    _count_syllables.count_syllables.cache_clear()
    r.cmu_dictionary.cache_clear()
    r.use_offline_cmudict()
    table = r.readability_table(corpus.units, corpus.sentences)
    assert np.allclose(table.select_dtypes("number"), expected.select_dtypes("number"))


OFFLINE_SCRIPT = """
import json, socket, sys
def no_network(*args, **kwargs):
    raise OSError("network disabled by the test")
socket.socket.connect = no_network
socket.create_connection = no_network
import nltk
def no_download(*args, **kwargs):
    print("nltk.download was called", file=sys.stderr)
    sys.exit(3)
nltk.download = no_download
nltk.data.path[:] = [sys.argv[2]]
from framelens.corpus.units import load_corpus
from framelens.measures.readability import readability_table
corpus = load_corpus(sys.argv[1])
table = readability_table(corpus.units, corpus.sentences)
print(json.dumps({"rows": len(table), "flesch": table["flesch_reading_ease"].round(6).tolist()}))
"""


@pytest.mark.slow  # a fresh interpreter per test: seconds, not milliseconds
def test_offline_fresh_interpreter(corpus, tmp_path):
    # A new process: nothing is cached, and the trap is set before textstat is imported.
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(SEEDS), str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == 10
    expected = r.readability_table(corpus.units, corpus.sentences)["flesch_reading_ease"].round(6).tolist()
    assert result["flesch"] == pytest.approx(expected)
