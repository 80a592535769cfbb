"""Every source of the registry is cited in the book."""

from __future__ import annotations

import re

import yaml

from conftest import PROJECT, SEEDS


def test_every_source_is_cited_in_the_book():
    from framelens.tools.reproducibility import check_citations

    toc = (PROJECT / "_toc.yml").read_text(encoding="utf-8")
    pages = [yaml.safe_load(toc)["root"]] + re.findall(r"file:\s*(\S+)", toc)
    cited = set()
    for page in pages:
        text = (PROJECT / f"{page}.md").read_text(encoding="utf-8")
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited |= {k.strip() for k in keys.split(",")}
    sources = check_citations(SEEDS, PROJECT / "references.bib")
    assert len(sources) == 5
    assert set(sources["bibkey"]) <= cited, f"uncited sources: {set(sources['bibkey']) - cited}"
    bib = set(re.findall(r"^@\w+\{([^,]+),", (PROJECT / "references.bib").read_text(encoding="utf-8"), flags=re.M))
    assert cited <= bib, f"cited but not in references.bib: {cited - bib}"
