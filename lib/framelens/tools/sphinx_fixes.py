"""A Sphinx extension with fixes the browser test found in the pinned toolchain.

Enable it in `_config.yml` with `sphinx: extra_extensions: [framelens.tools.sphinx_fixes]`.

1. Inline scripts listed twice. Sphinx 7.4 adds a body-only script (`app.add_js_file(None,
   body=...)`) registered after the builder started to the page twice: once as it was added
   (filename None) and again when `prepare_writing` re-reads the registry (filename "") - the
   two do not compare equal (fixed upstream in Sphinx 8.2, sphinx-doc/sphinx#13402; Jupyter
   Book 1 needs Sphinx 7). sphinx-thebe's inline `const THEBE_JS_URL = ...` then runs twice
   and every page throws "SyntaxError: Identifier 'THEBE_JS_URL' has already been declared".
   `dedupe_scripts` keeps the first of scripts that are the same but for None versus "".

2. Bibliography labels that match the citations. The book cites author-year ("Tatsumi,
   2015") but pybtex's default labels are alpha codes ("[Tat15]"). The pybtex style
   `framelens` (select it with `bibtex_default_style: framelens`) is pybtex's `unsrt` with
   author-year labels and entries sorted by author, year and title.
"""

from __future__ import annotations

import re

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as _Unsrt
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as _AuthorYearTitle


def _script_key(script) -> tuple:
    attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
    return (getattr(script, "filename", script) or "", getattr(script, "priority", 0), attributes)


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if len(unique) != len(scripts):
        context["script_files"] = unique


def _plain(text: str) -> str:
    return re.sub(r"[{}\\]", "", text).strip()


def author_year_label(entry) -> str:
    """'Tatsumi, 2015', 'Dale and Chall, 1948', 'Kincaid et al., 1975' (editors if no authors)."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_plain(" ".join(person.prelast_names + person.last_names)) for person in people]
    if not names:
        who = _plain(entry.fields.get("organization", entry.fields.get("title", entry.key)))
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {_plain(entry.fields.get('year', 'n.d.'))}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year_label(entry) for entry in sorted_entries]
        counts = {label: labels.count(label) for label in labels}
        seen: dict[str, int] = {}
        for label in labels:
            if counts[label] > 1:  # "Smith, 2020a", "Smith, 2020b"
                seen[label] = seen.get(label, 0) + 1
                label = label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearSorting(_AuthorYearTitle):
    """By the names in the label, then year and title; braces ("{Stimson Center}") do not count."""

    def sorting_key(self, entry):
        who = author_year_label(entry).rsplit(",", 1)[0].lower()
        return (who, entry.fields.get("year", ""), _plain(entry.fields.get("title", "")).lower())


class AuthorYearStyle(_Unsrt):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting


def setup(app):
    register_plugin("pybtex.style.formatting", "framelens", AuthorYearStyle)
    # Jupyter Book loads sphinx_multitoc_numbering, which does not say whether it is safe for
    # parallel reading, so Sphinx reads (and executes) the chapters one at a time. It is safe:
    # it only patches how section numbers are assigned, in the main process after reading
    # (and the book turns it off: use_multitoc_numbering false). Saying so lets `make book`
    # execute chapters on every core (buildinfo.JOBS).
    app.setup_extension("sphinx_multitoc_numbering")
    app.extensions["sphinx_multitoc_numbering"].parallel_read_safe = True
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
