"""The Sphinx extension framelens.tools.sphinx_fixes."""

from __future__ import annotations

from conftest import PROJECT


def test_inline_scripts_listed_twice_are_listed_once():
    from sphinx.builders.html._assets import _JavaScript

    from framelens.tools.sphinx_fixes import dedupe_scripts

    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body="const A = 1"),
        _JavaScript("_static/x.js", priority=500),
        _JavaScript("", body="const A = 1"),
        _JavaScript("", body="const B = 2"),
    ]
    context = {"script_files": scripts}
    dedupe_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("_static/doctools.js", None),
        (None, "const A = 1"),
        ("_static/x.js", None),
        ("", "const B = 2"),
    ]


def test_bibliography_labels_are_author_year():
    from pybtex.database import parse_file

    from framelens.tools.sphinx_fixes import AuthorYearStyle

    entries = list(AuthorYearStyle().format_bibliography(parse_file(str(PROJECT / "references.bib"))))
    labels = {entry.key: entry.label for entry in entries}
    assert labels["tatsumi2015global"] == "Tatsumi, 2015"  # an editor when there is no author
    assert labels["stimson2014roundtable"] == "Stimson Center, 2014"
    assert labels["sadvilkar2020pysbd"] == "Sadvilkar and Neumann, 2020"
    assert len(set(labels.values())) == len(labels)
    texts = {entry.key: entry.text.render_as("text") for entry in entries}
    assert "Japan-India" in texts["tamer2022strategic"]  # proper nouns keep their capitals
