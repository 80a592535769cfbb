"""One look for every figure, the book's palettes, and deterministic SVG output.

Every figure is written to `_build/figures/<name>.svg` byte-for-byte reproducible (SVG hash
salt, no date), so two clean builds can be compared file by file, and the page shows that
same SVG (crisp at any zoom), not a PNG of it.

A figure must read at the size the page shows it: the text column is about 780 px wide at a
desktop width of 1400 px and about 350 px on a phone, and a browser shows 1 pt of SVG as
4/3 px. So `save_figure` refuses a figure wider than `MAX_WIDTH_PT` (shown at its own size on
a desktop, and at least at half of it on a phone) or with any text smaller than
`MIN_FONT_PT` (10 px at that size).
"""

from __future__ import annotations

import os
import re

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.text import Text

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
            "figure.figsize": (6.8, 4.0),
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "image.cmap": "cividis",
        }
    )


MAX_WIDTH_PT = 510.0  # 680 px: at least half of it fits the 342 px text column of a 390 px phone
MIN_FONT_PT = 7.5  # 10 px
FIG_WIDTH = 6.8  # inches: a figure this wide stays under MAX_WIDTH_PT with its labels


def room_at_zero(ax, axis: str = "y", share: float = 0.04) -> None:
    """Start `axis` a little below zero, so that a marker at zero sits clear of the axis line.

    Call after plotting; keeps the upper limit.
    """
    low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
    low = -share * (high - min(low, 0))
    (ax.set_ylim if axis == "y" else ax.set_xlim)(low, high)


class FigureSizeError(ValueError):
    """A figure that would be unreadable at the size the page shows it."""


class SvgFigure:
    """A saved SVG for a notebook output: the page shows exactly the bytes of the file."""

    def __init__(self, path):
        self.path = path
        self.svg = path.read_text(encoding="utf-8")

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<figure {self.path.name}>"


def too_small(fig) -> list[str]:
    """The visible texts of `fig` smaller than MIN_FONT_PT, as "size: text" (empty when none)."""
    small = []
    for text in fig.findobj(Text):
        axes = text.axes
        if not text.get_visible() or not text.get_text().strip() or (axes is not None and not axes.get_visible()):
            continue
        if text.get_fontsize() < MIN_FONT_PT:
            small.append(f"{text.get_fontsize():.1f} pt: {text.get_text()[:40]!r}")
    return small


def svg_width_pt(svg: str) -> float:
    match = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', svg)
    return float(match.group(1)) if match else 0.0


def save_figure(fig, name: str) -> SvgFigure:
    """Write `fig` to _build/figures/<name>.svg without a date, so rebuilds are identical, and
    return that SVG for the page.

    The matplotlib figure is closed, so a notebook cell ending with this call shows the figure
    once, as SVG. Raises FigureSizeError when the figure is too wide or its text too small to
    read at the size the page shows it.
    """
    path = build_dir("figures") / f"{name}.svg"
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "framelens"})
    small = too_small(fig)
    plt.close(fig)
    out = SvgFigure(path)
    width = svg_width_pt(out.svg)
    if width > MAX_WIDTH_PT:
        raise FigureSizeError(f"figure {name}: {width:.0f} pt wide, more than {MAX_WIDTH_PT:.0f} pt")
    if small:
        raise FigureSizeError(f"figure {name}: text under {MIN_FONT_PT} pt: " + "; ".join(small[:5]))
    return out
