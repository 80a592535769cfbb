"""The tagger's held-out validation: scores with intervals, the classifier, the error table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.measures import tagger_validation as tv

FRAMES = ["security", "leaders"]


def test_scores_are_exact_on_a_hand_made_table():
    truth = np.array([[1, 0], [1, 1], [0, 1], [0, 0], [1, 0]])
    guess = np.array([[1, 0], [0, 1], [1, 1], [0, 0], [1, 1]])
    table = tv.score(truth, guess, FRAMES, n_resamples=200).set_index("frame")
    # security: tp 2, fp 1, fn 1; leaders: tp 2, fp 1, fn 0
    assert table.loc["security", ["tp", "fp", "fn"]].tolist() == [2, 1, 1]
    assert table.loc["security", "f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert table.loc["leaders", "recall"] == 1.0 and table.loc["leaders", "precision"] == pytest.approx(2 / 3)
    assert table.loc["macro", "f1"] == pytest.approx((4 / 6 + 4 / 5) / 2)
    assert table.loc["security", "f1_low"] <= table.loc["security", "f1"] <= table.loc["security", "f1_high"]


def test_a_frame_never_found_has_no_interval():
    truth = np.array([[1], [0], [1]])
    guess = np.array([[0], [0], [0]])
    table = tv.score(truth, guess, ["history"], n_resamples=50).set_index("frame")
    assert table.loc["history", "f1"] == 0.0
    assert np.isnan(table.loc["history", "f1_low"])


def test_the_classifier_learns_and_predicts_every_frame():
    texts = [
        "naval exercise and deterrence",
        "the prime ministers met at the summit",
        "missile threat at sea",
        "Abe and Modi held talks",
        "troops and weapons",
        "the leaders agreed",
    ] * 3
    codes = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    model = tv.FrameClassifier(FRAMES).fit(texts, codes)
    predicted = model.predict(["a naval exercise", "the prime ministers met"])
    assert predicted.shape == (2, 2)
    assert predicted[0, 0] == 1 and predicted[1, 1] == 1


def test_leave_one_text_out_never_trains_on_the_text_it_tags():
    final = pd.DataFrame(
        {
            "unit_id": ["a"] * 8 + ["b"] * 8,
            "text": ["naval exercise", "summit of leaders", "missile threat", "Abe met Modi"] * 4,
            "security": [1, 0, 1, 0] * 4,
            "leaders": [0, 1, 0, 1] * 4,
        }
    )
    predicted = tv.leave_one_text_out(final, FRAMES, "classifier")
    assert predicted.shape == (16, 2)
    with pytest.raises(ValueError, match="unknown method 'oracle'"):
        tv.leave_one_text_out(final, FRAMES, "oracle")


def test_the_error_table_names_missed_and_spurious_frames():
    final = pd.DataFrame(
        {"unit_id": ["a", "a"], "seed_line": [1, 2], "text": ["x", "y"], "security": [1, 0], "leaders": [1, 0]}
    )
    predicted = np.array([[0, 1], [1, 0]])
    table = tv.errors(final, predicted, FRAMES)
    assert table[["text", "frame", "error", "errors_in_sentence"]].values.tolist() == [
        ["x", "security", "missed", 1],
        ["y", "security", "spurious", 1],
    ]
