"""The book's findings, written from the data: each a sentence with its number, its uncertainty
and the design it holds under, and each checked (`Facts.claim`) so that the build fails when the
data stop supporting it.

`Evidence` gathers the tables every finding rests on (computed once: the era comparisons of
both designs, the specification tables, the reliability of the codes); `landing_findings`
writes the landing page's findings from it, `reference_facts` and `framing_facts` the era
sections of the two chapters. Words for directions come from the verdicts of
`framelens.measures.eras` (a direction only where the interval of the change excludes zero and
the exact permutation test gives p < 0.05), never from a hand-written adjective.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framelens.measures import coding, eras
from framelens.measures.references import STATES
from framelens.presentation.facts import Facts
from framelens.presentation.prose import join_and, number_word
from framelens.presentation.tables import pct

STATE_KEYS = {"China": "cn", "United States": "us", "Russia": "ru"}
# Frame names for running prose (the codebook's labels are headings: "History, culture and people").
FRAME_NAMES = {
    "security": "security",
    "economy": "the economy",
    "tech_security": "economic security and technology",
    "values": "values and order",
    "institutions": "institutions",
    "autonomy": "strategic autonomy",
    "history": "history and people",
    "leaders": "leaders",
}


def frame_name(frame: str, labels: dict | None = None) -> str:
    return FRAME_NAMES.get(frame) or (labels or {}).get(frame, frame).lower()


ABOUT_STATE = {"japan-china": "China", "japan-us": "United States", "japan-russia": "Russia"}


def rate(x: float) -> str:
    return f"{x:.1f}"


def signed_rate(x: float) -> str:
    """+1.2, −9.3 (a true minus); 0.0 without a sign."""
    shown = f"{x:+.1f}"
    return "0.0" if shown in ("+0.0", "-0.0") else shown.replace("-", "−")


def signed_points(x: float) -> str:
    """+5 points, −12 points; 0 points without a sign (never "−0")."""
    shown = f"{100 * x:+.0f}"
    return ("0" if shown in ("+0", "-0") else shown.replace("-", "−")) + " points"


def p_value(p: float) -> str:
    return f"{p:.2f}" if p >= 0.01 else f"{p:.3f}"


@dataclass
class Evidence:
    """What the findings rest on, computed once (see the module docstring)."""

    rates: pd.DataFrame  # compare_rates of both designs, default counting
    shares: pd.DataFrame  # compare_shares of both designs, coders' codes
    rate_multiverse: pd.DataFrame
    share_multiverse: pd.DataFrame
    reliability: pd.DataFrame
    tagger_vs_codes: pd.DataFrame
    text_rates: pd.DataFrame
    text_shares: pd.DataFrame
    labels: dict  # frame id -> label


def gather(
    corpus,
    mentions: pd.DataFrame,
    coded: pd.DataFrame,
    tagged: pd.DataFrame,
    first: pd.DataFrame,
    second: pd.DataFrame,
    labels: dict,
) -> Evidence:
    units, sentences = corpus.units, corpus.sentences
    rates = pd.concat(
        [eras.compare_rates(mentions, sentences, units, design=d) for d in eras.DESIGNS], ignore_index=True
    )
    shares = pd.concat([eras.compare_shares(coded, units, design=d) for d in eras.DESIGNS], ignore_index=True)
    return Evidence(
        rates=rates,
        shares=shares,
        rate_multiverse=eras.multiverse_rates(mentions, sentences, units),
        share_multiverse=eras.multiverse_shares({"coders' codes": coded, "tagger": tagged}, units),
        reliability=coding.reliability(first, second),
        tagger_vs_codes=coding.tagger_agreement(tagged, coded),
        text_rates=eras.text_rates(mentions, sentences, units),
        text_shares=eras.text_shares(coded, units),
        labels=labels,
    )


def _row(table: pd.DataFrame, design: str, what: str) -> pd.Series:
    return table[(table["design"] == design) & (table["what"] == what)].iloc[0]


def _robust(multiverse: pd.DataFrame, what: str) -> pd.Series:
    table = eras.robustness(multiverse)
    return table[table["what"] == what].iloc[0]


def _holds_under(r: pd.Series) -> str:
    """How a comparison fares across the specifications, in words."""
    n = number_word(int(r["specifications"]))
    if r["summary"].startswith(("higher", "lower")):
        return f"clear in all {n} specifications"
    if r["same_sign"]:
        clear = int(r["higher"] + r["lower"])
        if clear:
            return f"same direction in all {n} specifications, clear in {number_word(clear)}"
        return f"same direction in all {n} specifications, clear in none"
    return f"the direction changes between the {n} specifications"


def _era_facts(
    facts: Facts, table: pd.DataFrame, multiverse: pd.DataFrame, items, key_of, level, change, src: str
) -> None:
    """Glue keys <key>_<design>_{early,late,change,ci,p,verdict} for each item (state or frame)
    and design, and <key>_holds for the specification table; `level` and `change` format the
    era values and the changes."""
    for item in items:
        key = key_of(item)
        for design in eras.DESIGNS:
            r = _row(table, design, item)
            d = design.replace("-", "_")
            facts.add(f"{key}_{d}_early", level(r["early"]), src, r["early"])
            facts.add(f"{key}_{d}_late", level(r["late"]), src, r["late"])
            facts.add(f"{key}_{d}_change", change(r["change"]), src, r["change"])
            facts.add(f"{key}_{d}_ci", f"{change(r['change_low'])} to {change(r['change_high'])}", src)
            facts.add(f"{key}_{d}_p", p_value(r["p"]), src, r["p"])
            facts.add(f"{key}_{d}_verdict", r["verdict"], src)
        facts.add(f"{key}_holds", _holds_under(_robust(multiverse, item)), "framelens.measures.eras.robustness")


def era_rate_facts(facts: Facts, ev: Evidence, prefix: str = "") -> None:
    """The era facts of each state's rate (keys cn_, us_, ru_; see `_era_facts`)."""
    _era_facts(
        facts,
        ev.rates,
        ev.rate_multiverse,
        STATES,
        lambda s: prefix + STATE_KEYS[s],
        rate,
        signed_rate,
        "framelens.measures.eras.compare_rates",
    )


