"""Tables for the pages: written for a reader in the HTML, kept for code in the CSV.

Every table a chapter shows is also written to `_build/tables/<name>.csv`, byte-for-byte
reproducible (fixed float format and line endings), so two clean builds can be compared file
by file. The CSV keeps the identifier column names and full precision; tests and readers'
scripts rely on both.

The HTML is for reading: every identifier gets a label (`LABELS`, with the few that mean
different things in different tables in `TABLE_LABELS`), integers are shown as integers,
rates per 1,000 words with one decimal and shares as whole percentages (as the prose quotes
them), a `_low`/`_high` pair becomes one "95% interval" column, a missing value is an empty
cell, and a long table collapses to a page of rows that a reader can sort and search
(itables/DataTables, its JavaScript bundled into the page: no network at build or read
time). Source text is data: every cell is escaped, so text in a seed never becomes markup.

The module runs past 400 lines because the label mapping (some 200 lines, one per identifier)
lives here, beside the helpers that apply it: one place to look up what a column is called on
the page.
"""

from __future__ import annotations

import base64
import html
import math
from numbers import Integral, Real
from pathlib import Path

import pandas as pd

from framelens.paths import build_dir

# --------------------------------------------------------------------------- labels

# identifier -> what the page calls the column. Units go in the label ("per 1,000 words").
LABELS: dict[str, str] = {
    # units, sources, seeds
    "unit_id": "unit",
    "source_id": "source",
    "file": "seed file",
    "seed_file": "seed file",
    "seed_line": "seed line",
    "first_line": "first line",
    "last_line": "last line",
    "lines": "lines",
    "bytes": "bytes",
    "sha256": "sha256",
    "verified": "verified",
    "bibkey": "citation key",
    "year": "year",
    "era": "era",
    "kind": "kind of text",
    "about": "relationship",
    "authors": "authors",
    "title": "title",
    "title_status": "title is",
    "publisher": "publisher or site",
    "publisher_status": "publisher is",
    "outlet_based_in": "based in",
    "outlet_based_in_status": "place is",
    "date": "date",
    "date_status": "date is",
    "date_basis": "evidence for the date",
    "units": "units",
    "words": "words",
    "heading_words": "words in headings",
    "seed_lines": "lines in the seed",
    "seed_words": "words in the seed",
    "body_words": "words in unit bodies",
    "notes_words": "words in notes",
    "removed_lines": "lines removed",
    "removed_words": "words removed",
    "removed": "what was removed",
    "what": "what",
    "sentence": "sentence no.",
    "sentence_text": "sentence",
    "text": "text",
    "is_heading": "heading",
    # references
    "actor": "state",
    "state": "state",
    "actor_a": "state",
    "actor_b": "named with",
    "mentions": "references",
    "rate": "per 1,000 words",
    "rate_words": "words counted",
    "form": "form",
    "surface": "reference",
    "left": "before",
    "right": "after",
    "in_heading": "in a heading",
    "section": "section",
    "sentences_naming": "sentences naming it",
    "sections_naming": "sections naming it",
    "first_named_at": "first named at (0 = start, 1 = end)",
    "in_headings": "in headings",
    "in_section": "in the section",
    "outside_section": "outside the section",
    "words_in_section": "words in the section",
    "rate_without_headings": "per 1,000 words, headings left out",
    "rate_outside_section": "per 1,000 words outside the section",
    "phrase_id": "phrase",
    "points_to": "points to",
    "veiled": "veiled references",
    "option": "counting option",
    "mentions_2014_15": "references 2014–15",
    "rate_2014_15": "2014–15, per 1,000 words",
    "mentions_2022_25": "references 2022–25",
    "rate_2022_25": "2022–25, per 1,000 words",
    "share_of_references": "share of all references",
    # validation
    "gold": "annotated",
    "found": "matcher",
    "agree": "both",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "tp": "true positives",
    "fp": "false positives",
    "fn": "false negatives",
    "found_surfaces": "matcher found",
    "gold_surfaces": "annotator marked",
    "annotator_note": "annotator's note",
    "id": "sentence id",
    "evaluation": "evaluation",
    "method": "method",
    "positives": "coded",
    "predicted": "tagged",
    "error": "error",
    "errors_in_sentence": "errors in the sentence",
    # eras
    "design": "design",
    "specification": "specification",
    "quantity": "measure",
    "texts_early": "texts 2014–15",
    "texts_late": "texts 2022–25",
    "early": "2014–15",
    "late": "2022–25",
    "change": "change",
    "p": "p",
    "min_p": "smallest possible p",
    "verdict": "verdict",
    "specifications": "specifications",
    "higher": "clearly higher",
    "lower": "clearly lower",
    "unclear": "unclear",
    "same_sign": "same sign in all",
    "summary": "summary",
    # frames and codes
    "frame": "frame",
    "label": "label",
    "definition": "definition",
    "include": "in",
    "exclude": "out",
    "cues": "cues",
    "cue": "cue",
    "exclude_phrases": "excluded phrases",
    "frames": "coders' codes",
    "tagger": "tagger",
    "sentences": "sentences",
    "with_frame": "sentences with the frame",
    "share": "share",
    "coded": "coded",
    "tagged": "tagged",
    "coded_share": "share coded",
    "tagged_share": "share tagged",
    "alpha": "Krippendorff's α",
    "agreement": "agreement",
    "positives_1": "coder 1",
    "positives_2": "coder 2",
    "disagreements": "disagreements",
    "reliable": "reliable",
    # keyness
    "term": "term",
    "ngram": "words in the term",
    "count_a": "count, group a",
    "count_b": "count, group b",
    "rate_a": "group a, per 1,000 terms",
    "rate_b": "group b, per 1,000 terms",
    "delta": "log-odds ratio",
    "se": "standard error",
    "z": "z",
    "side": "typical of",
    "alpha0": "α0 (prior size)",
    "spearman": "rank correlation with the default",
    "top_a_shared": "top terms kept, group a",
    "top_b_shared": "top terms kept, group b",
    "k": "top terms compared",
    # readability
    "grouping": "grouped by",
    "group": "group",
    "flesch_reading_ease": "Flesch reading ease",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG",
    "dale_chall": "Dale–Chall",
    "coleman_liau": "Coleman–Liau",
    "automated_readability": "ARI",
    "linsear_write": "Linsear Write",
    "text_standard": "consensus grade",
    "mtld": "MTLD",
    "ttr": "distinct words / words",
    "syllables": "syllables",
    "cmu_share": "words in the CMU dictionary",
    "words_per_sentence_mean": "words per sentence, mean",
    "words_per_sentence_median": "words per sentence, median",
    "words_per_sentence_p90": "words per sentence, 90th percentile",
    "syllables_per_word": "syllables per word",
    "long_word_share": "long words (7+ letters)",
    "polysyllable_share": "words of 3+ syllables",
    "measure": "measure",
    "rho": "Spearman's ρ",
    "p_method": "p is",
    "p_asymptotic": "p (scipy, asymptotic)",
    "textstat_sentences": "sentences by textstat",
    "reason": "reason",
    "sentences_corpus": "sentences (corpus)",
    "sentences_textstat": "sentences (textstat)",
    "difference": "difference",
    "words_per_sentence_corpus": "words per sentence (corpus)",
    "words_per_sentence_textstat": "words per sentence (textstat)",
    "flesch_corpus": "reading ease (corpus)",
    "flesch_textstat": "reading ease (textstat)",
    "flesch_change": "change of reading ease",
    "grade_corpus": "grade (corpus)",
    "grade_textstat": "grade (textstat)",
    # software
    "package": "package",
    "version": "version",
    "pinned": "pinned",
    "installed": "installed",
    "matches": "matches",
}

