"""The source registry (`seeds/sources.yml`): what each seed file is and which lines are briefs.

`load_registry(seeds_dir)` validates everything before anything is derived from the seeds, and
raises `RegistryError` naming the file, the field and what is wrong. The YAML is read by
`datafiles.StrictLoader` (no aliases, no duplicate keys, bounded nesting and size); the
structure is checked by pydantic models (missing, unknown and mistyped fields, dates; line
numbers must be integers, not `true` or "28"); the checks that need the seed files themselves
(existence, links, checksum, encoding, spans) follow in `_check_files`. A seed that is a
symbolic link must point inside the seeds folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator, model_validator

from framelens.datafiles import StrictLoader, describe, link_problem, quote, read_yaml, shorten
from framelens.paths import REGISTRY_NAME

KINDS = ("event summary", "policy brief", "analysis/op-ed")
_ID = r"^[a-z0-9][a-z0-9-]*$"


class RegistryError(ValueError):
    """A problem in the registry or a seed file, with where it is."""

    def __init__(self, file: str | Path, field: str, reason: str):
        self.file = str(file)
        self.field = shorten(field, 200)
        self.reason = shorten(reason)
        super().__init__(f"{self.file}: {self.field}: {self.reason}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Span = tuple[StrictInt, StrictInt]  # strict: YAML's `true` is not line 1


class DateInfo(_Strict):
    value: str
    status: Literal["stated", "inferred"]
    basis: str = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _iso(cls, value: str) -> str:
        parse_date(value)
        return value


class RemovedSpan(_Strict):
    lines: Span
    what: str = Field(min_length=1)


class Unit(_Strict):
    id: str = Field(pattern=_ID)
    # The relationship the unit addresses: "japan-india", "japan-australia", ... or
    # "japan-general" for a text about Japan's diplomacy as a whole. Chapters select units
    # by it (the like-for-like comparison uses the japan-india units), never by title or id.
    about: str = Field(pattern=r"^japan-(general|[a-z]+)$")
    title: str = Field(min_length=1)
    authors: list[str]
    body: list[Span] = Field(min_length=1)
    notes: list[Span] = []


class Source(_Strict):
    id: str = Field(pattern=_ID)
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str | None
    title_status: Literal["stated", "inferred", "unknown"]
    authors: list[str]
    publisher: str | None
    publisher_status: Literal["stated", "inferred"] = "stated"
    date: DateInfo
    kind: Literal[KINDS]  # type: ignore[valid-type]
    outlet_based_in: str | None
    outlet_based_in_status: Literal["stated", "inferred"] = "stated"
    # The web address the document itself states (null where it states none).
    address: str | None = None
    address_status: Literal["stated", "inferred"] = "stated"
    layout: Literal["lines", "pdf"] = "lines"
    removed: list[RemovedSpan] = []
    units: list[Unit] = Field(min_length=1)

    @model_validator(mode="after")
    def _title_known(self) -> Source:
        if (self.title is None) != (self.title_status == "unknown"):
            raise ValueError("title must be null exactly when title_status is 'unknown'")
        return self

    @property
    def year(self) -> int:
        return parse_date(self.date.value).year


class Registry(_Strict):
    sources: list[Source] = Field(min_length=1)


def parse_date(value: str) -> dt.date:
    """Parse an ISO date that may be partial (YYYY, YYYY-MM, YYYY-MM-DD) to its first day."""
    # ASCII digits only: "٢٠٢٥" is a year to `\d` and to int(), not to a reader of ISO dates.
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", str(value))
    if not match:
        raise ValueError(f"{quote(value)} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{quote(value)} is not a valid date: {exc}") from None


@dataclass(frozen=True)
class SeedFile:
    """A validated seed: its decoded text and where each line starts."""

    path: Path
    text: str
    line_starts: tuple[int, ...]

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, without its line break."""
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\n")

    @property
    def n_lines(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character `offset`."""
        from bisect import bisect_right

        return bisect_right(self.line_starts, offset)


@dataclass(frozen=True)
class LoadedRegistry:
    path: Path
    registry: Registry
    seeds: dict[str, SeedFile]  # by source id

    @property
    def sources(self) -> list[Source]:
        return self.registry.sources


class _TextDatesLoader(StrictLoader):
    """YAML without implicit dates: `2022-13-01` stays text, so the date check can name it."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in StrictLoader.yaml_implicit_resolvers.items()
}


