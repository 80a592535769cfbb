"""One look for every figure, the book's palettes, and deterministic SVG output.

Every figure is written to `_build/figures/<name>.svg` byte-for-byte reproducible (SVG hash
salt, no date), so two clean builds can be compared file by file.
"""

from __future__ import annotations

import os

import matplotlib

from framelens.paths import build_dir

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
KIND_COLOURS = {"event summary": PALETTE[1], "policy brief": PALETTE[0], "analysis/op-ed": PALETTE[2]}
ACTOR_COLOURS = {"China": "#D55E00", "United States": "#0072B2", "Russia": "#009E73", "toponym": "#999999"}


def style() -> None:
    """One look for every figure, and deterministic SVG output."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # no build date inside SVG/PDF metadata
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "framelens",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 11,
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "image.cmap": "cividis",
        }
    )


def save_figure(fig, name: str) -> None:
    """Write `fig` to _build/figures/<name>.svg without a date, so rebuilds are identical.

    Returns nothing, so that a notebook cell ending with this call shows the figure once.
    """
    path = build_dir("figures") / f"{name}.svg"
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "framelens"})
