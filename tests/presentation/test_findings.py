"""The era comparisons with the text as the unit, the findings written from them, and the claim
checks that fail the build when the data stop supporting a sentence of the prose."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from framelens.corpus.units import load_corpus
from framelens.measures import coding, eras, frames
from framelens.measures.lexicon import load_lexicon
from framelens.measures.references import count_mentions, mentions_table
from framelens.paths import LEXICON_FILE
from framelens.presentation.facts import ClaimError, Facts
from framelens.presentation.findings import about_state_facts, gather, landing_findings
from framelens.presentation.prose import count_noun, join_and, k_of_n, number_word


@pytest.fixture(scope="module")
def codes():
    first, second, adjudication = coding.load_coders()
    return first, second, coding.adjudicate(first, second, adjudication)


def evidence_for(corpus, codes, mentions=None):
    first, second, final = codes
    mentions = mentions_table(corpus) if mentions is None else mentions
    coded = coding.coded_long(final, corpus.sentences)
    tagged = frames.tag_sentences(corpus.sentences)
    return gather(corpus, mentions, coded, tagged, first, second, {})


def test_like_for_like_rates_are_exact(corpus):
    table = eras.compare_rates(mentions_table(corpus), corpus.sentences, corpus.units).set_index("what")
    assert table["texts_early"].tolist() == [2, 2, 2] and table["texts_late"].tolist() == [3, 3, 3]
    assert table.loc["China", ["early", "late"]].round(3).tolist() == [3.347, 4.523]
    assert table.loc["United States", ["early", "late"]].round(3).tolist() == [10.299, 0.969]
    assert table.loc["Russia", ["early", "late"]].round(3).tolist() == [0.257, 3.554]
    # two texts against three: C(5, 2) = 10 arrangements, so no two-sided p below 2/10
    assert table["min_p"].tolist() == pytest.approx([0.2, 0.2, 0.2])
    assert (table["p"] >= 0.2 - 1e-12).all()
    assert (table["verdict"] == "no clear change").all()


def test_whole_corpus_design_and_its_smallest_p(corpus):
    table = eras.compare_rates(mentions_table(corpus), corpus.sentences, corpus.units, design="all").set_index("what")
    assert table.loc["Russia", ["early", "late"]].round(2).tolist() == [10.31, 3.55]
    assert table.loc["United States", "min_p"] == pytest.approx(2 / 120)
    assert table.loc["United States", "verdict"] == "lower"


def test_a_zero_count_gets_an_upper_bound_not_zero():
    low, high = eras.poisson_interval(0, 1.0)
    assert low == 0 and high == pytest.approx(3.6889, abs=1e-4)
    low, high = eras.poisson_interval(4, 2.0)  # exact Garwood limits of 4 events, halved
    assert (low, high) == pytest.approx((1.0899 / 2, 10.2416 / 2), abs=1e-4)


def test_every_text_is_a_row_with_its_own_interval(corpus):
    table = eras.text_rates(mentions_table(corpus), corpus.sentences, corpus.units)
    assert len(table) == 10 * 3
    zeros = table[table["mentions"] == 0]
    assert len(zeros) and (zeros["high"] > 0).all()


def test_an_unknown_design_is_named():
    with pytest.raises(ValueError, match="unknown design 'asia'"):
        eras.design_units(load_corpus().units, "asia")


def test_the_landing_findings_hold_on_the_corpus(corpus, codes):
    facts = landing_findings(evidence_for(corpus, codes))
    table = facts.table().set_index("key")["value"]
    assert table["us_japan_india_early"] == "10.3" and table["us_japan_india_late"] == "1.0"
    assert table["ru_all_early"] == "10.3" and table["ru_japan_india_early"] == "0.3"
    assert table["ru_brief_refs"] == "142"
    assert table["economy_japan_india_early"] == "30%" and table["economy_japan_india_late"] == "13%"
    assert table["economy_japan_india_ci"] == "−29 points to −3 points"
    assert all(c["holds"] for c in facts.claims) and len(facts.claims) == 19


def test_a_registry_change_breaks_a_claim(seeds_copy, codes):
    """Declare the Russia brief to be about Japan-India: the Russia finding no longer holds."""

    def change(data):
        for source in data["sources"]:
            for unit in source["units"]:
                if unit["about"] == "japan-russia":
                    unit["about"] = "japan-india"

    seeds_copy.edit(change)
    with pytest.raises(ClaimError) as error:
        landing_findings(evidence_for(load_corpus(seeds_copy.path), codes))
    assert str(error.value).startswith(
        'index: the data no longer support the claim "Russia\'s change has opposite signs in the two designs"'
    )


def test_a_lexicon_change_breaks_a_claim(tmp_path, corpus):
    """Without Russia's names, demonyms, capital, leaders and predecessors the Russia brief no
    longer names Russia most, and the sentence under the per-unit figure fails."""
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    for form in ("name", "demonym", "capital", "leader", "predecessor"):
        data["actors"]["Russia"][form] = []
    path = tmp_path / "references.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    mentions = mentions_table(corpus, load_lexicon(path))
    per_unit = count_mentions(mentions, corpus.sentences, corpus.units, by_form=False)
    with pytest.raises(ClaimError, match=r"^references: the data no longer support the claim 'each unit about one of"):
        about_state_facts(Facts("references"), corpus.units, per_unit)
    # and with the real lexicon it holds, naming the one unit about a state
    facts = Facts("references")
    real = count_mentions(mentions_table(corpus), corpus.sentences, corpus.units, by_form=False)
    about_state_facts(facts, corpus.units, real)
    assert (
        facts.table()
        .set_index("key")
        .loc["per_unit_caption", "value"]
        .startswith(
            "The 2015-russia-hirose unit names the state it is about most; the other units are about Japan's "
            "relations with Australia, Europe or India"
        )
    )


def test_facts_refuse_a_key_twice_and_write_their_table(tmp_path, monkeypatch):
    facts = Facts("probe")
    facts.add("n", "three", "somewhere", 3)
    with pytest.raises(ValueError, match="probe: fact 'n' added twice"):
        facts.add("n", "four", "somewhere")
    assert facts.table().to_dict("records") == [{"key": "n", "value": "three", "raw": 3, "source": "somewhere"}]


def test_prose_agrees_with_its_counts():
    assert count_noun(1, "sentence") == "one sentence"
    assert count_noun(5, "heading") == "five headings"
    assert count_noun(1234, "word", words=False) == "1,234 words"
    assert k_of_n(4, 4, "policy brief") == "all four policy briefs"
    assert k_of_n(3, 4, "policy brief") == "three of the four policy briefs"
    assert k_of_n(0, 4, "brief") == "none of the four briefs"
    assert k_of_n(2, 2, "text") == "both texts"
    assert number_word(12) == "twelve" and number_word(13) == "13"
    assert join_and(["a", "b", "c"], "or") == "a, b or c"


def test_the_cluster_bootstrap_resamples_texts():
    """With two texts of very different rates, the era interval spans both texts' rates (a
    sentence-level bootstrap of the pooled sentences would be far narrower)."""
    rng = np.random.default_rng(0)
    low_text = (np.zeros(50), np.full(50, 20.0))
    high_text = (np.r_[np.ones(20), np.zeros(30)], np.full(50, 20.0))
    dist = eras._two_stage([low_text, high_text], True, rng, 2000) * 1000
    assert np.percentile(dist, 2.5) < 5 and np.percentile(dist, 97.5) > 15


def test_the_years_without_a_text(corpus):
    from framelens.corpus.units import year_gaps

    assert year_gaps(corpus.units) == [(2016, 2021), (2024, 2024)]
