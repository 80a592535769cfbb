"""Tables for the pages: escaped HTML with a CSV download.

Every table a chapter shows is also written to `_build/tables/<name>.csv`, byte-for-byte
reproducible (fixed float format and line endings), so two clean builds can be compared file
by file.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from framelens.paths import build_dir


def write_csv(table: pd.DataFrame, name: str) -> Path:
    path = build_dir("tables") / f"{name}.csv"
    path.write_text(_csv(table), encoding="utf-8")
    return path


def _csv(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g")


class Table:
    """A table for a page: escaped HTML plus a link that downloads it as CSV."""

    def __init__(
        self, table: pd.DataFrame, name: str, caption: str = "", max_rows: int | None = None, floatfmt: str = "{:,.2f}"
    ):
        self.table = table
        self.name = name
        self.caption = caption
        self.max_rows = max_rows
        self.floatfmt = floatfmt
        write_csv(table, name)

    def _repr_html_(self) -> str:
        shown = self.table if self.max_rows is None else self.table.head(self.max_rows)
        # escape=True: source text is data; "<script>" or MyST syntax in it must show as text
        body = shown.to_html(
            index=False,
            escape=True,
            border=0,
            classes="framelens-table",
            float_format=lambda v: self.floatfmt.format(v),
            na_rep="",
        )
        data = base64.b64encode(_csv(self.table).encode("utf-8")).decode("ascii")
        more = ""
        if self.max_rows is not None and len(self.table) > self.max_rows:
            more = f" (first {self.max_rows} of {len(self.table)} rows shown; the CSV has all)"
        caption = (
            f"<p class='framelens-caption'><strong>{html.escape(self.caption)}</strong></p>" if self.caption else ""
        )
        link = (
            f"<p class='framelens-download'><a download='{html.escape(self.name)}.csv' "
            f"href='data:text/csv;charset=utf-8;base64,{data}'>Download {html.escape(self.name)}.csv</a>"
            f"{html.escape(more)}</p>"
        )
        return f"<div class='framelens-tablewrap'>{caption}{body}{link}</div>"

    def __repr__(self) -> str:
        return self.table.to_string(index=False)


def show_table(
    table: pd.DataFrame, name: str, caption: str = "", max_rows: int | None = None, floatfmt: str = "{:,.2f}"
) -> Table:
    """Display `table` with a CSV download, and write it to _build/tables/<name>.csv."""
    return Table(table, name, caption, max_rows=max_rows, floatfmt=floatfmt)


# --------------------------------------------------------------------------- numbers in the text


def pct(x: float) -> str:
    """A share as a whole percentage: 0.237 -> "24%"."""
    return f"{100 * x:.0f}%"


def span(low: float, high: float) -> str:
    """An interval of shares as whole percentages: (0.12, 0.3) -> "12–30%"."""
    return f"{100 * low:.0f}–{100 * high:.0f}%"


def signed(x: float) -> str:
    """A change of share in percentage points with its sign, a true minus for a fall: 0.05 -> "+5", -0.12 -> "−12"."""
    return f"{100 * x:+.0f}".replace("-", "−")
