"""The book's method over a directory of any size, on every core or a Dask cluster.

About 450 lines, one module on purpose: planning, running, resuming and writing share one
notion of a partition and of its cached result; apart, each would have to re-describe it.

`framelens analyse DIR [--meta META.csv] [--out OUT] [--workers N] [--scheduler ADDRESS]`
(see `framelens.tools.cli`) runs, for every `.txt` file under DIR, the steps of the book on
plain paragraphs: cleaning (`cleaning.clean_text`), sentence splitting
(`sentences.sentence_spans`), reference matching (`matcher.find_in_texts`) and frame tagging
(`tagger.get_tagger().tag`), and writes per-document tables.

Work is cut into partitions (`plan`): a file, or for a large file a byte range that starts and
ends at a paragraph boundary (a blank line), so one 5 GB file spreads over workers too. Every
partition runs on Dask (`distributed`): a `LocalCluster` of `workers` processes on this machine
(the default is every core; with one worker the partitions run in this process), or the
cluster at `scheduler`. Counts are sums over paragraphs and no step reads
across a paragraph boundary, so the tables are identical, row for row, whatever the number of
workers or partitions (tests/tools/test_analyse.py checks it). A worker reads its partition
a line at a time and counts a batch of paragraphs (about 256 KB) at a time, so its memory does
not grow with the partition or the corpus (`make bench`: about 150-180 MB per worker from 10 MB
to 1 GB).

A partition's result is kept in OUT/.partitions/ (written aside, then renamed), so an
interrupted run resumes from the partitions done; the tables appear in OUT only when complete.
A file that cannot be read (not UTF-8, vanished, unreadable) is listed with its reason and the
run goes on (or stops at once with `strict`).

Output tables (Parquet and CSV):

documents.*   file (path under DIR), bytes, paragraphs, sentences, words, and META's columns
mentions.*    file, actor, form, mentions (actor "toponym": place names, not references)
frames.*      file, frame, sentences (sentences carrying the frame)
rates.*       with META's `date`: year, [group columns], actor, documents, mentions, words,
              rate (per 1,000 words), low, high (95% percentile bootstrap over documents: the
              document, not the sentence, is the unit)
skipped.csv   file, reason (files that could not be read)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framelens import __version__
from framelens.corpus.cleaning import clean_text, count_words
from framelens.corpus.sentences import sentence_spans
from framelens.stats import CONFIDENCE, N_RESAMPLES, rng_for

PARTITION_BYTES = 16 * 1024 * 1024  # a partition is at most about this much text
DOCUMENT_COLUMNS = ["file", "bytes", "paragraphs", "sentences", "words"]
MENTION_COLUMNS = ["file", "actor", "form", "mentions"]
FRAME_COLUMNS = ["file", "frame", "sentences"]
RATE_COLUMNS = ["actor", "documents", "mentions", "words", "rate", "low", "high"]


class AnalyseError(ValueError):
    """Bad input to `analyse`: names the file, the field and what is wrong."""


@dataclass(frozen=True)
class Partition:
    file: str  # path under the root, with "/" separators: the document's key
    start: int  # byte offsets [start, end) of the file
    end: int


def text_files(root: Path, pattern: str = "**/*.txt") -> list[str]:
    """The files to read, as paths under `root` in sorted order (files in different folders
    stay apart: their relative path is their key)."""
    if not root.is_dir():
        raise AnalyseError(f"{root}: not a directory")
    return sorted(p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file())


def _boundary(handle, offset: int, size: int) -> int:
    """The first paragraph start at or after `offset`: just after a blank line (or `size`)."""
    handle.seek(offset)
    position = offset
    previous_blank = False
    for line in handle:
        position += len(line)
        blank = not line.strip()
        if previous_blank and not blank:
            return position - len(line)
        previous_blank = blank
    return size


def plan(root: Path, files: list[str], partition_bytes: int = PARTITION_BYTES) -> list[Partition]:
    """Cut the files into partitions of at most about `partition_bytes`, at paragraph starts."""
    parts = []
    for name in files:
        size = (root / name).stat().st_size
        if size <= partition_bytes:
            parts.append(Partition(name, 0, size))
            continue
        with open(root / name, "rb") as handle:
            start = 0
            while start < size:
                end = _boundary(handle, start + partition_bytes, size) if start + partition_bytes < size else size
                parts.append(Partition(name, start, end))
                start = end
    return parts


def count_paragraphs(paragraphs: list[list[str]], tagger, lexicon=None) -> dict:
    """The book's steps over paragraphs (each a list of lines): counts of paragraphs,
    sentences, words, mentions by (actor, form) and sentences by frame."""
    from framelens.measures.matcher import find_in_texts

    # Stripped first: what cleaning would strip anyway, without the tidying pass it costs.
    texts = [" ".join([clean_text(line.strip()) for line in lines]) for lines in paragraphs]
    mentions: Counter = Counter()
    frames: Counter = Counter()
    sentences = 0
    for rows in find_in_texts(texts, lexicon):
        for actor, form, *_ in rows:
            mentions[actor, form] += 1
    tagged: Counter = Counter()  # sets of frames (few distinct ones), counted in C
    for text in texts:
        spans = sentence_spans(text)
        sentences += len(spans)
        tagged.update(tagger.tag(text[start:end]) for start, end in spans)
    for found, n in tagged.items():
        for frame in found:
            frames[frame] += n
    return {
        "paragraphs": len(texts),
        "sentences": sentences,
        "words": sum(map(count_words, texts)),
        "mentions": mentions,
        "frames": frames,
    }


def _partition_lines(handle, part: Partition):
    """The lines of `part`, decoded, read one at a time (memory does not grow with the
    partition). Raises `_Unreadable` with the reason where a line is not UTF-8 or the file
    ends early. A multi-byte UTF-8 character never contains the byte of a newline, so reading
    by newline never cuts one; `splitlines` then cuts at the other line breaks, as it would
    over the whole text."""
    handle.seek(part.start)
    offset, end = part.start, part.end
    while offset < end:
        raw = handle.readline()
        if not raw:
            planned = end - part.start
            raise _Unreadable(f"changed during the run: {offset - part.start} bytes where {planned} were planned")
        raw = raw[: end - offset]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Unreadable(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {offset + exc.start})") from None
        offset += len(raw)
        yield from line.splitlines()


class _Unreadable(Exception):
    pass


def paragraphs_of_lines(lines):
    """The paragraphs of a stream of lines: runs of non-blank lines (a blank line ends one)."""
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def run_partition(root: str, part: Partition, batch_chars: int = 262_144) -> dict:
    """Count one partition (runs on a worker), reading it a line at a time and counting a
    batch of paragraphs (about `batch_chars` characters) at a time, so a worker's memory
    stays flat whatever the size of the partition. Returns the counts, or {"error": reason}."""
    from framelens.measures.tagger import get_tagger

    tagger = get_tagger()
    total = {"paragraphs": 0, "sentences": 0, "words": 0, "mentions": Counter(), "frames": Counter()}
    batch: list[list[str]] = []
    size = 0
    try:
        with open(Path(root) / part.file, "rb") as handle:
            for lines in paragraphs_of_lines(_partition_lines(handle, part)):
                batch.append(lines)
                size += sum(map(len, lines))
                if size >= batch_chars:
                    _add(total, count_paragraphs(batch, tagger))
                    batch, size = [], 0
    except OSError as exc:
        return {"part": part, "error": f"cannot read: {exc.strerror or exc}"}
    except _Unreadable as exc:
        return {"part": part, "error": str(exc)}
    if batch:
        _add(total, count_paragraphs(batch, tagger))
    return {"part": part, "bytes": part.end - part.start, **total}


def _add(total: dict, counts: dict) -> None:
    for key in ("paragraphs", "sentences", "words"):
        total[key] += counts[key]
    total["mentions"].update(counts["mentions"])
    total["frames"].update(counts["frames"])


def fingerprint() -> str:
    """What a partition's result depends on besides its bytes: the package and its data files."""
    from framelens.paths import DATA_DIR

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(DATA_DIR.glob("*.yml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _key(root: Path, part: Partition, salt: str) -> str:
    stat = (root / part.file).stat()
    text = f"{salt}\0{part.file}\0{part.start}\0{part.end}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _save(folder: Path, key: str, result: dict) -> None:
    data = {k: v for k, v in result.items() if k != "part"}
    if "mentions" in data:
        data["mentions"] = [[a, f, n] for (a, f), n in sorted(data["mentions"].items())]
        data["frames"] = sorted(data["frames"].items())
    tmp = folder / f".{key}.tmp"
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, folder / f"{key}.json")


def _load(folder: Path, key: str, part: Partition) -> dict | None:
    path = folder / f"{key}.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if "mentions" in data:
        data["mentions"] = Counter({(a, f): n for a, f, n in data["mentions"]})
        data["frames"] = Counter(dict((f, n) for f, n in data["frames"]))
    return {"part": part, **data}


def _client(workers: int, scheduler: str | None):
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    )
    return Client(cluster), cluster