def era_share_facts(facts: Facts, ev: Evidence, prefix: str = "") -> None:
    """The era facts of each frame's share (keys: the frame ids; see `_era_facts`)."""
    _era_facts(
        facts,
        ev.shares,
        ev.share_multiverse,
        ev.shares["what"].unique(),
        lambda f: prefix + f,
        pct,
        signed_points,
        "framelens.measures.eras.compare_shares",
    )


def design_facts(facts: Facts, ev: Evidence) -> None:
    """How many texts each design compares, and the smallest p its exact test can reach."""
    for design in eras.DESIGNS:
        r = ev.rates[ev.rates["design"] == design].iloc[0]
        d = design.replace("-", "_")
        src = "framelens.measures.eras.compare_rates"
        facts.add(f"{d}_texts_early", number_word(int(r["texts_early"])), src, int(r["texts_early"]))
        facts.add(f"{d}_texts_late", number_word(int(r["texts_late"])), src, int(r["texts_late"]))
        facts.add(f"{d}_min_p", p_value(r["min_p"]), src, r["min_p"])


def landing_findings(ev: Evidence) -> Facts:
    """The landing page's "What we found" (eight findings, each sentence checked)."""
    facts = Facts("index")
    design_facts(facts, ev)
    era_rate_facts(facts, ev)
    era_share_facts(facts, ev)
    main, every = "japan-india", "all"

    # 1. The United States: the same direction under every specification.
    us = _robust(ev.rate_multiverse, "United States")
    facts.claim(
        "the US is named less often in 2022-25 under every specification",
        bool(us["same_sign"]) and _row(ev.rates, main, "United States")["change"] < 0,
        f"robustness: {us['summary']}",
    )
    facts.claim(
        "the US change is clear over every text but not in the Japan-India texts",
        _row(ev.rates, every, "United States")["verdict"] == "lower"
        and _row(ev.rates, main, "United States")["verdict"] == "no clear change",
    )
    # 2. Russia: the direction depends on the design.
    ru_main, ru_all = _row(ev.rates, main, "Russia"), _row(ev.rates, every, "Russia")
    facts.claim(
        "Russia's change has opposite signs in the two designs",
        ru_main["change"] > 0 > ru_all["change"],
        f"{ru_main['change']:.2f} and {ru_all['change']:.2f}",
    )
    brief = ev.text_rates[(ev.text_rates["state"] == "Russia") & (ev.text_rates["about"] == "japan-russia")]
    early_ru = ev.text_rates[(ev.text_rates["state"] == "Russia") & (ev.text_rates["era"] == eras.EARLY)]
    facts.add("ru_brief_refs", f"{int(brief['mentions'].sum()):,}", "framelens.measures.eras.text_rates")
    facts.add("ru_early_refs", f"{int(early_ru['mentions'].sum()):,}", "framelens.measures.eras.text_rates")
    facts.claim(
        "most 2014-15 Russia references sit in the brief about Japan-Russia relations",
        brief["mentions"].sum() > early_ru["mentions"].sum() / 2,
    )
    # 3. China: no clear change anywhere.
    cn = _robust(ev.rate_multiverse, "China")
    facts.claim("no specification shows a clear change in China's rate", cn["higher"] + cn["lower"] == 0)
    # 4. Security leads the frames in both eras, in both designs (coders' codes).
    for design in eras.DESIGNS:
        part = ev.shares[ev.shares["design"] == design]
        for column in ("early", "late"):
            top = part.loc[part[column].idxmax(), "what"]
            facts.claim(
                f"security is the most common frame in {column} era ({design})",
                top == "security",
                f"most common: {top}",
            )
    # 5. Leaders and 6. economic security: direction and design.
    leaders = _robust(ev.share_multiverse, "leaders")
    facts.claim(
        "the leaders frame is less common later under every specification",
        bool(leaders["same_sign"]) and _row(ev.shares, main, "leaders")["change"] < 0,
    )
    tech_main, tech_all = _row(ev.shares, main, "tech_security"), _row(ev.shares, every, "tech_security")
    facts.claim(
        "the leaders change is not clear in either design",
        _row(ev.shares, main, "leaders")["verdict"]
        == _row(ev.shares, every, "leaders")["verdict"]
        == "no clear change",
    )
    facts.claim(
        "neither economic-security change is clear",
        tech_main["verdict"] == tech_all["verdict"] == "no clear change",
    )
    facts.claim(
        "economic security and technology rises over every text but not in the Japan-India texts",
        tech_all["change"] > 0 and tech_main["change"] <= 0,
        f"{tech_all['change']:.3f} and {tech_main['change']:.3f}",
    )
    # 7. Economy and trade: lower in the Japan-India texts, with an interval below zero, flat
    # over every text.
    econ_main, econ_all = _row(ev.shares, main, "economy"), _row(ev.shares, every, "economy")
    facts.claim(
        "economy and trade is lower later in the Japan-India texts, with an interval below zero",
        econ_main["change"] < 0 and econ_main["change_high"] < 0,
        f"{econ_main['change']:.3f} ({econ_main['change_low']:.3f} to {econ_main['change_high']:.3f})",
    )
    facts.claim("its p is the smallest the main design allows", econ_main["p"] == econ_main["min_p"])
    facts.claim("its change is not clear (interval and test)", econ_main["verdict"] == "no clear change")
    main_changes = ev.shares[ev.shares["design"] == main].set_index("what")["change"].abs()
    facts.claim(
        "it is the largest change of any frame in the main design",
        main_changes.idxmax() == "economy",
        f"largest: {main_changes.idxmax()} {main_changes.max():.3f}",
    )
    facts.claim(
        "over every text economy and trade moves by under two points",
        abs(econ_all["change"]) < 0.02,
        f"{econ_all['change']:.3f}",
    )
    # 8. The measurement.
    facts.add(
        "alpha_min",
        f"{ev.reliability['alpha'].min():.2f}",
        "framelens.measures.coding.reliability",
        ev.reliability["alpha"].min(),
    )
    facts.add("tagger_f1", f"{ev.tagger_vs_codes['f1'].mean():.2f}", "framelens.measures.coding.tagger_agreement")
    weakest = ev.tagger_vs_codes.nsmallest(2, "f1")
    facts.add(
        "tagger_weakest",
        join_and([frame_name(f, ev.labels) for f in weakest["frame"]]),
        "framelens.measures.coding.tagger_agreement",
    )
    facts.claim("every frame is coded reliably (alpha >= 0.67)", bool(ev.reliability["reliable"].all()))
    return facts


