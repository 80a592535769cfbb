"""Fast rebuilds that are never stale: a fingerprint of everything chapters depend on.

Jupyter Book re-executes a chapter only when Sphinx re-reads it, and Sphinx re-reads a page
only when the page itself changed. A change to `framelens`, a lexicon or codebook, the seeds
or the registry would leave stale numbers in the book. `make book` therefore compares this
fingerprint with the one stored after the last successful build: when it differs (or there is
none), the build re-reads and re-executes every chapter (`--all`); when it is the same, only
changed chapters are re-read, and a no-change rebuild executes nothing.

    python -m framelens.tools.buildinfo build [--full] [ROOT]   # what `make book` runs
    python -m framelens.tools.buildinfo check [ROOT]   # exit 0: nothing changed since the last build

When neither the dependencies nor the pages changed, `build` does not start Jupyter Book at all.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

# What every chapter may read, besides its own page (relative to the project root).
DEPENDENCIES = (
    "lib/framelens/**/*.py",
    "lib/framelens/data/*",
    "seeds/*",
    "tests/annotations/*",
    "annotations/**/*",
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "requirements.txt",
    "pyproject.toml",
    "_static/*",
)
PAGES = ("*.md", "chapters/*.md")
RECORD = Path("_build") / ".framelens-dependencies.sha256"
JOBS = max(1, min(4, os.cpu_count() or 1))  # chapters executed at once


def dependency_files(root: Path) -> list[Path]:
    files: set[Path] = set()
    for pattern in DEPENDENCIES:
        files |= {p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts}
    return sorted(files)


def fingerprint(root: str | Path = ".") -> str:
    """sha256 over the relative paths and contents of all dependency files."""
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in dependency_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def pages_fingerprint(root: str | Path = ".") -> str:
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in sorted({p for pattern in PAGES for p in root.glob(pattern) if p.is_file()}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def status(root: str | Path = ".") -> str:
    """ "clean" (nothing changed), "pages" (only pages changed) or "all" (dependencies changed)."""
    record = Path(root) / RECORD
    if not record.is_file():
        return "all"
    lines = record.read_text().split()
    if len(lines) != 2 or lines[0] != fingerprint(root):
        return "all"
    return "clean" if lines[1] == pages_fingerprint(root) else "pages"


def build(root: str | Path = ".", full: bool = False, quiet: bool = False) -> int:
    """Build the book in `root`, re-executing exactly what may have changed."""
    root = Path(root)
    state = "all" if full else status(root)
    record = root / RECORD
    if state == "clean":
        print("framelens: nothing changed since the last build; the book is up to date")
        return 0
    print(
        "framelens: dependencies changed (or first build): every chapter runs"
        if state == "all"
        else "framelens: dependencies unchanged: only edited chapters run"
    )
    record.unlink(missing_ok=True)  # a failed build must not look up to date
    command = [
        sys.executable,
        "-m",
        "framelens.tools.buildinfo",
        "jupyter-book",
        str(JOBS),
        "build",
        str(root),
        "-W",
        "-n",
        "--keep-going",
    ] + (["--all"] if state == "all" else [])
    result = subprocess.run(command, stdout=subprocess.DEVNULL if quiet else None)
    if result.returncode == 0:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(f"{fingerprint(root)}\n{pages_fingerprint(root)}\n")
    return result.returncode


def jupyter_book(jobs: int, args: list[str]) -> int:
    """`jupyter-book ARGS`, with Sphinx reading (and executing) `jobs` chapters at a time.

    Jupyter Book 1's command line has no option for Sphinx's parallel jobs, though its
    `build_sphinx` takes one; this sets it. Chapters are independent notebooks, so running
    them side by side changes nothing in their output (tests/test_book.py builds twice and
    compares every table and figure byte for byte).
    """
    import functools

    import jupyter_book.sphinx
    from jupyter_book.cli.main import main as jupyter_book_main

    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    try:
        jupyter_book_main(args, standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["jupyter-book"]:
        return jupyter_book(int(args[1]), args[2:])
    command = args[0] if args else "check"
    full = "--full" in args
    rest = [a for a in args[1:] if a != "--full"]
    root = Path(rest[0]) if rest else Path(".")
    if command == "check":
        return 0 if status(root) == "clean" else 1
    if command == "build":
        return build(root, full=full)
    print("usage: python -m framelens.tools.buildinfo build [--full] [ROOT] | check [ROOT]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
