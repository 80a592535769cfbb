"""Frame measures: tables of which sentences carry which frames, and shares with intervals.

About 450 lines, one module on purpose: every function here reads or returns the same long
table (unit_id, sentence, frame, present), and splitting them would scatter its conventions.

The codebook is `framelens.measures.codebook`, the tagger `framelens.measures.tagger`;
`tag(sentence)` and `cues_found(sentence)` are importable from here too. Every function takes
corpus tables (`corpus.units`, `corpus.sentences`, the mentions of
`framelens.measures.references.mentions_table(corpus)`) or tables made here, and returns a
tidy table:

tag_sentences(sentences)  one row per sentence x frame (long)
    unit_id, sentence (index as in `corpus.sentences`), frame, present (0/1),
    cues (the cue words that fired, "; "-joined, "" when absent)
    The era is not a column: it is an attribute of the unit, and the functions that need it
    take `units`. `wide(tagged, sentences, units)` turns the table into one row per sentence
    with a 0/1 column per frame (unit_id, sentence, era, text, <frame ids>, n_frames), and
    `tagging_summary(wide)` into one row: sentences, no_frame, several_frames, mean_frames.
frame_shares(tagged, units, by="unit")  one row per unit x frame
    unit_id, era, frame, sentences, with_frame, share, low, high
frame_shares(tagged, units, by="era")  one row per era x frame
    era, frame, units, sentences, with_frame, share (mean of the units' shares: every brief
    weighs the same), low, high, pooled_share (share of all the era's sentences)
audit_table(tagged, sentences)  one row per sentence, to read the tagging
    unit_id, sentence, era, seed_line, text, frames, cues
cue_counts(sentences)  one row per cue of the codebook: frame, cue, sentences
era_change(tagged, units)  one row per frame: the 2022-25 share minus the 2014-15 share, with interval
    frame, early, late, change, low, high; `clear_changes(change)` keeps the rows whose
    interval excludes 0
state_sentences(mentions)  one row per sentence x state it names: unit_id, sentence, state
    `sentences_naming(naming, units, state, era)` picks one state's (unit_id, sentence);
    `state_units(naming, units)` counts them per unit: state, era, unit_id, sentences
state_frames(tagged, units, mentions)  one row per state x era x frame, among sentences naming that state
    state, era, frame, units, sentences, with_frame, share, low, high (Wilson interval)
validate(gold)  one row per frame plus "macro" and "micro"
    frame, gold, tagged, tp, fp, fn, precision, recall, f1

Headings are left out by default: they are labels ("Context", "Policy Objectives"), not
sentences, and the recommendation sub-heads repeat the text below them.

Intervals of frame shares are 95% percentile bootstrap intervals (`framelens.stats.share_interval`)
that resample sentences within each unit, with a fixed seed per cell, so a table's numbers do
not depend on which other cells were computed. A share of 0 (or 1) gets the interval [0, 0]:
no resample can differ. State x frame shares use Wilson intervals (see `state_frames`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.measures.codebook import FRAME_IDS, Codebook
from framelens.measures.references import STATES, select_mentions

# tag and cues_found are re-exported: users call frames.tag(sentence).
from framelens.measures.tagger import cues_found, get_tagger, tag  # noqa: F401
from framelens.stats import N_RESAMPLES, SEED, prf, rng_for, share_interval, wilson_interval

TAGGED_COLUMNS = ["unit_id", "sentence", "frame", "present", "cues"]
ALL_SENTENCES = "all sentences"


# --------------------------------------------------------------------------- tagging the corpus


def _body(sentences: pd.DataFrame, headings: bool) -> pd.DataFrame:
    return sentences if headings else sentences[~sentences["is_heading"]]


def tag_sentences(sentences: pd.DataFrame, codebook: Codebook | None = None, headings: bool = False) -> pd.DataFrame:
    """Every sentence x every frame of the codebook, long and tidy.

    `sentences` has unit_id, sentence, text and is_heading (`corpus.sentences`); headings are
    left out unless `headings`. Returns TAGGED_COLUMNS: unit_id, sentence, frame, present (0/1),
    cues ("; "-joined cue words that fired, "" when absent), in the order of `sentences`.
    """
    tagger = get_tagger(codebook)
    rows = []
    for s in _body(sentences, headings).itertuples():
        found = tagger.cues_found(s.text)
        for f in tagger.ids:
            rows.append((s.unit_id, s.sentence, f, int(f in found), "; ".join(found.get(f, []))))
    return pd.DataFrame(rows, columns=TAGGED_COLUMNS)


def _with_era(sentences: pd.DataFrame, units: pd.DataFrame | None) -> pd.DataFrame:
    """`sentences` with an era column: its own if it has one, else from `units` (unit_id, era)."""
    if "era" in sentences.columns:
        return sentences
    if units is None:
        raise ValueError("the sentences carry no era column: pass `units` (unit_id, era) as well")
    return sentences.assign(era=sentences["unit_id"].map(dict(zip(units["unit_id"], units["era"]))))


def wide(tagged: pd.DataFrame, sentences: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per tagged sentence: unit_id, sentence, era, text, a 0/1 column per frame, n_frames.

    `tagged` is from `tag_sentences`; `sentences` (unit_id, sentence, text) gives the text, and
    the era comes from its era column or, without one, from `units` (unit_id, era).
    """
    table = tagged.pivot(index=["unit_id", "sentence"], columns="frame", values="present")
    ids = list(dict.fromkeys(tagged["frame"]))
    table = table[ids].reset_index()
    table.columns.name = None
    sentences = _with_era(sentences, units)[["unit_id", "sentence", "era", "text"]]
    table = sentences.merge(table, on=["unit_id", "sentence"], how="inner", validate="one_to_one")
    return table.assign(n_frames=table[ids].sum(axis=1))


