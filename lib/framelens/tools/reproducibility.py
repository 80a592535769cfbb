"""What the Reproducibility appendix shows, computed when the book is built.

- `seed_checksums()`: every seed file with its sha256, verified against `seeds/SHA256SUMS` and
  the registry; raises `ChecksumError` if any file is missing, altered or unlisted.
- `package_versions()`: every package pinned in `requirements.txt` with the version actually
  imported by the build (importlib.metadata); `check_versions` raises on any difference.
- `add_source()` and `worked_example()`: how a new source enters the corpus, run on a
  throw-away copy of the seeds so the book's own corpus never changes.
- `SOURCE_CITATIONS`: the bibliography key of every registered source; `check_citations`
  fails when a source has none, so no source can enter the book uncited.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml

from framelens.corpus.registry import REGISTRY_NAME, load_registry
from framelens.corpus.units import load_corpus, load_units
from framelens.paths import project_root
from framelens.paths import seeds_dir as find_seeds_dir

CHECKSUMS_NAME = "SHA256SUMS"

# Source id in seeds/sources.yml -> key in references.bib. Every source must have one.
SOURCE_CITATIONS = {
    "stimson-2014-roundtable": "stimson2014roundtable",
    "stimson-2015-global-diplomacy": "tatsumi2015global",
    "ankasam-2022-tamer": "tamer2022strategic",
    "chanakya-2023-nagial": "nagial2023indojapan",
    "gyalpo-2025": "gyalpo2025",
}


class ChecksumError(ValueError):
    """A seed file that is missing, altered, or not listed in SHA256SUMS."""


# ----------------------------------------------------------------------------- seeds


def read_checksums(seeds_dir: str | Path | None = None) -> dict[str, str]:
    """`SHA256SUMS` as {file name: sha256}, in the `sha256sum` format (text or binary mode)."""
    folder = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    path = folder / CHECKSUMS_NAME
    if not path.is_file():
        raise ChecksumError(f"{path}: checksum list not found")
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not match:
            raise ChecksumError(f"{path}: line {number} is not '<sha256>  <file>': {line[:80]!r}")
        digest, name = match.groups()
        if name in sums:
            raise ChecksumError(f"{path}: line {number}: {name} is listed twice")
        sums[name] = digest
    return sums


def seed_checksums(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """Every seed file, its size and sha256, verified now against SHA256SUMS and the registry.

    columns: file, source_id, bytes, lines, sha256, matches_SHA256SUMS, matches_registry.
    Raises ChecksumError unless every file in seeds/ (but the two lists) is listed, every
    listed file exists with that sha256, and the registry names the same files and sums.
    """
    folder = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    sums = read_checksums(folder)
    registry = load_registry(folder)  # raises RegistryError on any inconsistency
    by_file = {source.file: source for source in registry.sources}
    on_disk = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in (CHECKSUMS_NAME, REGISTRY_NAME))
    problems = []
    problems += [f"{name} is in seeds/ but not in {CHECKSUMS_NAME}" for name in on_disk if name not in sums]
    problems += [f"{name} is in seeds/ but not in {REGISTRY_NAME}" for name in on_disk if name not in by_file]
    rows = []
    for name, listed in sorted(sums.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is listed in {CHECKSUMS_NAME} but missing")
            continue
        raw = path.read_bytes()
        actual = hashlib.sha256(raw).hexdigest()
        source = by_file.get(name)
        if actual != listed:
            problems.append(f"{name}: sha256 is {actual}, {CHECKSUMS_NAME} says {listed}")
        if source is not None and source.sha256 != listed:
            problems.append(f"{name}: {REGISTRY_NAME} says sha256 {source.sha256}, {CHECKSUMS_NAME} says {listed}")
        rows.append(
            {
                "file": name,
                "source_id": source.id if source is not None else "(not registered)",
                "bytes": len(raw),
                "lines": raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1),
                "sha256": actual,
                "matches_SHA256SUMS": actual == listed,
                "matches_registry": source is not None and source.sha256 == actual,
            }
        )
    if problems:
        raise ChecksumError(f"{folder}: the seeds are not the ones recorded: " + "; ".join(problems))
    return pd.DataFrame(rows)


def seed_files(checksums: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    """The checksum table (`seed_checksums`) with each source's bibliography key and a
    `verified` column: the file matches both SHA256SUMS and the registry."""
    table = checksums.merge(citations[["source_id", "bibkey"]], on="source_id", how="left")
    table["verified"] = table["matches_SHA256SUMS"] & table["matches_registry"]
    return table


def check_citations(seeds_dir: str | Path | None = None, bibfile: str | Path | None = None) -> pd.DataFrame:
    """Every registered source with its bibliography key; raises if one has no entry.

    columns: source_id, file, bibkey. The keys must be in SOURCE_CITATIONS and in
    references.bib (by default the one next to seeds/).
    """
    folder = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    bib = Path(bibfile) if bibfile is not None else folder.parent / "references.bib"
    keys = set(re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8"), flags=re.M))
    rows, problems = [], []
    for source in load_registry(folder).sources:
        key = SOURCE_CITATIONS.get(source.id)
        if key is None:
            problems.append(f"source {source.id!r} has no key in framelens.reproducibility.SOURCE_CITATIONS")
        elif key not in keys:
            problems.append(f"source {source.id!r}: key {key!r} is not in {bib.name}")
        rows.append({"source_id": source.id, "file": source.file, "bibkey": key})
    if problems:
        raise ValueError("every source must be cited: " + "; ".join(problems))
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- packages


def pinned_requirements(path: str | Path | None = None) -> list[tuple[str, str]]:
    """(name, version) for every `name==version` line of requirements.txt, in file order."""
    path = Path(path) if path is not None else project_root() / "requirements.txt"
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)", line)
        if match:
            pins.append((match.group(1), match.group(2)))
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def package_versions(path: str | Path | None = None) -> pd.DataFrame:
    """Every pinned package with the version installed where the book is built.

    columns: package, pinned, installed ("(not installed)" if absent), matches.
    """
    rows = []
    for name, pinned in pinned_requirements(path):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "(not installed)"
        rows.append({"package": name, "pinned": pinned, "installed": installed, "matches": installed == pinned})
    table = pd.DataFrame(rows, columns=["package", "pinned", "installed", "matches"])
    return table.sort_values("package", key=lambda col: col.map(_normal), kind="stable").reset_index(drop=True)


def check_versions(table: pd.DataFrame) -> None:
    """Raise if the build runs with any package other than the pinned version."""
    wrong = table[~table["matches"]]
    if len(wrong):
        listed = ", ".join(f"{r.package} (pinned {r.pinned}, installed {r.installed})" for r in wrong.itertuples())
        raise RuntimeError(f"the build environment is not the pinned one: {listed}; run `make book` to reinstall")


def environment() -> dict[str, str]:
    """The interpreter and the library itself, which requirements.txt does not pin."""
    from framelens import __version__

    return {
        "python": ".".join(str(part) for part in sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "framelens": __version__,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "(unset)"),
    }


# ----------------------------------------------------------------------------- adding a source

EXAMPLE_FILE = "900_example_note.txt"

EXAMPLE_TEXT = """\
Japan and India in a Changing Indo-Pacific