def compute(
    root: Path,
    parts: list[Partition],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    cache: Path | None = None,
    strict: bool = False,
    quiet: bool = True,
) -> list[dict]:
    """Every partition's result, in the order of `parts` (from the cache where it is there)."""
    from tqdm import tqdm

    salt = fingerprint()
    results: dict[int, dict] = {}
    todo = []
    for i, part in enumerate(parts):
        found = _load(cache, _key(root, part, salt), part) if cache else None
        if found is not None:
            results[i] = found
        else:
            todo.append(i)
    total = sum(p.end - p.start for p in parts)
    done = sum(parts[i].end - parts[i].start for i in results)
    bar = tqdm(
        total=total, initial=done, unit="B", unit_scale=True, disable=quiet, file=sys.stderr, desc="framelens analyse"
    )
    if todo and workers == 1 and not scheduler:
        # One worker and no cluster: run here, in order (a cluster of one process would only
        # add its start-up time; the results are the same).
        for i in todo:
            result = results[i] = run_partition(str(root), parts[i])
            bar.update(parts[i].end - parts[i].start)
            if "error" in result and strict:
                raise AnalyseError(f"{parts[i].file}: {result['error']}")
            if cache and "error" not in result:
                _save(cache, _key(root, parts[i], salt), result)
    elif todo:
        from distributed import as_completed  # imported here: one worker needs no cluster (1 s saved)

        client, cluster = _client(workers, scheduler)
        try:
            futures = {client.submit(run_partition, str(root), parts[i], pure=False): i for i in todo}
            for future in as_completed(futures):
                i = futures[future]
                result = future.result()
                results[i] = result
                bar.update(parts[i].end - parts[i].start)
                if "error" in result and strict:
                    raise AnalyseError(f"{parts[i].file}: {result['error']}")
                if cache and "error" not in result:
                    _save(cache, _key(root, parts[i], salt), result)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    bar.close()
    return [results[i] for i in range(len(parts))]


