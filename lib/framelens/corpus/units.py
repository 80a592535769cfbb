"""The corpus: units (briefs) and their sentences as tidy tables, with provenance.

`load_units()` and `load_sentences()` read the project's `seeds/` (or the directory given) through
the validated registry, clean each unit's lines and split them into sentences.

units columns
    unit_id, source_id, seed_file, title, authors ("; "-joined), date (ISO, maybe partial),
    date_status, year, era ("2014-15" or "2022-25"), kind, about (the relationship
    the unit addresses: japan-india, japan-australia, ... or japan-general), text (clean body, paragraphs
    separated by a blank line), notes (clean notes), words (in text), heading_words,
    removed (the seed lines cleaning left out that belong to this unit), removed_lines
    (their number, blank lines not counted)
sentences columns
    unit_id, sentence (0-based index in the unit), text, start, end (offsets in the unit's
    text), seed_file, seed_line (1-based line where the sentence starts), is_heading,
    heading_level (0 for body text), section (the nearest section heading above it)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from framelens import paths
from framelens.corpus.cleaning import Block, Cleaned, clean_lines, count_words
from framelens.corpus.registry import LoadedRegistry, RegistryError, Source, load_registry
from framelens.corpus.sentences import split_sentences

PARAGRAPH_BREAK = "\n\n"
ERAS = {"2014-15": range(2014, 2016), "2022-25": range(2022, 2026)}


def era_of(year: int) -> str:
    for name, years in ERAS.items():
        if year in years:
            return name
    return f"{year}"


def find_seeds_dir(start: str | Path | None = None) -> Path:
    """The project's seeds/ (see `framelens.paths.seeds_dir`)."""
    return paths.seeds_dir(start)


@dataclass(frozen=True)
class UnitText:
    """One unit's clean text with its character provenance and heading spans."""

    unit_id: str
    seed_file: str
    text: str
    origin: np.ndarray  # seed character offset of every character of `text`
    line_starts: tuple[int, ...]
    headings: tuple[tuple[int, int, int, bool], ...]  # (start, end, level, emphasized)
    blocks: tuple[tuple[int, int, int, bool], ...]  # every paragraph/heading: (start, end, level, emph)

    def seed_line(self, offset: int) -> int:
        """1-based seed line of the character at `offset` in the clean text."""
        from bisect import bisect_right

        if len(self.origin) == 0:
            return 0
        offset = min(max(offset, 0), len(self.origin) - 1)
        return bisect_right(self.line_starts, int(self.origin[offset]))

    def in_heading(self, offset: int) -> bool:
        return any(start <= offset < end for start, end, _, _ in self.headings)


@dataclass(frozen=True)
class Corpus:
    registry: LoadedRegistry
    units: pd.DataFrame
    sentences: pd.DataFrame
    texts: dict[str, UnitText]
    removed: pd.DataFrame


def _blocks_to_text(blocks: list[Block]) -> tuple[Cleaned, list[tuple[int, int, int, bool]]]:
    out = Cleaned()
    spans = []
    for block in blocks:
        if out.text:
            out.append(PARAGRAPH_BREAK, out.last_origin(), exact=False)
        start = len(out.text)
        out.extend(block.cleaned)
        spans.append((start, len(out.text), block.heading_level, block.emphasized))
    return out, spans


def _lines(seed, spans) -> list[tuple[int, str, int]]:
    return [(n, seed.line(n), seed.line_starts[n - 1]) for first, last in spans for n in range(first, last + 1)]


def _is_section(level: int, emphasized: bool) -> bool:
    # Section headings are the plain ones at levels 1-3; emphasized ones are sub-heads
    # (policy objectives, recommendations) that sit inside a section.
    return level > 0 and level <= 3 and not emphasized