This short note is a worked example for the framelens book and is not part of its corpus.
Japan and India describe their partnership as special, strategic and global. Both governments
watch China closely, and both want open sea lanes from the Bay of Bengal to the East China Sea.
The United States remains Japan's only treaty ally, while India prefers to keep its options open.
Tokyo and New Delhi therefore meet in many formats: summits, two-plus-two talks between foreign
and defence ministers, and the Quad with Australia and the US.
Trade has grown more slowly than diplomacy. Japanese firms still find it hard to invest in Indian
manufacturing, and India worries about its trade deficit with China.
A railway, a few ports and a cautious dialogue on defence equipment are the visible results so far.
"""

# The registry entry for EXAMPLE_TEXT, as a reader would write it (add_source fills in the sha256).
EXAMPLE_ENTRY = """\
  - id: example-2024-note
    file: 900_example_note.txt
    sha256: {sha256}
    title: Japan and India in a Changing Indo-Pacific
    title_status: stated
    authors: [A. N. Example]
    publisher: framelens worked example
    date:
      value: "2024-05"
      status: inferred
      basis: Written for this example in the book; the month is arbitrary.
    kind: analysis/op-ed
    outlet_based_in: null
    units:
      - id: 2024-example
        about: japan-india
        title: Japan and India in a Changing Indo-Pacific
        authors: [A. N. Example]
        body: [[1, 11]]
"""


def add_source(seeds_dir: str | Path, text: str, entry: str) -> str:
    """Add a seed to `seeds_dir`: write the file, append its sha256 to SHA256SUMS and append
    `entry` (one item of the registry's `sources` list, as YAML text, with `{sha256}` where the
    checksum goes) to sources.yml. Returns the entry as written. Seeds are never overwritten.
    """
    folder = Path(seeds_dir)
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    written = entry.replace("{sha256}", digest)
    parsed = yaml.safe_load("sources:\n" + written)["sources"]
    if not (isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict) and "file" in parsed[0]):
        raise ValueError("entry must be exactly one item of the registry's sources list")
    target = folder / parsed[0]["file"]
    if target.exists():
        raise FileExistsError(f"{target} exists: seeds are never overwritten")
    target.write_bytes(raw)
    with open(folder / CHECKSUMS_NAME, "a", encoding="utf-8", newline="\n") as sums:
        sums.write(f"{digest}  {target.name}\n")
    registry = folder / REGISTRY_NAME
    current = registry.read_text(encoding="utf-8")
    separator = "\n" if current.endswith("\n") else "\n\n"
    registry.write_text(current + separator + written, encoding="utf-8")
    return written


@dataclass(frozen=True)
class WorkedExample:
    entry: str  # the registry entry as appended to sources.yml
    units: pd.DataFrame  # the units table of the copy with the new source
    units_before: pd.DataFrame  # the units table of the seeds as they are
    counts: pd.DataFrame  # references per state in the new unit (count_mentions, by_form=False)
    unit_id: str


def worked_example(seeds_dir: str | Path | None = None) -> WorkedExample:
    """Add the example source to a temporary copy of the seeds and run the library on it.

    Nothing outside the temporary directory is written, so the book's corpus never changes.
    """
    from framelens.measures.references import count_mentions, mentions_table

    folder = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    before = load_units(folder)
    with tempfile.TemporaryDirectory(prefix="framelens-example-") as tmp:
        copy = Path(tmp) / "seeds"
        shutil.copytree(folder, copy)
        entry = add_source(copy, EXAMPLE_TEXT, EXAMPLE_ENTRY)
        seed_checksums(copy)  # the copy is consistent: every file listed, registered, verified
        after = load_units(copy)
        unit_id = yaml.safe_load("sources:\n" + entry)["sources"][0]["units"][0]["id"]
        corpus = load_corpus(copy)
        counts = count_mentions(mentions_table(corpus), corpus.sentences, corpus.units, by_form=False)
    counts = counts[counts["unit_id"] == unit_id].reset_index(drop=True)
    return WorkedExample(entry=entry, units=after, units_before=before, counts=counts, unit_id=unit_id)