def load_registry(seeds_dir: str | Path) -> LoadedRegistry:
    """Read and validate `seeds_dir/sources.yml` and the seed files it names."""
    seeds_dir = Path(seeds_dir)
    path = seeds_dir / REGISTRY_NAME
    if path.is_symlink() and (problem := link_problem(path, seeds_dir)):
        raise RegistryError(path, "-", f"the registry file is {problem}")
    data = read_yaml(path, RegistryError, "registry", loader=_TextDatesLoader, mapping="with a 'sources' list")
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        field, reason = describe(
            exc.errors()[0], unknown="unknown field (not part of the registry schema)", show_input=True
        )
        raise RegistryError(path, field or "-", reason) from None
    seeds = _check_files(path, seeds_dir, registry)
    return LoadedRegistry(path=path, registry=registry, seeds=seeds)


def _check_files(path: Path, seeds_dir: Path, registry: Registry) -> dict[str, SeedFile]:
    seen_sources: dict[str, int] = {}
    seen_units: dict[str, str] = {}
    seen_files: dict[str, int] = {}
    seeds: dict[str, SeedFile] = {}
    for i, source in enumerate(registry.sources):
        where = f"sources[{i}]"
        if source.id in seen_sources:
            raise RegistryError(
                path, f"{where}.id", f"duplicate source id {source.id!r} (also sources[{seen_sources[source.id]}])"
            )
        seen_sources[source.id] = i
        if source.file in seen_files:
            raise RegistryError(
                path, f"{where}.file", f"{source.file!r} is already described by sources[{seen_files[source.file]}]"
            )
        seen_files[source.file] = i
        for j, unit in enumerate(source.units):
            if unit.id in seen_units:
                raise RegistryError(
                    path,
                    f"{where}.units[{j}].id",
                    f"duplicate unit id {unit.id!r} (also in source {seen_units[unit.id]!r})",
                )
            seen_units[unit.id] = source.id
        seeds[source.id] = _check_seed(path, seeds_dir, where, source)
    return seeds


def _check_seed(path: Path, seeds_dir: Path, where: str, source: Source) -> SeedFile:
    file = seeds_dir / source.file
    if Path(source.file).name != source.file or "\x00" in source.file:
        raise RegistryError(
            path, f"{where}.file", f"{quote(source.file)} must be a file name inside {seeds_dir}, not a path"
        )
    if file.is_symlink() and (problem := link_problem(file, seeds_dir)):
        raise RegistryError(file, f"{where}.file", f"the seed file is {problem}: seeds must be files in {seeds_dir}")
    if file.is_dir():
        raise RegistryError(file, f"{where}.file", "seed file is a directory, not a file")
    if not file.is_file():
        raise RegistryError(file, f"{where}.file", "seed file not found")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise RegistryError(file, f"{where}.file", f"seed file cannot be read ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != source.sha256:
        raise RegistryError(
            file,
            f"{where}.sha256",
            f"checksum mismatch: the file's sha256 is {digest}, the registry says {source.sha256}",
        )
    if not raw.strip():
        raise RegistryError(file, f"{where}.file", "seed file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RegistryError(
            file, f"{where}.file", f"not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}"
        ) from None
    starts = [0] + [m.end() for m in re.finditer("\n", text) if m.end() < len(text)]
    seed = SeedFile(path=file, text=text, line_starts=tuple(starts))

    owner: dict[int, str] = {}
    spans: list[tuple[str, Span]] = []
    for j, unit in enumerate(source.units):
        spans += [(f"{where}.units[{j}].body[{k}]", s) for k, s in enumerate(unit.body)]
        spans += [(f"{where}.units[{j}].notes[{k}]", s) for k, s in enumerate(unit.notes)]
    spans += [(f"{where}.removed[{k}].lines", r.lines) for k, r in enumerate(source.removed)]
    for field, (first, last) in spans:
        if first < 1 or last < first:
            raise RegistryError(
                path, field, f"span [{first}, {last}] is not a range of line numbers (1-based, first <= last)"
            )
        if last > seed.n_lines:
            raise RegistryError(
                path, field, f"span [{first}, {last}] falls outside {source.file}, which has {seed.n_lines} lines"
            )
        for line in range(first, last + 1):
            if line in owner:
                raise RegistryError(path, field, f"span [{first}, {last}] overlaps {owner[line]} at line {line}")
            owner[line] = field
    for line in range(1, seed.n_lines + 1):
        if line not in owner and seed.line(line).strip():
            raise RegistryError(
                path,
                f"{where}",
                f"line {line} of {source.file} is in no unit body, notes or removed span: {seed.line(line)[:60]!r}",
            )
    return seed