def tables(results: list[dict], files: list[str]) -> dict[str, pd.DataFrame]:
    """documents, mentions, frames and skipped, merged over partitions (module docstring)."""
    skipped = {}
    documents: dict[str, dict] = {}
    mentions: Counter = Counter()
    frames: Counter = Counter()
    for result in results:
        name = result["part"].file
        if "error" in result:
            skipped.setdefault(name, result["error"])
            continue
        row = documents.setdefault(name, {"file": name, "bytes": 0, "paragraphs": 0, "sentences": 0, "words": 0})
        for key in ("bytes", "paragraphs", "sentences", "words"):
            row[key] += result[key]
        for (actor, form), n in result["mentions"].items():
            mentions[name, actor, form] += n
        for frame, n in result["frames"].items():
            frames[name, frame] += n
    kept = [f for f in files if f in documents and f not in skipped]
    out = {
        "documents": pd.DataFrame([documents[f] for f in kept], columns=DOCUMENT_COLUMNS),
        "mentions": pd.DataFrame(
            [(f, a, fm, n) for (f, a, fm), n in sorted(mentions.items()) if f in kept], columns=MENTION_COLUMNS
        ),
        "frames": pd.DataFrame(
            [(f, fr, n) for (f, fr), n in sorted(frames.items()) if f in kept], columns=FRAME_COLUMNS
        ),
        "skipped": pd.DataFrame(sorted(skipped.items()), columns=["file", "reason"]),
    }
    return out


def read_meta(path: Path, files: list[str]) -> pd.DataFrame:
    """META: a CSV with a `file` column (paths under DIR) and any other columns (`date` gives a
    year). Every row must name a file of DIR; files without a row keep empty metadata."""
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise AnalyseError(f"{path}: -: cannot read the metadata ({str(exc)[:200]})") from None
    if "file" not in meta.columns:
        raise AnalyseError(f"{path}: file: missing column (it names each document's path under DIR)")
    unknown = sorted(set(meta["file"]) - set(files))
    if unknown:
        raise AnalyseError(f"{path}: file: {unknown[0]!r} is not a .txt file of the directory")
    if meta["file"].duplicated().any():
        raise AnalyseError(f"{path}: file: {meta.loc[meta['file'].duplicated(), 'file'].iloc[0]!r} appears twice")
    if "date" in meta.columns:
        years = pd.to_numeric(meta["date"].str.slice(0, 4), errors="coerce")
        bad = years.isna() & (meta["date"] != "")
        if bad.any():
            raise AnalyseError(f"{path}: date: {meta.loc[bad, 'date'].iloc[0]!r} does not start with a year (YYYY)")
        meta["year"] = years.astype("Int64")
    return meta


