"""Figures of the chapter "Readability and style": grade levels, sentence lengths, kinds and eras,
and the texts' reference rates against their length and style.

Each takes the tables of `framelens.measures.readability` and returns a matplotlib Figure;
chapters save it with `framelens.presentation.style.save_figure`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framelens.measures.readability import GRADE_MEASURES, STYLE_MEASURES
from framelens.presentation.style import FIG_WIDTH, KIND_COLOURS, PALETTE, room_at_zero, style

COMPARISON_MEASURES = {  # the columns of group_comparison, with their labels
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
    "words_per_sentence_median": "median words per sentence",
    "mtld": "MTLD (lexical diversity)",
}


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, PALETTE[7])


def _kind_legend(ax, kinds, **kwargs) -> None:
    handles = [plt.Line2D([], [], marker="o", ls="", color=_kind_colour(k), label=k) for k in dict.fromkeys(kinds)]
    ax.legend(handles=handles, frameon=False, **kwargs)


def grade_levels(table: pd.DataFrame):
    """Dot plot: each unit's grade by four formulas, and textstat's consensus as a bar.

    `table`: readability_table (unit_id, kind, text_standard and the GRADE_MEASURES columns).
    """
    style()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 1.2, 4.8))
    units = list(table["unit_id"])
    y = np.arange(len(units))[::-1]
    markers = ["o", "s", "^", "D"]
    for (key, label), colour, marker in zip(GRADE_MEASURES.items(), PALETTE, markers):
        ax.scatter(table[key], y, color=colour, marker=marker, s=30, zorder=3, label=label)
    ax.scatter(
        table["text_standard"],
        y,
        marker="|",
        s=260,
        linewidths=2.2,
        color=PALETTE[7],
        zorder=4,
        label="textstat consensus",
    )
    for yy, low, high in zip(y, table[list(GRADE_MEASURES)].min(axis=1), table[list(GRADE_MEASURES)].max(axis=1)):
        ax.plot([low, high], [yy, yy], color="#BBBBBB", lw=1, zorder=1)
    ax.set_yticks(y)
    ax.set_yticklabels(units)
    # Kinds are labelled in grey beside their rows, not coloured: the colours here mean formulas.
    kinds = list(table["kind"])
    start = 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[start]:
            top, bottom = y[start], y[i - 1]
            ax.text(
                1.01,
                (top + bottom) / 2,
                kinds[start].replace(" ", "\n").replace("/", "/\n"),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color="#555555",
            )
            if i < len(kinds):
                ax.axhline(bottom - 0.5, color="#CCCCCC", lw=0.8)
            start = i
    ax.axvline(12, color="#888888", lw=0.8, ls=":")
    ax.text(12.1, len(units) - 0.45, "end of US high school (grade 12)", fontsize=8, color="#555555", va="bottom")
    ax.set_xlabel("US school grade level")
    ax.set_ylim(-0.7, len(units) - 0.1)
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3)
    ax.set_title("Grade level of each unit by four formulas")
    return fig


def sentence_lengths(lengths: pd.DataFrame, table: pd.DataFrame):
    """Box plot with every sentence as a dot: words per sentence in each unit.

    `lengths`: sentence_lengths (unit_id, words); `table`: readability_table (unit_id, kind), whose
    order is the order of the rows.
    """
    style()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 1.2, 5))
    units = list(table["unit_id"])
    kinds = dict(zip(table["unit_id"], table["kind"]))
    rng = np.random.default_rng(0)  # fixed jitter: the same SVG on every build
    data = [lengths.loc[lengths["unit_id"] == u, "words"].to_numpy() for u in units]
    positions = np.arange(len(units))[::-1]
    ax.boxplot(
        data,
        positions=positions,
        orientation="horizontal",
        widths=0.6,
        showfliers=False,
        medianprops={"color": PALETTE[7], "lw": 1.6},
        boxprops={"color": "#666666"},
        whiskerprops={"color": "#666666"},
        capprops={"color": "#666666"},
        zorder=2,
    )
    for pos, values, unit in zip(positions, data, units):
        jitter = rng.uniform(-0.22, 0.22, len(values))
        ax.scatter(values, pos + jitter, s=7, alpha=0.55, color=_kind_colour(kinds[unit]), lw=0, zorder=3)
    ax.set_yticks(positions)
    ax.set_yticklabels(units)
    ax.set_xlabel("words per sentence\n(box: quartiles and median; whiskers: 1.5 IQR; dots: sentences)")
    ax.set_xlim(0, max(v.max() for v in data) * 1.04)
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    _kind_legend(ax, table["kind"], loc="lower right", fontsize=8)
    ax.set_title("How long the sentences are, unit by unit")
    return fig


def group_comparison(table: pd.DataFrame):
    """A grid: rows group the units by kind and by era, columns are measures; one dot per unit.

    `table`: readability_table (kind, era and the COMPARISON_MEASURES columns).
    """
    style()
    groupings = {
        "kind": list(dict.fromkeys(k for k in KIND_COLOURS if k in set(table["kind"]))),
        "era": sorted(table["era"].unique()),
    }
    fig, axes = plt.subplots(2, len(COMPARISON_MEASURES), figsize=(FIG_WIDTH, 5.4), sharey="col", layout="constrained")
    rng = np.random.default_rng(1)
    for row, (grouping, groups) in enumerate(groupings.items()):
        for col, (measure, label) in enumerate(COMPARISON_MEASURES.items()):
            ax = axes[row, col]
            for x, group in enumerate(groups):
                part = table[table[grouping] == group]
                jitter = rng.uniform(-0.12, 0.12, len(part))
                ax.scatter(x + jitter, part[measure], s=26, color=[_kind_colour(k) for k in part["kind"]], zorder=3)
                ax.plot([x - 0.3, x + 0.3], [part[measure].median()] * 2, color=PALETTE[7], lw=1.5, zorder=2)
            ax.set_xticks(range(len(groups)))
            ax.set_xticklabels([g.replace(" ", "\n").replace("/", "/\n") for g in groups], fontsize=8)
            ax.set_xlim(-0.6, len(groups) - 0.4)
            ax.grid(axis="y", color="#EEEEEE", zorder=0)
            if row == 0:
                ax.set_title(label, fontsize=9.5)
            if col == 0:
                ax.set_ylabel(f"by {grouping}")
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=_kind_colour(k), label=k) for k in dict.fromkeys(table["kind"])
    ]
    handles.append(plt.Line2D([], [], color=PALETTE[7], lw=1.5, label="median of the units"))
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    fig.suptitle("By kind and by era: one dot per unit, coloured by kind", fontsize=11)
    return fig


def style_and_rates(joined: pd.DataFrame, correlations: pd.DataFrame):
    """A grid: one row per state, one column per style measure; each text is a dot (colour: kind;
    marker: era), the panel title gives Spearman's rho and its exact p.

    `joined`: rates_with_style; `correlations`: style_rate_correlations.
    """
    style()
    states = list(dict.fromkeys(joined["state"]))
    eras = list(dict.fromkeys(joined["era"]))
    markers = dict(zip(eras, ["o", "s", "^", "D"]))
    fig, axes = plt.subplots(
        len(states),
        len(STYLE_MEASURES),
        figsize=(FIG_WIDTH, 2.1 * len(states) + 1.1),
        sharex="col",
        layout="constrained",
    )
    axes = np.atleast_2d(axes)
    found = correlations.set_index(["state", "measure"])
    for row, state in enumerate(states):
        part = joined[joined["state"] == state]
        for col, (measure, label) in enumerate(STYLE_MEASURES.items()):
            ax = axes[row, col]
            for era, marker in markers.items():
                dots = part[part["era"] == era]
                colours = [_kind_colour(k) for k in dots["kind"]]
                ax.scatter(dots[measure], dots["rate"], s=26, marker=marker, color=colours, zorder=3, clip_on=False)
            rho, p = found.loc[(state, measure), ["rho", "p"]]
            ax.set_title(f"rho = {rho:.2f}, p = {p:.2f}", fontsize=8.5)
            ax.grid(color="#EEEEEE", zorder=0)
            room_at_zero(ax, "y")  # a text that never names the state sits clear of the axis
            if row == len(states) - 1:
                ax.set_xlabel(label, fontsize=9)
            if col == 0:
                ax.set_ylabel(f"{state}\nper 1,000 words", fontsize=9)
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=_kind_colour(k), label=k) for k in dict.fromkeys(joined["kind"])
    ]
    handles += [plt.Line2D([], [], marker=m, ls="", color=PALETTE[7], label=era) for era, m in markers.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    fig.suptitle("Each text's references per 1,000 words against its length and style", fontsize=11)
    return fig
