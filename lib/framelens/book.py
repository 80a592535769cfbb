"""What chapters use to show results: tables with a CSV download, saved figures, a style.

Every table a chapter shows is also written to `_build/tables/<name>.csv`, and every figure to
`_build/figures/<name>.svg`, byte-for-byte reproducible (fixed float format, line endings,
SVG hash salt and date), so two clean builds can be compared file by file.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

import matplotlib
import pandas as pd

from .corpus import find_seeds_dir

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ACTOR_COLOURS = {"China": "#D55E00", "United States": "#0072B2", "Russia": "#009E73", "toponym": "#999999"}


def project_root() -> Path:
    return find_seeds_dir().parent


def output_dir(kind: str) -> Path:
    folder = project_root() / "_build" / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def style() -> None:
    """One look for every figure, and deterministic SVG output."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # no build date inside SVG/PDF metadata
    matplotlib.rcParams.update({
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
    })


def save_figure(fig, name: str) -> None:
    """Write `fig` to _build/figures/<name>.svg without a date, so rebuilds are identical.

    Returns nothing, so that a notebook cell ending with this call shows the figure once.
    """
    path = output_dir("figures") / f"{name}.svg"
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "framelens"})


def write_csv(table: pd.DataFrame, name: str) -> Path:
    path = output_dir("tables") / f"{name}.csv"
    path.write_text(_csv(table), encoding="utf-8")
    return path


def _csv(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g")


class Table:
    """A table for a page: escaped HTML plus a link that downloads it as CSV."""

    def __init__(self, table: pd.DataFrame, name: str, caption: str = "", max_rows: int | None = None, floatfmt: str = "{:,.2f}"):
        self.table = table
        self.name = name
        self.caption = caption
        self.max_rows = max_rows
        self.floatfmt = floatfmt
        write_csv(table, name)

    def _repr_html_(self) -> str:
        shown = self.table if self.max_rows is None else self.table.head(self.max_rows)
        # escape=True: source text is data; "<script>" or MyST syntax in it must show as text
        body = shown.to_html(index=False, escape=True, border=0, classes="framelens-table",
                             float_format=lambda v: self.floatfmt.format(v), na_rep="")
        data = base64.b64encode(_csv(self.table).encode("utf-8")).decode("ascii")
        more = ""
        if self.max_rows is not None and len(self.table) > self.max_rows:
            more = f" (first {self.max_rows} of {len(self.table)} rows shown; the CSV has all)"
        caption = f"<p class='framelens-caption'><strong>{html.escape(self.caption)}</strong></p>" if self.caption else ""
        link = (f"<p class='framelens-download'><a download='{html.escape(self.name)}.csv' "
                f"href='data:text/csv;charset=utf-8;base64,{data}'>Download {html.escape(self.name)}.csv</a>"
                f"{html.escape(more)}</p>")
        return f"<div class='framelens-tablewrap'>{caption}{body}{link}</div>"

    def __repr__(self) -> str:
        return self.table.to_string(index=False)


def show_table(table: pd.DataFrame, name: str, caption: str = "", max_rows: int | None = None, floatfmt: str = "{:,.2f}") -> Table:
    """Display `table` with a CSV download, and write it to _build/tables/<name>.csv."""
    return Table(table, name, caption, max_rows=max_rows, floatfmt=floatfmt)