def tagging_summary(table: pd.DataFrame) -> pd.DataFrame:
    """How many frames the sentences carry, from a `wide` table (its n_frames column): one row
    with sentences, no_frame (share of sentences with no frame), several_frames (share with two
    or more) and mean_frames (frames per sentence)."""
    n = table["n_frames"]
    return pd.DataFrame(
        [
            {
                "sentences": len(table),
                "no_frame": (n == 0).mean(),
                "several_frames": (n >= 2).mean(),
                "mean_frames": n.mean(),
            }
        ]
    )


def audit_table(
    tagged: pd.DataFrame, sentences: pd.DataFrame, pairs: pd.DataFrame | None = None, units: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per tagged sentence, to read the tagging: unit_id, sentence, era, seed_line, text,
    frames ("; "-joined ids, "" for none), cues ("frame: cue, cue | frame: cue").

    `sentences` (unit_id, sentence, seed_line, text) gives the text; the era comes from its era
    column or from `units` (unit_id, era). With `pairs` (a table with unit_id and sentence),
    only those sentences.
    """
    keys = ["unit_id", "sentence"]
    present = tagged[tagged["present"] == 1]
    frames_of = present.groupby(keys, sort=False)["frame"].agg("; ".join)
    cues_of = (
        present.assign(both=present["frame"] + ": " + present["cues"].str.replace("; ", ", "))
        .groupby(keys, sort=False)["both"]
        .agg(" | ".join)
    )
    sentences = _with_era(sentences, units)[[*keys, "era", "seed_line", "text"]]
    table = tagged[keys].drop_duplicates().merge(sentences, on=keys, how="left")
    if pairs is not None:
        table = table.merge(pairs[keys].drop_duplicates(), on=keys, how="inner")
    index = pd.MultiIndex.from_frame(table[keys])
    table["frames"] = frames_of.reindex(index).fillna("").to_numpy()
    table["cues"] = cues_of.reindex(index).fillna("").to_numpy()
    return table.reset_index(drop=True)


def cue_counts(sentences: pd.DataFrame, codebook: Codebook | None = None, headings: bool = False) -> pd.DataFrame:
    """How many sentences each cue tags (after its frame's exclusions): frame, cue, sentences.

    `sentences` as for `tag_sentences`. Every cue of the codebook has a row, also those that
    never fire in this corpus.
    """
    tagger = get_tagger(codebook)
    hits: dict[tuple[str, str], set[int]] = {}
    for i, text in enumerate(_body(sentences, headings)["text"]):
        for frame, cue, _, _ in tagger.matches(text):
            hits.setdefault((frame, cue), set()).add(i)
    return pd.DataFrame(
        [
            {"frame": f.id, "cue": cue, "sentences": len(hits.get((f.id, cue), ()))}
            for f in tagger.codebook.frames
            for cue in f.cues
        ]
    )


# --------------------------------------------------------------------------- shares


def frame_shares(
    tagged: pd.DataFrame, units: pd.DataFrame, by: str = "unit", *, n_resamples: int = N_RESAMPLES, seed: int = SEED
) -> pd.DataFrame:
    """Share of sentences carrying each frame, per unit (`by="unit"`) or per era (`by="era"`).

    `tagged` is from `tag_sentences`, `units` has unit_id and era (`corpus.units`; its order is
    the rows' order). Columns: see the module docstring.
    """
    era_of = dict(zip(units["unit_id"], units["era"]))
    frames = list(dict.fromkeys(tagged["frame"]))
    flags = {(u, f): g["present"].to_numpy() for (u, f), g in tagged.groupby(["unit_id", "frame"], sort=False)}
    order = [u for u in units["unit_id"] if (u, frames[0]) in flags]
    rows = []
    if by == "unit":
        for unit in order:
            for f in frames:
                x = flags[(unit, f)]
                low, high = share_interval([x], "unit", rng_for(unit, f, seed=seed), n_resamples)
                rows.append(
                    {
                        "unit_id": unit,
                        "era": era_of[unit],
                        "frame": f,
                        "sentences": len(x),
                        "with_frame": int(x.sum()),
                        "share": x.mean(),
                        "low": low,
                        "high": high,
                    }
                )
        return pd.DataFrame(rows)
    if by != "era":
        raise ValueError(f"by must be 'unit' or 'era', not {by!r}")
    for era in dict.fromkeys(era_of[u] for u in order):
        members = [u for u in order if era_of[u] == era]
        for f in frames:
            groups = [flags[(u, f)] for u in members]
            low, high = share_interval(groups, "unit", rng_for(era, f, seed=seed), n_resamples)
            pooled = np.concatenate(groups)
            rows.append(
                {
                    "era": era,
                    "frame": f,
                    "units": len(members),
                    "sentences": len(pooled),
                    "with_frame": int(pooled.sum()),
                    "share": float(np.mean([g.mean() for g in groups])),
                    "low": low,
                    "high": high,
                    "pooled_share": pooled.mean(),
                }
            )
    return pd.DataFrame(rows)


def era_change(
    tagged: pd.DataFrame,
    units: pd.DataFrame,
    *,
    early: str = "2014-15",
    late: str = "2022-25",
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Per frame: share in `late` minus share in `early` (means of unit shares), with interval.

    `tagged` from `tag_sentences`, `units` with unit_id and era. Columns: frame, early, late,
    change, low, high (a percentage-point change as a fraction).
    """
    era_of = dict(zip(units["unit_id"], units["era"]))
    rows = []
    for f, g in tagged.groupby("frame", sort=False):
        groups, signs = [], []
        for unit, flags in g.groupby("unit_id", sort=False)["present"]:
            if era_of[unit] in (early, late):
                groups.append(flags.to_numpy())
                signs.append(1 if era_of[unit] == late else -1)
        low, high = share_interval(groups, "unit", rng_for("change", f, seed=seed), n_resamples, signs=signs)
        late_share = float(np.mean([x.mean() for x, s in zip(groups, signs) if s > 0]))
        early_share = float(np.mean([x.mean() for x, s in zip(groups, signs) if s < 0]))
        rows.append(
            {
                "frame": f,
                "early": early_share,
                "late": late_share,
                "change": late_share - early_share,
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows)


def clear_changes(change: pd.DataFrame) -> pd.DataFrame:
    """The rows of an `era_change` table whose interval excludes 0: the frames that changed by
    more than the interval allows (low above 0 or high below 0)."""
    return change[(change["low"] > 0) | (change["high"] < 0)]


# --------------------------------------------------------------------------- frames of the states


def state_sentences(
    mentions: pd.DataFrame, states: Iterable[str] | None = None, headings: bool = False, leaders: bool = True
) -> pd.DataFrame:
    """Which sentences name which state: unit_id, sentence, state (one row per pair).

    `mentions` is `references.mentions_table(corpus)`; toponyms ("South China Sea") never count.
    With `leaders=False` a sentence naming only a state's leader ("Xi") does not count; mentions
    in headings count only with `headings`.
    """
    states = tuple(states or STATES)
    mentions = select_mentions(mentions, headings=headings, leaders=leaders, toponyms=False)
    mentions = mentions[mentions["actor"].isin(states)]
    pairs = mentions[["unit_id", "sentence", "actor"]].drop_duplicates().rename(columns={"actor": "state"})
    return pairs.reset_index(drop=True)


def sentences_naming(naming: pd.DataFrame, units: pd.DataFrame, state: str, era: str | None = None) -> pd.DataFrame:
    """The sentences that name `state` (in `era`, if given): unit_id, sentence.

    `naming` is from `state_sentences`, `units` has unit_id and era.
    """
    chosen = naming[naming["state"] == state]
    if era is not None:
        chosen = chosen[chosen["unit_id"].map(dict(zip(units["unit_id"], units["era"]))) == era]
    return chosen[["unit_id", "sentence"]].reset_index(drop=True)


def state_units(naming: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """How many sentences of each unit name each state: state, era, unit_id, sentences.

    `naming` is from `state_sentences`, `units` has unit_id and era. Within a state and era the
    unit with the most such sentences comes first.
    """
    table = naming.merge(units[["unit_id", "era"]], on="unit_id")
    counts = table.groupby(["state", "era", "unit_id"], sort=False).size().rename("sentences").reset_index()
    return counts.sort_values(
        ["state", "era", "sentences"], ascending=[True, True, False], kind="stable", ignore_index=True
    )


def state_frames(
    tagged: pd.DataFrame,
    units: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    states: Iterable[str] | None = None,
    headings: bool = False,
    leaders: bool = True,
    baseline: bool = True,
) -> pd.DataFrame:
    """Among the sentences naming each state, the share carrying each frame, per era.

    `tagged` from `tag_sentences`, `units` with unit_id and era, `mentions` from
    `references.mentions_table(corpus)` (`headings` and `leaders` select them as in
    `state_sentences`). Columns: state, era, frame, units, sentences, with_frame, share, low, high.

    Shares pool the era's sentences that name the state: few briefs name Russia or the US
    often, so a mean of unit shares would rest on units with one or two sentences. Intervals
    are Wilson score intervals rather than bootstrap ones because many cells rest on a dozen
    sentences or fewer and many shares are 0, where a percentile bootstrap collapses to a
    point. With `baseline`, rows for state "all sentences" give the era's pooled share over
    every sentence, for comparison.
    """
    era_of = dict(zip(units["unit_id"], units["era"]))
    states = tuple(states or STATES)
    naming = state_sentences(mentions, states, headings, leaders)
    tagged = tagged.assign(era=tagged["unit_id"].map(era_of))
    frames = list(dict.fromkeys(tagged["frame"]))
    eras = list(dict.fromkeys(era_of[u] for u in units["unit_id"]))
    selections = [(s, naming[naming["state"] == s][["unit_id", "sentence"]]) for s in states]
    if baseline:
        selections.append((ALL_SENTENCES, None))
    rows = []
    for state, chosen in selections:
        subset = tagged if chosen is None else tagged.merge(chosen, on=["unit_id", "sentence"], how="inner")
        for era in eras:
            in_era = subset[subset["era"] == era]
            for f in frames:
                flags = in_era[in_era["frame"] == f]
                n, hits = len(flags), int(flags["present"].sum())
                low, high = wilson_interval(hits, n)
                rows.append(
                    {
                        "state": state,
                        "era": era,
                        "frame": f,
                        "units": flags["unit_id"].nunique(),
                        "sentences": n,
                        "with_frame": hits,
                        "share": hits / n if n else np.nan,
                        "low": low,
                        "high": high,
                    }
                )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- validation


def gold_path() -> Path:
    """tests/annotations/frames_gold.csv of the project."""
    from framelens.paths import annotations_dir

    return annotations_dir() / "frames_gold.csv"


def load_gold(path: str | Path | None = None) -> pd.DataFrame:
    """The hand-coded validation sample: unit_id, sentence, text, a 0/1 column per frame, note."""
    return pd.read_csv(
        path or gold_path(), dtype={"note": "string"}, keep_default_na=False, na_values={f: [""] for f in FRAME_IDS}
    )


VALIDATION_COLUMNS = ["frame", "gold", "tagged", "tp", "fp", "fn", "precision", "recall", "f1"]


def _flags(column: pd.Series, name: str) -> np.ndarray:
    values = pd.to_numeric(column.fillna(0), errors="coerce")
    if values.isna().any() or not values.isin([0, 1]).all():
        bad = column[values.isna() | ~values.isin([0, 1])].iloc[0]
        raise ValueError(f"gold column {name!r}: values must be 0 or 1 (found {bad!r})")
    return values.astype(int).to_numpy()


def _scores(frame: str, tp: int, fp: int, fn: int) -> dict:
    precision, recall, f1 = prf(tp, fp, fn)
    return {
        "frame": frame,
        "gold": tp + fn,
        "tagged": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def validate(gold: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Precision, recall and F1 of the tagger against hand-coded sentences, per frame.

    `gold` has a `text` column and one 0/1 column per frame id (blank counts as 0), as in
    tests/annotations/frames_gold.csv. Returns VALIDATION_COLUMNS, one row per frame, then
    "macro" (the unweighted mean of the frames' precision, recall and F1) and "micro" (from
    the summed counts). Precision is undefined (NaN) for a frame the tagger never assigns,
    recall for a frame the coder never assigns; the macro mean skips undefined values.
    """
    tagger = get_tagger(codebook)
    missing = [c for c in ("text", *tagger.ids) if c not in gold.columns]
    if missing:
        raise ValueError(f"gold table lacks column(s): {', '.join(missing)}")
    predicted = [tagger.tag(str(t)) for t in gold["text"]]
    rows = []
    for f in tagger.ids:
        truth = _flags(gold[f], f)
        guess = np.array([int(f in p) for p in predicted])
        tp = int(((truth == 1) & (guess == 1)).sum())
        fp = int(((truth == 0) & (guess == 1)).sum())
        fn = int(((truth == 1) & (guess == 0)).sum())
        rows.append(_scores(f, tp, fp, fn))
    table = pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
    # The macro row has no counts of its own (they are the micro row's); only the means.
    macro = {"frame": "macro", **{c: np.nan for c in VALIDATION_COLUMNS[1:]}}
    for c in ("precision", "recall", "f1"):
        macro[c] = float(table[c].mean(skipna=True))
    micro = _scores("micro", int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    out = pd.concat([table, pd.DataFrame([macro, micro])], ignore_index=True)
    return out.astype({c: "Int64" for c in ("gold", "tagged", "tp", "fp", "fn")})
