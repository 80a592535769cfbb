"""References to states over the corpus: the mentions table and the measures computed from it.

About 480 lines, one module on purpose: the thirteen verbs all read the one mentions table
and its counting options (headings, leaders, predecessors); apart, they would repeat them.

The matcher (what counts as a reference, in any text) is `framelens.measures.matcher`;
`find_mentions` is re-exported here because it is the verb readers of the book know.

`mentions_table(corpus)` runs the matcher over every unit of the corpus once and adds
provenance; every other function here takes that table (plus the corpus tables it needs) and
returns a tidy table:

    count_mentions     unit x actor (x form): counts, rates per 1,000 words, bootstrap intervals
    rates_by           the same pooled over a units column (year, era)
    kwic               every mention in its context
    form_shares        how each state is named, per era
    section_effect     what one recurring section does to one state's count
    where_named        per unit and section, mentions of one state
    sentence_coverage  per unit, the sentences naming one state
    comentions         sentences naming each pair of states
    sensitivity        the headline rates under each counting option

Tables in: `mentions` (from `mentions_table`, columns `MENTIONS_TABLE_COLUMNS`),
`sentences` (`corpus.sentences`: unit_id, sentence, text, is_heading, section...) and `units`
(`corpus.units`: unit_id, year, era, kind...). Intervals and their seeds come from
`framelens.stats`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
import pandas as pd

from framelens.corpus.cleaning import count_words
from framelens.measures.lexicon import Lexicon
from framelens.measures.matcher import find_mentions, get_matcher
from framelens.stats import N_RESAMPLES, SEED, bootstrap_rate, rng_for

STATES = ("China", "United States", "Russia")
FORMS = ("name", "demonym", "capital", "institution", "leader", "compound", "predecessor")
MENTIONS_TABLE_COLUMNS = [
    "unit_id",
    "sentence",
    "seed_file",
    "seed_line",
    "in_heading",
    "section",
    "actor",
    "form",
    "surface",
    "start",
    "end",
    "entry",
    "typo",
]


def mentions_table(corpus, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every mention in every unit body, with its sentence, seed line and section.

    In: `corpus` (`load_corpus()`: its units, sentences and texts). Out: one row per mention,
    columns `MENTIONS_TABLE_COLUMNS`: unit_id, sentence, seed_file, seed_line, in_heading,
    section, then `find_mentions`'s actor, form, surface, start, end, entry, typo. Offsets are
    into the unit's clean text (`corpus.texts[unit_id].text`); `seed_line` is the line of the
    seed file where the mention starts.
    """
    if corpus is None or isinstance(corpus, (str, os.PathLike)):
        raise TypeError("mentions_table takes the corpus tables (load_corpus(seeds_dir)), not a seeds folder")
    frames = []
    sentences = corpus.sentences
    for unit_id in corpus.units["unit_id"]:
        unit = corpus.texts[unit_id]
        found = find_mentions(unit.text, lexicon)
        unit_sentences = sentences[sentences["unit_id"] == unit_id]
        starts = unit_sentences["start"].to_numpy()
        idx = np.searchsorted(starts, found["start"].to_numpy(), side="right") - 1
        idx = np.clip(idx, 0, max(len(starts) - 1, 0))
        found.insert(0, "unit_id", unit_id)
        found.insert(1, "sentence", unit_sentences["sentence"].to_numpy()[idx] if len(found) else [])
        found.insert(2, "seed_file", unit.seed_file)
        found.insert(3, "seed_line", [unit.seed_line(s) for s in found["start"]])
        found.insert(4, "in_heading", unit_sentences["is_heading"].to_numpy()[idx] if len(found) else [])
        found.insert(5, "section", unit_sentences["section"].to_numpy()[idx] if len(found) else [])
        frames.append(found)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MENTIONS_TABLE_COLUMNS)
    return table[MENTIONS_TABLE_COLUMNS].astype({"in_heading": "bool", "typo": "bool"})


