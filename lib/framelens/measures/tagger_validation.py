"""How well the frame tagger holds on texts it has never seen, against a supervised classifier.

Two methods tag a sentence with frames:

- "dictionary": `frames.tag`, the codebook's cue lists (no training; the cues were written on
  the corpus, so its corpus scores are in-sample);
- "classifier": one logistic regression per frame (scikit-learn) on word 1-2-grams (tf-idf)
  plus the dictionary's eight cue flags as features, trained on the human codes.

Two held-out evaluations, reported apart:

- leave-one-text-out over the corpus: the classifier is trained on the codes of every text
  but one and tags that one; the dictionary tags every text as it is (its cues were not
  fitted text by text, so for it this is an in-sample figure, labelled as such);
- the outside texts (`annotations/frame_codes_dev/`): texts about Japan-India relations that
  are not in the corpus, coded by two coders and adjudicated like the corpus; the classifier is
  trained on the whole corpus.

score(truth, predicted, frames)   one row per frame plus "macro": frame, positives, predicted,
    tp, fp, fn, precision, recall, f1, with 95% percentile bootstrap intervals over sentences
    (precision_low/high, recall_low/high, f1_low/high; scipy.stats.bootstrap)
errors(truth, predicted, texts)   one row per sentence x frame the method gets wrong: the
    sentence, frame, error ("missed": coded but not tagged; "spurious": tagged, not coded)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from framelens.measures.tagger import get_tagger
from framelens.stats import CONFIDENCE, N_RESAMPLES, SEED, prf, rng_for

METHODS = ("dictionary", "classifier")


def cue_flags(texts: list[str], frames: list[str], codebook=None) -> np.ndarray:
    """The dictionary's tags as a 0/1 matrix (sentences x frames)."""
    tagger = get_tagger(codebook)
    return np.array([[int(f in tagger.tag(t)) for f in frames] for t in texts], dtype=int).reshape(-1, len(frames))


class FrameClassifier:
    """Logistic regression per frame on tf-idf word 1-2-grams plus the dictionary's cue flags."""

    def __init__(self, frames: list[str], C: float = 1.0, codebook=None):
        self.frames, self.C, self.codebook = list(frames), C, codebook

    def _features(self, texts, fit: bool):
        from scipy.sparse import csr_matrix, hstack

        words = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        return hstack([words, csr_matrix(cue_flags(list(texts), self.frames, self.codebook))]).tocsr()

    def fit(self, texts: list[str], codes: np.ndarray) -> FrameClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        features = self._features(texts, fit=True)
        self.models = []
        for j in range(len(self.frames)):
            y = codes[:, j]
            # a frame with one class only in the training texts cannot be learnt: predict that class
            model = (
                None
                if len(set(y)) < 2
                else LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear").fit(features, y)
            )
            self.models.append((model, int(y[0])))
        return self

    def predict(self, texts: list[str]) -> np.ndarray:
        features = self._features(texts, fit=False)
        columns = [m.predict(features) if m is not None else np.full(len(texts), c) for m, c in self.models]
        return np.column_stack(columns).astype(int)


def leave_one_text_out(final: pd.DataFrame, frames: list[str], method: str, codebook=None) -> np.ndarray:
    """Predictions for every sentence of `final` (adjudicated codes with unit_id and text), each
    text tagged by a method that never saw its codes."""
    texts = final["text"].tolist()
    if method == "dictionary":
        return cue_flags(texts, frames, codebook)
    if method != "classifier":
        raise ValueError(f"unknown method {method!r} (known: {', '.join(METHODS)})")
    codes = final[frames].to_numpy(int)
    predicted = np.zeros_like(codes)
    units = final["unit_id"].to_numpy()
    for unit in dict.fromkeys(units):
        held = units == unit
        model = FrameClassifier(frames, codebook=codebook).fit([t for t, h in zip(texts, held) if not h], codes[~held])
        predicted[held] = model.predict([t for t, h in zip(texts, held) if h])
    return predicted


def outside(train: pd.DataFrame, test: pd.DataFrame, frames: list[str], method: str, codebook=None) -> np.ndarray:
    """Predictions for the outside texts `test`, the classifier trained on all of `train`."""
    texts = test["text"].tolist()
    if method == "dictionary":
        return cue_flags(texts, frames, codebook)
    model = FrameClassifier(frames, codebook=codebook).fit(train["text"].tolist(), train[frames].to_numpy(int))
    return model.predict(texts)


def _scores(t, g, axis=-1):
    tp = ((t == 1) & (g == 1)).sum(axis=axis)
    fp = ((t == 0) & (g == 1)).sum(axis=axis)
    fn = ((t == 1) & (g == 0)).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)