def state_profile(states: pd.DataFrame, state: str, era: str, labels: dict, baseline: str) -> dict:
    """What the sentences naming `state` in `era` are about (a `frames.state_frames` table):
    sentences, texts, the most common frame with its share and interval, the era's share of that
    frame over all sentences (`baseline` rows), and the frames at least ten points above it."""
    part = states[(states["state"] == state) & (states["era"] == era)].set_index("frame")
    base = states[(states["state"] == baseline) & (states["era"] == era)].set_index("frame")["share"]
    n = int(part["sentences"].iloc[0])
    out = {"sentences": n, "texts": int(part["units"].iloc[0])}
    if n == 0:
        return {**out, "top": "", "share": "", "ci": "", "base": "", "above": ""}
    top = part["share"].idxmax()
    above = [labels[f].lower() for f in part.index if f != top and part.loc[f, "share"] - base[f] >= 0.10]
    return {
        **out,
        "top": labels[top].lower(),
        "top_id": top,
        "share": pct(part.loc[top, "share"]),
        "ci": f"{pct(part.loc[top, 'low'])}–{pct(part.loc[top, 'high'])}",
        "base": pct(base[top]),
        "above": join_and(above) if above else "no other frame",
    }


def about_state_facts(facts: Facts, units: pd.DataFrame, per_unit: pd.DataFrame) -> None:
    """The sentence under the per-unit figure: which units name the state they are about most
    (units whose `about` is Japan and one of the three states), checked; the other units named
    by what they are about. `per_unit` is `count_mentions(..., by_form=False)`."""
    about_state = units.set_index("unit_id")["about"].map(ABOUT_STATE).dropna()
    top = per_unit.loc[per_unit.groupby("unit_id")["rate"].idxmax()].set_index("unit_id")["actor"]
    own = [u for u, s in about_state.items() if top[u] == s]
    facts.claim(
        "each unit about one of the three states names that state most",
        len(own) == len(about_state),
        f"about: {dict(about_state)}; most named: {dict(top[about_state.index])}",
    )
    others = units[~units["unit_id"].isin(about_state.index) & (units["about"] != "japan-general")]
    partners = sorted({a.split("-", 1)[1].capitalize() for a in others["about"]})
    one = len(own) == 1
    facts.add(
        "per_unit_caption",
        f"The {join_and(own)} {'unit names' if one else 'units name'} the state {'it is' if one else 'they are'} "
        f"about most; the other units are about Japan's relations with {join_and(partners, 'or')}, or about "
        "Japan's diplomacy in general, and name the three states as context.",
        "framelens.presentation.findings.about_state_facts",
    )