def rates(
    documents: pd.DataFrame, mentions: pd.DataFrame, groups: list[str], n_resamples: int = N_RESAMPLES
) -> pd.DataFrame:
    """References per 1,000 words per year (and group) and actor, with a bootstrap over documents."""
    from scipy.stats import bootstrap

    keys = ["year", *groups]
    per = mentions[mentions["actor"] != "toponym"].groupby(["file", "actor"])["mentions"].sum().unstack(fill_value=0)
    docs = documents.dropna(subset=["year"]).set_index("file")
    rows = []
    for value, chunk in docs.groupby(keys, sort=True):
        value = value if isinstance(value, tuple) else (value,)
        words = chunk["words"].to_numpy(float)
        for actor in per.columns:
            counts = per.reindex(chunk.index, fill_value=0)[actor].to_numpy(float)
            rate = 1000 * counts.sum() / words.sum() if words.sum() else np.nan
            low = high = np.nan
            if len(chunk) >= 2 and words.sum():
                result = bootstrap(
                    (counts, words),
                    lambda c, w, axis=-1: 1000 * c.sum(axis) / w.sum(axis),
                    paired=True,
                    vectorized=True,
                    n_resamples=n_resamples,
                    confidence_level=CONFIDENCE,
                    method="percentile",
                    rng=rng_for("analyse-rate", *value, actor),
                )
                low, high = result.confidence_interval
            rows.append(
                {
                    **dict(zip(keys, value)),
                    "actor": actor,
                    "documents": len(chunk),
                    "mentions": int(counts.sum()),
                    "words": int(words.sum()),
                    "rate": rate,
                    "low": float(low),
                    "high": float(high),
                }
            )
    return pd.DataFrame(rows, columns=[*keys, *RATE_COLUMNS])


def write_tables(out: Path, named: dict[str, pd.DataFrame]) -> None:
    """Write every table as Parquet and CSV into `out`, aside first, then renamed: an
    interrupted run leaves no half-written table."""
    out.mkdir(parents=True, exist_ok=True)
    for name, table in named.items():
        formats = ("csv",) if name == "skipped" else ("parquet", "csv")
        for fmt in formats:
            final = out / f"{name}.{fmt}"
            tmp = out / f".{name}.{fmt}.tmp"
            if fmt == "csv":
                table.to_csv(tmp, index=False, lineterminator="\n")
            else:
                table.to_parquet(tmp, index=False)
            os.replace(tmp, final)


def leaves(root: Path, name: str) -> bool:
    """Is `name` (under `root`) a symbolic link, or inside one, that leads outside `root`?"""
    try:
        return not (root / name).resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop or a dangling link: reading it reports the problem
        return False


def analyse(
    directory: str | Path,
    *,
    out: str | Path,
    meta: str | Path | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    strict: bool = False,
    quiet: bool = True,
    partition_bytes: int = PARTITION_BYTES,
    pattern: str = "**/*.txt",
    follow_links: bool = False,
) -> dict[str, pd.DataFrame]:
    """Run the method over `directory` and write the tables to `out` (module docstring)."""
    root = Path(directory)
    files = text_files(root, pattern)
    meta_table = read_meta(Path(meta), files) if meta else None
    out = Path(out)
    cache = out / ".partitions"
    cache.mkdir(parents=True, exist_ok=True)
    # A link that leads outside DIR is not read unless the user asks (`follow_links`).
    outside = [] if follow_links else [f for f in files if leaves(root, f)]
    reason = "a symbolic link leading outside the directory (--follow-links reads it)"
    if outside and strict:
        raise AnalyseError(f"{outside[0]}: {reason}")
    refused = [{"part": Partition(f, 0, 0), "error": reason} for f in outside]
    results = refused + compute(
        root,
        plan(root, [f for f in files if f not in outside], partition_bytes),
        workers=workers,
        scheduler=scheduler,
        cache=cache,
        strict=strict,
        quiet=quiet,
    )
    named = tables(results, files)
    if meta_table is not None:
        named["documents"] = named["documents"].merge(meta_table, on="file", how="left")
        if "year" in named["documents"].columns:
            groups = [c for c in meta_table.columns if c not in ("file", "date", "year")]
            named["rates"] = rates(named["documents"], named["mentions"], groups)
    write_tables(out, named)
    return named
