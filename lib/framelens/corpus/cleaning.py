"""Derive clean text from seed lines, keeping a way back from every character to the seed.

Cleaning never edits a seed. It reads the lines of a unit and builds new text in which every
character remembers the seed offset it came from (`Cleaned.origin`), so any match in the clean
text can be traced to its file and line.

Why this is hand-written: off-the-shelf cleaners (BeautifulSoup, markdown renderers,
ftfy) return new strings without a character map, and the map is the point here. Each rule is
one alternative of `_INLINE` and is tested in `tests/test_cleaning.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

# Markup that goes entirely, or is replaced by the text it wraps.
_INLINE = re.compile(
    r"""
      (?P<mdlink>\[(?P<label>[^\]\n]*)\]\((?P<target>[^)\s]*)\))     # [label](target)
    | (?P<autolink><(?:https?|ftp)://[^>\s]*>)                        # <http://...>
    | (?P<sup><sup>\s*[\d,\s*†‡-]*</sup>)                              # footnote marker
    | (?P<supword><sup>(?P<supinner>[^<]*)</sup>)                     # 19<sup>th</sup>: keep "th"
    | (?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)                # any other HTML tag
    | (?P<url>(?:https?://|ftp://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"’”])   # bare URL
    | (?P<fnref>\[\d{1,3}\])                                          # [12] note reference
    | (?P<entity>&(?:amp|lt|gt|quot|apos|nbsp|\#\d{1,6});)            # HTML entity
    | (?P<escape>\\+(?=[^\sA-Za-z0-9]))                               # markdown escapes
    | (?P<emph>\*{1,3}|(?<!\w)_{1,2}(?=\w)|(?<=\w)_{1,2}(?!\w))       # emphasis markers
    | (?P<space>(?:[^\S ]|\x20(?=\s))\s*)                         # whitespace but a lone space
    | (?P<char>[‘’‚‛′“”„‟″«»\u00ad])                                  # quotes, soft hyphen
    """,
    re.VERBOSE,
)
# Every alternative of _INLINE starts with one of these: `_markup` jumps from one to the next
# instead of trying a dozen alternatives at every character (2x faster cleaning).
_TRIGGER = re.compile(r"[\[<&\\*_‘’‚‛′“”„‟″«»\u00ad]|[^\S ]|\x20(?=\s)|https?://|ftp://|www\.")


def _markup(line: str):
    """The matches `_INLINE.finditer(line)` yields (tests/test_cleaning.py checks they agree)."""
    pos = 0
    search, match = _TRIGGER.search, _INLINE.match
    while True:
        trigger = search(line, pos)
        if trigger is None:
            return
        found = match(line, trigger.start())
        if found is None:
            pos = trigger.start() + 1
        else:
            yield found
            pos = found.end()


_CHAR_MAP = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "«": '"',
    "»": '"',
    "\u00ad": "",
}
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&nbsp;": " "}
_URLISH = re.compile(r"^(?:https?://|ftp://|www\.)", re.I)

_ATX = re.compile(r"^(#{1,6})\s+")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)]|[-•*])\s+\S")
_TERMINAL = re.compile(r"""[.!?:;]["')\]]*$""")
_SENTENCE_END = re.compile(r"""[.!?]["')\]]*$""")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")


@dataclass
class Cleaned:
    """Clean text and, for each character, its offset in the seed text."""

    text: str = ""
    origin: list[int] = field(default_factory=list)

    def append(self, piece: str, start: int, exact: bool) -> None:
        """Add `piece`; `exact` maps char i to start+i, else every char maps to `start`."""
        if not piece:
            return
        self.text += piece
        self.origin.extend(range(start, start + len(piece)) if exact else [start] * len(piece))

    def extend(self, other: Cleaned) -> None:
        self.text += other.text
        self.origin.extend(other.origin)

    def strip(self) -> Cleaned:
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return Cleaned(self.text[left:right], self.origin[left:right])

    def origin_array(self) -> np.ndarray:
        return np.asarray(self.origin, dtype=np.int64)


def clean_inline(line: str, offset: int = 0) -> Cleaned:
    """Clean one line of seed text that starts at seed offset `offset`."""
    out = Cleaned()
    pos = 0
    for match in _markup(line):
        out.append(line[pos : match.start()], offset + pos, exact=True)
        pos = match.end()
        kind = match.lastgroup
        at = offset + match.start()
        if kind == "mdlink":
            label = match.group("label")
            if label and not _URLISH.match(label.strip()):
                inner = clean_inline(label, offset + match.start("label"))
                out.extend(inner)
        elif kind == "supword":
            out.append(match.group("supinner"), offset + match.start("supinner"), exact=True)
        elif kind == "entity":
            char = (
                _ENTITIES.get(match.group(), " ")
                if not match.group().startswith("&#")
                else chr(int(match.group()[2:-1]))
            )
            out.append(_CHAR_MAP.get(char, " " if char.isspace() else char), at, exact=False)
        elif kind == "space":
            if out.text and not out.text.endswith(" "):
                out.append(" ", at, exact=False)
        elif kind == "char":
            out.append(_CHAR_MAP[match.group()], at, exact=False)
        # autolink, sup, tag, url, fnref, escape and emph markers are dropped
    out.append(line[pos:], offset + pos, exact=True)
    # Dropped markup can leave doubled or leading/trailing spaces and space before punctuation.
    return _tidy(out)


_UNTIDY = re.compile(r"^ | $|  | [.,;:!?)]")


def _tidy(cleaned: Cleaned) -> Cleaned:
    """Undo the gaps dropped markup leaves: doubled spaces, space before punctuation, ". ."."""
    text, origin = cleaned.text, cleaned.origin
    if not _UNTIDY.search(text):
        return cleaned  # nothing below would change (most lines): skip the walk over characters
    keep: list[int] = []
    for i, ch in enumerate(text):
        last = text[keep[-1]] if keep else ""
        if ch == " " and (not keep or last == " "):
            continue
        if ch in ".,;:!?)" and last == " ":
            keep.pop()
            last = text[keep[-1]] if keep else ""
            if ch in ".,;:" and last in ".,;:":
                continue  # "2015. ." where a URL was dropped between the stops
        keep.append(i)
    return Cleaned("".join(text[i] for i in keep), [origin[i] for i in keep]).strip()


def count_words(text: str) -> int:
    """Words as the book counts them: runs of letters/digits, joined by inner ' or -."""
    return sum(1 for _ in _WORD.finditer(text))


@dataclass
class Block:
    """A paragraph or heading of clean text, with the seed lines it came from."""

    cleaned: Cleaned
    first_line: int
    heading_level: int = 0  # 0 = not a heading
    emphasized: bool = False  # the heading was a whole-line *emphasis*
    list_item: bool = False


def _heading(line: str) -> tuple[int, bool] | None:
    """(level, emphasized) if the raw line is marked up as a heading."""
    stripped = line.strip()
    atx = _ATX.match(stripped)
    if atx:
        rest = stripped[atx.end() :].strip()
        return len(atx.group(1)), bool(re.fullmatch(r"\*+[^*].*\*+", rest))
    if re.fullmatch(r"(\*{1,3})[^*\s\"“'‘].*?[^*\s]\1", stripped):
        return 5, True
    return None


_MINOR_WORDS = frozenset(
    "a an the and or nor but of in on at to for with by from as into onto toward towards vs versus "
    "than over under between via per its their his her".split()
)


def _is_plain_heading(text: str, all_caps: bool = False) -> bool:
    """A short title-like line: few words, no closing punctuation, in Title Case.

    Title Case means every word but the minor ones starts with a capital or a digit;
    `all_caps` demands capitals throughout (PDF headings such as "EXECUTIVE SUMMARY").
    """
    words = text.split()
    if not (
        0 < len(words) <= 10
        and text[0].isupper()
        and not _TERMINAL.search(text)
        and not text.endswith((",", "-", "–", "—"))
        and not _LIST_ITEM.match(text)
    ):
        return False
    if all_caps:
        return text.upper() == text
    major = [w.strip("\"'“”‘’(") for w in words if w.lower().strip("\"'“”‘’(") not in _MINOR_WORDS]
    return all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in major if w)


def _continues(previous: Block, line_text: str) -> bool:
    """Does `line_text` continue `previous` across a page break (PDF extraction)?"""
    if previous.heading_level or _TERMINAL.search(previous.cleaned.text):
        return False
    if re.search(r"[A-Za-z]-$", previous.cleaned.text):
        return True
    last_word = previous.cleaned.text.rsplit(" ", 1)[-1]
    return line_text[:1].islower() or (last_word.isalpha() and last_word.islower())


def clean_lines(lines: list[tuple[int, str, int]], layout: str = "lines") -> list[Block]:
    """Clean (line number, raw line, seed offset) triples into paragraphs and headings.

    layout "lines": each line is a paragraph (HTML or Markdown extractions), except that a
    line broken by a page break is joined to the next (see `_continues`).
    layout "pdf": lines are wrapped text; a paragraph runs on, across blank lines, until a line
    ends a sentence (the 2014 summary breaks every line and puts a blank line between them).
    """
    blocks: list[Block] = []
    open_block: Block | None = None
    for number, raw, offset in lines:
        if not raw.strip() or _RULE.match(raw):
            if layout == "lines" and open_block is not None and not _can_wait(open_block):
                open_block = None
            continue
        marked = _heading(raw)
        atx = _ATX.match(raw.lstrip())
        body_start = offset + (len(raw) - len(raw.lstrip())) + (atx.end() if atx else 0)
        cleaned = clean_inline(raw.strip()[atx.end() :] if atx else raw.strip(), body_start)
        if not cleaned.text:
            continue
        text = cleaned.text
        if (
            open_block is not None
            and not marked
            and (layout == "pdf" and not _SENTENCE_END.search(open_block.cleaned.text) or _continues(open_block, text))
        ):
            _join(open_block, cleaned)
            continue
        block = Block(cleaned=cleaned, first_line=number)
        if marked:
            block.heading_level, block.emphasized = marked
        elif _LIST_ITEM.match(text):
            block.list_item = True
        elif _is_plain_heading(text, all_caps=layout == "pdf"):
            block.heading_level = 2
        blocks.append(block)
        open_block = None if block.heading_level else block
    return blocks


def _can_wait(block: Block) -> bool:
    """An open paragraph may continue after a blank line only if it did not end a sentence."""
    return not block.heading_level and not _SENTENCE_END.search(block.cleaned.text)


def _join(block: Block, cleaned: Cleaned) -> None:
    if re.search(r"[A-Za-z]-$", block.cleaned.text):
        block.cleaned.extend(cleaned)  # "US-" + "India": a word broken at a hyphen
    else:
        block.cleaned.append(" ", block.cleaned.origin[-1] + 1, exact=False)
        block.cleaned.extend(cleaned)
