"""What each source's document states about itself, and what the registry infers: for the page.

`source_statements(corpus)` reads the registry (`corpus.registry`, from `seeds/sources.yml`)
and returns one row per source and field (title, authors, publisher or site, where the outlet is
based, date), with the field's value and whether the document states it, the registry infers
it, or nothing is known. `source_cards(statements, units)` shows that table as one block per
source, each unit title marked where the book had to supply one.

Columns of `source_statements`: source_id, file, kind, field, value, status, basis
(status: "stated", "inferred" or "not stated"; basis: the registry's evidence, where it gives one).
The web address is the registry's `address` (with `address_status`): "not stated" where it is null.
"""

from __future__ import annotations

import html

import pandas as pd

from framelens.presentation.codebook_page import Html

STATUS_TEXT = {
    "stated": "stated in the document",
    "inferred": "inferred by the registry",
    "not stated": "not stated in the document",
}
FIELDS = ("title", "authors", "publisher or site", "based in", "date", "web address")


def source_statements(corpus) -> pd.DataFrame:
    """One row per source and field: its value and whether the document states it (see module doc)."""
    rows = []
    for source in corpus.registry.sources:
        known = {
            "title": (source.title, "not stated" if source.title is None else source.title_status, ""),
            "authors": ("; ".join(source.authors) or None, "stated" if source.authors else "not stated", ""),
            "publisher or site": (
                source.publisher,
                "not stated" if source.publisher is None else source.publisher_status,
                "",
            ),
            "based in": (
                source.outlet_based_in,
                "not stated" if source.outlet_based_in is None else source.outlet_based_in_status,
                "",
            ),
            "date": (source.date.value, source.date.status, " ".join(source.date.basis.split())),
        }
        known["web address"] = (source.address, "not stated" if source.address is None else source.address_status, "")
        for field in FIELDS:
            value, status, basis = known[field]
            rows.append(
                {
                    "source_id": source.id,
                    "file": source.file,
                    "kind": source.kind,
                    "field": field,
                    "value": value if value is not None else "",
                    "status": status,
                    "basis": basis,
                }
            )
    return pd.DataFrame(rows, columns=["source_id", "file", "kind", "field", "value", "status", "basis"])


def source_cards(statements: pd.DataFrame, units: pd.DataFrame) -> Html:
    """Each source as a block: what its document states, what the registry infers, its units.

    `statements`: source_statements; `units`: the units table (source_id, unit_id, title). A
    unit of a source whose document has no title carries a title the book supplied, and says so.
    """
    esc = html.escape
    parts = []
    for source_id, rows in statements.groupby("source_id", sort=False):
        first = rows.iloc[0]
        items = []
        for row in rows.itertuples():
            value = esc(row.value) if row.value else "—"
            basis = f": {esc(row.basis)}" if row.basis and row.status == "inferred" else ""
            items.append(
                f"<li><strong>{esc(row.field.capitalize())}</strong>: {value} "
                f"<span class='framelens-status framelens-{row.status.replace(' ', '-')}'>"
                f"({esc(STATUS_TEXT[row.status])}{basis})</span></li>"
            )
        untitled = (rows.set_index("field").loc["title", "status"]) == "not stated"
        own = units[units["source_id"] == source_id]
        unit_items = "".join(
            f"<li><code>{esc(u.unit_id)}</code>: {esc(u.title)}"
            + (
                " <span class='framelens-status framelens-inferred'>(a title supplied by this book; "
                "the document has none)</span>"
                if untitled
                else ""
            )
            + "</li>"
            for u in own.itertuples()
        )
        parts.append(
            f"<div class='framelens-source' id='source-{esc(source_id)}'>"
            f"<p><strong>{esc(source_id)}</strong> ({esc(first['kind'])}, seed file <code>{esc(first['file'])}</code>)</p>"
            f"<ul>{''.join(items)}</ul>"
            f"<p>{'Unit' if len(own) == 1 else 'Units'}:</p><ul>{unit_items}</ul>"
            "</div>"
        )
    return Html("".join(parts))