def _build(registry: LoadedRegistry) -> Corpus:
    unit_rows, sentence_rows, removed_rows = [], [], []
    texts: dict[str, UnitText] = {}
    for i, source in enumerate(registry.sources):
        seed = registry.seeds[source.id]
        for j, unit in enumerate(source.units):
            body, heads = _blocks_to_text(clean_lines(_lines(seed, unit.body), source.layout))
            if not body.text.strip():
                raise RegistryError(
                    registry.path, f"sources[{i}].units[{j}].body", f"unit {unit.id!r} has an empty body after cleaning"
                )
            notes, _ = _blocks_to_text(clean_lines(_lines(seed, unit.notes), "lines"))
            text = UnitText(
                unit_id=unit.id,
                seed_file=source.file,
                text=body.text,
                origin=body.origin_array(),
                line_starts=seed.line_starts,
                headings=tuple(h for h in heads if h[2]),
                blocks=tuple(heads),
            )
            texts[unit.id] = text
            own_removed = _removed_for(source, unit, seed, removed_rows)
            unit_rows.append(
                {
                    "unit_id": unit.id,
                    "order": len(unit_rows),
                    "source_id": source.id,
                    "seed_file": source.file,
                    "title": unit.title,
                    "authors": "; ".join(unit.authors) if unit.authors else "unknown",
                    "date": source.date.value,
                    "date_status": source.date.status,
                    "year": source.year,
                    "era": era_of(source.year),
                    "kind": source.kind,
                    "about": unit.about,
                    "text": body.text,
                    "notes": notes.text,
                    "words": count_words(body.text),
                    "heading_words": sum(count_words(body.text[s:e]) for s, e, lvl, _ in heads if lvl),
                    "removed": "\n".join(line for _, line in own_removed),
                    "removed_lines": sum(1 for _, line in own_removed if line.strip()),
                }
            )
            sentence_rows += _sentences(text)
    units = pd.DataFrame(unit_rows)
    # Chronological, and within one source in the order of its registry entry (the volume's order).
    units = units.sort_values(["date", "order"], kind="stable").drop(columns="order").reset_index(drop=True)
    order = {u: k for k, u in enumerate(units["unit_id"])}
    sentences = pd.DataFrame(sentence_rows)
    sentences = sentences.sort_values(
        ["unit_id", "sentence"], key=lambda col: col.map(order) if col.name == "unit_id" else col
    ).reset_index(drop=True)
    removed = pd.DataFrame(
        removed_rows, columns=["source_id", "unit_id", "first_line", "last_line", "what", "lines", "words"]
    )
    return Corpus(registry=registry, units=units, sentences=sentences, texts=texts, removed=removed)


def _removed_for(source: Source, unit, seed, rows: list) -> list[tuple[int, str]]:
    """Removed spans that belong to `unit`: inside its line range, or all when it is alone.

    Spans that belong to no unit (a volume's cover, contents, back matter) are recorded once,
    with the source's first unit, under unit_id None.
    """

    def owner(span) -> str | None:
        if len(source.units) == 1:
            return source.units[0].id
        a, b = span.lines
        for candidate in source.units:
            lines = candidate.body + candidate.notes
            if min(s[0] for s in lines) <= a and b <= max(s[1] for s in lines):
                return candidate.id
        return None

    own = []
    for span in source.removed:
        belongs = owner(span)
        if belongs == unit.id or (belongs is None and unit is source.units[0]):
            rows.append(_removed_row(source, belongs, span, seed))
        if belongs == unit.id:
            own += [(n, seed.line(n)) for n in range(span.lines[0], span.lines[1] + 1)]
    return own


def _removed_row(source, unit_id, span, seed) -> dict:
    a, b = span.lines
    lines = [seed.line(n) for n in range(a, b + 1)]
    return {
        "source_id": source.id,
        "unit_id": unit_id,
        "first_line": a,
        "last_line": b,
        "what": span.what,
        "lines": sum(1 for line in lines if line.strip()),
        "words": sum(count_words(line) for line in lines),
    }


def _sentences(unit: UnitText) -> list[dict]:
    rows = []
    section = ""
    for start, end, level, emphasized in unit.blocks:
        block = unit.text[start:end]
        if level:
            spans = [(0, len(block))]
            if _is_section(level, emphasized):
                section = block
        else:
            spans = split_sentences(block)
        for a, b in spans:
            rows.append(
                {
                    "unit_id": unit.unit_id,
                    "sentence": len(rows),
                    "text": block[a:b],
                    "start": start + a,
                    "end": start + b,
                    "seed_file": unit.seed_file,
                    "seed_line": unit.seed_line(start + a),
                    "is_heading": bool(level),
                    "heading_level": level,
                    "section": section,
                }
            )
    return rows


def _fingerprint(seeds_dir: Path) -> tuple:
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file())
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)


@lru_cache(maxsize=8)
def _cached(seeds_dir: str, fingerprint: tuple) -> Corpus:
    return _build(load_registry(seeds_dir))


