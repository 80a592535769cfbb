"""Fast rebuilds that are never stale: a fingerprint of everything chapters depend on.

Jupyter Book re-executes a chapter only when Sphinx re-reads it, and Sphinx re-reads a page
only when the page itself changed. A change to `framelens`, a lexicon or codebook, the seeds
or the registry would leave stale numbers in the book. `make book` therefore compares this
fingerprint with the one stored after the last successful build: when it differs (or there is
none), the build re-reads and re-executes every chapter (`--all`); when it is the same, only
changed chapters are re-read, and a no-change rebuild executes nothing.

    python -m framelens.buildinfo check   # exit 0: dependencies unchanged since the last build
    python -m framelens.buildinfo write   # record them (after a successful build)
    python -m framelens.buildinfo forget  # drop the record (after a failed build)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

# What every chapter may read, besides its own page (relative to the project root).
DEPENDENCIES = (
    "lib/framelens/**/*.py",
    "lib/framelens/data/*",
    "seeds/*",
    "tests/annotations/*",
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "requirements.txt",
    "pyproject.toml",
    "_static/*",
)
RECORD = Path("_build") / ".framelens-dependencies.sha256"


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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    root = Path(args[1]) if len(args) > 1 else Path(".")
    record = root / RECORD
    if command == "check":
        return 0 if record.is_file() and record.read_text().strip() == fingerprint(root) else 1
    if command == "write":
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(fingerprint(root) + "\n")
        return 0
    if command == "forget":
        record.unlink(missing_ok=True)
        return 0
    print(f"usage: python -m framelens.buildinfo check|write|forget [ROOT]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
