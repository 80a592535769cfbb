"""Helpers of the book-level tests: copying the project, tiny books, building them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from conftest import PROJECT, SEEDS

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BUILD_ARGS = ["build", "--all", "-W", "-n", "--keep-going"]

# Source text is data: none of this may become markup, a script, a cell, math or a link.
EVIL = [
    "<script>alert(1)</script>",
    "{glue:text}`x`",
    "```{code-cell}",
    "**bold**",
    "$x$",
    "[link](http://x)",
]


def project_files() -> list[str]:
    """The project's files as git sees them (tracked and new, not ignored): no _build, no .venv."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=PROJECT,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        files = [f for f in listed.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: skip what .gitignore names
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"}
        files = [
            str(p.relative_to(PROJECT))
            for p in PROJECT.rglob("*")
            if p.is_file()
            and not skip & set(p.relative_to(PROJECT).parts)
            and not p.name.endswith(".ipynb")
            and ".egg-info" not in str(p)
        ]
    return sorted(f for f in files if (PROJECT / f).is_file())


def copy_project(target: Path) -> Path:
    for name in project_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, destination)
    return target


def tiny_book(folder: Path, code: str, title: str = "A tiny book") -> Path:
    """A one-page Jupyter Book whose page runs `code` in one code cell, executed at build."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(
        textwrap.dedent("""\
        title: Tiny
        author: framelens tests
        only_build_toc_files: true
        execute:
          execute_notebooks: force
          timeout: 600
          allow_errors: false
        sphinx:
          config:
            nb_execution_raise_on_error: true
            html_last_updated_fmt: null
        """),
        encoding="utf-8",
    )
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    header = textwrap.dedent("""\
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---
        """)
    (folder / "index.md").write_text(
        f"{header}\n# {title}\n\n````{{code-cell}} ipython3\n{code.strip()}\n````\n", encoding="utf-8"
    )
    return folder


def build(folder: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(JUPYTER_BOOK), BUILD_ARGS[0], str(folder), *BUILD_ARGS[1:]],
        cwd=folder,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def output(result: subprocess.CompletedProcess) -> str:
    return f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"


def seeds_copy_at(folder: Path) -> Path:
    target = folder / "seeds"
    shutil.copytree(SEEDS, target)
    return target


class HtmlTags(HTMLParser):
    """Tags, and the text of every table cell, of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
