"""Figures of the chapter "The corpus": the timeline and the words per unit.

Each takes the units table and returns a matplotlib Figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from framelens.presentation.style import KIND_COLOURS, PALETTE, style


def timeline(units: pd.DataFrame):
    """One marker per unit on a time axis, coloured by kind."""
    style()
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    per_year: dict[int, int] = {}
    for row in units.itertuples():
        level = per_year.get(row.year, 0)
        per_year[row.year] = level + 1
        ax.scatter(row.year, level, s=60, color=KIND_COLOURS.get(row.kind, PALETTE[7]), zorder=3)
        ax.annotate(row.unit_id, (row.year, level), xytext=(6, -3), textcoords="offset points", fontsize=7)
    for kind, colour in KIND_COLOURS.items():
        if kind in set(units["kind"]):
            ax.scatter([], [], color=colour, label=kind)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    years = sorted(units["year"].unique())
    ax.set_xticks(range(min(years), max(years) + 1))
    ax.set_xlim(min(years) - 0.5, max(years) + 1.8)
    ax.set_ylim(-0.8, max(per_year.values()) + 0.2)
    ax.set_xlabel("year of the source")
    ax.legend(loc="upper right", frameon=False, fontsize=8)
    ax.set_title("The corpus over time: one marker per unit")
    return fig


def words_per_unit(units: pd.DataFrame):
    """Horizontal bars of words per unit, split into body text and headings."""
    style()
    fig, ax = plt.subplots(figsize=(7.5, 4))
    labels = list(units["unit_id"])[::-1]
    body = (units["words"] - units["heading_words"]).tolist()[::-1]
    heads = units["heading_words"].tolist()[::-1]
    ax.barh(labels, body, color=PALETTE[0], label="body text")
    ax.barh(labels, heads, left=body, color=PALETTE[1], label="headings")
    for y, total in enumerate(units["words"].tolist()[::-1]):
        ax.text(total + 30, y, f"{total:,}", va="center", fontsize=8)
    ax.set_xlabel("words (notes and removed boilerplate not counted)")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Words per unit")
    ax.set_xlim(0, units["words"].max() * 1.12)
    return fig
