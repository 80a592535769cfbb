"""Words for numbers in generated prose: plurals that agree, small counts in words, "all four".

Written by hand because what the book needs is four small rules (inflect-style libraries
cover far more English than this and still need the same "all four"/"none of the" choices).
"""

from __future__ import annotations

_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def number_word(n: int) -> str:
    """ "four" for 4, up to twelve; digits (with thousands separators) beyond."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def count_noun(n: int, singular: str, plural: str | None = None, words: bool = True) -> str:
    """ "1 sentence", "3 sentences" (with `words`, "one sentence", "three sentences")."""
    noun = singular if n == 1 else (plural or singular + "s")
    return f"{number_word(n) if words else f'{n:,}'} {noun}"


def k_of_n(k: int, n: int, noun: str, plural: str | None = None) -> str:
    """ "all four policy briefs", "three of the four policy briefs", "none of the four ...",
    "both policy briefs", "the one policy brief"."""
    nouns = plural or noun + "s"
    if n == 1:
        return f"the one {noun}" if k == 1 else f"not the one {noun}"
    if k == n:
        return f"both {nouns}" if n == 2 else f"all {number_word(n)} {nouns}"
    if k == 0:
        return f"neither of the two {nouns}" if n == 2 else f"none of the {number_word(n)} {nouns}"
    return f"{number_word(k)} of the {number_word(n)} {nouns}"


def join_and(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def direction(
    change: float, clear: bool, up: str = "rose", down: str = "fell", flat: str = "did not clearly change"
) -> str:
    """The verb for a change: `up`/`down` only when the change is `clear`."""
    if not clear:
        return flat
    return up if change > 0 else down
