"""Figures of the chapter "Who is named": rates per unit and over time, forms of naming.

Each takes a tidy table and returns a matplotlib Figure; chapters save it with
`framelens.presentation.style.save_figure`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framelens.measures.references import FORMS
from framelens.presentation.style import ACTOR_COLOURS, FIG_WIDTH, PALETTE, room_at_zero, style


def rates_per_unit(counts: pd.DataFrame):
    """Dot-and-interval plot: rate per 1,000 words for each unit and state (a `count_mentions` table, by_form=False)."""
    style()
    units = list(dict.fromkeys(counts["unit_id"]))
    actors = list(dict.fromkeys(counts["actor"]))
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 0.4, 5.2))
    offsets = {a: (i - (len(actors) - 1) / 2) * 0.22 for i, a in enumerate(actors)}
    for actor in actors:
        part = counts[counts["actor"] == actor].set_index("unit_id").loc[units]
        y = [len(units) - 1 - units.index(u) + offsets[actor] for u in units]
        err = [part["rate"] - part["rate_low"], part["rate_high"] - part["rate"]]
        ax.errorbar(
            part["rate"],
            y,
            xerr=err,
            fmt="o",
            ms=4.5,
            capsize=2,
            lw=1,
            color=ACTOR_COLOURS.get(actor),
            label=actor,
            clip_on=False,
            zorder=3,
        )
    ax.set_yticks(range(len(units)))
    ax.set_yticklabels(units[::-1])
    ax.set_xlabel("references per 1,000 words (95% bootstrap interval over sentences)")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("How often each unit names each state")
    ax.set_xlim(left=0)
    room_at_zero(ax, "x", share=0.025)  # a unit that never names a state keeps a visible marker at 0
    ax.axvline(0, color="#999999", lw=0.6, zorder=1)
    return fig


def form_bars(shares: pd.DataFrame):
    """Stacked bars: each state's references split by form class, per era (a `form_shares` table)."""
    style()
    forms = list(FORMS)
    bars = shares.pivot_table(index=["actor", "era"], columns="form", values="mentions", aggfunc="sum", fill_value=0)
    bars = bars.reindex(columns=[f for f in forms if f in bars.columns])
    labels = [f"{a}\n{e}" for a, e in bars.index]
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 0.3, 4))
    left = np.zeros(len(bars))
    totals = bars.sum(axis=1).to_numpy()
    for i, form in enumerate(bars.columns):
        share = bars[form].to_numpy() / np.maximum(totals, 1)
        ax.barh(labels, share, left=left, color=PALETTE[i % len(PALETTE)], label=form)
        left += share
    for y, total in enumerate(totals):
        ax.text(1.01, y, f"n={int(total)}", va="center", fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("share of the state's references")
    ax.legend(frameon=False, ncol=4, fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    ax.set_title("How each state is named, by era")
    return fig
