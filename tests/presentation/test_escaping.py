"""Source text is data: tables and built pages show it as text, never as markup or code."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
import pytest

from booktools import EVIL, HtmlTags, build, output, seeds_copy_at, tiny_book


def test_show_table_html_shows_source_text_as_text(tmp_path, monkeypatch):
    from framelens.presentation.tables import show_table

    seeds = seeds_copy_at(tmp_path)
    monkeypatch.setenv("FRAMELENS_SEEDS", str(seeds))  # tables go to tmp_path/_build/tables
    table = show_table(pd.DataFrame({"text": EVIL}), "evil", caption=EVIL[0])
    fragment = table._repr_html_()

    assert "<script" not in fragment.lower()
    for text in EVIL:
        assert html.escape(text, quote=False) in fragment, text
    parsed = HtmlTags()
    parsed.feed(fragment)
    assert set(parsed.tags) <= {"div", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "a"}, parsed.tags
    assert parsed.tags.count("a") == 1  # the CSV download, not "[link](http://x)"
    assert parsed.tags.count("strong") == 1  # the caption, not "**bold**"
    assert parsed.cells == EVIL  # every cell reads back as exactly its source text
    # the data itself is unchanged: in the download link and in the CSV file
    data = re.search(r"base64,([A-Za-z0-9+/=]+)'", fragment).group(1)
    downloaded = base64.b64decode(data).decode("utf-8")
    written = (tmp_path / "_build" / "tables" / "evil.csv").read_text(encoding="utf-8")
    assert downloaded == written
    assert pd.read_csv(tmp_path / "_build" / "tables" / "evil.csv")["text"].tolist() == EVIL


@pytest.mark.slow
def test_built_page_shows_source_text_as_text(tmp_path):
    seeds = seeds_copy_at(tmp_path)
    book = tiny_book(
        tmp_path / "book",
        f"""
import pandas as pd
from framelens.presentation.tables import show_table

EVIL = {EVIL!r}
show_table(pd.DataFrame({{"text": EVIL}}), "evil", caption="Evil strings")
""",
    )
    result = build(book, {"FRAMELENS_SEEDS": str(seeds)})
    assert result.returncode == 0, output(result)
    page = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")

    assert "<script>alert" not in page.lower()
    for text in EVIL:
        assert html.escape(text, quote=False) in page, text
    assert "<strong>bold</strong>" not in page
    assert 'href="http://x"' not in page and "href='http://x'" not in page
    assert not re.search(r'class="math[^"]*">\s*\\?\(?x', page)
    assert page.count('class="cell docutils container"') == 1  # no second cell was made of the text
    table = page[page.index("framelens-tablewrap") :]
    table = table[: table.index("</table>")]
    parsed = HtmlTags()
    parsed.feed("<div " + table + "</table>")
    assert parsed.cells == EVIL
    assert pd.read_csv(tmp_path / "_build" / "tables" / "evil.csv")["text"].tolist() == EVIL
