"""`make bench`: build times and analysis throughput, with the issues' targets checked.

What it measures (one run, printed as tables and written to `_build/bench/`):

- clean build: a copy of the project built from nothing (every chapter executed);
- no-change rebuild: the same copy built again (buildinfo sees nothing changed: nothing runs);
- `framelens analyse` (clean, split, match, tag, write the tables) on synthetic corpora made by
  replicating the seed files to about 10 MB, 100 MB and 1 GB, with one worker (in process)
  and with two (a `distributed.LocalCluster`, started inside the timing): MB/s, MB/s per
  worker and the peak resident memory of a worker;
- the stages one by one (`stream.analyse_directory` with per-stage timings, one core) up to
  100 MB, and the process's memory before the corpus is read;
- reference matching on the raw seed text (`find_rows`, the engine of `find_mentions`) and
  on cleaned paragraphs, each beside the plain approach (one regular expression per lexicon
  entry, applied in turn) in the same process;
- frame tagging beside the plain approach (per frame, excluded phrases blanked out, then
  one regular expression per cue);
- the sentence splitters side by side (`framelens.tools.splitters.compare`: accuracy on the
  shared gold, MB/s, time against size), when the shared gold is there.

About 420 lines, one module on purpose: every measurement runs in a child process of this
module (`--child KIND`), so the runner, the measurements and the target checks share one
vocabulary of rows and columns.

MB are 10^6 bytes of the raw files. The sizes are approximate (whole copies of the seeds).
Every figure comes from one run on one machine; on a shared virtual machine, repeated runs
differ by up to about a third, so the `met` column is read with that margin in mind.

    python -m framelens.tools.bench [--sizes 10,100,1000] [--workers 1,2] [--stages-max 100]
                                    [--plain-max 10] [--skip-build]
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framelens import paths

ROOT = paths.CHECKOUT
OUT = ROOT / "_build" / "bench"
TARGETS = {  # from the issues (7 and 15): on a 2-core machine
    "clean_build_s": 60.0,
    "no_change_rebuild_s": 5.0,
    "pipeline_mb_per_s_per_core": 3.0,
    "two_workers_100mb_s": 40.0,
    "matching_raw_mb_per_s": 30.0,
    "tagging_mb_per_s": 10.0,
    "splitting_mb_per_s": 10.0,
    "peak_worker_mb": 250.0,
}


def _copy_project(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file() and not name.startswith("_build/"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def build_times() -> dict:
    from framelens.tools.buildinfo import build

    with tempfile.TemporaryDirectory() as tmp:
        project = _copy_project(Path(tmp) / "book")
        started = time.perf_counter()
        assert build(project, full=True, quiet=True) == 0, "clean build failed"
        clean = time.perf_counter() - started
        started = time.perf_counter()
        assert build(project, quiet=True) == 0, "rebuild failed"
        again = time.perf_counter() - started
    return {"clean_build_s": round(clean, 1), "no_change_rebuild_s": round(again, 2)}


def make_corpus(directory: Path, megabytes: float) -> int:
    """Replicate the seed files into about ten files in `directory`, about `megabytes` MB in all."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    block = "\n\n".join(seeds) + "\n\n"
    copies = max(1, round(megabytes * 1e6 / len(block.encode("utf-8"))))
    per_file = max(1, -(-copies // 10))
    written = index = 0
    while written < copies:
        n = min(per_file, copies - written)
        with open(directory / f"part{index:03d}.txt", "w", encoding="utf-8") as out:
            for _ in range(n):
                out.write(block)
        written += n
        index += 1
    return sum(p.stat().st_size for p in directory.glob("*.txt"))


def _rss_mb() -> float:
    """Current resident memory of this process (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pipeline(directory: Path) -> dict:
    """Child process: the whole streaming pipeline over `directory`, timed per stage."""
    from framelens.corpus.sentences import sentence_spans
    from framelens.measures.matcher import get_matcher
    from framelens.measures.tagger import get_tagger
    from framelens.tools.stream import STAGES, analyse_directory

    get_matcher(), get_tagger(), sentence_spans("Warm up. Two sentences.")  # compile before measuring
    before = _rss_mb()
    size = sum(p.stat().st_size for p in directory.glob("*.txt"))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    counts = analyse_directory(directory, timings=timings)
    total = time.perf_counter() - started
    row = {
        "corpus_mb": round(size / 1e6, 2),
        "total_s": round(total, 2),
        "pipeline_mb_per_s": round(size / 1e6 / total, 3),
    }
    for stage in STAGES:
        row[f"{stage}_s"] = round(timings[stage], 2)
        row[f"{stage}_mb_per_s"] = round(size / 1e6 / timings[stage], 2) if timings[stage] else None
    row.update(
        sentences=int(counts.files["sentences"].sum()),
        references=int(counts.mentions.loc[counts.mentions["actor"] != "toponym", "mentions"].sum()),
        rss_before_mb=round(before, 1),
        peak_rss_mb=round(_peak_rss_mb(), 1),
    )
    return row


def plain_patterns(matcher) -> list[re.Pattern]:
    """The plain approach: one regular expression per lexicon entry (as written and in capitals)."""
    from framelens.measures.matcher import entry_pattern

    return [
        re.compile(rf"(?<![A-Za-z0-9_])(?:{entry_pattern(e.text)}|{entry_pattern(e.text.upper())})(?![A-Za-z0-9_])")
        for e in matcher.entries.values()
    ]


def _plain_count(patterns: list[re.Pattern], text: str) -> int:
    return sum(len(pattern.findall(text)) for pattern in patterns)


def _matching_side_by_side(directory: Path) -> dict:
    """Child process: the plain approach and the matcher on the same text, twice: on the raw
    files (as `find_mentions` reads a seed) and on the batches of cleaned paragraphs that
    `framelens analyse` matches."""
    from framelens.corpus.cleaning import clean_text
    from framelens.measures.matcher import TEXT_SEPARATOR, find_in_texts, find_rows, get_matcher
    from framelens.tools.stream import BATCH_CHARS, batches

    matcher = get_matcher()
    patterns = plain_patterns(matcher)
    size = sum(p.stat().st_size for p in directory.glob("*.txt")) / 1e6
    row = {"corpus_mb": round(size, 2), "entries": len(patterns)}
    clock = {"raw_plain": 0.0, "raw_framelens": 0.0, "clean_plain": 0.0, "clean_framelens": 0.0}
    for path in sorted(directory.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        started = time.process_time()
        _plain_count(patterns, raw)
        middle = time.process_time()
        find_rows(raw, matcher)
        clock["raw_plain"] += middle - started
        clock["raw_framelens"] += time.process_time() - middle
        for paragraphs, _ in batches(path, BATCH_CHARS):
            texts = [" ".join([clean_text(line.strip()) for line in p.splitlines()]) for p in paragraphs]
            started = time.process_time()
            _plain_count(patterns, TEXT_SEPARATOR.join(texts))
            middle = time.process_time()
            find_in_texts(texts)
            clock["clean_plain"] += middle - started
            clock["clean_framelens"] += time.process_time() - middle
    for text in ("raw", "clean"):
        plain, ours = clock[f"{text}_plain"], clock[f"{text}_framelens"]
        row |= {
            f"{text}_plain_mb_per_s": round(size / plain, 2),
            f"{text}_framelens_mb_per_s": round(size / ours, 2),
            f"{text}_speed_up": round(plain / ours, 1),
        }
    return row


def plain_tagger(book=None):
    """The plain approach to tagging, the codebook read literally: per frame, delete its
    excluded phrases (leaving " | ", which no cue reads across), then try its cues one regular
    expression at a time. `tagger.Tagger` computes the same (tests/measures/test_frames.py
    checks it on every corpus sentence); `make bench` times the two side by side."""
    from framelens.measures.codebook import codebook
    from framelens.measures.tagger import cue_pattern

    book = book or codebook()
    frames = [
        (
            frame.id,
            [re.compile(cue_pattern(c), re.IGNORECASE) for c in frame.cues],
            [re.compile(cue_pattern(x, inflect=False), re.IGNORECASE) for x in frame.exclude_phrases],
        )
        for frame in book.frames
    ]

    def tag(sentence: str) -> frozenset[str]:
        found = set()
        for frame, cues, excluded in frames:
            text = sentence
            for phrase in excluded:
                text = phrase.sub(" | ", text)
            if any(cue.search(text) for cue in cues):
                found.add(frame)
        return frozenset(found)

    return tag


def _tagging_side_by_side(directory: Path, plain_mb: float = 1.0) -> dict:
    """Child process: `Tagger.tag` on every sentence of the cleaned paragraphs, and the plain
    approach on the first `plain_mb` MB of them (it is slow); both agree on those."""
    from framelens.corpus.cleaning import clean_text
    from framelens.corpus.sentences import sentence_spans
    from framelens.measures.tagger import get_tagger
    from framelens.tools.stream import BATCH_CHARS, batches

    tagger, plain = get_tagger(), plain_tagger()
    sentences = []
    for path in sorted(directory.glob("*.txt")):
        for paragraphs, _ in batches(path, BATCH_CHARS):
            for p in paragraphs:
                text = " ".join([clean_text(line.strip()) for line in p.splitlines()])
                sentences += [text[a:b] for a, b in sentence_spans(text)]
    size = sum(len(s.encode("utf-8")) for s in sentences) / 1e6
    started = time.process_time()
    ours = [tagger.tag(s) for s in sentences]
    ours_s = time.process_time() - started
    head, have = [], 0
    for sentence in sentences:
        if have >= plain_mb * 1e6:
            break
        head.append(sentence)
        have += len(sentence.encode("utf-8"))
    started = time.process_time()
    theirs = [plain(s) for s in head]
    plain_s = time.process_time() - started
    assert theirs == ours[: len(head)], "the plain tagger and the Tagger disagree"
    return {
        "sentence_mb": round(size, 2),
        "sentences": len(sentences),
        "framelens_mb_per_s": round(size / ours_s, 2),
        "plain_mb": round(have / 1e6, 2),
        "plain_mb_per_s": round(have / 1e6 / plain_s, 3),
        "speed_up": round((plain_s / have * 1e6) / (ours_s / size), 1),
    }


def _analyse(directory: Path, workers: int) -> dict:
    """Child process: `framelens analyse` over `directory` with `workers` workers (one: in this
    process; more: a `distributed.LocalCluster` of worker processes, started and stopped inside
    the timing, as the command does), and the peak memory of a worker."""
    from framelens.tools.analyse import analyse

    size = sum(p.stat().st_size for p in directory.glob("*.txt"))
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        analyse(directory, out=out, workers=workers, quiet=True)
        total = time.perf_counter() - started
    # One worker runs in this process; more run in child processes, whose peak the kernel
    # reports (the largest of them) once they have ended.
    worker_peak = _peak_rss_mb() if workers == 1 else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "corpus_mb": round(size / 1e6, 1),
        "workers": workers,
        "total_s": round(total, 1),
        "mb_per_s": round(size / 1e6 / total, 2),
        "mb_per_s_per_worker": round(size / 1e6 / total / workers, 2),
        "peak_worker_mb": round(worker_peak, 1),
    }


def _child(kind: str, directory: str, *rest: str) -> None:
    runs = {
        "pipeline": lambda: _pipeline(Path(directory)),
        "analyse": lambda: _analyse(Path(directory), int(rest[0])),
        "matching": lambda: _matching_side_by_side(Path(directory)),
        "tagging": lambda: _tagging_side_by_side(Path(directory)),
    }
    print(json.dumps(runs[kind]()))


def _run_child(kind: str, directory: str, *rest: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "framelens.tools.bench", "--child", kind, directory, *rest],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def throughput(sizes: list[float], workers: list[int], stages_max: float, plain_max: float) -> dict[str, list[dict]]:
    """Every measurement on each corpus size, each in a fresh process (see the module docstring)."""
    out: dict[str, list[dict]] = {"analyse": [], "stages": [], "matching": [], "tagging": []}
    for megabytes in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(Path(tmp), megabytes)
            runs = [("analyse", [str(n)]) for n in workers]
            runs += [("stages", [])] if megabytes <= stages_max else []
            runs += [("matching", []), ("tagging", [])] if megabytes <= plain_max else []
            for kind, extra in runs:
                row = {"target_mb": megabytes, **_run_child("pipeline" if kind == "stages" else kind, tmp, *extra)}
                out[kind].append(row)
                print(kind, json.dumps(row), flush=True)
    return out


def check_targets(builds: dict, measured: dict[str, list[dict]], splitters) -> list[dict]:
    """One row per target of the issues: what was measured and whether it is met."""
    rows = []

    def add(target: str, value, met: bool) -> None:
        rows.append({"target": target, "measured": value, "met": bool(met)})

    for key in ("clean_build_s", "no_change_rebuild_s"):
        if key in builds:
            add(f"{key} < {TARGETS[key]:g}", builds[key], builds[key] < TARGETS[key])
    analyse = measured["analyse"]
    for row in analyse:
        where = f"{row['target_mb']:g} MB, {row['workers']} worker(s)"
        goal = TARGETS["pipeline_mb_per_s_per_core"]
        add(
            f"pipeline >= {goal:g} MB/s per core ({where})",
            row["mb_per_s_per_worker"],
            row["mb_per_s_per_worker"] >= goal,
        )
        goal = TARGETS["peak_worker_mb"]
        add(f"peak memory per worker < {goal:g} MB ({where})", row["peak_worker_mb"], row["peak_worker_mb"] < goal)
        if row["target_mb"] == 100 and row["workers"] == 2:
            goal = TARGETS["two_workers_100mb_s"]
            add(f"100 MB in < {goal:g} s with two workers", row["total_s"], row["total_s"] < goal)
    for n in sorted({r["workers"] for r in analyse}):
        mine = [r for r in analyse if r["workers"] == n]
        if len(mine) > 1:
            first, last = mine[0], mine[-1]
            scale, growth = last["corpus_mb"] / first["corpus_mb"], last["total_s"] / first["total_s"]
            add(
                f"time linear in size, {n} worker(s) ({first['target_mb']:g} -> {last['target_mb']:g} MB)",
                f"size x{scale:.0f}, time x{growth:.0f}",
                growth <= 1.25 * scale,
            )
            low, high = min(r["peak_worker_mb"] for r in mine), max(r["peak_worker_mb"] for r in mine)
            add(
                f"memory per worker flat in size, {n} worker(s)",
                f"{low:g} to {high:g} MB",
                high <= 1.25 * low,
            )
    for row in measured["matching"]:
        goal = TARGETS["matching_raw_mb_per_s"]
        value = row["raw_framelens_mb_per_s"]
        add(f"matching >= {goal:g} MB/s on the raw seed text ({row['target_mb']:g} MB)", value, value >= goal)
    for row in measured["tagging"]:
        goal = TARGETS["tagging_mb_per_s"]
        value = row["framelens_mb_per_s"]
        add(f"tagging >= {goal:g} MB/s ({row['target_mb']:g} MB)", value, value >= goal)
    if "mb_per_s" in getattr(splitters, "columns", []):
        fast = splitters[splitters["splitter"] == "fast_sentence_spans"]
        if len(fast):
            value = float(fast["mb_per_s"].iloc[0])
            goal = TARGETS["splitting_mb_per_s"]
            add(f"sentence splitting >= {goal:g} MB/s", value, value >= goal)
    return rows


def _splitters():
    """pysbd, nupunkt, sentencex and `fast_sentence_spans` side by side (`framelens.tools.splitters`)."""
    import pandas as pd

    from framelens.tools import splitters

    try:
        return splitters.compare()
    except splitters.GoldDataMissing as exc:
        return pd.DataFrame({"splitter": ["(not measured)"], "reason": [str(exc)]})


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        _child(*args[1:])
        return 0

    def option(name: str, default: str) -> str:
        return args[args.index(name) + 1] if name in args else default

    sizes = [float(s) for s in option("--sizes", "10,100,1000").split(",")]
    workers = [int(n) for n in option("--workers", "1,2").split(",")]
    stages_max, plain_max = float(option("--stages-max", "100")), float(option("--plain-max", "10"))
    import pandas as pd

    builds = {} if "--skip-build" in args else build_times()
    if builds:
        print(json.dumps(builds), flush=True)
    measured = throughput(sizes, workers, stages_max, plain_max)
    splitters = _splitters()
    tables = {name: pd.DataFrame(rows) for name, rows in measured.items()}
    tables["splitters"] = splitters
    tables["targets"] = pd.DataFrame(check_targets(builds, measured, splitters))
    OUT.mkdir(parents=True, exist_ok=True)
    with pd.option_context("display.width", 220, "display.max_columns", 40, "display.max_colwidth", 80):
        for name, table in tables.items():
            table.to_csv(OUT / f"{name}.csv", index=False)
            print(f"\n{name}\n{table.to_string(index=False)}")
    (OUT / "builds.json").write_text(json.dumps(builds, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
