"""The human frame codes (annotations/frame_codes/) and the module that reads them
(framelens.measures.coding): exact counts, the adjudication, reliability, and bad files."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT
from framelens.measures.coding import (
    CodingError,
    adjudicate,
    coded_long,
    load_adjudication,
    load_coders,
    load_codes,
    reliability,
)

CODES = PROJECT / "annotations" / "frame_codes"
FRAMES = ["security", "economy", "tech_security", "values", "institutions", "autonomy", "history", "leaders"]


@pytest.fixture(scope="module")
def coders():
    return load_coders(CODES)


def body_sentences(corpus) -> pd.DataFrame:
    return corpus.sentences[~corpus.sentences["is_heading"]]


def test_every_body_sentence_is_coded_by_both_coders(coders, corpus):
    first, second, adjudication = coders
    assert len(first) == len(second) == len(body_sentences(corpus)) == 743
    assert len(adjudication) == 47
    assert adjudication[["seed_file", "seed_line", "text"]].drop_duplicates().shape[0] == 46


def test_reliability_counts_are_exact(coders):
    first, second, _ = coders
    table = reliability(first, second).set_index("frame")
    assert list(table.index) == FRAMES
    assert table.loc["security", "positives_1"] == 331 and table.loc["security", "positives_2"] == 337
    assert table.loc["security", "disagreements"] == 16
    assert table["disagreements"].sum() == 47
    # alpha from the disagreements by hand: 1 - observed / expected disagreement (nominal, two coders)
    a, b = first["economy"].to_numpy(), second["economy"].to_numpy()
    n = 2 * len(a)
    ones = a.sum() + b.sum()
    expected = 2 * ones * (n - ones) / (n * (n - 1))
    observed = (a != b).mean()
    assert table.loc["economy", "alpha"] == pytest.approx(1 - observed / expected, abs=1e-9)
    assert table["reliable"].all()


def test_adjudication_settles_exactly_the_disagreements(coders):
    first, second, adjudication = coders
    final = adjudicate(first, second, adjudication)
    assert final[FRAMES].sum().to_dict() == {
        "security": 330,
        "economy": 100,
        "tech_security": 59,
        "values": 81,
        "institutions": 127,
        "autonomy": 53,
        "history": 65,
        "leaders": 120,
    }
    assert (final["adjudicated"] != "").sum() == 46
    # where the coders agree, the final code is theirs
    agree = first[FRAMES].to_numpy() == second[FRAMES].to_numpy()
    assert (final[FRAMES].to_numpy()[agree] == first[FRAMES].to_numpy()[agree]).all()


def test_coded_long_has_the_tagger_shape(coders, corpus):
    final = adjudicate(*coders)
    long = coded_long(final, body_sentences(corpus))
    assert list(long.columns) == ["unit_id", "sentence", "frame", "present", "cues"]
    assert len(long) == 743 * 8
    assert int(long["present"].sum()) == int(final[FRAMES].to_numpy().sum())


def test_a_changed_sentence_is_named_for_recoding(coders, corpus):
    final = adjudicate(*coders)
    sentences = body_sentences(corpus).copy()
    sentences.iloc[5, sentences.columns.get_loc("text")] = "A sentence a new splitter made."
    with pytest.raises(
        CodingError, match=r"1 sentence\(s\) have no human code, first .* 'A sentence a new splitter made.'"
    ):
        coded_long(final, sentences)


def copy_codes(tmp_path):
    target = tmp_path / "frame_codes"
    shutil.copytree(CODES, target)
    return target


def test_a_code_that_is_not_binary_names_file_field_and_line(tmp_path):
    folder = copy_codes(tmp_path)
    table = pd.read_csv(folder / "coder_1.csv", keep_default_na=False)
    table.loc[3, "values"] = 2
    table.to_csv(folder / "coder_1.csv", index=False)
    with pytest.raises(CodingError) as error:
        load_codes(folder / "coder_1.csv")
    assert str(error.value) == f"{folder / 'coder_1.csv'}: values (line 5): must be 0 or 1, not '2'"


def test_a_missing_column_and_a_missing_file(tmp_path):
    folder = copy_codes(tmp_path)
    pd.read_csv(folder / "coder_2.csv", keep_default_na=False).drop(columns="history").to_csv(
        folder / "coder_2.csv", index=False
    )
    with pytest.raises(CodingError, match="coder_2.csv: history: missing column"):
        load_codes(folder / "coder_2.csv")
    with pytest.raises(CodingError, match="nowhere.csv: -: file not found"):
        load_codes(folder / "nowhere.csv")


def test_an_unsettled_disagreement_fails(tmp_path):
    folder = copy_codes(tmp_path)
    adjudication = pd.read_csv(folder / "adjudication.csv", keep_default_na=False)
    adjudication.iloc[1:].to_csv(folder / "adjudication.csv", index=False)
    first, second = load_codes(folder / "coder_1.csv"), load_codes(folder / "coder_2.csv")
    with pytest.raises(CodingError, match="the coders disagree on .* and no adjudication settles it"):
        adjudicate(first, second, load_adjudication(folder / "adjudication.csv"))


def test_an_adjudication_without_a_reason_fails(tmp_path):
    folder = copy_codes(tmp_path)
    adjudication = pd.read_csv(folder / "adjudication.csv", keep_default_na=False)
    adjudication.loc[0, "reason"] = " "
    adjudication.to_csv(folder / "adjudication.csv", index=False)
    with pytest.raises(CodingError, match=r"reason \(line 2\): every adjudication says why"):
        load_adjudication(folder / "adjudication.csv")


def test_reliability_of_identical_codes_is_one(coders):
    first, _, _ = coders
    table = reliability(first, first)
    assert np.allclose(table["alpha"], 1.0)
    assert (table["disagreements"] == 0).all()
