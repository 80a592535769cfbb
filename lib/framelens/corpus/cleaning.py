"""Derive clean text from seed lines, keeping a way back from every character to the seed.

Cleaning never edits a seed. It reads the lines of a unit and builds new text in which every
character remembers the seed offset it came from (`Cleaned.origin`), so any match in the clean
text can be traced to its file and line.

Why this is hand-written: off-the-shelf cleaners (BeautifulSoup, markdown renderers,
ftfy) return new strings without a character map, and the map is the point here. Each rule is
one alternative of `_INLINE` and is tested in `tests/test_cleaning.py`.

Cleaning takes time linear in the length of a line (tests/test_hostile.py sweeps sizes): text
is collected in lists and joined once, and the two rules whose regex would scan to the end of
the line at every opening character ("[" of a Markdown link, "<http://" of an autolink) are
tried only where the closing character they need is there (see `_markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

import numpy as np

# Markup that goes entirely, or is replaced by the text it wraps: one alternative per rule,
# tried in this order (each is read with re.VERBOSE).
_RULES = [
    r"(?P<mdlink>\[(?P<label>[^\]\n]*)\]\((?P<target>[^)\s]*)\))",  # [label](target)
    r"(?P<autolink><(?:https?|ftp)://[^>\s]*>)",  # <http://...>
    r"(?P<sup><sup>\s*[\d,\s*†‡-]*</sup>)",  # footnote marker
    r"(?P<supword><sup>(?P<supinner>[^<]*)</sup>)",  # 19<sup>th</sup>: keep "th"
    r"(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)",  # any other HTML tag
    r"""(?P<url>(?:https?://|ftp://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'"’”])""",  # bare URL
    r"(?P<fnref>\[\d{1,3}\])",  # [12] note reference
    r"(?P<entity>&(?:amp|lt|gt|quot|apos|nbsp|\#\d{1,6});)",  # HTML entity
    r"(?P<escape>\\+(?=[^\sA-Za-z0-9]))",  # markdown escapes
    r"(?P<emph>\*{1,3}|(?<!\w)_{1,2}(?=\w)|(?<=\w)_{1,2}(?!\w))",  # emphasis markers
    r"(?P<space>(?:[^\S ]|\x20(?=\s))\s*)",  # whitespace but a lone space
    r"(?P<char>[‘’‚‛′“”„‟″«»\u00ad])",  # quotes, soft hyphen
]


def _alternation(*leave_out: str) -> re.Pattern:
    return re.compile(
        "|".join(r for r in _RULES if not r.startswith(tuple(f"(?P<{n}>" for n in leave_out))), re.VERBOSE
    )


_INLINE = _alternation()
# The same without the Markdown link or the autolink, for where `_markup` knows they cannot match.
_INLINE_NO_MDLINK = _alternation("mdlink")
_INLINE_NO_AUTOLINK = _alternation("autolink")
# Where a Markdown link label must stop ("]"; it may not span a line), and where an autolink
# must ("<http://x y>" is no autolink).
_LABEL_STOP = re.compile(r"[\]\n]")
_AUTOLINK_STOP = re.compile(r"[>\s]")
# Every alternative of _INLINE starts with one of these: `_markup` jumps from one to the next
# instead of trying a dozen alternatives at every character (2x faster cleaning).
_TRIGGER = re.compile(r"[\[<&\\*_‘’‚‛′“”„‟″«»\u00ad]|[^\S ]|\x20(?=\s)|https?://|ftp://|www\.")


def _markup(line: str):
    """The matches `_INLINE.finditer(line)` yields (tests/test_cleaning.py checks they agree).

    Why the bookkeeping: at a "[" the Markdown-link rule reads the label up to the next "]",
    and at a "<" the autolink rule reads up to the next ">" or space; at each of a run of
    "[" (or "<http://") with no closing character that is a scan to the end of the line, so
    quadratic time. Here the next stop is found once and remembered until the scan passes it,
    and a link is tried only if the stop is the closing character (and, for a Markdown link,
    only once per stop: every "[" before the same "]" has the same "](target)" after it).
    """
    pos = 0
    search, match = _TRIGGER.search, _INLINE.match
    label_stop = autolink_stop = -1  # the next stop at or after the current position (-1: not known yet)
    tried_stop = -1  # the "]" after which "(target)" was looked for and not found
    n = len(line)
    while True:
        trigger = search(line, pos)
        if trigger is None:
            return
        at = trigger.start()
        first = line[at]
        if first == "[":
            if label_stop <= at:
                stop = _LABEL_STOP.search(line, at + 1)
                label_stop = stop.start() if stop else n
            if label_stop < n and line[label_stop] == "]" and label_stop != tried_stop:
                found = match(line, at)
                if found is None or found.lastgroup != "mdlink":
                    tried_stop = label_stop
            else:
                found = _INLINE_NO_MDLINK.match(line, at)
        elif first == "<":
            if autolink_stop <= at:
                stop = _AUTOLINK_STOP.search(line, at + 1)
                autolink_stop = stop.start() if stop else n
            if autolink_stop < n and line[autolink_stop] == ">":
                found = match(line, at)
            else:
                found = _INLINE_NO_AUTOLINK.match(line, at)
        else:
            found = match(line, at)
        if found is None:
            pos = at + 1
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


class Cleaned:
    """Clean text and, for each character, its offset in the seed text.

    Pieces are kept in lists and joined when `text` (or `origin`) is read, once per change, so
    building a text piece by piece takes linear time; `len(cleaned)` and `tail(n)` do not join.
    The offsets are kept as ranges until `origin` is read: a caller that wants only the text
    (`framelens analyse`, the streaming counts) never builds a list of one int per character."""

    __slots__ = ("_parts", "_length", "_origin")

    def __init__(self, text: str = "", origin: list[int] | None = None):
        self._parts: list[str] = [text] if text else []
        self._length = len(text)
        self._origin: list = [origin] if origin else []  # lists and ranges of offsets, in order

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    @property
    def origin(self) -> list[int]:
        if len(self._origin) != 1 or not isinstance(self._origin[0], list):
            self._origin = [list(chain.from_iterable(self._origin))]
        return self._origin[0]

    def __len__(self) -> int:
        return self._length

    def __eq__(self, other) -> bool:
        return isinstance(other, Cleaned) and (self.text, self.origin) == (other.text, other.origin)

    def __repr__(self) -> str:
        return f"Cleaned(text={self.text!r}, origin={self.origin!r})"

    def tail(self, n: int) -> str:
        """The last `n` characters (or fewer), without joining the whole text."""
        out: list[str] = []
        have = 0
        for part in reversed(self._parts):
            out.append(part[-(n - have) :])
            have += len(out[-1])
            if have >= n:
                break
        return "".join(reversed(out))

    def last_origin(self) -> int:
        """The seed offset of the last character (without building `origin`)."""
        return self._origin[-1][-1]

    def append(self, piece: str, start: int, exact: bool) -> None:
        """Add `piece`; `exact` maps char i to start+i, else every char maps to `start`."""
        if not piece:
            return
        self._parts.append(piece)
        self._length += len(piece)
        self._origin.append(range(start, start + len(piece)) if exact else [start] * len(piece))

    def extend(self, other: Cleaned) -> None:
        if other._length:
            self._parts.append(other.text)
            self._length += other._length
            self._origin.extend(other._origin)

    def strip(self) -> Cleaned:
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if left == 0 and right == len(text):
            return self
        return Cleaned(text[left:right], self.origin[left:right])

    def origin_array(self) -> np.ndarray:
        return np.asarray(self.origin, dtype=np.int64)


def clean_inline(line: str, offset: int = 0) -> Cleaned:
    """Clean one line of seed text that starts at seed offset `offset`."""
    out = Cleaned()
    pos = 0
    last = ""  # the last character of `out` (reading out.text would join it at every space)
    for match in _markup(line):
        piece = line[pos : match.start()]
        out.append(piece, offset + pos, exact=True)
        last = piece[-1:] or last
        pos = match.end()
        kind = match.lastgroup
        at = offset + match.start()
        piece = ""
        if kind == "mdlink":
            label = match.group("label")
            if label and not _URLISH.match(label.strip()):
                inner = clean_inline(label, offset + match.start("label"))
                out.extend(inner)
                last = inner.tail(1) or last
        elif kind == "supword":
            piece = match.group("supinner")
            out.append(piece, offset + match.start("supinner"), exact=True)
        elif kind == "entity":
            char = (
                _ENTITIES.get(match.group(), " ")
                if not match.group().startswith("&#")
                else chr(int(match.group()[2:-1]))
            )
            piece = _CHAR_MAP.get(char, " " if char.isspace() else char)
            out.append(piece, at, exact=False)
        elif kind == "space":
            if len(out) and last != " ":
                piece = " "
                out.append(piece, at, exact=False)
        elif kind == "char":
            piece = _CHAR_MAP[match.group()]
            out.append(piece, at, exact=False)
        # autolink, sup, tag, url, fnref, escape and emph markers are dropped
        last = piece[-1:] or last
    out.append(line[pos:], offset + pos, exact=True)
    # Dropped markup can leave doubled or leading/trailing spaces and space before punctuation.
    return _tidy(out)


# The quotes the `char` rule straightens, with what they become (`clean_text`).
_QUOTE_PAIRS = tuple((ch, out) for ch, out in _CHAR_MAP.items() if out)


def clean_text(line: str) -> str:
    """`clean_inline(line).text`, without the map to the seed, for counting text that has no
    seed to go back to (`framelens analyse`, the stream).

    Why it is faster and the same: curly quotes, the commonest markup of prose, are
    straightened by `str.replace` in C instead of a match each; a quote is read the same
    way by every other rule (it is neither a letter nor a space) except inside <sup>...</sup>,
    whose text cleaning keeps as written, and at the end of a URL (which may end in "‘" but
    not in "'"), so a line with a "<" or a URL takes the full path. A line with no markup
    left is then returned as it is. (tests/corpus/test_cleaning.py checks the two agree on
    every seed line and on generated lines.)"""
    if "<" not in line and "://" not in line and "www." not in line:
        if not line.isascii():
            # `str.replace` per quote that is there, not `str.translate`: translate looks up
            # every character in a dict (about 50 ns each); the quotes map to ASCII, which no
            # later replacement changes, so the result is the same.
            for quote, straight in _QUOTE_PAIRS:
                if quote in line:
                    line = line.replace(quote, straight)
        if _no_markup(line) and not _untidy(line):
            return line
    return clean_inline(line).text


def _no_markup(line: str) -> bool:
    """For a line with no "<", "://" or "www." and its quotes straightened: True only if
    `_TRIGGER` finds nothing in it (a False that could have been True only costs the full
    path). Why not the regex: its alternatives start with classes, so `re` tries them all
    at every character; these checks run in C, five times faster. What is left of
    `_TRIGGER` after the quotes: "[&\\*_", the soft hyphen and whitespace other than a space
    (neither is printable), and a space before whitespace."""
    return line.isprintable() and not (
        "  " in line or "[" in line or "&" in line or "\\" in line or "*" in line or "_" in line
    )


# What `_tidy` may change: a space at the start or end of the text, two spaces, a space before
# a closing mark. `_UNTIDY` is the rule; `_untidy` its fast form (a regex that starts with a
# literal space lets `re` jump from space to space; tests/corpus/test_cleaning.py checks them).
_UNTIDY = re.compile(r"^ | $|  | [.,;:!?)]")
_SPACE_BEFORE = re.compile(r" [ .,;:!?)]")


def _untidy(text: str) -> bool:
    """Does `_UNTIDY` find something in `text`? ("$" also matches before a final newline.)"""
    return text.startswith(" ") or text.endswith((" ", " \n")) or _SPACE_BEFORE.search(text) is not None


# The runs of spaces `_tidy` may change: leading, doubled, before punctuation, trailing. Every
# other run is one space between two kept characters, which stays.
_SPACE_RUN = re.compile(r"^ +| {2,}| +(?=[.,;:!?)])| +$")
_CLOSING = ".,;:!?)"
_STOPS = ".,;:"


def _tidy(cleaned: Cleaned) -> Cleaned:
    """Undo the gaps dropped markup leaves: doubled spaces, space before punctuation, ". .".

    Read left to right: a run of spaces becomes one space, or none at the start of the text or
    before a closing mark (".,;:!?)"); a stop (".,;:") that follows another stop across such a
    space goes too ("2015. ." where a URL was dropped between the stops). Only the runs
    `_SPACE_RUN` finds are visited, so the work is in the number of changes, not of characters."""
    text = cleaned.text
    if not _untidy(text):
        return cleaned  # nothing below would change (most lines)
    keep: list[tuple[int, int]] = []  # [start, end) ranges of `text` that stay
    pos = 0  # the first character not yet decided
    last = ""  # the last character kept so far
    for run in _SPACE_RUN.finditer(text):
        start, end = run.span()
        if start > pos:
            keep.append((pos, start))
            last = text[start - 1]
        following = text[end : end + 1]
        if not keep:
            pos = end  # leading spaces
        elif following and following in _CLOSING:
            pos = end + 1 if following in _STOPS and last in _STOPS else end
        else:
            keep.append((start, start + 1))
            last, pos = " ", end
    if pos < len(text):
        keep.append((pos, len(text)))
    origin = cleaned.origin
    out = Cleaned()
    out._parts = [text[a:b] for a, b in keep]
    out._length = sum(b - a for a, b in keep)
    out._origin = [origin[a:b] for a, b in keep]
    return out.strip()


def count_words(text: str) -> int:
    """Words as the book counts them: runs of letters/digits, joined by inner ' or -
    (`_WORD` is the rule; tests/corpus/test_cleaning.py checks this agrees with it).

    Why not `len(_WORD.findall(text))`: every word became a string, and `re` tried the
    pattern at every character (the pipeline spent a tenth of its time here). Here the
    text's bytes are mapped to "a" (an ASCII letter or digit), "j" (a joiner) or a space, in
    C: the words are the runs of "a", less the joiners with an "a" on each side."""
    if "’" in text:
        text = text.replace("’", "'")
    mapped = text.encode("utf-8").translate(_WORD_BYTES)
    runs = mapped.replace(b"j", b" ")
    joins = len(_INNER_JOINER.findall(mapped)) if b"j" in mapped else 0
    return runs.count(b" a") + (runs[:1] == b"a") - joins


_WORD_BYTES = bytes(
    ord("a") if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else ord("j") if b in (39, 45) else 32
    for b in range(256)
)
_INNER_JOINER = re.compile(rb"j(?<=aj)(?=a)")  # starts with a literal: `re` jumps from joiner to joiner


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


_TAIL = 256
_CLOSERS = "\"')]"
_HYPHEN_END = re.compile(r"[A-Za-z]-$")


def _ends(cleaned: Cleaned, pattern: re.Pattern) -> bool:
    """`pattern.search(cleaned.text)` for a pattern anchored at the end (`_TERMINAL`,
    `_SENTENCE_END`, `_HYPHEN_END`), read from the last characters: a paragraph that grows
    line by line is not read whole at every line."""
    tail = cleaned.tail(_TAIL)
    if len(tail) == _TAIL and not tail.strip(_CLOSERS):  # closing marks all the way back
        tail = cleaned.text
    return pattern.search(tail) is not None


def _last_word(cleaned: Cleaned) -> str:
    tail = cleaned.tail(_TAIL)
    if len(tail) == _TAIL and " " not in tail:
        tail = cleaned.text
    return tail.rsplit(" ", 1)[-1]


def _continues(previous: Block, line_text: str) -> bool:
    """Does `line_text` continue `previous` across a page break (PDF extraction)?"""
    if previous.heading_level or _ends(previous.cleaned, _TERMINAL):
        return False
    if _ends(previous.cleaned, _HYPHEN_END):
        return True
    last_word = _last_word(previous.cleaned)
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
            and (layout == "pdf" and not _ends(open_block.cleaned, _SENTENCE_END) or _continues(open_block, text))
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
    return not block.heading_level and not _ends(block.cleaned, _SENTENCE_END)


def _join(block: Block, cleaned: Cleaned) -> None:
    if _ends(block.cleaned, _HYPHEN_END):
        block.cleaned.extend(cleaned)  # "US-" + "India": a word broken at a hyphen
    else:
        block.cleaned.append(" ", block.cleaned.last_origin() + 1, exact=False)
        block.cleaned.extend(cleaned)
