"""The frame codebook (`data/frames.yml`): its model, its cue syntax and its loader.

A frame is an emphasis frame (Entman 1993): which aspect of the Japan-India relationship a
sentence makes salient. The codebook is data; `load_codebook` validates it with pydantic and
fails with `CodebookError` naming the file, the field and the problem (missing or unknown
field, duplicate or missing frame id, empty cue, bad wildcard, unsupported character,
duplicate cue within a frame). `codebook()` is the packaged codebook, loaded once per path.

The model holds data only; the tagger compiled from it lives in `framelens.measures.tagger`
(`get_tagger(codebook)`), which owns that cache.

codebook_table()  one row per frame, for a CSV of the codebook
    frame, label, definition, include, exclude, cues, exclude_phrases (lists "; "-joined)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from framelens.datafiles import StrictLoader, describe, read_yaml
from framelens.paths import CODEBOOK_FILE

DEFAULT_PATH = CODEBOOK_FILE
FRAME_IDS = ("security", "economy", "tech_security", "values", "institutions", "autonomy", "history", "leaders")


class CodebookError(ValueError):
    def __init__(self, file: str | Path, field: str, reason: str):
        self.file, self.field, self.reason = str(file), field, reason
        super().__init__(f"{self.file}: {field}: {reason}")


# --------------------------------------------------------------------------- cue syntax

# The hyphens and dashes that may join a cue's words (escaped for a character class).
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_CUE_CHARS = re.compile(r"^[A-Za-z0-9 '’&+./*-]+$")


def _check_cue(cue: str) -> str:
    """A cue or exclude phrase is well formed: letters, digits and a few joiners, at most one
    trailing wildcard on a stem of three or more characters."""
    if not cue or not cue.strip():
        raise ValueError("empty cue")
    if cue != cue.strip():
        raise ValueError(f"cue {cue!r} has leading or trailing spaces")
    if not _CUE_CHARS.match(cue):
        bad = sorted(set(ch for ch in cue if not _CUE_CHARS.match(ch)))
        raise ValueError(
            f"cue {cue!r} has unsupported character(s) {''.join(bad)!r} (cues are words, not regular expressions)"
        )
    if "*" in cue:
        stem = cue_words(cue)[-1]
        if (
            cue.count("*") > 1
            or not cue.endswith("*")
            or len(stem.rstrip("*")) < 3
            or not stem.rstrip("*")[-1].isalnum()
        ):
            raise ValueError(
                f"bad wildcard in {cue!r}: '*' may only end the last word, after a stem of 3 or more letters"
            )
    if not cue[0].isalnum():
        raise ValueError(f"cue {cue!r} must begin with a letter or digit")
    return cue


def cue_words(cue: str) -> list[str]:
    """A cue's words: split at whitespace and at hyphens (either may join them in a text)."""
    return [w for w in re.split(rf"[\s{DASHES}]+", cue) if w]


def _key(cue: str) -> str:
    return " ".join(cue_words(cue.lower().replace("’", "'")))


Cue = Annotated[str, AfterValidator(_check_cue)]


# --------------------------------------------------------------------------- model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Frame(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    include: list[str] = []
    exclude: list[str] = []
    cues: list[Cue] = Field(min_length=1)
    exclude_phrases: list[Cue] = []

    @field_validator("cues", "exclude_phrases")
    @classmethod
    def _unique(cls, cues: list[str], info: ValidationInfo) -> list[str]:
        seen: dict[str, int] = {}
        for i, cue in enumerate(cues):
            key = _key(cue)
            if key in seen:
                raise ValueError(
                    f"cue {cue!r} appears twice ({info.field_name}[{seen[key]}] {cues[seen[key]]!r} and "
                    f"{info.field_name}[{i}]; matching ignores case, and hyphens equal spaces)"
                )
            seen[key] = i
        return cues


class Codebook(_Strict):
    version: int
    frames: list[Frame] = Field(min_length=1)
    source: str = ""

    @field_validator("frames")
    @classmethod
    def _ids(cls, frames: list[Frame]) -> list[Frame]:
        seen: dict[str, int] = {}
        for i, frame in enumerate(frames):
            if frame.id in seen:
                raise ValueError(f"duplicate frame id {frame.id!r} (frames[{seen[frame.id]}] and frames[{i}])")
            seen[frame.id] = i
        missing = [f for f in FRAME_IDS if f not in seen]
        if missing:
            # A user may add frames; the eight the book reports on must stay.
            raise ValueError(
                f"missing frame id(s) {', '.join(missing)}: the codebook must define {', '.join(FRAME_IDS)}"
            )
        return frames

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.frames)

    def frame(self, frame_id: str) -> Frame:
        for frame in self.frames:
            if frame.id == frame_id:
                return frame
        raise KeyError(frame_id)


# --------------------------------------------------------------------------- loading


def _frame_id(loc, data) -> str:
    """The id of the frame a location points into ('frames', 3, ...), if any."""
    if len(loc) >= 2 and loc[0] == "frames" and isinstance(loc[1], int):
        try:
            return str(data["frames"][loc[1]].get("id", ""))
        except (KeyError, IndexError, TypeError, AttributeError):
            return ""
    return ""


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook file (the packaged `data/frames.yml` by default)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_yaml(path, CodebookError, "codebook", loader=StrictLoader, mapping="with 'version' and 'frames'")
    try:
        return Codebook.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        error = exc.errors()[0]
        field, reason = describe(error)
        field = field or "-"
        frame_id = _frame_id(error["loc"], data)
        if frame_id and field.count(".") >= 1:
            reason = f"in frame {frame_id!r}: {reason}"
        raise CodebookError(path, field, reason) from None


@lru_cache(maxsize=8)
def _cached_codebook(path: str | None) -> Codebook:
    return load_codebook(path)


def codebook(path: str | Path | None = None) -> Codebook:
    """The validated codebook, loaded once per path (the same object each time)."""
    return _cached_codebook(str(path) if path is not None else None)


# --------------------------------------------------------------------------- as text and table


def codebook_header(path: str | Path | None = None) -> str:
    """The comment block at the top of the codebook file (what a frame is, the cue syntax)."""
    lines = []
    for line in Path(path or DEFAULT_PATH).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if lines:
                break
            continue
        lines.append(line[1:].removeprefix(" "))
    return "\n".join(lines).strip()


def codebook_table(book: Codebook | None = None) -> pd.DataFrame:
    """One row per frame: frame, label, definition, include, exclude, cues, exclude_phrases
    (lists "; "-joined), for a CSV of the codebook. `book` is the packaged codebook by default."""
    book = book or codebook()
    return pd.DataFrame(
        [
            {
                "frame": f.id,
                "label": f.label,
                "definition": " ".join(f.definition.split()),
                "include": "; ".join(f.include),
                "exclude": "; ".join(f.exclude),
                "cues": "; ".join(f.cues),
                "exclude_phrases": "; ".join(f.exclude_phrases),
            }
            for f in book.frames
        ]
    )
