"""Sentence splitters side by side (issue 15): accuracy on public gold, speed on the corpus,
time against input size, and the corpus boundaries where the fast splitter and pysbd disagree.

Accuracy uses the gold in `../shared/data/sentence-boundaries/` (see its README):

- internal-boundary precision, recall and F1 on the English Web Treebank (UD) test split: each
  `# newpar` paragraph is its sentences' `# text` joined by one space, and a boundary is the
  offset where a sentence other than the paragraph's first starts (854 paragraphs, 1,223
  boundaries; the README's 1,170 counts the `# newdoc` lines too, each of which opens a `# newpar`);
- the 48 English "Golden Rules" of pySBD: a rule passes when the splitter returns exactly the
  expected sentences.

Speed is MB (10^6 bytes of UTF-8) per second of CPU time on one core (the process is pinned to
one CPU while timing, and CPU time, not wall time, is counted, so that other work on the machine
does not slow a splitter down), over the corpus's cleaned paragraphs (each unit's text split on
blank lines) replicated to a few MB; a slow splitter stops after whole passes once its time
budget is spent, and the table says how many MB each one split. Time against size: a text ten
times as long should take about ten times as long (pysbd: about forty on a single line).

    python -m framelens.tools.splitters [--megabytes 3] [--budget 10] [--csv DISAGREEMENTS.csv]
"""

from __future__ import annotations

import argparse
import ast
import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd

from framelens import paths
from framelens.corpus.sentences import fast_sentence_spans, pysbd_sentence_spans
from framelens.stats import prf

Spans = Sequence[tuple[int, int]]
Splitter = Callable[[str], Spans]

GOLD_DIR = paths.CHECKOUT.parent / "shared" / "data" / "sentence-boundaries"
EWT_FILE = "en_ewt-ud-test.conllu"
GOLDEN_RULES_FILE = "english_golden_rules.py"
TARGETS = {"ewt_f1": "at least pysbd's", "golden_rules": 40, "mb_per_s": 10.0, "ratio_for_10x": 20.0}
PYSBD_EWT_F1 = 0.8455  # pysbd 0.3.4 (`pysbd_sentence_spans`) on the EWT test split, as `compare` measures it


class GoldDataMissing(FileNotFoundError):
    """The shared sentence-boundary gold is not where the checkout expects it."""


def gold_dir(folder: str | Path | None = None) -> Path:
    """The folder holding the EWT test split and the Golden Rules; raises GoldDataMissing if absent."""
    folder = Path(folder) if folder is not None else GOLD_DIR
    missing = [name for name in (EWT_FILE, GOLDEN_RULES_FILE) if not (folder / name).is_file()]
    if missing:
        raise GoldDataMissing(
            f"sentence-boundary gold not found: {', '.join(str(folder / m) for m in missing)} "
            f"(expected the shared data folder next to the checkout: {GOLD_DIR}; see its README)"
        )
    return folder


# --- the splitters ----------------------------------------------------------------------


