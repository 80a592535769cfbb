"""`make bench`: build times and analysis throughput, printed as a table.

- clean build: a copy of the project built from nothing (every chapter executed);
- no-change rebuild: the same copy built again (see buildinfo: nothing runs);
- throughput on synthetic corpora made by replicating the seed files to about 1, 10 and
  100 MB, for each stage (cleaning, sentence splitting, reference matching, frame tagging) and
  for the plain approach to matching (one regular expression per lexicon entry, applied in
  turn), with MB/s and the peak resident memory of a fresh process per size.

Each size runs in its own process so peak memory is that size's alone. Sentence splitting with
pysbd is far slower than the other stages; it is measured on the first 10 MB at most.

    python -m framelens.bench [--sizes 1,10,100] [--skip-build]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPLIT_LIMIT_MB = 10


def _copy_project(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def build_times() -> dict:
    from .buildinfo import build

    with tempfile.TemporaryDirectory() as tmp:
        project = _copy_project(Path(tmp) / "book")
        started = time.perf_counter()
        assert build(project, full=True, quiet=True) == 0, "clean build failed"
        clean = time.perf_counter() - started
        started = time.perf_counter()
        assert build(project, quiet=True) == 0
        again = time.perf_counter() - started
    return {"clean_build_s": round(clean, 1), "no_change_rebuild_s": round(again, 2)}


def make_corpus(directory: Path, megabytes: float) -> int:
    """Replicate the seed files into `directory` until it holds about `megabytes` MB."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    block = "\n\n".join(seeds) + "\n\n"
    copies = max(1, round(megabytes * 1e6 / len(block.encode("utf-8"))))
    per_file = max(1, copies // 10)
    written = 0
    index = 0
    while written < copies:
        n = min(per_file, copies - written)
        (directory / f"part{index:03d}.txt").write_text(block * n, encoding="utf-8")
        written += n
        index += 1
    return sum(p.stat().st_size for p in directory.glob("*.txt"))


def _stage(directory: Path, stage: str) -> dict:
    """Run one stage over the whole directory, streaming; report seconds and bytes."""
    from .cleaning import clean_inline
    from .corpus import iter_paragraphs
    from .references import _find, _matcher
    from .sentences import split_sentences

    size = sum(p.stat().st_size for p in directory.glob("*.txt"))
    matcher = _matcher(None)
    if stage == "tagging":
        from .frames import tag
    if stage == "plain_matching":
        import re

        patterns = [re.compile(r"(?<![A-Za-z0-9_])" + re.escape(e.text) + r"(?![A-Za-z0-9_])") for e in matcher.entries.values()]
    limit = SPLIT_LIMIT_MB * 1e6 if stage == "splitting" else float("inf")
    done = 0
    elapsed = 0.0
    for path in sorted(directory.glob("*.txt")):
        for _, paragraph in iter_paragraphs(path):
            if done >= limit:
                break
            text = " ".join(clean_inline(line).text for line in paragraph.splitlines()) if stage != "cleaning" else paragraph
            started = time.perf_counter()
            if stage == "cleaning":
                for line in paragraph.splitlines():
                    clean_inline(line)
            elif stage == "splitting":
                split_sentences.__wrapped__(text)
            elif stage == "matching":
                _find(text, matcher)
            elif stage == "plain_matching":
                for pattern in patterns:
                    pattern.findall(text)
            elif stage == "tagging":
                for sentence in text.split(". "):
                    tag(sentence)
            elapsed += time.perf_counter() - started
            done += len(paragraph.encode("utf-8"))
    return {"stage": stage, "mb": round(done / 1e6, 2), "seconds": round(elapsed, 2),
            "mb_per_s": round(done / 1e6 / elapsed, 2) if elapsed else None, "corpus_mb": round(size / 1e6, 2)}


def _child(directory: str, stage: str) -> None:
    result = _stage(Path(directory), stage)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


def throughput(sizes: list[float]) -> list[dict]:
    rows = []
    for megabytes in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            size = make_corpus(Path(tmp), megabytes)
            for stage in ("cleaning", "splitting", "matching", "plain_matching", "tagging"):
                if stage == "plain_matching" and megabytes > 10:
                    continue  # the plain approach is the baseline; at 100 MB it only takes longer
                out = subprocess.run([sys.executable, "-m", "framelens.bench", "--child", tmp, stage],
                                     capture_output=True, text=True, check=True).stdout
                row = json.loads(out.strip().splitlines()[-1])
                row["target_mb"] = megabytes
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        _child(args[1], args[2])
        return 0
    sizes = [1.0, 10.0, 100.0]
    if "--sizes" in args:
        sizes = [float(s) for s in args[args.index("--sizes") + 1].split(",")]
    report = {}
    if "--skip-build" not in args:
        report.update(build_times())
        print(json.dumps(report), flush=True)
    rows = throughput(sizes)
    import pandas as pd

    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    matching = table[table["stage"] == "matching"].set_index("target_mb")["mb_per_s"]
    plain = table[table["stage"] == "plain_matching"].set_index("target_mb")["mb_per_s"]
    for mb in plain.index:
        print(f"matching speed-up over one regex per entry at {mb:g} MB: {matching[mb] / plain[mb]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
