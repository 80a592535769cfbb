"""Veiled references: phrases that point at a state without naming it (`data/veiled.yml`).

Reported apart from named references; never added to a state's count.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from framelens.datafiles import StrictLoader, describe, read_yaml
from framelens.paths import VEILED_FILE

DEFAULT_PATH = VEILED_FILE


class VeiledError(ValueError):
    def __init__(self, file, field, reason):
        self.file, self.field, self.reason = str(file), field, reason
        super().__init__(f"{self.file}: {field}: {reason}")


class Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    pattern: str = Field(min_length=1)
    points_to: str = Field(min_length=1)
    why: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value):
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern does not compile: {exc}") from None
        return value


class VeiledLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    phrases: list[Phrase] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_veiled(path: str | None = None) -> VeiledLexicon:
    file = Path(path) if path else DEFAULT_PATH
    data = read_yaml(file, VeiledError, "veiled-phrase", loader=StrictLoader)
    try:
        lexicon = VeiledLexicon.model_validate(data)
    except ValidationError as exc:
        raise VeiledError(file, *describe(exc.errors()[0])) from None
    ids = [p.id for p in lexicon.phrases]
    for i, pid in enumerate(ids):
        if pid in ids[:i]:
            raise VeiledError(file, f"phrases[{i}].id", f"duplicate id {pid!r}")
    return lexicon


def find_veiled(text: str, path: str | None = None) -> pd.DataFrame:
    """Veiled references in `text`: phrase_id, points_to, surface, start, end."""
    rows = []
    for phrase in load_veiled(path).phrases:
        for match in re.finditer(phrase.pattern, text, flags=re.IGNORECASE):
            rows.append((phrase.id, phrase.points_to, match.group(), match.start(), match.end()))
    rows.sort(key=lambda r: r[3])
    return pd.DataFrame(rows, columns=["phrase_id", "points_to", "surface", "start", "end"])


VEILED_COLUMNS = ["unit_id", "sentence", "seed_file", "seed_line", "phrase_id", "points_to", "surface", "sentence_text"]


def veiled_table(sentences: pd.DataFrame, path: str | None = None) -> pd.DataFrame:
    """Every veiled reference in the corpus, with its sentence and seed line, in context.

    In: `sentences` (`corpus.sentences`: unit_id, sentence, seed_file, seed_line, text);
    `path`: a veiled-phrase file (default: the packaged one). Out: unit_id, sentence,
    seed_file, seed_line, phrase_id, points_to, surface, sentence_text; one row per hit, in
    sentence order.
    """
    rows = []
    for s in sentences.itertuples():
        for hit in find_veiled(s.text, path).itertuples():
            rows.append(
                {
                    "unit_id": s.unit_id,
                    "sentence": s.sentence,
                    "seed_file": s.seed_file,
                    "seed_line": s.seed_line,
                    "phrase_id": hit.phrase_id,
                    "points_to": hit.points_to,
                    "surface": hit.surface,
                    "sentence_text": s.text,
                }
            )
    return pd.DataFrame(rows, columns=VEILED_COLUMNS)


def veiled_per_unit(veiled: pd.DataFrame) -> pd.DataFrame:
    """Veiled references per unit and state pointed to. In: `veiled_table`. Out: unit_id,
    points_to, veiled (in order of first appearance)."""
    return veiled.groupby(["unit_id", "points_to"], sort=False).size().rename("veiled").reset_index()