def score(
    truth: np.ndarray,
    predicted: np.ndarray,
    frames: list[str],
    *,
    label: str = "",
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Precision, recall and F1 per frame with bootstrap intervals over sentences (module doc).

    No intervals (nan) for a frame never found, or with `n_resamples=0`."""
    from scipy.stats import bootstrap

    rows = []
    for j, frame in enumerate(frames):
        t, g = truth[:, j], predicted[:, j]
        tp, fp, fn = (
            int(((t == 1) & (g == 1)).sum()),
            int(((t == 0) & (g == 1)).sum()),
            int(((t == 1) & (g == 0)).sum()),
        )
        precision, recall, f1 = prf(tp, fp, fn)
        row = {
            "frame": frame,
            "positives": int(t.sum()),
            "predicted": int(g.sum()),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
        for k, name in enumerate(("precision", "recall", "f1")):

            def statistic(tt, gg, axis=-1, k=k):
                return _scores(tt, gg, axis)[k]

            if tp == 0 or not n_resamples:
                low = high = np.nan
            else:
                # resamples with no predicted or no coded positive leave a measure undefined (nan);
                # scipy warns that the distribution is degenerate there, which is expected
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = bootstrap(
                        (t, g),
                        statistic,
                        paired=True,
                        vectorized=True,
                        n_resamples=n_resamples,
                        confidence_level=CONFIDENCE,
                        method="percentile",
                        rng=rng_for("tagger-score", label, frame, name, seed=seed),
                    )
                low, high = result.confidence_interval
            row[f"{name}_low"], row[f"{name}_high"] = float(low), float(high)
        rows.append(row)
    table = pd.DataFrame(rows)
    macro = {"frame": "macro", **{c: table[c].mean() for c in ("precision", "recall", "f1")}}
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)


def comparison(
    corpus_final: pd.DataFrame,
    outside_sets: dict[str, pd.DataFrame],
    frames: list[str],
    codebook=None,
    n_resamples: int = N_RESAMPLES,
) -> tuple[pd.DataFrame, dict]:
    """Both methods under every evaluation: leave-one-text-out over the corpus, then each set of
    outside texts (`outside_sets`: name -> adjudicated codes). Returns one long table
    (evaluation, method, and the columns of `score`) and the predictions
    {(evaluation, method): matrix}."""
    tables, predictions = [], {}
    for method in METHODS:
        evaluations = [("leave one text out", corpus_final, leave_one_text_out(corpus_final, frames, method, codebook))]
        evaluations += [
            (name, final, outside(corpus_final, final, frames, method, codebook))
            for name, final in outside_sets.items()
        ]
        for evaluation, final, predicted in evaluations:
            predictions[(evaluation, method)] = predicted
            table = score(
                final[frames].to_numpy(int), predicted, frames, label=f"{evaluation}/{method}", n_resamples=n_resamples
            )
            tables.append(table.assign(evaluation=evaluation, method=method, sentences=len(final)))
    out = pd.concat(tables, ignore_index=True)
    first = ["evaluation", "method", "sentences"]
    return out[first + [c for c in out.columns if c not in first]], predictions


def macro_f1(table: pd.DataFrame) -> pd.DataFrame:
    """From `comparison`'s table: one row per evaluation x method with its macro F1."""
    macro = table[table["frame"] == "macro"]
    return macro[["evaluation", "method", "sentences", "precision", "recall", "f1"]].reset_index(drop=True)


def errors(final: pd.DataFrame, predicted: np.ndarray, frames: list[str]) -> pd.DataFrame:
    """Every sentence x frame a method gets wrong, most-missed sentences first: unit_id,
    seed_line, text, frame, error ("missed" or "spurious"), errors_in_sentence."""
    truth = final[frames].to_numpy(int)
    rows = []
    for i in range(len(final)):
        wrong = [
            (f, "missed" if truth[i, j] else "spurious") for j, f in enumerate(frames) if truth[i, j] != predicted[i, j]
        ]
        for frame, kind in wrong:
            rows.append(
                {
                    "unit_id": final["unit_id"].iloc[i],
                    "seed_line": int(final["seed_line"].iloc[i]),
                    "text": final["text"].iloc[i],
                    "frame": frame,
                    "error": kind,
                    "errors_in_sentence": len(wrong),
                }
            )
    table = pd.DataFrame(rows, columns=["unit_id", "seed_line", "text", "frame", "error", "errors_in_sentence"])
    return table.sort_values(["errors_in_sentence", "frame"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
