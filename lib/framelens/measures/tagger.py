"""The frame tagger: the codebook compiled into an engine that tags sentences.

`tag(sentence)` returns the frozenset of frame ids one sentence carries (several or none);
`cues_found(sentence)` says which cue words made it assign each frame. Both use
`get_tagger(codebook)`, which compiles a codebook once and keeps the compiled tagger (the
packaged codebook's is compiled once per process); the codebook model itself holds no engine.

How a cue matches is set out in the header of `data/frames.yml`: whole words, any case, the
regular inflections of every word, a trailing wildcard, any whitespace or hyphen between the
words of a phrase. `cue_pattern(cue)` is that rule as one regular expression; the `Tagger`
finds the same matches faster (see its docstring).

`Tagger.tag` reads a sentence in two steps (it is the pipeline's hot loop): first from its
set of words alone (which words can start a cue, which frames a one-word cue settles, whether
an excluded phrase or a phrase's second word can be there at all), and only for a frame
still open, the phrases where they stand. Both steps give what the codebook read literally
gives (tests/measures/test_frames.py checks it on every corpus sentence and on generated
ones). The module runs to about 590 lines because the engine's shortcuts and their
invariants belong together.

Tagging takes time linear in the length of a sentence (tests/test_hostile.py sweeps sizes):
a phrase led by a function word is looked for only in the few characters before its anchor
word (`_locate`), and whether a cue overlaps an excluded phrase is decided by one sweep over
sorted spans (`_outside`), not by comparing every cue with every phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from framelens.measures.codebook import DASHES, Codebook, cue_words
from framelens.measures.codebook import codebook as packaged_codebook

_FUNCTION_WORDS = frozenset("a an and as at by for from in into of on or the to with against".split())
_VOWELS = set("aeiou")


def inflections(word: str) -> list[str]:
    """The regular forms the codebook promises: -s/-es, -ed, -ing, y -> ies/ied, a final e
    dropped before -ed/-ing, and a final consonant doubled after a short vowel (deter ->
    deterred). Names and acronyms (written with a capital) only take a plural -s."""
    if not word.isalpha():
        return [word]
    low = word.lower()
    if word[0].isupper():
        return [low, low + "s"]
    if len(low) < 3 or low in _FUNCTION_WORDS:
        return [low]
    if low.endswith("e"):
        forms = {low, low + "s", low + "d", low[:-1] + "ing"}
    elif low.endswith("y") and low[-2] not in _VOWELS:
        forms = {low, low[:-1] + "ies", low[:-1] + "ied", low + "ing"}
    else:
        plural = low + "es" if low.endswith(("s", "x", "z", "ch", "sh")) else low + "s"
        forms = {low, plural, low + "ed", low + "ing"}
        if low[-1] not in _VOWELS | {"w", "x", "y"} and low[-2] in _VOWELS and low[-3] not in _VOWELS:
            forms |= {low + low[-1] + "ed", low + low[-1] + "ing"}
    return sorted(forms, key=lambda f: (-len(f), f))


def _word_pattern(word: str, inflect: bool) -> str:
    if word.endswith("*"):
        return _literal(word[:-1]) + "[A-Za-z0-9]*"
    forms = inflections(word) if inflect else [word]
    body = "|".join(_literal(f) for f in forms)
    return f"(?:{body})" if len(forms) > 1 else body


def _literal(text: str) -> str:
    return "".join("['’]" if ch in "'’" else re.escape(ch) for ch in text)


_SEPARATOR = rf"(?:\s*[{DASHES}]\s*|\s+)"
# Whole words: no letter or digit may touch a cue on either side.
_LEFT, _RIGHT = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"


def cue_pattern(cue: str, inflect: bool = True) -> str:
    """The regular expression for one cue (see the header of data/frames.yml)."""
    words = cue_words(cue)
    return _LEFT + _SEPARATOR.join(_word_pattern(w, inflect) for w in words) + _RIGHT


_TOKEN = re.compile(r"[A-Za-z0-9]+")


class _Entry:
    """One cue (or excluded phrase) of one frame, indexed under the first token it can start with.

    `after`/`after_stems`: what the word after the anchor token must be (exactly, or starting
    with a stem) for a phrase to match there; `after` is None when there is no such test (a
    one-word cue, a phrase led by function words, a second word that does not start with a
    letter or digit)."""

    __slots__ = ("frame", "cue", "exclude", "regex", "lead", "after", "after_stems")

    def __init__(self, frame: str, cue: str, exclude: bool, regex: re.Pattern | None, lead: bool = False):
        self.frame, self.cue, self.exclude, self.regex, self.lead = frame, cue, exclude, regex, lead
        self.after, self.after_stems = _next_words(cue, exclude) if regex is not None and not lead else (None, ())


def _next_words(cue: str, exclude: bool) -> tuple[frozenset[str] | None, tuple[str, ...]]:
    """The first run of letters and digits that each form of a phrase's second word starts
    with: a phrase matches at its anchor token only if the next run of letters and digits
    after the token is one of these (or starts with one of the stems). A necessary condition,
    read off the cue the way `cue_pattern` builds it: the anchor is a whole token, and only
    whitespace or a dash may separate it from the second word."""
    words = cue_words(cue)
    if len(words) < 2 or not words[0].rstrip("*").isalnum():
        return None, ()
    second = words[1]
    if second.endswith("*"):
        stem = second[:-1].lower()
        return (frozenset(), (stem,)) if stem.isalnum() else (None, ())
    runs = set()
    for form in [second] if exclude else inflections(second):
        run = _TOKEN.match(form)
        if run is None or run.start() != 0:
            return None, ()
        runs.add(run.group().lower())
    return frozenset(runs), ()


_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K (Kelvin sign)
_LOOKBACK = 60  # characters before its anchor word in which a phrase's leading function words may sit


def _trie_pattern(words: Iterable[str], prefixes: Iterable[str]) -> str:
    """A regex matching any of `words` exactly or any word starting with one of `prefixes`,
    factored as a trie."""
    END, WILD = "", "*"
    root: dict = {}
    for word, mark in [(w, END) for w in words] + [(p, WILD) for p in prefixes]:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[mark] = True

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch not in (END, WILD)]
        if WILD in node:
            branches.append("[a-z0-9]*")
        if not branches:
            return ""
        optional = END in node and WILD not in node  # a word may end here, or go on
        if len(branches) == 1 and not optional:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return "(?:" + build(root) + ")"


class _Plan:
    """What a candidate token may start, sorted for `Tagger.tag`'s two readings.

    entries: every cue and excluded phrase it may start; settles: the frames it settles by
    itself (one-word cues of frames without excluded phrases); singles: the other frames it
    is a one-word cue of; rest: the entries `tag` must still look at.
    For the first reading (the sentence's set of words): excluded_frames, the frames of the
    excluded phrases in `rest` with no next-word test, and excluded_tests, (frame, next
    words, stems) of those with one; cue_tests, the same for the cues; open_frames, the
    frames left open by `singles` and by the cues with no next-word test.
    For `_tag_at` (the phrases where they stand): frames, those of all the entries; the
    entries of `rest` by their next-word test: unfiltered (none), by_next (by the words that
    may follow), by_stem (by a stem).

    Why a one-word cue makes the frame's other cues here redundant for `tag`: its span is
    the token's, and every other cue found at this token (starting at it, or a phrase led by
    function words before it) covers the token, so if any of them is clear of the frame's
    excluded phrases, the one-word cue is too. ("security" alone stands for the dozen phrases
    the security frame has that contain it.)"""

    __slots__ = (
        "entries", "settles", "singles", "rest", "excluded_frames", "excluded_tests", "cue_tests",
        "open_frames", "frames", "unfiltered", "by_next", "by_stem",
    )  # fmt: skip

    def __init__(self, entries: list[_Entry], has_excludes: set[str]):
        one_word = frozenset(e.frame for e in entries if e.regex is None and not e.exclude)
        self.entries = tuple(entries)
        self.settles = one_word - has_excludes
        self.singles = one_word - self.settles
        rest = self.rest = tuple(e for e in entries if e.exclude or e.frame not in one_word)
        self.excluded_frames = frozenset(e.frame for e in rest if e.exclude and e.after is None)
        self.excluded_tests = _word_tests([e for e in rest if e.exclude and e.after is not None])
        self.cue_tests = _word_tests([e for e in rest if not e.exclude and e.after is not None])
        self.open_frames = self.singles | frozenset(e.frame for e in rest if not e.exclude and e.after is None)
        self.frames = frozenset(e.frame for e in entries)
        self.unfiltered = tuple(e for e in rest if e.after is None)
        self.by_next = _by_next_word([e for e in rest if e.after])
        self.by_stem = tuple(e for e in rest if e.after_stems)


class Tagger:
    """The codebook compiled into an index from a sentence's tokens to the cues they may start.

    Why not one regular expression per frame: a frame's excluded phrases apply to that frame
    only ("economic security" is removed for economy but is itself a tech_security cue), so
    that takes two passes per frame, sixteen per sentence, and ran at under 0.5 MB/s. Here
    the candidate tokens (every word a cue or excluded phrase can begin with, in all its
    inflected forms, plus the wildcard stems) are looked up in a dict, and only multi-word
    cues are then checked with their own anchored regex. `tag` finds the candidates by a set
    intersection with the sentence's words (see `tag`); `matches` and `cues_found`, which
    need every occurrence, by one regex (a trie of the candidates). A cue counts unless it
    overlaps an excluded phrase of its own frame, which is the same as removing the phrase
    before matching (tests/measures/test_frames.py checks the two agree on every corpus
    sentence and on generated ones).

    Cues inflect; excluded phrases match as written (plus a trailing wildcard), because they
    are specific phrases: "the value" must not also remove "the values".
    """

    def __init__(self, book: Codebook):
        self.codebook = book
        self.ids = book.ids
        self.index: dict[str, list[_Entry]] = {}
        self.prefixes: dict[str, list[_Entry]] = {}
        for frame in book.frames:
            for cue in frame.cues:
                self._add(frame.id, cue, exclude=False)
            for phrase in frame.exclude_phrases:
                self._add(frame.id, phrase, exclude=True)
        self.has_excludes = {f.id for f in book.frames if f.exclude_phrases}
        self.prefix_tuple = tuple(self.prefixes)
        self.plans: dict[str, _Plan] = {}  # token -> `_plan(token)`
        # Only tokens that can start a cue or an excluded phrase are visited: one regex finds
        # them (a trie of the first words, so the engine checks a letter, not every key, at
        # each position).
        first_words = _trie_pattern(self.index, self.prefixes)
        self.candidates = re.compile(_LEFT + first_words + _RIGHT)
        self.candidates_any_case = re.compile(_LEFT + first_words + _RIGHT, re.IGNORECASE)
        # For `tag`'s first reading, by the bytes of a word: the words that may start a cue
        # or an excluded phrase (the index, and words seen to start with a wildcard stem),
        # the words seen so far, and each candidate's (token, plan).
        self.candidate_runs = {word.encode() for word in self.index}
        self.prefix_runs = tuple(prefix.encode() for prefix in self.prefixes)
        self.seen: set[bytes] = set()
        self.run_plans: dict[bytes, tuple[str, _Plan]] = {}

    def _add(self, frame: str, cue: str, exclude: bool) -> None:
        words = cue_words(cue)
        # A phrase is found through its first word, unless that is a function word ("the
        # value"): then through the next one, so "the" is not a candidate in every sentence.
        lead = 0
        while lead < len(words) - 1 and words[lead].lower() in _FUNCTION_WORDS:
            lead += 1
        anchor = words[lead]
        single = len(words) == 1 and anchor.rstrip("*").isalnum()
        pattern = cue_pattern(cue, not exclude)
        regex = None if single else re.compile(pattern if lead else pattern[len(_LEFT) :], re.IGNORECASE)
        entry = _Entry(frame, cue, exclude, regex, lead > 0)
        if anchor.endswith("*") and anchor[:-1].isalnum():
            self.prefixes.setdefault(anchor[:-1].lower(), []).append(entry)
            return
        forms = [anchor.lower()] if exclude else inflections(anchor)
        for form in dict.fromkeys(_TOKEN.match(f).group().lower() for f in forms):
            self.index.setdefault(form, []).append(entry)

    def _plan(self, token: str) -> _Plan:
        """What a candidate token may start and what `tag` does with it (`_Plan`), kept per
        token: the same words recur."""
        word = token.lower()
        entries = list(self.index.get(word, ()))
        if self.prefix_tuple and word.startswith(self.prefix_tuple):
            entries += [e for p, es in self.prefixes.items() if word.startswith(p) for e in es]
        plan = self.plans[token] = _Plan(entries, self.has_excludes)
        return plan

    def _tokens(self, text: str):
        """The candidate tokens of `text`: words that may start a cue or an excluded phrase."""
        # Matching the lower-cased text finds what matching ignoring case finds, at the same
        # offsets, and is faster, except with the four characters below: the only ones whose
        # lower case is not one character or that match an ASCII letter ignoring case.
        if not _CASE_TRAPS.search(text):
            return self.candidates.finditer(text.lower())
        return self.candidates_any_case.finditer(text)

    def _scan(self, sentence: str, skip: set[str]):
        """(entry, start, end) of every cue and excluded phrase found, in text order; frames
        in `skip` (a set the caller may grow while scanning) are not looked for."""
        plans = self.plans
        for token in self._tokens(sentence):
            word = token.group()
            plan = plans.get(word)
            entries = (plan or self._plan(word)).entries
            for entry in entries:
                if entry.frame not in skip:
                    span = _locate(entry, sentence, token.start(), token.end())
                    if span is not None:
                        yield entry, span[0], span[1]

    def matches(self, sentence: str) -> list[tuple[str, str, int, int]]:
        """(frame, cue, start, end) of every cue occurrence that counts, in text order."""
        found, excluded = [], {}
        for entry, start, end in self._scan(sentence, set()):
            if entry.exclude:
                excluded.setdefault(entry.frame, []).append((start, end))
            else:
                found.append((entry.frame, entry.cue, start, end))
        if excluded:
            dropped = set()
            for frame, spans in excluded.items():
                mine = [i for i, m in enumerate(found) if m[0] == frame]
                flags = _outside([(found[i][2], found[i][3]) for i in mine], spans)
                dropped.update(i for i, outside in zip(mine, flags) if not outside)
            found = [m for i, m in enumerate(found) if i not in dropped]
        return found

    def tag(self, sentence: str) -> frozenset[str]:
        """The frames `sentence` carries: those with a cue that overlaps none of the frame's
        excluded phrases (as `matches` finds them, with shortcuts: tagging is the hot loop).

        First, from the sentence's words alone: the candidate tokens are the words in the
        index (one set intersection), and a frame is settled by a one-word cue when no
        excluded phrase of the frame can start among those words. Only if a frame is still
        open are the tokens located and the phrases read where they stand (`_tag_at`).
        """
        if not sentence.isascii() and _CASE_TRAPS.search(sentence):
            tokens = [(m.group(), m.start(), m.end()) for m in self.candidates_any_case.finditer(sentence)]
            return self._tag_at(sentence, None, tokens, set())
        # The words: runs of ASCII letters and digits, lower-cased, split in C (bytes.translate
        # and split are several times faster than a regex over every word); without the case
        # traps, these are the runs the candidate regex reads in the lower-cased text.
        runs = sentence.encode("utf-8").translate(_RUNS).split()
        if self.prefix_runs and not self.seen.issuperset(runs):
            self._learn(set(runs) - self.seen)
        words = self.candidate_runs.intersection(runs)
        if not words:
            return _NOTHING
        low = sentence.lower()
        plans = self.run_plans
        found: set[str] = set()
        excludable: set[str] = set()
        pending: set[str] = set()
        chosen, maybe_excluded, maybe_cued = [], [], []
        for word in words:
            chosen.append(plans.get(word) or self._run_plan(word))
        for _, plan in chosen:
            # (Empty sets are skipped: the test costs less than the update.)
            if plan.settles:
                found |= plan.settles
            if plan.excluded_frames:
                excludable |= plan.excluded_frames
            if plan.open_frames:
                pending |= plan.open_frames
            if plan.excluded_tests:
                maybe_excluded += plan.excluded_tests
            if plan.cue_tests:
                maybe_cued += plan.cue_tests
        if maybe_excluded or maybe_cued:
            # A phrase can stand here only if a word its second word can start with is in the
            # sentence somewhere (a necessary condition, tested on the set of words; a stem
            # is looked for once per sentence: linear time however long the sentence).
            present = runs if len(runs) < 16 else set(runs)
            stems_in: dict[str, bool] = {}
            for frame, after, stems in maybe_excluded:
                if frame not in excludable and (
                    not after.isdisjoint(present) or (stems and _any_in(stems, low, stems_in))
                ):
                    excludable.add(frame)
            for frame, after, stems in maybe_cued:
                if frame not in found and (not after.isdisjoint(present) or (stems and _any_in(stems, low, stems_in))):
                    pending.add(frame)
        for _, plan in chosen:
            if plan.singles:
                found |= plan.singles - excludable
        if pending <= found:
            return frozenset(found)
        tokens = []
        for token, plan in chosen:
            if not plan.frames <= found:  # (a token whose frames are all settled is not read)
                tokens += _token_spans(low, token)
        return self._tag_at(sentence, low, tokens, found)

    def _learn(self, unseen: set[bytes]) -> None:
        """Note words not seen before, and which of them start with a wildcard stem (those
        become candidates). Checking each new word once, rather than looking for every stem
        in every sentence, is what keeps wildcards cheap: most words recur. The memory of
        seen words is bounded (`_MAX_SEEN`); forgetting only costs the check again."""
        if len(self.seen) > _MAX_SEEN:
            self.seen.clear()
        self.seen |= unseen
        for run in unseen:
            if run.startswith(self.prefix_runs):
                self.candidate_runs.add(run)

    def _run_plan(self, word: bytes) -> tuple[str, _Plan]:
        token = word.decode()
        found = self.run_plans[word] = (token, self.plans.get(token) or self._plan(token))
        return found

    def _tag_at(self, sentence: str, low: str | None, tokens, confirmed: set[str]) -> frozenset[str]:
        """`tag` from its candidate tokens, (token, start, end) in any order; `confirmed`: the
        frames already settled. `low` is the lower-cased sentence, offset for offset, or None
        (then phrases are tried without the next-word test)."""
        cues: dict[str, list[tuple[int, int]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        later: list[tuple[_Entry, int, int]] = []
        plans = self.plans
        for token, start, end in tokens:
            plan = plans.get(token) or self._plan(token)
            if plan.settles:
                confirmed |= plan.settles
            for frame in plan.singles:
                cues.setdefault(frame, []).append((start, end))
            if low is None:
                entries = plan.rest
            else:
                # Only the phrases whose second word can start with the next word (one look).
                entries = plan.unfiltered
                if plan.by_next or plan.by_stem:
                    following = _NEXT_RUN.match(low, end).group(1)
                    entries = entries + plan.by_next.get(following, ())
                    if plan.by_stem:
                        entries += tuple(e for e in plan.by_stem if following.startswith(e.after_stems))
            for entry in entries:
                if entry.frame in confirmed:
                    continue
                if entry.exclude:
                    later.append((entry, start, end))
                    continue
                span = _locate(entry, sentence, start, end)
                if span is None:
                    continue
                if entry.frame in self.has_excludes:
                    cues.setdefault(entry.frame, []).append(span)
                else:
                    confirmed.add(entry.frame)
        for entry, start, end in later:
            if entry.frame in cues and entry.frame not in confirmed:
                span = _locate(entry, sentence, start, end)
                if span is not None:
                    excluded.setdefault(entry.frame, []).append(span)
        for frame, spans in cues.items():
            if frame not in confirmed and any(_outside(spans, excluded.get(frame, ()))):
                confirmed.add(frame)
        return frozenset(confirmed)

    def cues_found(self, sentence: str) -> dict[str, list[str]]:
        """Frame id -> the cue surfaces found, in text order (frames without a cue are left out).

        A surface inside a longer one of the same frame ("values" in "shared values") is not
        repeated.
        """
        spans: dict[str, list[tuple[int, int]]] = {}
        for frame, _, start, end in self.matches(sentence):
            spans.setdefault(frame, []).append((start, end))
        out = {}
        for frame in self.ids:
            if frame in spans:
                # Sorted by start, longer first: a span lies inside another exactly when an
                # earlier one reaches as far (one pass, not every pair).
                kept, reach = [], -1
                for a, b in sorted(dict.fromkeys(spans[frame]), key=lambda s: (s[0], -s[1])):
                    if b > reach:
                        kept.append((a, b))
                        reach = b
                out[frame] = [sentence[a:b] for a, b in kept]
        return out


def _outside(cues: list[tuple[int, int]], excluded) -> Iterable[bool]:
    """For each cue span in `cues` (in any order), whether it overlaps none of the `excluded`
    spans: (start, end) pairs overlap when each starts before the other ends."""
    if not excluded:
        return (True for _ in cues)
    ordered = sorted(excluded)
    starts = [a for a, _ in ordered]
    reach, longest = [], -1  # reach[i]: the furthest end among the first i+1 excluded spans
    for _, b in ordered:
        longest = max(longest, b)
        reach.append(longest)
    # a cue (s, e) overlaps an excluded span starting before e that ends after s
    return (not ((i := bisect_left(starts, e)) and reach[i - 1] > s) for s, e in cues)


_NOTHING: frozenset[str] = frozenset()
_MAX_SEEN = 200_000  # words `Tagger.tag` remembers having checked for wildcard stems (about 15 MB)
# Bytes to the runs `tag` reads: ASCII letters lower-cased, digits kept, everything else
# (punctuation, spaces, every byte of a non-ASCII character) a space.
_RUNS = bytes(b + 32 if 65 <= b <= 90 else b if (48 <= b <= 57 or 97 <= b <= 122) else 32 for b in range(256))
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_NEXT_RUN = re.compile(r"[^a-z0-9]*([a-z0-9]*)")


def _token_spans(low: str, token: str) -> list[tuple[str, int, int]]:
    """Where `token` stands in `low` as a whole run of letters and digits."""
    out = []
    size, n = len(token), len(low)
    at = low.find(token)
    while at >= 0:
        end = at + size
        if (at == 0 or low[at - 1] not in _ALNUM) and (end == n or low[end] not in _ALNUM):
            out.append((token, at, end))
        # No run starts inside this occurrence (its characters are letters or digits).
        at = low.find(token, end)
    return out


def _word_tests(entries: list[_Entry]) -> tuple[tuple[str, frozenset[bytes], tuple[str, ...]], ...]:
    """Per frame of `entries`: (frame, the words that may follow the anchor, as bytes, and
    the stems), for `_may_follow`: one test per frame, not per phrase."""
    words: dict[str, set[bytes]] = {}
    stems: dict[str, set[str]] = {}
    for entry in entries:
        words.setdefault(entry.frame, set()).update(w.encode() for w in entry.after)
        stems.setdefault(entry.frame, set()).update(entry.after_stems)
    return tuple((frame, frozenset(words[frame]), tuple(sorted(stems[frame]))) for frame in sorted(words))


def _any_in(stems: tuple[str, ...], low: str, known: dict[str, bool]) -> bool:
    """Does `low` contain one of the stems? (A word starting with a stem contains it.)
    `known` remembers the answers for this sentence."""
    for stem in stems:
        hit = known.get(stem)
        if hit is None:
            hit = known[stem] = stem in low
        if hit:
            return True
    return False


def _by_next_word(entries: list[_Entry]) -> dict[str, tuple[_Entry, ...]]:
    """The entries by each word that may follow their anchor token (see `_next_words`)."""
    out: dict[str, list[_Entry]] = {}
    for entry in entries:
        for word in sorted(entry.after):
            out.setdefault(word, []).append(entry)
    return {word: tuple(found) for word, found in out.items()}


def _locate(entry: _Entry, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `entry` occurs at the candidate token of `sentence` at [start, end), if it does."""
    if entry.regex is None:
        return start, end
    if not entry.lead:
        match = entry.regex.match(sentence, start)
        return (start, match.end()) if match is not None else None
    # The phrase starts before this token: the first match found scanning from _LOOKBACK
    # characters back, as `finditer` would find it, but trying only the positions up to the
    # token (a search would go on to the end of the sentence at every token: quadratic time).
    position = max(0, start - _LOOKBACK)
    match_at = entry.regex.match
    while position <= start:
        match = match_at(sentence, position)
        if match is None:
            position += 1
        elif match.end() > start:
            return match.start(), match.end()
        else:
            position = max(match.end(), position + 1)
    return None


