"""Figure of the chapter "Apply the method to your own texts": rates by year from the
`rates` table of `framelens analyse`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framelens.presentation.style import ACTOR_COLOURS, FIG_WIDTH, room_at_zero, style


def rates_over_years(rates: pd.DataFrame):
    """One panel per state: each (year, group) rate with its interval, on a true time axis."""
    style()
    actors = list(dict.fromkeys(rates["actor"]))
    fig, axes = plt.subplots(1, len(actors), figsize=(FIG_WIDTH, 3.2), sharey=True, squeeze=False)
    years = rates["year"].astype(int)
    for ax, actor in zip(axes[0], actors):
        part = rates[rates["actor"] == actor]
        x = part["year"].astype(int).to_numpy()
        y = part["rate"].to_numpy()
        low = np.where(np.isnan(part["low"]), y, part["low"])
        high = np.where(np.isnan(part["high"]), y, part["high"])
        ax.errorbar(
            x,
            y,
            yerr=[y - low, high - y],
            fmt="o",
            ms=6,
            capsize=3,
            lw=1.2,
            color=ACTOR_COLOURS.get(actor, "#333333"),
            clip_on=False,
            zorder=3,
        )
        ax.set_title(actor, fontsize=11)
        ax.set_xlim(years.min() - 0.7, years.max() + 0.7)
        ax.set_ylim(bottom=0)
        room_at_zero(ax, "y")  # a year whose documents never name the state keeps a visible marker
        ax.set_xticks(sorted(set(years)))
        ax.tick_params(axis="x", labelrotation=60, labelsize=8.5)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
        ax.set_axisbelow(True)
    axes[0][0].set_ylabel("references per 1,000 words", fontsize=10)
    fig.tight_layout()
    return fig