def tight(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` without their outer whitespace; spans of whitespace only are dropped."""
    out = []
    for a, b in spans:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            a += len(piece) - len(piece.lstrip())
            out.append((a, a + len(stripped)))
    return out


@lru_cache(maxsize=1)
def _nupunkt_default():
    from nupunkt import PunktSentenceTokenizer
    from nupunkt.models import get_default_model_path

    return PunktSentenceTokenizer.load(get_default_model_path())


def nupunkt_spans(text: str) -> list[tuple[int, int]]:
    """nupunkt 0.8.0 as shipped (default model, no layout rules): tight sentence spans."""
    return tight(text, _nupunkt_default().span_tokenize(text))


def sentencex_spans(text: str) -> list[tuple[int, int]]:
    """sentencex 1.0.32 (English): tight sentence spans (its indices count characters)."""
    import sentencex

    boundaries = sentencex.get_sentence_boundaries("en", text)
    return tight(text, ((b["start_index"], b["end_index"]) for b in boundaries))


SPLITTERS: dict[str, Splitter] = {
    "pysbd 0.3.4 (pysbd_sentence_spans)": pysbd_sentence_spans,
    "nupunkt 0.8.0": nupunkt_spans,
    "sentencex 1.0.32": sentencex_spans,
    "fast_sentence_spans": fast_sentence_spans,
}


# --- accuracy -------------------------------------------------------------------------------


def ewt_paragraphs(folder: str | Path | None = None) -> list[tuple[str, frozenset[int]]]:
    """(paragraph text, offsets where its 2nd, 3rd ... sentence starts) for each EWT test paragraph."""
    paragraphs: list[list[str]] = []
    source = (gold_dir(folder) / EWT_FILE).read_text(encoding="utf-8")
    for block in source.split("\n\n"):
        comments = [line for line in block.splitlines() if line.startswith("#")]
        text = [line.split("=", 1)[1].strip() for line in comments if line.startswith("# text ")]
        if not text:
            continue
        if not paragraphs or any(line.startswith(("# newpar", "# newdoc")) for line in comments):
            paragraphs.append([])
        paragraphs[-1].append(text[0])
    out = []
    for sentences in paragraphs:
        starts, offset = [], 0
        for sentence in sentences:
            starts.append(offset)
            offset += len(sentence) + 1
        out.append((" ".join(sentences), frozenset(starts[1:])))
    return out


def internal_starts(text: str, spans: Spans) -> set[int]:
    """Where the splitter starts a sentence, except at the text's first non-space character."""
    first = len(text) - len(text.lstrip())
    return {a for a, _ in spans if a != first}


def ewt_scores(split: Splitter, paragraphs: list[tuple[str, frozenset[int]]] | None = None) -> dict:
    """Internal-boundary counts and precision/recall/F1 of `split` on the EWT test paragraphs."""
    paragraphs = ewt_paragraphs() if paragraphs is None else paragraphs
    tp = fp = fn = 0
    for text, gold in paragraphs:
        found = internal_starts(text, split(text))
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    precision, recall, f1 = prf(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def golden_rules(folder: str | Path | None = None) -> list[tuple[str, list[str]]]:
    """The 48 (text, expected sentences) pairs, read as a literal (the file is not executed)."""
    tree = ast.parse((gold_dir(folder) / GOLDEN_RULES_FILE).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "GOLDEN_EN_RULES" for t in node.targets):
            return [(text, list(expected)) for text, expected in ast.literal_eval(node.value)]
    raise GoldDataMissing(f"no GOLDEN_EN_RULES list in {gold_dir(folder) / GOLDEN_RULES_FILE}")


def golden_rules_failed(split: Splitter, rules: list[tuple[str, list[str]]] | None = None) -> list[int]:
    """Numbers (1-based) of the Golden Rules whose sentences `split` does not reproduce exactly."""
    rules = golden_rules() if rules is None else rules
    return [n for n, (text, expected) in enumerate(rules, 1) if [text[a:b] for a, b in split(text)] != expected]


# --- speed ------------------------------------------------------------------------------------


def corpus_paragraphs(corpus=None) -> list[str]:
    """The corpus's cleaned paragraphs: every unit's text split on blank lines."""
    from framelens.corpus.units import load_corpus

    corpus = load_corpus() if corpus is None else corpus
    return [p for unit in corpus.texts.values() for p in unit.text.split("\n\n") if p.strip()]


@contextmanager
def one_core():
    """Pin this process to one CPU (where the OS allows it) while timing."""
    try:
        before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(before)})
    except (AttributeError, OSError):
        before = None
    try:
        yield
    finally:
        if before is not None:
            os.sched_setaffinity(0, before)


def speed(
    split: Splitter,
    paragraphs: list[str],
    megabytes: float = 3.0,
    budget_s: float = 10.0,
    forget: Callable[[], object] | None = None,
) -> dict:
    """MB/s of `split` over `paragraphs` replicated to about `megabytes` MB, on one core.

    Whole passes over the paragraphs; after a pass, a splitter stops once `budget_s` is spent
    (pysbd would take minutes for a few MB), so `mb` says how much it split. `forget` is called
    before every pass: a splitter that remembers its decisions (nupunkt) would otherwise split
    the replicas at a speed it never reaches on text it has not seen.
    """
    size = sum(len(p.encode("utf-8")) for p in paragraphs)
    passes = max(1, round(megabytes * 1e6 / size))
    split(paragraphs[0])  # load models and compile patterns before timing
    done = 0
    with one_core():
        started = time.process_time()
        for _ in range(passes):
            if forget is not None:
                forget()
            for paragraph in paragraphs:
                split(paragraph)
            done += 1
            if time.process_time() - started > budget_s:
                break
        elapsed = time.process_time() - started
    return {"mb": done * size / 1e6, "seconds": elapsed, "mb_per_s": done * size / 1e6 / elapsed}


def scaling_texts(paragraphs: list[str], chars: int) -> dict[str, str]:
    """Texts of about `chars` characters made of the corpus's sentences: one line with no line
    break at all, and one sentence-bearing paragraph per line with no blank line."""
    line, lines = " ".join(paragraphs), "\n".join(paragraphs)
    return {
        "single line": (line * (chars // len(line) + 1))[:chars],
        "no blank lines": (lines * (chars // len(lines) + 1))[:chars],
    }


def scaling(split: Splitter, paragraphs: list[str], chars: int, factor: int = 10) -> dict[str, tuple[float, float]]:
    """Per kind of text (`scaling_texts`): (seconds on `factor` * `chars` characters, that time
    divided by the time on `chars` characters). The ratio is about `factor` in linear time and
    about `factor` squared in quadratic time. Best of three on the small text, one run on the large."""
    small, large = scaling_texts(paragraphs, chars), scaling_texts(paragraphs, chars * factor)
    out = {}
    with one_core():
        for kind in small:
            split(small[kind][:1000])
            base = min(_timed(split, small[kind]) for _ in range(3))
            seconds = _timed(split, large[kind])
            out[kind] = (seconds, seconds / base)
    return out


def _timed(split: Splitter, text: str) -> float:
    # The cyclic garbage collector is off while timing: its passes grow with everything the
    # process holds, which would make a linear splitter look superlinear.
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        split(text)
        return time.process_time() - started
    finally:
        gc.enable()


# --- side by side -------------------------------------------------------------------------------

SCALING_CHARS = {"pysbd 0.3.4 (pysbd_sentence_spans)": 5_000}  # pysbd is quadratic: 210 KB took 98 s
# nupunkt memoizes a decision per (word, next word): on the replicas it ran 2-3 times faster than
# on their first pass, so its memo is emptied before every pass.
FORGET = {"nupunkt 0.8.0": lambda: _nupunkt_default().clear_decision_cache()}


def compare(
    splitters: dict[str, Splitter] | None = None,
    megabytes: float = 3.0,
    budget_s: float = 10.0,
    scaling_chars: int = 200_000,
    corpus=None,
) -> pd.DataFrame:
    """One row per splitter.

    Columns: splitter, ewt_precision, ewt_recall, ewt_f1 (internal boundaries, EWT test split),
    golden_rules (passed of 48), golden_failed (the rule numbers failed), mb_per_s (one core,
    corpus paragraphs), mb_timed, scaling_chars (size of the small text of the time test),
    x10_single_line and x10_no_blank_lines (time on 10x the text / time on the text), and
    s_single_line, s_no_blank_lines (seconds on the 10x texts: 2 MB and 2 MB by default).
    """
    splitters = SPLITTERS if splitters is None else splitters
    paragraphs_ewt, rules, paragraphs = ewt_paragraphs(), golden_rules(), corpus_paragraphs(corpus)
    rows = []
    for name, split in splitters.items():
        scores = ewt_scores(split, paragraphs_ewt)
        failed = golden_rules_failed(split, rules)
        rate = speed(split, paragraphs, megabytes, budget_s, FORGET.get(name))
        chars = SCALING_CHARS.get(name, scaling_chars)
        ratios = scaling(split, paragraphs, chars)
        rows.append(
            {
                "splitter": name,
                "ewt_precision": round(scores["precision"], 4),
                "ewt_recall": round(scores["recall"], 4),
                "ewt_f1": round(scores["f1"], 4),
                "golden_rules": len(rules) - len(failed),
                "golden_failed": " ".join(map(str, failed)),
                "mb_per_s": round(rate["mb_per_s"], 2),
                "mb_timed": round(rate["mb"], 2),
                "scaling_chars": chars,
                "x10_single_line": round(ratios["single line"][1], 1),
                "x10_no_blank_lines": round(ratios["no blank lines"][1], 1),
                "s_single_line": round(ratios["single line"][0], 3),
                "s_no_blank_lines": round(ratios["no blank lines"][0], 3),
            }
        )
    return pd.DataFrame(rows)


def disagreements(
    corpus=None, new: Splitter = fast_sentence_spans, old: Splitter = pysbd_sentence_spans
) -> pd.DataFrame:
    """Every boundary of the corpus's body paragraphs (headings are one sentence each) that only
    one of `new` and `old` makes.

    Columns: unit_id, seed_line (of the boundary), offset (in the unit's text), boundary_in
    ("new only" or "old only"), before / after (up to 80 characters each side of the boundary),
    old_split and new_split (the sentences of each around the boundary, joined by " || ").
    """
    from framelens.corpus.units import load_corpus

    corpus = load_corpus() if corpus is None else corpus
    rows = []
    for unit_id, unit in corpus.texts.items():
        for start, end, level, _ in unit.blocks:
            if level:
                continue
            block = unit.text[start:end]
            old_spans, new_spans = list(old(block)), list(new(block))
            old_starts, new_starts = internal_starts(block, old_spans), internal_starts(block, new_spans)
            for x in sorted(old_starts ^ new_starts):
                rows.append(
                    {
                        "unit_id": unit_id,
                        "seed_line": unit.seed_line(start + x),
                        "offset": start + x,
                        "boundary_in": "new only" if x in new_starts else "old only",
                        "before": block[max(0, x - 80) : x].rstrip(),
                        "after": block[x : x + 80],
                        "old_split": _around(block, old_spans, x),
                        "new_split": _around(block, new_spans, x),
                    }
                )
    columns = ["unit_id", "seed_line", "offset", "boundary_in", "before", "after", "old_split", "new_split"]
    return pd.DataFrame(rows, columns=columns)


def _around(text: str, spans: Spans, x: int) -> str:
    """The sentences of `spans` that touch the stretch from the sentence before `x` to the one after."""
    index = max((i for i, (a, _) in enumerate(spans) if a <= x), default=0)
    chosen = spans[max(0, index - 1) : index + 1] if spans[index][0] == x else spans[index : index + 1]
    return " || ".join(text[a:b] for a, b in chosen)


def changed_sentences(corpus=None, new: Splitter = fast_sentence_spans, old: Splitter = pysbd_sentence_spans) -> int:
    """How many of the corpus's body sentences (by `old`) `new` would not reproduce exactly."""
    from framelens.corpus.units import load_corpus

    corpus = load_corpus() if corpus is None else corpus
    changed = 0
    for unit in corpus.texts.values():
        for start, end, level, _ in unit.blocks:
            if not level:
                block = unit.text[start:end]
                changed += len(set(old(block)) - set(new(block)))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=3.0, help="corpus paragraphs replicated to this size")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds a slow splitter may spend on speed")
    parser.add_argument("--csv", type=Path, help="write the corpus boundaries where fast and pysbd disagree here")
    args = parser.parse_args(argv)
    try:
        table = compare(megabytes=args.megabytes, budget_s=args.budget)
    except GoldDataMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(table.to_string(index=False))
    print(f"\ntargets: {TARGETS}")
    differ = disagreements()
    print(
        f"corpus boundaries that differ (fast vs pysbd): {len(differ)}; body sentences changed: {changed_sentences()}"
    )
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        differ.to_csv(args.csv, index=False, lineterminator="\n")
        print(f"wrote {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