# --------------------------------------------------------------------------- the cache

_MAX_CACHED = 8
# Keyed by the codebook object itself (a model with list fields is not hashable); the entry
# keeps the codebook alive, so its id cannot be reused while it is cached.
_TAGGERS: dict[int, tuple[Codebook, Tagger]] = {}


def get_tagger(codebook: Codebook | None = None) -> Tagger:
    """The tagger of `codebook` (the packaged codebook by default), compiled on first use and
    kept for the next call with the same codebook object (up to eight codebooks)."""
    book = codebook if codebook is not None else packaged_codebook()
    hit = _TAGGERS.get(id(book))
    if hit is not None and hit[0] is book:
        return hit[1]
    tagger = Tagger(book)
    if len(_TAGGERS) >= _MAX_CACHED:
        _TAGGERS.pop(next(iter(_TAGGERS)))
    _TAGGERS[id(book)] = (book, tagger)
    return tagger


def tag(sentence: str, codebook: Codebook | None = None) -> frozenset[str]:
    """The ids of the frames `sentence` carries: any subset of the codebook's frames."""
    return get_tagger(codebook).tag(sentence)


def cues_found(sentence: str, codebook: Codebook | None = None) -> dict[str, list[str]]:
    """Which cue words made `tag` assign each frame (for auditing a tagging): frame id -> the
    cue surfaces found, in text order."""
    return get_tagger(codebook).cues_found(sentence)
