"""Accuracy of the reference matcher against independent hand annotations.

Two annotation sets, both made by annotators who did not see the matcher or its output:
- `tests/annotations/references_gold.csv`: every reference in the body of the ten units,
  located by unit, seed line, actor, form and surface;
- `tests/annotations/hard_sentences.yml`: hard sentences written to break the matcher.

A found mention and a gold one agree when they share unit, seed line and actor (and, for
the hard sentences, the sentence); within such a group, matching is by count, so two "China"
on one line match two gold "China" on that line. Form agreement is reported separately,
over the pairs that agree on actor.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import yaml

from framelens.measures.matcher import find_mentions
from framelens.paths import annotations_dir
from framelens.stats import prf


def load_gold_references(path: str | Path | None = None) -> pd.DataFrame:
    """The gold references: unit_id, line, actor, form, surface, note (default: the annotations folder's file)."""
    return pd.read_csv(path or annotations_dir() / "references_gold.csv")


def load_hard_sentences(path: str | Path | None = None) -> list[dict]:
    """The hard sentences: dicts with id, text, mentions (actor, form...) and an optional note."""
    return yaml.safe_load(Path(path or annotations_dir() / "hard_sentences.yml").read_text(encoding="utf-8"))


def _scores(found: Counter, gold: Counter, actors) -> pd.DataFrame:
    """Per actor (the last element of each key): gold, found, agree, precision, recall, f1 (`stats.prf`)."""
    rows = []
    for actor in actors:
        f = Counter({k: v for k, v in found.items() if k[-1] == actor})
        g = Counter({k: v for k, v in gold.items() if k[-1] == actor})
        tp = sum((f & g).values())
        fp = sum(f.values()) - tp
        fn = sum(g.values()) - tp
        precision, recall, f1 = prf(tp, fp, fn)
        rows.append(
            {
                "actor": actor,
                "gold": tp + fn,
                "found": tp + fp,
                "agree": tp,
                "precision": precision,
                "recall": recall,
                "f1": f1,
            }
        )
    return pd.DataFrame(rows)


def score_corpus(
    mentions: pd.DataFrame, gold: pd.DataFrame | None = None, actors=("China", "United States", "Russia", "toponym")
) -> pd.DataFrame:
    """Precision, recall and F1 per actor of `mentions` (mentions_table) against `gold`
    (`load_gold_references()` by default). Out: actor, gold, found, agree, precision, recall, f1."""
    gold = load_gold_references() if gold is None else gold
    found = Counter(zip(mentions["unit_id"], mentions["seed_line"], mentions["actor"]))
    wanted = Counter(zip(gold["unit_id"], gold["line"], gold["actor"]))
    return _scores(found, wanted, actors)


def form_agreement(mentions: pd.DataFrame, gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where matcher and annotator agree on a reference, do they agree on its form?

    Out: unit_id, seed_line, actor, form, found, gold: the (line, actor, form) cells counted differently.
    """
    gold = load_gold_references() if gold is None else gold
    found = Counter(zip(mentions["unit_id"], mentions["seed_line"], mentions["actor"], mentions["form"]))
    wanted = Counter(zip(gold["unit_id"], gold["line"], gold["actor"], gold["form"]))
    rows = []
    for key in sorted(set(found) | set(wanted)):
        if found[key] != wanted[key]:
            rows.append(
                {
                    "unit_id": key[0],
                    "seed_line": key[1],
                    "actor": key[2],
                    "form": key[3],
                    "found": found[key],
                    "gold": wanted[key],
                }
            )
    return pd.DataFrame(rows, columns=["unit_id", "seed_line", "actor", "form", "found", "gold"])


def disagreements(mentions: pd.DataFrame, gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """Lines where the matcher and the annotator count a different number of references.

    Out: unit_id, seed_line, actor, found, gold, found_surfaces, gold_surfaces, annotator_note.
    """
    gold = load_gold_references() if gold is None else gold
    found = Counter(zip(mentions["unit_id"], mentions["seed_line"], mentions["actor"]))
    wanted = Counter(zip(gold["unit_id"], gold["line"], gold["actor"]))
    rows = []
    for key in sorted(set(found) | set(wanted)):
        if found[key] != wanted[key]:
            g = gold[(gold["unit_id"] == key[0]) & (gold["line"] == key[1]) & (gold["actor"] == key[2])]
            f = mentions[
                (mentions["unit_id"] == key[0]) & (mentions["seed_line"] == key[1]) & (mentions["actor"] == key[2])
            ]
            rows.append(
                {
                    "unit_id": key[0],
                    "seed_line": key[1],
                    "actor": key[2],
                    "found": found[key],
                    "gold": wanted[key],
                    "found_surfaces": "; ".join(f["surface"]),
                    "gold_surfaces": "; ".join(g["surface"]),
                    "annotator_note": "; ".join(str(n) for n in g["note"].dropna()),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["unit_id", "seed_line", "actor", "found", "gold", "found_surfaces", "gold_surfaces", "annotator_note"],
    )


def score_hard_sentences(
    sentences: list[dict] | None = None, actors=("China", "United States", "Russia", "toponym")
) -> pd.DataFrame:
    """Precision, recall and F1 per actor on the hard sentences (`load_hard_sentences()` by default)."""
    sentences = load_hard_sentences() if sentences is None else sentences
    found: Counter = Counter()
    wanted: Counter = Counter()
    for item in sentences:
        for m in find_mentions(item["text"]).itertuples():
            found[(item["id"], m.actor)] += 1
        for m in item["mentions"]:
            wanted[(item["id"], m["actor"])] += 1
    return _scores(found, wanted, actors)


def hard_sentence_failures(sentences: list[dict] | None = None) -> pd.DataFrame:
    """The hard sentences where the matcher's (actor, form) list differs from the annotation.

    Out: id, text, found, gold ("actor/form; ..." in text order), annotator_note.
    """
    sentences = load_hard_sentences() if sentences is None else sentences
    rows = []
    for item in sentences:
        got = [(m.actor, m.form) for m in find_mentions(item["text"]).itertuples()]
        want = [(m["actor"], m["form"]) for m in item["mentions"]]
        if got != want:
            rows.append(
                {
                    "id": item["id"],
                    "text": item["text"],
                    "found": "; ".join(f"{a}/{f}" for a, f in got),
                    "gold": "; ".join(f"{a}/{f}" for a, f in want),
                    "annotator_note": item.get("note", ""),
                }
            )
    return pd.DataFrame(rows, columns=["id", "text", "found", "gold", "annotator_note"])
