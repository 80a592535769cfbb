"""Figures of the chapter "How the relationship is framed": frames per unit, per era and per
state, and the distinctive-vocabulary (keyness) plot.

Each takes a tidy table from `framelens.measures.frames` or `framelens.measures.keyness` and
returns a matplotlib Figure; chapters save it with `framelens.presentation.style.save_figure`.
Frame labels come from the codebook (the packaged one unless given).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from framelens.measures.codebook import Codebook
from framelens.measures.codebook import codebook as packaged_codebook
from framelens.measures.frames import ALL_SENTENCES
from framelens.presentation.style import FIG_WIDTH, PALETTE, style

SHORT_LABELS = {
    "security": "security",
    "economy": "economy",
    "tech_security": "econ. security\n& technology",
    "values": "values\n& order",
    "institutions": "institutions",
    "autonomy": "autonomy\n& hedging",
    "history": "history\n& people",
    "leaders": "leaders",
}


def _frame_labels(codebook: Codebook | None) -> dict[str, str]:
    book = codebook or packaged_codebook()
    return {f.id: f.label for f in book.frames}


def heatmap(shares: pd.DataFrame, codebook: Codebook | None = None):
    """Units x frames, cell = share of the unit's sentences carrying the frame (cividis)."""
    style()
    labels = _frame_labels(codebook)
    frames = list(dict.fromkeys(shares["frame"]))
    units = list(dict.fromkeys(shares["unit_id"]))
    grid = shares.pivot(index="unit_id", columns="frame", values="share").loc[units, frames].to_numpy()
    fig, ax = plt.subplots(figsize=(FIG_WIDTH - 1.2, 5.4))
    image = ax.imshow(grid * 100, cmap="cividis", vmin=0, vmax=max(50, float(np.nanmax(grid)) * 100), aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j] * 100
            colour = "black" if value > 0.55 * image.get_clim()[1] else "white"
            ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=8.5, color=colour)
    ax.set_xticks(range(len(frames)), [SHORT_LABELS.get(f, labels.get(f, f)) for f in frames], fontsize=8.5)
    ax.xaxis.tick_top()
    plt.setp(ax.get_xticklabels(), rotation=40, ha="left", rotation_mode="anchor")
    sizes = shares.drop_duplicates("unit_id").set_index("unit_id")["sentences"]
    ax.set_yticks(range(len(units)), [f"{u} (n={sizes[u]})" for u in units], fontsize=8.5)
    eras = shares.drop_duplicates("unit_id").set_index("unit_id")["era"]
    for i in range(1, len(units)):
        if eras[units[i]] != eras[units[i - 1]]:
            ax.axhline(i - 0.5, color="white", linewidth=3)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.set_label("% of the unit's sentences")
    ax.set_title("Share of sentences carrying each frame, per unit (%)", pad=10)
    return fig


def _dodge(n: int, width: float = 0.5) -> list[float]:
    return [0.0] if n == 1 else list(np.linspace(-width / 2, width / 2, n))


def era_plot(era_shares: pd.DataFrame, codebook: Codebook | None = None):
    """The frames' shares in the two eras side by side, with bootstrap intervals."""
    style()
    labels = _frame_labels(codebook)
    frames = list(dict.fromkeys(era_shares["frame"]))
    eras = list(dict.fromkeys(era_shares["era"]))
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    colours = [PALETTE[0], PALETTE[1], PALETTE[2]]
    markers = ["o", "s", "D"]
    y = np.arange(len(frames))[::-1]
    for k, (era, offset) in enumerate(zip(eras, _dodge(len(eras), 0.36))):
        rows = era_shares[era_shares["era"] == era].set_index("frame").loc[frames]
        share = rows["share"].to_numpy() * 100
        err = np.vstack([share - rows["low"].to_numpy() * 100, rows["high"].to_numpy() * 100 - share])
        n_units = int(rows["units"].iloc[0])
        ax.errorbar(
            share,
            y - offset,
            xerr=err,
            fmt=markers[k],
            color=colours[k],
            ecolor=colours[k],
            elinewidth=1.4,
            capsize=2.5,
            markersize=6,
            label=f"{era} ({n_units} units)",
        )
    ax.set_yticks(y, [labels.get(f, f) for f in frames])
    ax.set_xlabel("% of sentences carrying the frame (mean over units; 95% bootstrap interval)")
    ax.set_xlim(0, None)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Frames in 2014-15 and 2022-25")
    return fig


