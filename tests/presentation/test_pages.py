"""The pages as a reader meets them, checked from their sources: a "run this chapter yourself"
box at the top of every chapter with code, every glossary link pointing at a glossary term, and
every code cell still a code cell (a backtick in a directive's title turns the rest of a page
into text)."""

from __future__ import annotations

import re

import jupytext
import pytest
import yaml

from conftest import PROJECT


def toc_pages() -> list[str]:
    toc = yaml.safe_load((PROJECT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [entry["file"] for entry in toc["chapters"]]


PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/") and "{code-cell}" in (PROJECT / f"{p}.md").read_text()]


def glossary_terms() -> set[str]:
    text = (PROJECT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    block = text[text.index("```{glossary}") : text.rindex("```")]
    return {line.strip().lower() for line in block.splitlines()[1:] if line.strip() and not line.startswith(" ")}


def test_the_glossary_is_in_the_book_and_defines_the_terms_of_the_issue():
    assert "chapters/glossary" in PAGES
    terms = glossary_terms()
    for term in (
        "rate per 1,000 words",
        "bootstrap interval",
        "cluster bootstrap",
        "wilson interval",
        "log-odds ratio with an informative dirichlet prior",
        "mtld",
        "krippendorff's alpha",
        "precision",
        "recall",
        "f1",
        "toponym",
        "veiled reference",
    ):
        assert term in terms, term


@pytest.mark.parametrize("page", PAGES)
def test_every_glossary_link_has_a_term(page):
    text = (PROJECT / f"{page}.md").read_text(encoding="utf-8")
    terms = glossary_terms()
    for role in re.findall(r"\{term\}`([^`]+)`", text):
        target = re.search(r"<([^>]+)>\s*$", role)
        name = (target.group(1) if target else role).strip().lower()
        assert name in terms, f"{page}: {{term}}`{role}` has no glossary entry"


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_opens_with_the_run_box(page):
    text = (PROJECT / f"{page}.md").read_text(encoding="utf-8")
    body = text.split("\n# ", 1)[1]
    first_paragraphs = body.split("```{code-cell}", 1)[0]
    assert "{admonition} Run this chapter yourself" in first_paragraphs, page
    stem = page.split("/")[-1]
    assert f".venv/bin/jupytext --to ipynb {page}.md -o {stem}.ipynb" in first_paragraphs
    assert f".venv/bin/jupyter execute --inplace {stem}.ipynb" in first_paragraphs


@pytest.mark.parametrize("page", PAGES)
def test_every_code_cell_is_read_as_a_code_cell(page):
    path = PROJECT / f"{page}.md"
    text = path.read_text(encoding="utf-8")
    fences = len(re.findall(r"^```\{code-cell\}", text, flags=re.M))
    notebook = jupytext.reads(text, fmt="md:myst")
    assert sum(cell.cell_type == "code" for cell in notebook.cells) == fences, page
    for line in text.splitlines():  # CommonMark: a backtick fence's info string may hold no backtick
        fence = re.match(r"^(`{3,})(.*)$", line)
        if fence and fence.group(2):
            assert "`" not in fence.group(2), f"{page}: {line!r} is not a fence"