# Identifiers that mean something else in some tables, by table name prefix.
TABLE_LABELS: dict[str, dict[str, str]] = {
    "keyness_": {"alpha": "prior count"},
    "framing_tagger_vs_codes": {"alpha": "α, tagger against codes"},
    "accuracy_": {"actor": "state or toponym"},
    "readability_rate_correlations": {"measure": "measure (id)", "label": "measure"},
}

# Shares (0 to 1) shown as whole percentages.
PERCENT = {
    "share",
    "coded_share",
    "tagged_share",
    "share_of_references",
    "long_word_share",
    "polysyllable_share",
    "cmu_share",
    "agreement",
}
# Integers that are names, not amounts: no thousands separator ("2014", not "2,014").
NO_GROUPING = {"year", "seed_line", "first_line", "last_line", "sentence", "id"}
# Tables whose early/late/change columns hold shares or rates, when their columns do not say.
TABLE_QUANTITY = {"framing_era_comparison": "share", "references_era_comparison": "rate"}
ERA_VALUES = ("early", "late", "low", "high")  # columns that take the table's quantity
INTERVAL = "95% interval"
PAGE_ROWS = 10  # a longer table collapses to pages of this many rows
MIN_TEXT_CHARS = 40  # a text column whose cells run longer than this wraps in a wide column


