"""`framelens analyse`: a directory on every core or a Dask cluster, identical results whatever
the partitioning, unreadable files listed, resumable, tables written whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import SEEDS
from framelens.tools import analyse as an

SHORT = sorted(p for p in SEEDS.glob("*.txt") if p.stat().st_size < 20_000)
BIG = "004_128de2a04d5d959a.txt"


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """The four short seeds twice, in two folders, with the same file names (they must stay apart)."""
    root = tmp_path_factory.mktemp("texts")
    for folder in ("a", "b"):
        (root / folder).mkdir()
        for path in SHORT:
            shutil.copy(path, root / folder / path.name)
    return root


@pytest.fixture(scope="module")
def one_worker(corpus_dir, tmp_path_factory):
    return an.analyse(corpus_dir, out=tmp_path_factory.mktemp("out1"), workers=1)


def test_files_in_different_folders_stay_apart(one_worker):
    docs = one_worker["documents"]
    assert len(docs) == 2 * len(SHORT) == 8 and docs["file"].is_unique
    assert docs["file"].str.startswith(("a/", "b/")).all()
    a = docs[docs["file"].str.startswith("a/")].drop(columns="file").reset_index(drop=True)
    b = docs[docs["file"].str.startswith("b/")].drop(columns="file").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_counts_agree_with_the_streaming_api(one_worker, corpus_dir):
    from framelens.tools.stream import analyse_directory

    stream = analyse_directory(corpus_dir / "a")
    docs = one_worker["documents"]
    docs = docs[docs["file"].str.startswith("a/")].assign(file=lambda d: d["file"].str.slice(2))
    merged = docs.merge(stream.files, on="file", suffixes=("", "_stream"))
    assert len(merged) == len(SHORT)
    for column in ("bytes", "paragraphs", "sentences", "words"):
        assert (merged[column] == merged[f"{column}_stream"]).all(), column
    mentions = one_worker["mentions"]
    mentions = mentions[mentions["file"].str.startswith("a/")].assign(file=lambda d: d["file"].str.slice(2))
    pd.testing.assert_frame_equal(mentions.reset_index(drop=True), stream.mentions.reset_index(drop=True))


def test_partitions_start_at_paragraphs_and_cover_the_file():
    parts = an.plan(SEEDS, [BIG], partition_bytes=10_000)
    big = [p for p in parts if p.file == BIG]
    assert len(big) > 5
    assert big[0].start == 0 and big[-1].end == (SEEDS / BIG).stat().st_size
    assert all(x.end == y.start for x, y in zip(big, big[1:]))
    raw = (SEEDS / BIG).read_bytes()
    for p in big[1:]:
        assert raw[p.start - 2 : p.start] in (b"\n\n", b"\r\n") or raw[: p.start].rstrip(b" \t\r").endswith(b"\n\n")


def test_small_partitions_give_identical_tables(corpus_dir, one_worker, tmp_path):
    small = an.analyse(corpus_dir, out=tmp_path / "out", workers=1, partition_bytes=3_000)
    assert len(an.plan(corpus_dir, an.text_files(corpus_dir), 3_000)) > 2 * len(an.text_files(corpus_dir))
    for name in ("documents", "mentions", "frames"):
        pd.testing.assert_frame_equal(small[name], one_worker[name])


@pytest.mark.slow
def test_two_processes_and_a_distributed_cluster_give_identical_tables(corpus_dir, one_worker, tmp_path):
    from distributed import LocalCluster

    two = an.analyse(corpus_dir, out=tmp_path / "two", workers=2, partition_bytes=3_000)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = an.analyse(
            corpus_dir, out=tmp_path / "remote", scheduler=cluster.scheduler_address, partition_bytes=5_000
        )
    for name in ("documents", "mentions", "frames"):
        pd.testing.assert_frame_equal(two[name], one_worker[name])
        pd.testing.assert_frame_equal(remote[name], one_worker[name])


def test_tables_are_written_whole_as_parquet_and_csv(corpus_dir, tmp_path):
    out = tmp_path / "out"
    an.analyse(corpus_dir, out=out, workers=1)
    for name in ("documents", "mentions", "frames"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), pd.read_csv(out / f"{name}.csv"))
    assert not list(out.glob(".*.tmp"))


def test_a_rerun_resumes_from_the_partitions_done(corpus_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = an.analyse(corpus_dir, out=out, workers=1)
    assert len(list((out / ".partitions").glob("*.json"))) == 8

    def fail(*args, **kwargs):
        raise AssertionError("a partition was computed again")

    monkeypatch.setattr(an, "_client", fail)
    monkeypatch.setattr(an, "run_partition", fail)
    again = an.analyse(corpus_dir, out=out, workers=1)
    pd.testing.assert_frame_equal(again["mentions"], first["mentions"])


def test_an_unreadable_file_is_listed_and_the_run_goes_on(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SEEDS / "000_cc7a212814307bfa.txt", root / "good.txt")
    (root / "bad.txt").write_bytes(b"China and India.\n\n" * 100 + b"\xff\xfe Russia\n")
    result = an.analyse(root, out=tmp_path / "out", workers=1)
    assert list(result["documents"]["file"]) == ["good.txt"]
    assert result["skipped"].to_dict("records") == [
        {"file": "bad.txt", "reason": "not UTF-8 (byte 0xff at offset 1800)"}
    ]
    with pytest.raises(an.AnalyseError, match=r"^bad.txt: not UTF-8 \(byte 0xff at offset 1800\)$"):
        an.analyse(root, out=tmp_path / "strict", workers=1, strict=True)


def test_metadata_gives_rates_by_year_and_group(corpus_dir, tmp_path):
    meta = tmp_path / "meta.csv"
    rows = ["file,date,outlet"] + [
        f"{f},{2014 + i % 3}-05-01,{'x' if f.startswith('a/') else 'y'}"
        for i, f in enumerate(an.text_files(corpus_dir))
    ]
    meta.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = an.analyse(corpus_dir, out=tmp_path / "out", workers=1, meta=meta)
    rates = result["rates"]
    assert list(rates.columns) == ["year", "outlet", *an.RATE_COLUMNS]
    assert set(rates["actor"]) == {"China", "United States", "Russia"}
    row = rates[(rates["year"] == 2014) & (rates["outlet"] == "x") & (rates["actor"] == "China")].iloc[0]
    docs = result["documents"]
    chosen = docs[(docs["year"] == 2014) & (docs["outlet"] == "x")]
    mentions = result["mentions"]
    n = mentions[mentions["file"].isin(chosen["file"]) & (mentions["actor"] == "China")]["mentions"].sum()
    assert row["rate"] == pytest.approx(1000 * n / chosen["words"].sum())
    assert row["low"] <= row["rate"] <= row["high"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,date\nx.txt,2020\n", "meta.csv: file: missing column"),
        ("file,date\nnope.txt,2020\n", "meta.csv: file: 'nope.txt' is not a .txt file of the directory"),
        ("file,date\na/000_cc7a212814307bfa.txt,someday\n", "meta.csv: date: 'someday' does not start with a year"),
    ],
)
def test_bad_metadata_is_named(corpus_dir, tmp_path, content, message):
    meta = tmp_path / "meta.csv"
    meta.write_text(content, encoding="utf-8")
    with pytest.raises(an.AnalyseError, match=message):
        an.analyse(corpus_dir, out=tmp_path / "out", workers=1, meta=meta)
    assert not (tmp_path / "out" / "documents.csv").exists()


def test_the_command_line_exit_codes(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SHORT[0], root / "good.txt")

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "framelens", "analyse", str(root), "--workers", "1", "--quiet", *args],
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = run("--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "framelens: 1 documents" in done.stderr and (tmp_path / "out" / "documents.parquet").is_file()
    (root / "bad.txt").write_bytes(b"\xffChina\n")
    skipped = run("--out", str(tmp_path / "out2"))
    assert skipped.returncode == 1
    assert "bad.txt: not UTF-8 (byte 0xff at offset 0)" in skipped.stderr
    strict = run("--out", str(tmp_path / "out3"), "--strict")
    assert strict.returncode == 2 and strict.stderr.startswith("framelens: error: bad.txt: not UTF-8")
    assert not (tmp_path / "out3" / "documents.csv").exists()


def test_a_link_leading_outside_the_directory_is_not_read(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SHORT[0], root / "good.txt")
    (tmp_path / "elsewhere.txt").write_text("China and Russia.\n", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    result = an.analyse(root, out=tmp_path / "out", workers=1)
    assert list(result["documents"]["file"]) == ["good.txt"]
    assert result["skipped"].to_dict("records") == [
        {"file": "link.txt", "reason": "a symbolic link leading outside the directory (--follow-links reads it)"}
    ]
    followed = an.analyse(root, out=tmp_path / "out2", workers=1, follow_links=True)
    assert list(followed["documents"]["file"]) == ["good.txt", "link.txt"]


def test_a_file_cut_short_during_the_run_is_reported_with_the_bytes_read(tmp_path):
    text = "First paragraph. It has two sentences.\n\nSecond one about China.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    [part] = an.plan(tmp_path, ["a.txt"])
    (tmp_path / "a.txt").write_text(text[:40], encoding="utf-8")
    result = an.run_partition(str(tmp_path), part)
    assert result["error"] == f"changed during the run: 40 bytes where {len(text)} were planned"


def test_a_partition_is_read_a_line_at_a_time_with_the_same_lines_as_the_whole_text(tmp_path):
    """Reading by newline and then cutting at the other line breaks gives the lines that
    `str.splitlines` gives over the whole text (carriage returns, form feeds, U+2028)."""
    text = "one\r\ntwo\rthree\x0cfour\u2028five\n\nsix é\n"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    [part] = an.plan(tmp_path, ["a.txt"])
    with open(tmp_path / "a.txt", "rb") as handle:
        assert list(an._partition_lines(handle, part)) == text.splitlines()
