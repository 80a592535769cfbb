"""The era figure shared by the chapters on naming and on framing: every text as a point on a
true time axis, with its own interval, beside the era summaries of both designs.

`era_points(texts, comparisons, key, value, ...)` takes a per-text table (`eras.text_rates` or
`eras.text_shares`) and the era comparisons of both designs (`eras.compare_rates` /
`eras.compare_shares`, concatenated) and draws one panel per state or frame.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from framelens.presentation.style import FIG_WIDTH, PALETTE, style

ERA_YEARS = {"2014-15": (2013.6, 2015.4), "2022-25": (2021.6, 2025.4)}
YEAR_TICKS = [2014, 2015, 2022, 2023, 2024, 2025]
PANEL_HEIGHT = 2.3  # inches
DESIGN_STYLE = {
    "japan-india": {"color": PALETTE[0], "label": "era summary, texts about Japan–India (main design)"},
    "all": {"color": PALETTE[1], "label": "era summary, every text"},
}


def _positions(texts: pd.DataFrame) -> dict[str, float]:
    """x of each text: its year, spread within a year so that texts of one year do not overlap."""
    units = list(dict.fromkeys(texts["unit_id"]))
    years = dict(zip(texts["unit_id"], texts["year"]))
    out = {}
    for year in sorted(set(years.values())):
        same = [u for u in units if years[u] == year]
        offsets = np.linspace(-0.4, 0.4, len(same)) if len(same) > 1 else [0.0]
        out.update({u: year + o for u, o in zip(same, offsets)})
    return out


def era_points(
    texts: pd.DataFrame,
    comparisons: pd.DataFrame,
    key: str,
    value: str,
    *,
    panels: list[str],
    titles: dict[str, str] | None = None,
    ylabel: str,
    scale: float = 1.0,
    ncols: int = 1,
    point_interval: str = "exact Poisson 95% interval",
):
    """One panel per item of `panels` (values of `texts[key]`): each text's `value` with its
    low/high as a point (filled: about Japan–India; hollow: another relationship), and each
    design's era summary as a band over the era's years (no line across the years between)."""
    style()
    titles = titles or {}
    nrows = int(np.ceil(len(panels) / ncols))
    spare = nrows * ncols > len(panels)  # an empty panel holds the legend
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(FIG_WIDTH, PANEL_HEIGHT * nrows + (0.2 if spare else 1.1)), sharex=True, squeeze=False
    )
    x_of = _positions(texts)
    for ax, item in zip(axes.flat, panels):
        part = texts[texts[key] == item]
        for row in part.itertuples():
            v = getattr(row, value) * scale
            lo, hi = row.low * scale, row.high * scale
            main = row.about == "japan-india"
            ax.errorbar(
                x_of[row.unit_id],
                v,
                yerr=[[v - lo], [hi - v]],
                fmt="o",
                ms=4.5,
                lw=1,
                capsize=2,
                color="#333333",
                markerfacecolor="#333333" if main else "white",
                zorder=4,
                clip_on=False,
            )
        comp = comparisons[comparisons["what"] == item]
        for c in comp.itertuples():
            look = DESIGN_STYLE[c.design]
            for era, est, lo, hi in (
                ("2014-15", c.early, c.early_low, c.early_high),
                ("2022-25", c.late, c.late_low, c.late_high),
            ):
                a, b = ERA_YEARS[era]
                ax.fill_between([a, b], lo * scale, hi * scale, color=look["color"], alpha=0.18, lw=0, zorder=1)
                ax.plot(
                    [a, b],
                    [est * scale] * 2,
                    color=look["color"],
                    lw=2.2,
                    ls="-" if c.design == "japan-india" else "--",
                    zorder=2,
                )
        ax.set_title(titles.get(item, item), fontsize=10)
        ax.axvspan(2015.55, 2021.45, color="#f2f2f2", zorder=0, lw=0)  # x is a year's middle
        ax.text(
            2018.5,
            0.97,
            "no texts\n2016–21",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            color="#444444",
        )
        ax.set_xlim(2013.3, 2025.7)
        top = ax.get_ylim()[1]
        ax.set_ylim(-0.04 * top, top)  # a text at zero keeps its marker clear of the axis
        ax.axhline(0, color="#999999", lw=0.6, zorder=1)
        ax.set_xticks(YEAR_TICKS)
        ax.tick_params(labelsize=8.5)
        ax.tick_params(axis="x", labelrotation=0 if ncols == 1 else 45)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
        ax.set_axisbelow(True)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=9)
    for ax in axes[-1, :]:
        ax.xaxis.set_tick_params(labelbottom=True)
    handles = [
        Line2D([], [], marker="o", color="#333333", ls="", label=f"one text about Japan–India ({point_interval})"),
        Line2D(
            [],
            [],
            marker="o",
            color="#333333",
            markerfacecolor="white",
            ls="",
            label="one text about another relationship",
        ),
    ] + [
        Patch(facecolor=look["color"], alpha=0.45, label=look["label"] + " (95% cluster bootstrap)")
        for look in DESIGN_STYLE.values()
    ]
    if spare:
        # the legend in the first empty panel, wrapped to its width
        for handle in handles:
            handle.set_label(_wrap(handle.get_label(), 30))
        legend_ax = list(axes.flat)[len(panels)]
        legend_ax.legend(handles=handles, loc="center", frameon=False, fontsize=8, labelspacing=0.9)
        fig.tight_layout()
    else:
        fig.legend(handles=handles, loc="lower center", ncol=1, frameon=False, fontsize=8.5, bbox_to_anchor=(0.5, 0.0))
        fig.tight_layout(rect=(0, 0.95 / (PANEL_HEIGHT * nrows + 1.1), 1, 1))
    return fig


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))
