"""Figures of the chapter "The corpus": the timeline and the words per unit.

Each takes the units table and returns a matplotlib Figure.
"""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from framelens.corpus.units import empty_runs
from framelens.presentation.style import FIG_WIDTH, KIND_COLOURS, PALETTE, style

GAP_LABEL_SIZE = 9


def decimal_year(date: str) -> float:
    """An ISO date, possibly partial ("2015", "2015-03", "2015-03-22"), as a year with a fraction,
    at the first day of what it states."""
    parts = [int(p) for p in str(date).split("-")]
    year, month, day = (parts + [1, 1])[:3]
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return year + (dt.date(year, month, day) - start).days / days


def timeline(units: pd.DataFrame):
    """One row per unit, in date order, on a true time axis: a marker at the unit's date
    (hollow when the registry infers the date), coloured by kind, labelled beside it.

    Each unit has a row of its own, so labels cannot overlap; labels of units before the
    empty years run right into them, labels after them run left.
    """
    style()
    rows = units.reset_index(drop=True)
    n = len(rows)
    x = [decimal_year(d) for d in rows["date"]]
    years = [int(v) for v in rows["year"]]
    gaps = empty_runs(years)
    longest = max(gaps, key=lambda run: run[1] - run[0], default=None)
    middle = (min(x) + max(x)) / 2 if longest is None else (longest[0] + longest[1] + 1) / 2
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, 0.3 * n + 1.3))
    for first, last in gaps:
        ax.axvspan(first, last + 1, color="#f0f0f0", zorder=0, lw=0)
    if longest is not None:
        ax.text(
            middle,
            n - 0.2,
            f"no texts {longest[0]}–{longest[1]}" if longest[1] > longest[0] else f"no texts {longest[0]}",
            ha="center",
            va="bottom",
            fontsize=GAP_LABEL_SIZE,
            color="#444444",
        )
    for i, row in rows.iterrows():
        y = n - 1 - i
        colour = KIND_COLOURS.get(row["kind"], PALETTE[7])
        inferred = row.get("date_status", "stated") == "inferred"
        ax.scatter(x[i], y, s=55, color="white" if inferred else colour, edgecolors=colour, linewidths=1.8, zorder=3)
        right = x[i] < middle
        ax.annotate(
            f"{row['unit_id']}  ({row['date']})" if right else f"({row['date']})  {row['unit_id']}",
            (x[i], y),
            xytext=(8 if right else -8, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=8.5,
        )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(range(min(years), max(years) + 2))
    ax.set_xticklabels([str(y) if y <= max(years) else "" for y in range(min(years), max(years) + 2)])
    ax.tick_params(axis="x", labelsize=8.5, labelrotation=45)
    ax.set_xlim(min(years) - 0.3, max(years) + 1.3)
    ax.set_ylim(-0.7, n + 0.5)
    ax.set_xlabel("date of the source (the first day of what the registry states)")
    handles = [
        Line2D([], [], marker="o", ls="", color=colour, label=kind)
        for kind, colour in KIND_COLOURS.items()
        if kind in set(rows["kind"])
    ]
    handles.append(
        Line2D(
            [], [], marker="o", ls="", color="#555555", markerfacecolor="white", label="date inferred by the registry"
        )
    )
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False, fontsize=9)
    return fig


def words_per_unit(units: pd.DataFrame):
    """Horizontal bars of words per unit, split into body text and headings."""
    style()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 0.4, 4))
    labels = list(units["unit_id"])[::-1]
    body = (units["words"] - units["heading_words"]).tolist()[::-1]
    heads = units["heading_words"].tolist()[::-1]
    ax.barh(labels, body, color=PALETTE[0], label="body text")
    ax.barh(labels, heads, left=body, color=PALETTE[1], label="headings")
    for y, total in enumerate(units["words"].tolist()[::-1]):
        ax.text(total + 30, y, f"{total:,}", va="center", fontsize=8.5)
    ax.set_xlabel("words (notes and removed boilerplate not counted)")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Words per unit")
    ax.set_xlim(0, units["words"].max() * 1.15)
    return fig
