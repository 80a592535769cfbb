"""Every number a chapter's prose quotes, in one table, and the claims the prose makes, checked.

A chapter makes one `Facts`, adds each number it quotes with the function that computed it
(`add`), and checks each comparative or universal sentence against the data (`claim`): when a
claim no longer holds, the build fails with `ClaimError` naming the chapter and the claim.
`publish()` glues every fact (so `{glue:text}` finds it) and writes the table to
`_build/tables/facts_<chapter>.csv`: a reader greps a number of the prose there and finds the
function behind it.

Facts columns: key, value (as quoted in the prose), raw (the unrounded value), source (the
function that computed it).
"""

from __future__ import annotations

import pandas as pd

from framelens.presentation.tables import write_csv


class ClaimError(AssertionError):
    """A sentence of the prose that the data no longer support."""

    def __init__(self, chapter: str, claim: str, detail: str = ""):
        self.chapter, self.claim, self.detail = chapter, claim, detail
        message = f"{chapter}: the data no longer support the claim {claim!r}"
        super().__init__(message + (f" ({detail})" if detail else ""))


class Facts:
    def __init__(self, chapter: str):
        self.chapter = chapter
        self.rows: list[dict] = []
        self.claims: list[dict] = []

    def add(self, key: str, shown, source: str, raw=None):
        """Record a quoted value; `shown` is what the prose prints, `raw` the number behind it."""
        if any(r["key"] == key for r in self.rows):
            raise ValueError(f"{self.chapter}: fact {key!r} added twice")
        self.rows.append({"key": key, "value": str(shown), "raw": shown if raw is None else raw, "source": source})
        return shown

    def claim(self, text: str, holds: bool, detail: str = "") -> str:
        """Check a claim of the prose; raises ClaimError when the data do not support it."""
        self.claims.append({"claim": text, "holds": bool(holds)})
        if not holds:
            raise ClaimError(self.chapter, text, detail)
        return text

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["key", "value", "raw", "source"])

    def publish(self) -> pd.DataFrame:
        """Glue every fact (display=False) and write facts_<chapter>.csv; returns the table."""
        from myst_nb import glue

        for row in self.rows:
            glue(row["key"], row["value"], display=False)
        table = self.table()
        write_csv(table, f"facts_{self.chapter}")
        write_csv(pd.DataFrame(self.claims, columns=["claim", "holds"]), f"claims_{self.chapter}")
        return table
