"""Tables for readers: labels and rounding in the HTML, identifiers and full precision in the CSV,
long tables as DataTables with the itables bundle once per page, no empty <table>."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framelens.presentation.tables as tables
from booktools import HtmlTags
from framelens.presentation.tables import LABELS, label_for, show_table, two_groups


@pytest.fixture
def build_here(tmp_path, monkeypatch):
    """Tables go to tmp_path/_build/tables; each test starts a fresh page (bundle not yet shown)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv("FRAMELENS_SEEDS", str(seeds))
    monkeypatch.setattr(tables, "_BUNDLE_SHOWN", False)
    return tmp_path / "_build" / "tables"


def parse(fragment: str) -> HtmlTags:
    parsed = HtmlTags()
    parsed.feed(fragment)
    return parsed


def headers(fragment: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", fragment)]


def test_html_shows_labels_and_rounded_numbers_while_the_csv_keeps_identifiers(build_here):
    table = pd.DataFrame(
        {
            "unit_id": ["2015-india-asano", "2022-tamer"],
            "year": [2015, 2022],
            "words": [2891.0, 1012.0],  # integral floats are integers
            "mentions": pd.array([31, pd.NA], dtype="Int64"),
            "rate": [10.72289, np.nan],
            "rate_low": [6.8812, np.nan],
            "rate_high": [14.851, np.nan],
            "note": ["kept", None],
        }
    )
    fragment = show_table(table, "t_labels", caption="c")._repr_html_()
    csv = (build_here / "t_labels.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "unit_id,year,words,mentions,rate,rate_low,rate_high,note"
    assert "10.7229" in csv and "6.8812" in csv  # full precision (the CSV's %.6g)
    assert headers(fragment) == ["unit", "year", "words", "references", "per 1,000 words", "95% interval", "note"]
    cells = parse(fragment).cells
    assert cells[:7] == ["2015-india-asano", "2015", "2,891", "31", "10.7", "6.9 to 14.9", "kept"]
    assert cells[7:] == ["2022-tamer", "2022", "1,012", "", "", "", ""]  # missing: an empty cell
    assert not {"<NA>", "nan", "NaN", "None"} & set(cells)


def test_shares_are_percentages_changes_are_points_and_booleans_words(build_here):
    table = pd.DataFrame(
        {
            "design": ["japan-india"],
            "what": ["tech_security"],
            "early": [0.2049],
            "early_low": [0.1],
            "early_high": [0.31],
            "change": [-0.0415],
            "change_low": [-0.2],
            "change_high": [0.12],
            "p": [0.6],
            "same_sign": [True],
        }
    )
    fragment = show_table(table, "framing_era_comparison")._repr_html_()
    assert headers(fragment)[:6] == [
        "design",
        "frame",
        "2014–15 (% of sentences)",
        "2014–15 (% of sentences), 95% interval",
        "change (points)",
        "change (points), 95% interval",
    ]
    cells = parse(fragment).cells
    assert cells == ["japan-india", "Economic security and technology", "20%", "10% to 31%", "−4", "−20 to +12",
                     "0.60", "yes"]  # fmt: skip


def test_a_number_shown_as_zero_has_no_sign(build_here):
    """A change of −0.04 per 1,000 words rounds to "0.0", not "−0.0"; a fall still reads "−"."""
    table = pd.DataFrame(
        {
            "state": ["Russia"],
            "change": [3.2967],
            "change_low": [-0.0412],
            "change_high": [7.81],
            "early": [0.04],
            "late": [-0.3],
        }
    )
    fragment = show_table(table, "references_era_comparison", quantity="rate")._repr_html_()
    cells = parse(fragment).cells
    assert "−0.0 to +7.8" not in cells and "0.0 to +7.8" in cells
    assert tables._minus("-0.0") == "0.0" and tables._minus("+0") == "0" and tables._minus("-0%") == "0%"
    assert tables._minus("-0.3") == "−0.3" and tables._minus("+0.1") == "+0.1" and tables._minus("-10") == "−10"


def test_every_identifier_of_the_books_tables_has_a_label():
    """The columns the chapters show (as their CSVs name them) all have a label or a context rule."""
    shown = {
        "unit_id", "seed_file", "seed_line", "actor", "form", "left", "surface", "right", "in_heading", "rate_low",
        "count_a", "count_b", "delta", "se", "side", "tech_security", "first_named_at", "positives_1", "tp", "fp",
        "fn", "mentions_2014_15", "share_of_references", "flesch_kincaid_grade", "words_per_sentence_median",
    }  # fmt: skip
    missing = {c for c in shown - {"rate_low", "tech_security"} if c not in LABELS}
    assert missing == set()
    assert label_for("alpha", "keyness_eras_top") == "prior count"
    assert label_for("alpha", "framing_reliability") == "Krippendorff's α"
    assert two_groups("2022-25", "2014-15")["labels"]["count_a"] == "times in 2022-25"


def test_keyness_sides_read_as_their_groups(build_here):
    table = pd.DataFrame({"term": ["india", "policy"], "count_a": [60, 1], "count_b": [114, 81], "side": ["a", "b"]})
    fragment = show_table(table, "keyness_x", **two_groups("2022-25", "2014-15"))._repr_html_()
    assert headers(fragment) == ["term", "times in 2022-25", "times in 2014-15", "typical of"]
    assert parse(fragment).cells[-1] == "2014-15"
    assert (build_here / "keyness_x.csv").read_text(encoding="utf-8").splitlines()[1] == "india,60,114,a"


def test_key_columns_go_first(build_here):
    table = pd.DataFrame(
        {"unit_id": ["u"], "seed_file": ["f"], "left": ["before the "], "surface": ["US"], "right": [" x"]}
    )
    fragment = show_table(table, "t_kwic", first=["left", "surface", "right"])._repr_html_()
    assert headers(fragment) == ["before", "reference", "after", "unit", "seed file"]
    assert (build_here / "t_kwic.csv").read_text(encoding="utf-8").startswith("unit_id,seed_file,left,surface,right")


def test_long_tables_become_datatables_with_the_bundle_once(build_here):
    long = pd.DataFrame({"unit_id": [f"u{i}" for i in range(30)], "words": range(30)})
    first = show_table(long, "t_long_1")._repr_html_()
    second = show_table(long, "t_long_2", max_rows=12)._repr_html_()
    short = show_table(long.head(5), "t_short")._repr_html_()
    assert first.count("_itables_") >= 1 and "injectModule" in first  # the offline bundle, base64 in the page
    assert "injectModule" not in second  # once per page
    assert "new ITable(table" in first and "'table-t_long_1'" in first
    assert '"pageLength": 10' in first and '"pageLength": 12' in second
    assert "<script" not in short.lower()  # a short table needs no script
    for fragment in (first, second):  # every row is in the page, for search
        assert fragment.count("<tr>") == 31
        assert "https://" not in fragment.split("<script")[0]


def test_an_empty_table_is_a_sentence_not_an_empty_table(build_here):
    fragment = show_table(pd.DataFrame({"unit_id": []}), "t_empty", caption="Nothing")._repr_html_()
    assert "<table" not in fragment and "No rows." in fragment
    assert (build_here / "t_empty.csv").read_text(encoding="utf-8") == "unit_id\n"