def select_mentions(
    mentions: pd.DataFrame,
    *,
    headings: bool = True,
    leaders: bool = True,
    predecessors: bool = True,
    toponyms: bool = False,
) -> pd.DataFrame:
    """The rows of a mentions table kept by the book's counting options (toponyms left out by default)."""
    keep = pd.Series(True, index=mentions.index)
    if not headings:
        keep &= ~mentions["in_heading"]
    if not leaders:
        keep &= mentions["form"] != "leader"
    if not predecessors:
        keep &= mentions["form"] != "predecessor"
    if not toponyms:
        keep &= mentions["actor"] != "toponym"
    return mentions[keep]


def _with_words(sentences: pd.DataFrame, headings: bool = True) -> pd.DataFrame:
    """`sentences` (without heading sentences unless `headings`) with a `words` column (count_words)."""
    if not headings:
        sentences = sentences[~sentences["is_heading"]]
    return sentences.assign(words=sentences["text"].map(count_words))


def count_mentions(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    *,
    headings: bool = True,
    leaders: bool = True,
    predecessors: bool = True,
    by_form: bool = True,
    actors: list[str] | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Counts and rates per 1,000 words: one row per unit x actor (x form).

    In: `mentions` (mentions_table), `sentences` (unit_id, sentence, text, is_heading),
    `units` (unit_id, year, era). `actors`: the actors counted (default: those of the packaged
    lexicon, China, United States, Russia; pass `list(lexicon.actors)` for another lexicon).
    Out: unit_id, year, era, actor, [form], mentions, words, rate (per 1,000 words), rate_low,
    rate_high (percentile bootstrap interval with `n_resamples` resamples of the unit's
    sentences, `stats.bootstrap_rate`, generator `stats.rng_for(unit_id, actor, form)`). Words
    and sentences follow the options: without headings, heading words and sentences are left
    out too.
    """
    mentions = select_mentions(mentions, headings=headings, leaders=leaders, predecessors=predecessors)
    sentences = _with_words(sentences, headings)
    actors = list(actors) if actors is not None else list(get_matcher().lexicon.actors)
    forms = list(FORMS) if by_form else [None]
    rows = []
    for unit in units.itertuples():
        unit_sentences = sentences[sentences["unit_id"] == unit.unit_id]
        words = unit_sentences["words"].to_numpy()
        unit_mentions = mentions[mentions["unit_id"] == unit.unit_id]
        for actor in actors:
            for form in forms:
                chosen = unit_mentions[
                    (unit_mentions["actor"] == actor) & ((unit_mentions["form"] == form) if form else True)
                ]
                per_sentence = chosen.groupby("sentence").size()
                counts = unit_sentences["sentence"].map(per_sentence).fillna(0).to_numpy()
                low, high = bootstrap_rate(
                    counts, words, rng_for(unit.unit_id, actor, form or "", seed=seed), n_resamples=n_resamples
                )
                row = {"unit_id": unit.unit_id, "year": unit.year, "era": unit.era, "actor": actor}
                if form:
                    row["form"] = form
                total_words = int(words.sum())
                row.update(
                    {
                        "mentions": int(counts.sum()),
                        "words": total_words,
                        "rate": 1000 * counts.sum() / total_words if total_words else np.nan,
                        "rate_low": low,
                        "rate_high": high,
                    }
                )
                rows.append(row)
    return pd.DataFrame(rows)


KWIC_COLUMNS = ["unit_id", "seed_file", "seed_line", "actor", "form", "left", "surface", "right", "in_heading"]


def kwic(mentions: pd.DataFrame, texts, window: int = 60) -> pd.DataFrame:
    """Keyword in context: every mention with `window` characters either side and its provenance.

    In: `mentions` (mentions_table) and `texts`: the corpus (its `.texts`) or a mapping
    unit_id -> unit text (a `UnitText` or a str) the offsets point into. Out: unit_id,
    seed_file, seed_line, actor, form, left, surface, right, in_heading; paragraph breaks in
    the context show as " ¶ ".
    """
    if not isinstance(texts, Mapping):
        texts = texts.texts
    rows = []
    for m in mentions.itertuples():
        text = texts[m.unit_id]
        text = text if isinstance(text, str) else text.text
        left = text[max(0, m.start - window) : m.start].replace("\n\n", " ¶ ")
        right = text[m.end : m.end + window].replace("\n\n", " ¶ ")
        rows.append(
            {
                "unit_id": m.unit_id,
                "seed_file": m.seed_file,
                "seed_line": m.seed_line,
                "actor": m.actor,
                "form": m.form,
                "left": left,
                "surface": m.surface,
                "right": right,
                "in_heading": m.in_heading,
            }
        )
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


# --------------------------------------------------------------------------- analyses


def rates_by(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    group: str = "year",
    *,
    headings: bool = True,
    leaders: bool = True,
    predecessors: bool = True,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Rates per 1,000 words pooled over the units of each `group` value (a units column).

    In: `mentions`, `sentences` (unit_id, sentence, text, is_heading), `units` (unit_id and
    `group`). Out: <group>, actor, units, mentions, words, rate, rate_low, rate_high (bootstrap
    over the pooled sentences of the group, generator `rng_for(group, value, actor)`), for the
    three `STATES`.
    """
    return _pooled_rates(
        mentions,
        _with_words(sentences, headings),
        units,
        group,
        headings=headings,
        leaders=leaders,
        predecessors=predecessors,
        n_resamples=n_resamples,
        seed=seed,
    )


def _pooled_rates(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    group: str,
    *,
    headings: bool,
    leaders: bool,
    predecessors: bool,
    n_resamples: int,
    seed: int,
) -> pd.DataFrame:
    """`rates_by` for sentences that already have their `words` (and no headings if not `headings`)."""
    mentions = select_mentions(mentions, headings=headings, leaders=leaders, predecessors=predecessors)
    sentences = sentences.merge(units[["unit_id", group]], on="unit_id")
    per_sentence = mentions.groupby(["unit_id", "sentence", "actor"]).size()
    rows = []
    for value, chunk in sentences.groupby(group, sort=True):
        words = chunk["words"].to_numpy()
        for actor in STATES:
            counts = np.array([per_sentence.get((u, s, actor), 0) for u, s in zip(chunk["unit_id"], chunk["sentence"])])
            low, high = bootstrap_rate(counts, words, rng_for(group, value, actor, seed=seed), n_resamples=n_resamples)
            rows.append(
                {
                    group: value,
                    "actor": actor,
                    "units": chunk["unit_id"].nunique(),
                    "mentions": int(counts.sum()),
                    "words": int(words.sum()),
                    "rate": 1000 * counts.sum() / words.sum(),
                    "rate_low": low,
                    "rate_high": high,
                }
            )
    return pd.DataFrame(rows)


def form_shares(mentions: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """How each state is named. In: `mentions`, `units` (unit_id, era). Out: era, actor, form,
    mentions, share (of that state's mentions in that era)."""
    mentions = select_mentions(mentions).merge(units[["unit_id", "era"]], on="unit_id")
    table = mentions.groupby(["era", "actor", "form"]).size().rename("mentions").reset_index()
    table["share"] = table["mentions"] / table.groupby(["era", "actor"])["mentions"].transform("sum")
    return table


def section_effect(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    section: str = "Cooperation with the US",
    actor: str = "United States",
    unit_ids: list[str] | None = None,
) -> pd.DataFrame:
    """What one recurring section does to one state's count, per unit.

    In: `mentions`, `sentences` (unit_id, text, is_heading, section; in corpus order).
    `unit_ids`: the units to show (default: every unit with a section of that name, in corpus
    order). Out: unit_id, words, words_in_section, mentions, in_headings, in_section (its
    heading and body), outside_section, rate, rate_without_headings, rate_outside_section (per
    1,000 words of the text they count).
    """
    mentions = mentions[mentions["actor"] == actor]
    sentences = _with_words(sentences)
    chosen = unit_ids or [
        u for u in pd.unique(sentences["unit_id"]) if (sentences[sentences["unit_id"] == u]["section"] == section).any()
    ]
    rows = []
    for unit_id in chosen:
        s = sentences[sentences["unit_id"] == unit_id]
        m = mentions[mentions["unit_id"] == unit_id]
        inside_words = int(s.loc[s["section"] == section, "words"].sum())
        words = int(s["words"].sum())
        heading_words = int(s.loc[s["is_heading"], "words"].sum())
        in_section = int((m["section"] == section).sum())
        in_headings = int(m["in_heading"].sum())
        rows.append(
            {
                "unit_id": unit_id,
                "words": words,
                "words_in_section": inside_words,
                "mentions": len(m),
                "in_headings": in_headings,
                "in_section": in_section,
                "outside_section": len(m) - in_section,
                "rate": 1000 * len(m) / words,
                "rate_without_headings": 1000 * (len(m) - in_headings) / (words - heading_words),
                "rate_outside_section": 1000 * (len(m) - in_section) / (words - inside_words),
            }
        )
    return pd.DataFrame(rows)


def where_named(
    mentions: pd.DataFrame, units: pd.DataFrame, actor: str, unit_ids: list[str] | None = None
) -> pd.DataFrame:
    """Where a state is discussed. In: `mentions`, `units` (unit_id, for the order); `unit_ids`
    limits the units. Out: unit_id, section, mentions, sentences (naming `actor`), in corpus
    order."""
    mentions = mentions[mentions["actor"] == actor]
    if unit_ids is not None:
        mentions = mentions[mentions["unit_id"].isin(unit_ids)]
    table = (
        mentions.groupby(["unit_id", "section"], sort=False)
        .agg(mentions=("surface", "size"), sentences=("sentence", "nunique"))
        .reset_index()
    )
    order = {u: i for i, u in enumerate(units["unit_id"])}
    return table.sort_values(["unit_id"], key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def sentence_coverage(mentions: pd.DataFrame, sentences: pd.DataFrame, units: pd.DataFrame, actor: str) -> pd.DataFrame:
    """How much of each unit names a state, headings excluded.

    In: `mentions`, `sentences` (unit_id, sentence, is_heading), `units` (unit_id, kind). Out:
    unit_id, kind, sentences, sentences_naming (`actor`), share, mentions, sections_naming,
    first_named_at (the first naming sentence's position in the unit, 0 = start, 1 = end).
    """
    mentions = mentions[mentions["actor"] == actor]
    rows = []
    for unit in units.itertuples():
        all_sentences = sentences[sentences["unit_id"] == unit.unit_id]
        s = all_sentences[~all_sentences["is_heading"]]
        m = mentions[(mentions["unit_id"] == unit.unit_id) & ~mentions["in_heading"]]
        naming = m["sentence"].nunique()
        sections = m.groupby("section", sort=False).size()
        rows.append(
            {
                "unit_id": unit.unit_id,
                "kind": unit.kind,
                "sentences": len(s),
                "sentences_naming": naming,
                "share": naming / len(s) if len(s) else np.nan,
                "mentions": len(m),
                "sections_naming": len(sections),
                "first_named_at": float(m["sentence"].min() / max(len(all_sentences) - 1, 1)) if len(m) else np.nan,
            }
        )
    return pd.DataFrame(rows)


# The 2015 volume's framing parts: the registry gives them the volume's kind ("policy brief"),
# and only their unit ids tell them from the briefs proper.


def policy_briefs(table: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of `table` (with unit_id and kind columns) for the policy briefs proper: kind
    "policy brief" and about one relationship, so not the volume's introduction and conclusion
    (registry field `about` "japan-general"), taken from `table` or from `units`."""
    about = table["about"] if "about" in table.columns else table["unit_id"].map(units.set_index("unit_id")["about"])
    return table[(table["kind"] == "policy brief") & (about != "japan-general")]


def comentions(mentions: pd.DataFrame, units: pd.DataFrame | None = None, by: str | None = None) -> pd.DataFrame:
    """Sentences naming each pair of states (diagonal: sentences naming the state at all).

    In: `mentions`; `units` (unit_id and `by`) when `by` is a units column such as "era".
    Out, tidy: [by], actor_a, actor_b, sentences. `by` may be None, "unit_id" or a units column.
    """
    mentions = select_mentions(mentions)
    named = mentions.groupby(["unit_id", "sentence"])["actor"].agg(lambda a: frozenset(a)).reset_index()
    if by and by != "unit_id":
        if units is None:
            raise ValueError(f"comentions(by={by!r}) needs the units table")
        named = named.merge(units[["unit_id", by]], on="unit_id")
    rows = []
    groups = named.groupby(by, sort=False) if by else [(None, named)]
    for value, chunk in groups:
        for a in STATES:
            for b in STATES:
                n = int(sum(1 for s in chunk["actor"] if a in s and b in s))
                row = {"actor_a": a, "actor_b": b, "sentences": n}
                if by:
                    row = {by: value, **row}
                rows.append(row)
    return pd.DataFrame(rows)


def comentions_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """`comentions` (without `by`) as a square table: a "sentences naming" column, one column per state."""
    wide = table.pivot(index="actor_a", columns="actor_b", values="sentences").reset_index()
    return wide.rename(columns={"actor_a": "sentences naming"})


DEFAULT_OPTION = "all references (the book's default)"
NAMES_ONLY = "names only (no headings, leaders or predecessors)"
SENSITIVITY_OPTIONS = {
    DEFAULT_OPTION: {},
    "without headings": {"headings": False},
    "without leaders": {"leaders": False},
    "without predecessor forms": {"predecessors": False},
    NAMES_ONLY: {"headings": False, "leaders": False, "predecessors": False},
}


def sensitivity(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    units: pd.DataFrame,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """How the headline numbers move with the counting options (`SENSITIVITY_OPTIONS`).

    In: `mentions`, `sentences`, `units` (unit_id, era). Out: one row per option and state:
    option, actor, mentions_2014_15, rate_2014_15, mentions_2022_25, rate_2022_25,
    share_of_references (of all references to the three states under that option).
    """
    with_words = {headings: _with_words(sentences, headings) for headings in (True, False)}
    rows = []
    for label, kwargs in SENSITIVITY_OPTIONS.items():
        options = {"headings": True, "leaders": True, "predecessors": True, **kwargs}
        rates = _pooled_rates(
            mentions, with_words[options["headings"]], units, "era", **options, n_resamples=n_resamples, seed=seed
        ).set_index(["era", "actor"])
        total = rates["mentions"].sum()
        for actor in STATES:
            row = {"option": label, "actor": actor}
            for era in ("2014-15", "2022-25"):
                tag = era.replace("-", "_")
                row[f"mentions_{tag}"] = int(rates.loc[(era, actor), "mentions"])
                # Not rounded here: the table rounds for display, once (3.554 rounded to 3.55 and
                # then shown to one decimal read 3.5 beside the era tables' 3.6).
                row[f"rate_{tag}"] = float(rates.loc[(era, actor), "rate"])
            row["share_of_references"] = round(float(rates.xs(actor, level="actor")["mentions"].sum() / total), 3)
            rows.append(row)
    return pd.DataFrame(rows)


def sensitivity_rows(table: pd.DataFrame, option: str) -> pd.DataFrame:
    """The rows of `sensitivity` for one option label (e.g. `DEFAULT_OPTION`, `NAMES_ONLY`), indexed by actor."""
    return table[table["option"] == option].set_index("actor")