def state_plot(table: pd.DataFrame, codebook: Codebook | None = None, min_sentences: int = 10):
    """One panel per state: the frames of the sentences naming it, per era, with intervals.

    A grey tick marks the era's share over all sentences; a hollow marker, a cell resting on
    fewer than `min_sentences` sentences.
    """
    style()
    labels = _frame_labels(codebook)
    frames = list(dict.fromkeys(table["frame"]))
    eras = list(dict.fromkeys(table["era"]))
    states = [s for s in dict.fromkeys(table["state"]) if s != ALL_SENTENCES]
    base = table[table["state"] == ALL_SENTENCES]
    fig, axes = plt.subplots(1, len(states), figsize=(FIG_WIDTH - 0.2, 5.2), sharey=True, sharex=True)
    axes = np.atleast_1d(axes)
    colours = [PALETTE[0], PALETTE[1], PALETTE[2]]
    markers = ["o", "s", "D"]
    y = np.arange(len(frames))[::-1]
    for ax, state in zip(axes, states):
        counts = []
        for k, (era, offset) in enumerate(zip(eras, _dodge(len(eras), 0.36))):
            rows = table[(table["state"] == state) & (table["era"] == era)].set_index("frame").loc[frames]
            n = int(rows["sentences"].iloc[0])
            counts.append(n)
            if not base.empty:
                ref = base[base["era"] == era].set_index("frame").loc[frames, "share"].to_numpy() * 100
                ax.scatter(ref, y - offset, marker="|", s=70, color="#888888", zorder=1)
            if n == 0:
                continue
            share = rows["share"].to_numpy() * 100
            err = np.vstack([share - rows["low"].to_numpy() * 100, rows["high"].to_numpy() * 100 - share])
            hollow = n < min_sentences
            ax.errorbar(
                share,
                y - offset,
                xerr=err,
                fmt=markers[k],
                color=colours[k],
                ecolor=colours[k],
                elinewidth=1.1,
                capsize=2,
                markersize=5,
                alpha=0.55 if hollow else 1,
                markerfacecolor="white" if hollow else colours[k],
                zorder=3,
            )
        ax.set_title(state, fontsize=10.5, pad=16)
        ax.text(
            0.5,
            1.01,
            "n = " + " and ".join(str(n) for n in counts),
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=8,
            color="#444444",
        )
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlim(0, 100)
    axes[0].set_yticks(y, [labels.get(f, f) for f in frames])
    handles = [
        Line2D([], [], marker=markers[k], color=colours[k], linestyle="", label=era) for k, era in enumerate(eras)
    ]
    handles += [
        Line2D([], [], marker="|", color="#888888", linestyle="", markersize=10, label="all sentences of the era"),
        Line2D(
            [],
            [],
            marker="o",
            color="#555555",
            markerfacecolor="white",
            linestyle="",
            label=f"fewer than {min_sentences} sentences",
        ),
    ]
    handles.insert(len(eras), Line2D([], [], ls="", label="n: sentences naming the state, " + " and ".join(eras)))
    axes[len(axes) // 2].set_xlabel(
        "% of the sentences naming the state\nthat carry the frame (95% Wilson interval)", fontsize=9
    )
    fig.suptitle("How sentences naming China, the United States and Russia are framed", fontsize=10.5)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8.5, bbox_to_anchor=(0.5, 0.0))
    return fig


# --------------------------------------------------------------------------- keyness


def keyness_plot(table: pd.DataFrame, label_a: str, label_b: str, k: int = 12, title: str | None = None):
    """z against total frequency (log scale), the k most distinctive terms of each side labelled.

    Labels sit in two columns beside the points and are spread vertically so they never
    overlap, each joined to its point by a thin line.
    """
    style()
    total = (table["count_a"] + table["count_b"]).to_numpy()
    z = table["z"].to_numpy()
    rng = np.random.default_rng(0)
    jitter = np.exp(rng.uniform(-0.12, 0.12, len(total)))  # counts are integers: spread the columns
    x = total * jitter
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, 6.2))
    ax.scatter(x, z, s=8, color="#bbbbbb", linewidths=0, zorder=1)
    ax.axhline(0, color="#888888", linewidth=0.6)
    for level in (-1.96, 1.96):
        ax.axhline(level, color="#888888", linewidth=0.6, linestyle=":")
    ax.set_xscale("log")
    xmax = total.max() * 1.3
    ax.set_xlim(0.75, xmax * 12)
    top = table.head(k)
    bottom = table.tail(k).iloc[::-1]
    zmax = max(abs(z).max(), 3) * 1.05
    ax.set_ylim(-zmax, zmax)
    for chosen, colour, sign in ((top, PALETTE[0], 1), (bottom, PALETTE[5], -1)):
        idx = chosen.index.to_numpy()
        ax.scatter(x[idx], z[idx], s=22, color=colour, zorder=3)
        # Labels in a column right of the data, each as near its point's z as the
        # labels above and below it allow.
        slots = _spread(
            z[idx], gap=zmax * 0.068, low=0.15 if sign > 0 else -zmax * 0.97, high=zmax * 0.97 if sign > 0 else -0.15
        )
        label_x = xmax * 1.6
        for slot, i in zip(slots, idx):
            row = table.loc[i]
            ax.annotate(
                f"{row['term']}  ({int(row['count_a'])}:{int(row['count_b'])})",
                xy=(x[i], z[i]),
                xytext=(label_x, slot),
                textcoords="data",
                fontsize=7.8,
                color=colour,
                va="center",
                arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.5, "alpha": 0.6},
            )
    ax.set_xlabel("times the term occurs in both groups (log scale)")
    ax.set_ylabel(f"z-score: + more typical of {label_a}, − of {label_b}")
    ax.text(0.01, 0.99, f"more typical of {label_a}", transform=ax.transAxes, va="top", fontsize=9, color=PALETTE[0])
    ax.text(0.01, 0.01, f"more typical of {label_b}", transform=ax.transAxes, va="bottom", fontsize=9, color=PALETTE[5])
    ax.set_title(
        title or f"Distinctive terms: {label_a} vs {label_b} (labels: term (count {label_a}:{label_b}))", fontsize=10
    )
    return fig


def _spread(targets: np.ndarray, gap: float, low: float, high: float) -> np.ndarray:
    """Positions near `targets`, at least `gap` apart, inside [low, high] when they fit."""
    order = np.argsort(targets, kind="stable")
    pos = np.clip(np.asarray(targets, dtype=float)[order], low, high)
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    if len(pos) and pos[-1] > high:
        pos[-1] = high
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    out = np.empty_like(pos)
    out[order] = pos
    return out