def load_corpus(seeds_dir: str | Path | None = None) -> Corpus:
    """The whole corpus (registry, units, sentences, provenance), cached while seeds are unchanged."""
    folder = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    folder = folder.resolve()
    if not folder.is_dir():
        raise RegistryError(folder, "-", "seeds directory not found")
    return _cached(str(folder), _fingerprint(folder))


def load_units(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per unit (brief); see the module docstring for the columns."""
    return load_corpus(seeds_dir).units.copy()


def load_sentences(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per sentence of every unit; see the module docstring for the columns."""
    return load_corpus(seeds_dir).sentences.copy()


def removed_table(seeds_dir: str | Path | None = None) -> pd.DataFrame:
    """What cleaning left out of each source: one row per removed span of the registry."""
    return load_corpus(seeds_dir).removed.copy()


def unit_text(unit_id: str, seeds_dir: str | Path | None = None) -> UnitText:
    return load_corpus(seeds_dir).texts[unit_id]


def _as_corpus(corpus: Corpus | str | Path | None) -> Corpus:
    # A loaded corpus is used as it is (chapters load it once); a folder (or None: the
    # project's seeds) is loaded through the cache.
    return corpus if isinstance(corpus, Corpus) else load_corpus(corpus)


def registry_table(corpus: Corpus | str | Path | None = None) -> pd.DataFrame:
    """The registry as one row per source, with what is stated and what is inferred."""
    corpus = _as_corpus(corpus)
    rows = []
    for source in corpus.registry.sources:
        rows.append(
            {
                "source_id": source.id,
                "file": source.file,
                "title": source.title if source.title is not None else "(not stated)",
                "title_status": source.title_status,
                "authors": "; ".join(source.authors) or "(not stated)",
                "publisher": source.publisher if source.publisher is not None else "(not stated)",
                "publisher_status": source.publisher_status if source.publisher is not None else "unknown",
                "date": source.date.value,
                "date_status": source.date.status,
                "date_basis": " ".join(source.date.basis.split()),
                "kind": source.kind,
                "outlet_based_in": source.outlet_based_in or "(not stated)",
                "units": len(source.units),
                "sha256": source.sha256,
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values("date", kind="stable").reset_index(drop=True)


def year_gaps(units: pd.DataFrame) -> list[tuple[int, int]]:
    """The runs of years without a unit between the first and the last year: [(first, last), ...]."""
    return empty_runs(list(units["year"]))


def empty_runs(years: list[int]) -> list[tuple[int, int]]:
    """The runs of years missing from `years` between its first and last: [(2016, 2021), (2024, 2024)]."""
    years = set(years)
    runs: list[tuple[int, int]] = []
    for year in range(min(years), max(years) + 1):
        if year in years:
            continue
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def sources_in(registry: pd.DataFrame, units: pd.DataFrame, era: str) -> pd.DataFrame:
    """The rows of `registry` (registry_table) of the sources with a unit in `era`."""
    return registry[registry["source_id"].isin(units.loc[units["era"] == era, "source_id"])]


def units_per_source(units: pd.DataFrame, era: str | None = None) -> pd.Series:
    """How many units each source contributes (in `era`, if given), largest first."""
    chosen = units if era is None else units[units["era"] == era]
    return chosen["source_id"].value_counts()


def removal_summary(corpus: Corpus | str | Path | None = None) -> pd.DataFrame:
    """Per source: seed lines and words, what went to unit bodies, notes, and what was removed."""
    corpus = _as_corpus(corpus)
    rows = []
    for source in corpus.registry.sources:
        seed = corpus.registry.seeds[source.id]
        units = corpus.units[corpus.units.source_id == source.id]
        removed = corpus.removed[corpus.removed.source_id == source.id]
        nonblank = sum(1 for n in range(1, seed.n_lines + 1) if seed.line(n).strip())
        rows.append(
            {
                "source_id": source.id,
                "seed_lines": nonblank,
                "seed_words": count_words(seed.text),
                "body_words": int(units["words"].sum()),
                "notes_words": int(units["notes"].map(count_words).sum()),
                "removed_lines": int(removed["lines"].sum()),
                "removed_words": int(removed["words"].sum()),
                "removed": "; ".join(dict.fromkeys(removed["what"])) or "(nothing)",
            }
        )
    return pd.DataFrame(rows)