def label_for(column: str, name: str = "", quantity: str | None = None) -> str:
    """The page's label of a column identifier in table `name` (the identifier when unknown)."""
    for prefix, labels in TABLE_LABELS.items():
        if name.startswith(prefix) and column in labels:
            return labels[column]
    if column == "what" and quantity:
        return "frame" if quantity == "share" else "state"
    label = LABELS.get(column, column.replace("_", " "))
    if quantity == "share" and column in ("early", "late"):
        return f"{label} (% of sentences)"
    if quantity == "share" and column == "change":
        return "change (points)"
    if quantity == "rate" and column in ("early", "late"):
        return f"{label} (per 1,000 words)"
    return label


# --------------------------------------------------------------------------- the CSV


def write_csv(table: pd.DataFrame, name: str) -> Path:
    path = build_dir("tables") / f"{name}.csv"
    path.write_text(_csv(table), encoding="utf-8")
    return path


def _csv(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n", float_format="%.6g")


# --------------------------------------------------------------------------- cells for reading


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def _minus(text: str) -> str:
    """A true minus for a negative number, and no sign on a number shown as zero: a rate of
    −0.04 rounds to "0.0", not "−0.0" (and "+0" is "0")."""
    if text[:1] in ("+", "-") and not text.strip("+-0.,%"):
        text = text[1:]
    return text.replace("-", "−")


def _integral(series: pd.Series) -> bool:
    values = series.dropna()
    if series.dtype == bool or not len(values):
        return False
    if pd.api.types.is_integer_dtype(series):
        return True
    if not pd.api.types.is_float_dtype(series):
        return False
    if values.between(0, 1).all():  # scores and p-values that happen to be 0 or 1 keep their decimals
        return False
    return bool((values == values.round()).all()) and bool((values.abs() < 1e15).all())


class _Column:
    """How one column of a table is shown: its label, its cell format, its CSS class."""

    def __init__(self, table: pd.DataFrame, column: str, name: str, quantity: str | None, floatfmt: str, label: str):
        series = table[column]
        self.column = column
        self.label = label
        self.numeric = pd.api.types.is_numeric_dtype(series) and series.dtype != bool
        values = series.dropna()
        self.boolean = series.dtype == bool or (
            series.dtype == object and len(values) > 0 and all(isinstance(v, bool) for v in values)
        )
        self.integral = self.numeric and _integral(series)
        root = column.removesuffix("_low").removesuffix("_high")
        if (
            column in PERCENT
            or root in PERCENT
            or (quantity == "share" and (column in ERA_VALUES or root in ERA_VALUES))
        ):
            self.kind = "percent"
        elif quantity == "share" and root == "change":
            self.kind = "points"
        elif column.startswith("rate") or (quantity == "rate" and root in ERA_VALUES + ("change",)):
            self.kind = "rate"
        else:
            self.kind = "number"
        self.signed = root == "change"
        self.floatfmt = floatfmt
        texts = series.dropna().astype(str) if not self.numeric else pd.Series([], dtype=str)
        self.text = bool(len(texts)) and texts.str.len().max() > MIN_TEXT_CHARS
        self.css = " ".join(
            ["c-" + column.replace("_", "-")] + (["num"] if self.numeric else []) + (["text"] if self.text else [])
        )

    def cell(self, value) -> str:
        """The text of one cell (not yet escaped)."""
        if _missing(value):
            return ""
        if self.boolean or isinstance(value, bool):
            return "yes" if value else "no"
        if not isinstance(value, Real) or isinstance(value, bool):
            return str(value)
        if self.kind == "percent":
            return f"{100 * value:.0f}%"
        if self.kind == "points":
            return _minus(f"{100 * value:+.0f}")
        if self.integral and isinstance(value, Integral | float) and float(value).is_integer():
            number = int(value)
            return str(number) if self.column in NO_GROUPING else _minus(f"{number:,}")
        if self.kind == "rate":
            return _minus(f"{value:+,.1f}" if self.signed else f"{value:,.1f}")
        return _minus(self.floatfmt.format(value))

    def order(self, value) -> str:
        """The value DataTables sorts by (the raw number), as an attribute; "" for text."""
        if not self.numeric or _missing(value) or not math.isfinite(float(value)):
            return ""
        return f" data-order='{float(value)!r}'"


def _display_columns(table: pd.DataFrame, first: list[str]) -> list[str | tuple[str, str, str]]:
    """The columns in page order: `first` first, and each `x_low`/`x_high` pair (or `low`/`high`
    after `share` or `rate`) merged into one interval column right after `x`."""
    present = set(table.columns)
    columns = [c for c in first if c in present] + [c for c in table.columns if c not in first]
    pairs: dict[str, tuple[str, str]] = {}
    for column in columns:
        if f"{column}_low" in present and f"{column}_high" in present:
            pairs[column] = (f"{column}_low", f"{column}_high")
        elif column in ("share", "rate") and {"low", "high"} <= present and ("low", "high") not in pairs.values():
            pairs[column] = ("low", "high")
    merged = {c for pair in pairs.values() for c in pair}
    out: list[str | tuple[str, str, str]] = []
    for column in columns:
        if column in merged:
            continue
        out.append(column)
        if column in pairs:
            out.append((column, *pairs[column]))
    return out


# --------------------------------------------------------------------------- the table


class Table:
    """A table for a page: escaped HTML for reading, with a link that downloads the CSV.

    A table longer than one page of rows becomes a DataTable (sortable, searchable, in pages);
    a short one stays a plain table, which needs no script.
    """

    def __init__(
        self,
        table: pd.DataFrame,
        name: str,
        caption: str = "",
        max_rows: int | None = None,
        floatfmt: str = "{:,.2f}",
        labels: dict[str, str] | None = None,
        values: dict[str, dict] | None = None,
        first: list[str] | None = None,
        quantity: str | None = None,
    ):
        self.table = table
        self.name = name
        self.caption = caption
        self.max_rows = max_rows
        self.floatfmt = floatfmt
        self.labels = labels or {}
        self.values = values or {}
        self.first = first or []
        self.quantity = quantity or _quantity(table, name)
        write_csv(table, name)

    @property
    def page_rows(self) -> int:
        return min(self.max_rows, 15) if self.max_rows else PAGE_ROWS

    @property
    def interactive(self) -> bool:
        return len(self.table) > self.page_rows

    def _label(self, column: str) -> str:
        return self.labels.get(column) or label_for(column, self.name, self.quantity)

    def _html_table(self, table_id: str) -> str:
        shown = self.table.copy()
        values = dict(self.values)
        if "label" not in shown.columns:  # frame ids read as the codebook's labels
            for column in ("frame", "what") if self.quantity == "share" else ("frame",):
                if column in shown.columns and column not in values:
                    values[column] = frame_labels()
        for column, mapping in values.items():
            if column in shown.columns:
                shown[column] = shown[column].map(lambda v, m=mapping: m.get(v, v))
        if isinstance(shown.columns, pd.MultiIndex):
            shown.columns = [" ".join(map(str, c)) for c in shown.columns]
        shown.columns = [str(c) for c in shown.columns]
        layout = _display_columns(shown, self.first)
        columns: list = []
        for entry in layout:
            if isinstance(entry, tuple):
                base, low, high = entry
                label = INTERVAL if base in ("share", "rate") else f"{self._label(base)}, {INTERVAL}"
                columns.append((entry, _Column(shown, low, self.name, self.quantity, self.floatfmt, label)))
            else:
                columns.append(
                    (entry, _Column(shown, entry, self.name, self.quantity, self.floatfmt, self._label(entry)))
                )
        esc = html.escape
        head = "".join(f"<th class='{c.css}'>{esc(c.label)}</th>" for _, c in columns)
        rows = []
        records = shown.to_dict("records")
        for record in records:
            cells = []
            for entry, column in columns:
                if isinstance(entry, tuple):
                    low, high = record[entry[1]], record[entry[2]]
                    text = "" if _missing(low) or _missing(high) else f"{column.cell(low)} to {column.cell(high)}"
                    cells.append(f"<td class='{column.css}'>{esc(text)}</td>")
                else:
                    value = record[entry]
                    cells.append(f"<td class='{column.css}'{column.order(value)}>{esc(column.cell(value))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return (
            f"<table id='{esc(table_id)}' class='framelens-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        table_id = f"table-{self.name}"
        caption = f"<p class='framelens-caption'><strong>{esc(self.caption)}</strong></p>" if self.caption else ""
        data = base64.b64encode(_csv(self.table).encode("utf-8")).decode("ascii")
        rows = f"{len(self.table):,} {'row' if len(self.table) == 1 else 'rows'}"
        link = (
            f"<p class='framelens-download'><a download='{esc(self.name)}.csv' "
            f"href='data:text/csv;charset=utf-8;base64,{data}'>Download {esc(self.name)}.csv</a> ({rows})</p>"
        )
        if self.table.empty:
            # An empty <table> says nothing; a sentence does.
            return f"<div class='framelens-tablewrap'>{caption}<p class='framelens-empty'>No rows.</p>{link}</div>"
        body = self._html_table(table_id)
        if not self.interactive:
            return f"<div class='framelens-tablewrap'>{caption}{body}{link}</div>"
        return (
            f"<div class='framelens-tablewrap framelens-interactive'>{caption}{body}{link}</div>"
            + _bundle_once()
            + _datatable_script(table_id, self.page_rows)
        )

    def __repr__(self) -> str:
        return self.table.to_string(index=False)


def _quantity(table: pd.DataFrame, name: str) -> str | None:
    """ "share" or "rate": what the early/late/low/high columns of `table` hold, if it says."""
    if name in TABLE_QUANTITY:
        return TABLE_QUANTITY[name]
    if "quantity" in table.columns and table["quantity"].nunique() == 1:
        return "share" if str(table["quantity"].iloc[0]).startswith("share") else "rate"
    if "share" in table.columns:
        return "share"
    if "rate" in table.columns:
        return "rate"
    return None


def show_table(
    table: pd.DataFrame,
    name: str,
    caption: str = "",
    max_rows: int | None = None,
    floatfmt: str = "{:,.2f}",
    *,
    labels: dict[str, str] | None = None,
    values: dict[str, dict] | None = None,
    first: list[str] | None = None,
    quantity: str | None = None,
) -> Table:
    """Display `table` for a reader, and write it unchanged to _build/tables/<name>.csv.

    `max_rows`: rows per page once the table collapses (default 10, at most 15); every row is in
    the page and the CSV. `floatfmt`: the format of numbers that are neither integers, rates
    nor shares. `labels` overrides column labels for this table (e.g. what group a and b are),
    `values` maps cell values for display (e.g. {"side": {"a": "2022-25"}}), `first` puts the
    key columns first, `quantity` ("share" or "rate") says what early/late/low/high hold when
    the columns do not.
    """
    return Table(
        table,
        name,
        caption,
        max_rows=max_rows,
        floatfmt=floatfmt,
        labels=labels,
        values=values,
        first=first,
        quantity=quantity,
    )


def frame_labels() -> dict[str, str]:
    """Frame id -> the packaged codebook's label ("tech_security" -> "Economic security and technology")."""
    from framelens.measures.codebook import codebook

    return {f.id: f.label for f in codebook().frames}


def two_groups(a: str, b: str) -> dict:
    """Labels and cell values for a table that compares group a with group b (keyness): pass as
    `show_table(..., **two_groups("2022-25", "2014-15"))`, so "count_a" reads "times in 2022-25"."""
    return {
        "labels": {
            "count_a": f"times in {a}",
            "count_b": f"times in {b}",
            "rate_a": f"{a}, per 1,000 terms",
            "rate_b": f"{b}, per 1,000 terms",
            "top_a_shared": f"top terms of {a} kept",
            "top_b_shared": f"top terms of {b} kept",
        },
        "values": {"side": {"a": a, "b": b}},
    }


# --------------------------------------------------------------------------- itables, offline

_BUNDLE_SHOWN = False  # the DataTables bundle goes into the page once, with its first long table


def _itables_names() -> tuple[str, str]:
    """The window variable and the event by which the itables bundle announces itself."""
    from itables import __version__

    return "_itables_" + __version__.replace(".", "_").replace("-", "_"), f"itables-{__version__}-ready"


def _bundle_once() -> str:
    """itables' offline bundle (DataTables and its CSS, base64 in the page), the first time only.

    One kernel executes one page, so every page with a long table carries the bundle once.
    """
    global _BUNDLE_SHOWN
    if _BUNDLE_SHOWN:
        return ""
    _BUNDLE_SHOWN = True
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    return generate_init_offline_itables_html(options.dt_bundle)


def _datatable_script(table_id: str, page_rows: int) -> str:
    variable, event = _itables_names()
    lengths = sorted({page_rows, 25, 100})
    options = (
        f'{{"pageLength": {page_rows}, "order": [], "autoWidth": false, '
        f'"lengthMenu": [{", ".join(map(str, lengths))}, {{"label": "all", "value": -1}}]}}'
    )
    return (
        "<script type='module'>(async () => {"
        f"const bundle = window.{variable} || await new Promise(done => "
        f"window.addEventListener('{event}', () => done(window.{variable}), {{once: true}}));"
        "const { ITable } = await bundle;"
        f"const table = document.getElementById('{table_id}');"
        f"if (table && !table.classList.contains('dataTable')) {{ new ITable(table, {options}); }}"
        "})();</script>"
    )


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
