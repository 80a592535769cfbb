"""Hostile and careless input (issue 16): every case of the issue, and linear time where text flows.

The `fuzz` module of the issue: registry YAML (alias bombs, duplicate keys, deep nesting, odd
types and digits, directories, links), pathological text for cleaning, splitting, matching and
tagging, files that change under the streaming API, and the command line's failures. It runs
in well under a minute; the size sweeps calibrate their sizes to this machine's speed.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS
from framelens.corpus.cleaning import clean_inline, clean_lines
from framelens.corpus.registry import RegistryError, load_registry
from framelens.corpus.sentences import sentence_spans
from framelens.measures.lexicon import DEFAULT_PATH, LexiconError, load_lexicon
from framelens.measures.matcher import find_mentions, find_rows, get_matcher
from framelens.measures.tagger import get_tagger
from framelens.tools import cli, stream
from framelens.tools.stream import NotUTF8Error, StreamError, analyse_directory

QUOTE_LIMIT = 1000  # no error message quotes more than a few hundred characters of the input


def registry_error(seeds: Path) -> RegistryError:
    started = time.perf_counter()
    with pytest.raises(RegistryError) as info:
        load_registry(seeds)
    assert time.perf_counter() - started < 5
    assert len(str(info.value)) < QUOTE_LIMIT
    return info.value


# --------------------------------------------------------------------------- 1-3 the registry


def test_alias_bomb_is_refused_at_once(seeds_copy):
    """Billion laughs: nine levels of nine aliases would expand to 387 million items."""
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append("sources: *i")
    seeds_copy.registry_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert err.field == "b[0]"
    assert "aliases (*a) are not allowed" in err.reason and "line 2" in err.reason


def test_an_alias_inside_a_valid_registry_is_refused(seeds_copy):
    text = seeds_copy.registry_path.read_text(encoding="utf-8")
    text = text.replace("    authors: []\n", "    authors: &none []\n", 1).replace(
        "    authors: []\n", "    authors: *none\n", 1
    )
    seeds_copy.registry_path.write_text(text, encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert "aliases (*none) are not allowed" in err.reason and err.field.endswith(".authors")


def test_a_huge_value_is_quoted_short(seeds_copy):
    """A 300 kB sha256 (the registry stays under the size limit): the message quotes 200 characters."""
    seeds_copy.replace_text("99c49efc433bbb9c2c33a16757284b59a099a3a9b681413f3e21b039d0700ed4", "a" * 300_000)
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[0].sha256"
    assert err.reason.endswith("(got '" + "a" * 200 + "'...)")


def test_a_huge_registry_is_refused_before_it_is_parsed(seeds_copy):
    """17 MB took 55 s and 1 GB; a registry over 500 kB is refused by its size."""
    text = seeds_copy.registry_path.read_text(encoding="utf-8")
    with open(seeds_copy.registry_path, "w", encoding="utf-8") as out:
        out.write(text)
        out.write("# " + "x" * 17_000_000 + "\n")
    err = registry_error(seeds_copy.path)
    assert err.field == "-" and "more than the 500,000 a registry may have" in err.reason


def _line_of(text: str, line: str, after: int = 0) -> int:
    """The 1-based number of the first line equal to `line` after line `after`."""
    return text.splitlines().index(line, after) + 1


def test_a_second_sources_key_is_refused(seeds_copy):
    """A second `sources:` silently dropped four sources and nine units."""
    text = seeds_copy.registry_path.read_text(encoding="utf-8")
    last = text[text.index("  - id: gyalpo-2025") :]
    seeds_copy.registry_path.write_text(text + "sources:\n" + last, encoding="utf-8")
    err = registry_error(seeds_copy.path)
    second = len(text.splitlines()) + 1
    assert err.field == "sources"
    assert f"duplicate key 'sources' at line {second} (first at line {_line_of(text, 'sources:')})" in err.reason


def test_a_second_units_key_is_refused(seeds_copy):
    text = seeds_copy.registry_path.read_text(encoding="utf-8")
    first = _line_of(text, "    title_status: inferred")  # in the first source
    units = _line_of(text, "    units:", first)
    lines = text.splitlines(keepends=True)
    seeds_copy.registry_path.write_text("".join(lines[:first] + ["    units: []\n"] + lines[first:]), encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[0].units"
    assert f"duplicate key 'units' at line {units + 1} (first at line {first + 1})" in err.reason


def test_a_second_publisher_key_is_refused(seeds_copy):
    line = _line_of(seeds_copy.registry_path.read_text(encoding="utf-8"), "    publisher: ANKASAM")
    seeds_copy.replace_text("    publisher: ANKASAM\n", "    publisher: ANKASAM\n    publisher: Someone else\n")
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[2].publisher"
    assert f"duplicate key 'publisher' at line {line + 1} (first at line {line})" in err.reason


def test_deep_nesting_names_the_field(seeds_copy):
    seeds_copy.registry_path.write_text("sources: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert err.field.startswith("sources[0][0]") and "nested more than 50 levels deep (line 1)" in err.reason


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "the registry must be a mapping with a 'sources' list, not an empty file"),
        ("# nothing\n", "the registry must be a mapping with a 'sources' list, not an empty file"),
        ("- a\n- b\n", "the registry must be a mapping with a 'sources' list, not a list"),
        ("just text\n", "the registry must be a mapping with a 'sources' list, not a str"),
    ],
)
def test_an_empty_or_list_registry_says_what_it_must_be(seeds_copy, text, reason):
    seeds_copy.registry_path.write_text(text, encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert (err.field, err.reason) == ("-", reason)


@pytest.mark.parametrize("first", ["true", '"1"', "1.0"])
def test_a_line_number_must_be_an_integer(seeds_copy, first):
    text = seeds_copy.registry_path.read_text(encoding="utf-8")
    seeds_copy.registry_path.write_text(re.sub(r"body: \[\[\d+,", f"body: [[{first},", text, count=1), encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[0].units[0].body[0][0]" and "valid integer" in err.reason


@pytest.mark.parametrize("value", ["٢٠٢٢-09", "２０２２-09", "2022-०९"])
def test_a_date_must_use_ascii_digits(seeds_copy, value):
    seeds_copy.replace_text('value: "2022-09"', f'value: "{value}"')
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[2].date.value" and "is not an ISO date" in err.reason


def test_a_directory_named_sources_yml_is_not_missing(seeds_copy):
    seeds_copy.registry_path.unlink()
    seeds_copy.registry_path.mkdir()
    err = registry_error(seeds_copy.path)
    assert err.reason == "registry file is a directory, not a file"


def test_a_registry_that_is_not_utf8(seeds_copy):
    seeds_copy.registry_path.write_bytes(b"sources: \xff\n")
    assert registry_error(seeds_copy.path).reason == "not UTF-8: byte 0xff at offset 9"


def test_unknown_yaml_tags_are_refused_and_quoted_short(seeds_copy):
    seeds_copy.registry_path.write_text("sources: !!python/object:os.system" + "x" * 5000 + " {}\n", encoding="utf-8")
    err = registry_error(seeds_copy.path)
    assert err.reason.startswith("not valid YAML: ") and err.reason.endswith("...")


# --------------------------------------------------------------------------- 7 links in seeds/


def test_a_seed_linked_outside_the_seeds_folder_is_refused(seeds_copy, tmp_path):
    name = "002_97193b17a9f0bb91.txt"
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(seeds_copy.seed(name).read_bytes())  # same bytes: the checksum agrees
    seeds_copy.seed(name).unlink()
    seeds_copy.seed(name).symlink_to(outside)
    err = registry_error(seeds_copy.path)
    assert Path(err.file).name == name and err.field == "sources[3].file"
    assert f"a symbolic link to {outside.resolve()}, outside {seeds_copy.path}" in err.reason


def test_a_seed_linked_inside_the_seeds_folder_is_read(seeds_copy):
    name = "002_97193b17a9f0bb91.txt"
    seeds_copy.seed(name).rename(seeds_copy.path / "real.txt")
    seeds_copy.seed(name).symlink_to("real.txt")
    assert len(load_registry(seeds_copy.path).sources) == 5


def test_a_seed_link_loop(seeds_copy):
    name = "002_97193b17a9f0bb91.txt"
    seeds_copy.seed(name).unlink()
    seeds_copy.seed(name).symlink_to(name)
    err = registry_error(seeds_copy.path)
    assert err.field == "sources[3].file" and "a symbolic-link loop" in err.reason


def test_the_lexicon_refuses_aliases_and_duplicate_keys(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "references.yml"
    path.write_text(text.replace("toponyms:\n", "toponyms: &t\n", 1) + "more: *t\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"aliases \(\*t\) are not allowed"):
        load_lexicon(path)
    path.write_text(text + "\ntoponyms: []\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert info.value.field == "toponyms" and "duplicate key 'toponyms'" in info.value.reason


# --------------------------------------------------------------------------- 4-5 pathological text


@pytest.mark.parametrize(
    "name, call, text, seconds",
    [
        ("tagger, 'value ' x 20000", "tag", "value " * 20_000, 2.0),  # 11.7 s for 100k before
        ("tagger, 'the value ' x 10000", "tag", "the value " * 10_000, 2.0),
        ("cues, 'Mr. Putin ' x 10000", "cues", "Mr. Putin " * 10_000, 2.0),
        ("cleaning, '[' x 100000", "clean", "[" * 100_000, 2.0),  # 58 s before
        ("cleaning, '<http://' x 12500", "clean", "<http://" * 12_500, 2.0),  # 4.7 s before
        ("cleaning, '[' x 50000 + '](x'", "clean", "[" * 50_000 + "](" + "x" * 50_000, 2.0),
        # "a*" (concatenation: 3 MB took 29 s) is quadratic only at sizes too slow for this
        # loop; the size sweep below times it ("markup a*").
    ],
)
def test_the_issue_inputs_take_no_time(name, call, text, seconds):
    tagger = get_tagger()
    run = {"tag": tagger.tag, "cues": tagger.cues_found, "clean": clean_inline}[call]
    started = time.perf_counter()
    run(text)
    assert time.perf_counter() - started < seconds, name


def _best(run, argument, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(argument)
        best = min(best, time.perf_counter() - started)
    return best


def growth(run, make, chars: int, floor: float = 0.005, most: int = 400_000) -> tuple[int, float, float]:
    """(n, seconds for n, seconds for 10 n), each the best of a few runs: the input `make(n)`
    doubled from `chars` until it takes `floor` seconds (so the timer's noise does not decide
    the ratio), then ten times it. A ratio over 20 is measured again, small and large side by
    side (up to four times; the lowest ratio counts): on a shared machine a slow run is noise,
    while quadratic time gives about 100 every time."""
    run(make(chars))  # warm the caches (tagger plans, matcher readings)
    gc.collect()
    gc.disable()
    try:
        small_input = make(chars)
        small = _best(run, small_input, 3)
        while small < floor and chars < most:
            chars *= 2
            small_input = make(chars)
            small = _best(run, small_input, 3)
        large_input = make(10 * chars)
        large = _best(run, large_input, 1)
        for _ in range(4):
            if large <= 20 * small:
                break
            again = _best(run, small_input, 3), _best(run, large_input, 2)
            if again[1] / again[0] < large / small:
                small, large = again
    finally:
        gc.enable()
    return chars, small, large


def _repeat(unit: str):
    return lambda n: unit * max(1, n // len(unit))


def _lines_of(unit: str):
    """Many short lines of one paragraph (`clean_lines`: the PDF layout joins them)."""

    def make(n: int) -> list[tuple[int, str, int]]:
        lines, offset = [], 0
        for number in range(1, max(1, n // (len(unit) + 1)) + 1):
            lines.append((number, unit, offset))
            offset += len(unit) + 1
        return lines

    return make


def _prose(n: int) -> str:
    text = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(SEEDS.glob("*.txt")))
    return (text * (n // len(text) + 1))[:n]


ADVERSARIAL = {
    "one character": "a",
    "one markup token [": "[",
    "one markup token <http://": "<http://",
    "markup a*": "a*",
    "one cue word": "value ",
    "a phrase led by a function word": "the value ",
    "hyphens": "-",
    "U.S.-": "U.S.-",
    "all-caps US": "US ",
    "sentences": "Word. ",
    "abbreviations": "Sh. ",
    "leaders": "Mr. Putin ",
    "full-width ＵＳ": "ＵＳ ",
    "combining marks": "e\u0301",
}
_MATCHER = get_matcher()
_TAGGER = get_tagger()
STAGES = {
    "cleaning": clean_inline,
    "splitting": sentence_spans,
    "matching": lambda text: find_rows(text, _MATCHER),
    "tagging": _TAGGER.tag,
    "cues": _TAGGER.cues_found,
}
SWEEP = [pytest.param(stage, case, id=f"{stage}-{case}") for stage in STAGES for case in ADVERSARIAL]


@pytest.mark.parametrize("stage, case", SWEEP)
def test_ten_times_the_input_takes_at_most_twenty_times_as_long(stage, case):
    n, small, large = growth(STAGES[stage], _repeat(ADVERSARIAL[case]), 1000)
    assert large <= 20 * small, f"{stage}, {case}: {n:,} chars {small * 1e3:.1f} ms, x10 {large * 1e3:.1f} ms"


@pytest.mark.parametrize("layout", ["pdf", "lines"])
def test_a_paragraph_of_many_lines_cleans_in_linear_time(layout):
    n, small, large = growth(lambda lines: clean_lines(lines, layout), _lines_of("and the word goes on"), 5000)
    assert large <= 20 * small, f"{layout}: {n:,} chars {small * 1e3:.1f} ms, x10 {large * 1e3:.1f} ms"


@pytest.mark.parametrize("stage", ["cleaning", "matching", "tagging"])
def test_one_2_mb_line_of_prose(stage):
    """200 kB and 2 MB of the seeds' prose as one line."""
    run = STAGES[stage]
    run(_prose(1000))
    small = _best(run, _prose(200_000), 2)
    large = _best(run, _prose(2_000_000), 1)
    assert large <= 20 * small, f"{stage}: 200 kB {small:.3f} s, 2 MB {large:.3f} s"


# --------------------------------------------------------------------------- 6-7 the stream


@pytest.fixture
def texts(tmp_path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    paragraph = "The US and China met. Russia watched the maritime security talks.\n\n"
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(paragraph * 500, encoding="utf-8")  # 33.5 kB each: five batches
    return folder


def _on_first_split(monkeypatch, action):
    """Run `action` once, while the first batch of the first file is being split."""
    done = []

    def split(text):
        if not done:
            done.append(action())
        return sentence_spans(text)

    monkeypatch.setattr(stream, "sentence_spans", split)
    monkeypatch.setattr(stream, "BATCH_CHARS", 8_000)


def test_a_file_deleted_during_the_run_keeps_its_counts(texts, monkeypatch):
    """Deleted while read: read to the end (the open file stays), counted, and reported;
    deleted before it was opened: reported; the other files' counts are all there."""
    _on_first_split(monkeypatch, lambda: [(texts / name).unlink() for name in ("a.txt", "c.txt")])
    counts = analyse_directory(texts)
    problems = dict(zip(counts.problems["file"], counts.problems["problem"]))
    assert problems == {
        "a.txt": "removed while it was read (the counts are of the 33,500 bytes read)",
        "c.txt": "vanished before it was read",
    }
    a, b = (row[1:] for row in counts.files.itertuples(index=False))  # a.txt and b.txt: same text
    assert list(counts.files["file"]) == ["a.txt", "b.txt"] and a == b
    mentions = counts.mentions.groupby("file")["mentions"].sum().to_dict()
    assert mentions == {"a.txt": 1500, "b.txt": 1500}


def test_a_file_truncated_during_the_run_reports_the_bytes_it_read(texts, monkeypatch):
    size = (texts / "a.txt").stat().st_size
    _on_first_split(monkeypatch, lambda: os.truncate(texts / "a.txt", 0))
    counts = analyse_directory(texts)
    a = counts.files.set_index("file").loc["a.txt"]
    assert 8_000 <= a["bytes"] < size  # what was read before the file emptied, not 0
    assert a["words"] > 0 and a["words"] <= 11 * a["paragraphs"]
    problem = counts.problems.set_index("file").loc["a.txt", "problem"]
    assert f"changed while it was read: {size:,} bytes when opened, 0 when closed" in problem
    assert counts.files.set_index("file").loc["b.txt", "bytes"] == size


def test_a_bad_byte_is_reported_at_its_offset_in_the_file(tmp_path):
    line = b"x" * 99 + b"\n"
    (tmp_path / "bad.txt").write_bytes(line * 6000 + b"abc\xff\n")
    with pytest.raises(NotUTF8Error) as info:
        analyse_directory(tmp_path)
    assert info.value.offset == 600_003
    assert str(info.value) == f"{tmp_path / 'bad.txt'}: not UTF-8: byte 0xff at offset 600003 (invalid start byte)"


def test_files_in_different_folders_stay_apart(tmp_path):
    for folder, text in (("x", "China.\n"), ("y", "Russia and Russia.\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(text, encoding="utf-8")
    counts = analyse_directory(tmp_path, pattern="**/*.txt")
    assert list(counts.files["file"]) == ["x/same.txt", "y/same.txt"]
    assert {(r.file, r.actor): r.mentions for r in counts.mentions.itertuples()} == {
        ("x/same.txt", "China"): 1,
        ("y/same.txt", "Russia"): 2,
    }


def test_the_stream_refuses_links_that_leave_the_folder(tmp_path):
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "a.txt").write_text("China.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Russia.\n", encoding="utf-8")
    (inside / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(StreamError, match=r"link\.txt: a symbolic link to .*secret\.txt, outside .*follow_links"):
        analyse_directory(inside)
    counts = analyse_directory(inside, follow_links=True)
    assert list(counts.files["file"]) == ["a.txt", "link.txt"]
    with pytest.raises(StreamError, match=r"outside"):
        analyse_directory(inside, pattern="../*.txt")


def test_the_stream_reports_a_link_loop(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(StreamError, match=r"a\.txt: a symbolic-link loop"):
        analyse_directory(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="no /proc")
def test_a_link_to_proc_self_mem(tmp_path):
    (tmp_path / "a.txt").write_text("China.\n", encoding="utf-8")
    (tmp_path / "mem.txt").symlink_to("/proc/self/mem")
    with pytest.raises(StreamError, match="mem.txt: a symbolic link to /proc/"):
        analyse_directory(tmp_path)
    counts = analyse_directory(tmp_path, follow_links=True)
    assert counts.problems.to_dict("records") == [
        {"file": "mem.txt", "problem": "cannot be read after 0 bytes (Input/output error)"}
    ]
    assert counts.mentions.to_dict("records") == [{"file": "a.txt", "actor": "China", "form": "name", "mentions": 1}]


# --------------------------------------------------------------------------- 8 the command line


def _main(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["mentions", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_a_link_loop_is_not_a_missing_file(tmp_path, capsys):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    assert _main(capsys, str(tmp_path / "a.txt")) == (
        2,
        "",
        f"framelens: error: {tmp_path / 'a.txt'}: a symbolic-link loop\n",
    )
    code, out, err = _main(capsys, str(tmp_path / "gone.txt"))
    assert code == 2 and out == "" and "a symbolic link to a missing file" in err


def test_cli_a_file_given_twice(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("China.\n", encoding="utf-8")
    Path("b.txt").symlink_to("a.txt")
    assert _main(capsys, "a.txt", "a.txt") == (
        2,
        "",
        "framelens: error: a.txt: given twice: each file may be counted once\n",
    )
    code, out, err = _main(capsys, "a.txt", "./a.txt")
    assert (code, out) == (2, "") and "./a.txt: the same file as a.txt" in err
    code, out, err = _main(capsys, "a.txt", "b.txt")
    assert (code, out) == (2, "") and "b.txt: the same file as a.txt" in err


def test_cli_links_leaving_the_folder_need_follow_links(tmp_path, capsys):
    inside = tmp_path / "in"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("Russia.\n", encoding="utf-8")
    (inside / "link.txt").symlink_to(tmp_path / "secret.txt")
    code, out, err = _main(capsys, str(inside / "link.txt"))
    assert (code, out) == (2, "") and "a symbolic link to" in err and "--follow-links" in err
    code, out, err = _main(capsys, "--follow-links", str(inside / "link.txt"))
    assert code == 0 and f"{inside / 'link.txt'},Russia,1" in out.splitlines()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="no /proc")
def test_cli_an_unreadable_file_names_the_file(tmp_path, capsys):
    (tmp_path / "mem.txt").symlink_to("/proc/self/mem")
    (tmp_path / "a.txt").write_text("China.\n", encoding="utf-8")
    code, out, err = _main(capsys, "--follow-links", str(tmp_path / "a.txt"), str(tmp_path / "mem.txt"))
    assert (code, out) == (2, "")
    assert err == f"framelens: error: {tmp_path / 'mem.txt'}: cannot be read (Input/output error)\n"


def test_cli_output_that_cannot_be_written_exits_2_without_a_traceback(tmp_path):
    """Closed stdout (`>&-`), a full disk (`> /dev/full`) and a reader that has gone (`| head -c0`),
    each in its own process (Python's flush at exit must not fail either), run side by side."""
    text = tmp_path / "a.txt"
    text.write_text("The US and China.\n", encoding="utf-8")
    command = [sys.executable, "-m", "framelens", "mentions", str(text)]
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open("/dev/full", "wb") as full:
        runs = {
            "closed": subprocess.Popen(["sh", "-c", 'exec "$@" >&-', "sh", *command], stderr=subprocess.PIPE),
            "full": subprocess.Popen(command, stdout=full, stderr=subprocess.PIPE),
            "pipe": subprocess.Popen(command, stdout=write_end, stderr=subprocess.PIPE),
        }
        os.close(write_end)
        results = {name: (run.wait(timeout=60), run.stderr.read().decode()) for name, run in runs.items()}
    assert results == {
        "closed": (2, "framelens: error: standard output is closed\n"),
        "full": (2, "framelens: error: cannot write to standard output (No space left on device)\n"),
        "pipe": (2, "framelens: error: cannot write to standard output (Broken pipe)\n"),
    }


# --------------------------------------------------------------------------- 9 text the rules miss


@pytest.mark.parametrize(
    "text, expected",
    [
        ("US-\r\nJapan ties", [("United States", "compound", "US")]),
        ("US-\nJapan ties", [("United States", "compound", "US")]),
        ("ＵＳ and ＣＨＩＮＡ", [("United States", "name", "ＵＳ"), ("China", "name", "ＣＨＩＮＡ")]),
        ("CHİNA AND RUSSIA", [("China", "name", "CHİNA"), ("Russia", "name", "RUSSIA")]),
        ("Ｒｕｓｓｉａ's view", [("Russia", "name", "Ｒｕｓｓｉａ")]),
        (
            "China\u00a0and\u00a0the\u00a0United\u00a0States",
            [("China", "name", "China"), ("United States", "name", "United\u00a0States")],
        ),
        ("a US$5 billion loan and U.S.$2 more from the US", [("United States", "name", "US")]),
        ("ＵＳ＄5 billion", []),
        (
            "Donald J. Trump and George W. Bush",
            [("United States", "leader", "Donald J. Trump"), ("United States", "leader", "George W. Bush")],
        ),
        ("DONALD J. TRUMP SPOKE", [("United States", "leader", "DONALD J. TRUMP")]),
        ("Vladimir V. Putin met Xi", [("Russia", "leader", "Vladimir V. Putin"), ("China", "leader", "Xi")]),
        ("ﬁne words for China", [("China", "name", "China")]),
    ],
)
def test_text_the_rules_missed(text, expected):
    found = find_mentions(text)
    assert [(m.actor, m.form, m.surface) for m in found.itertuples()] == expected
    assert all(text[m.start : m.end] == m.surface for m in found.itertuples())  # offsets into the text as given


def test_normalised_offsets_stay_in_the_original_text():
    text = "ﬁ\u0301 ＵＳ e\u0301 China ½ Ｒｕｓｓｉａ"
    found = find_mentions(text)
    assert [(m.surface, m.start, m.end) for m in found.itertuples()] == [
        ("ＵＳ", 3, 5),
        ("China", 9, 14),
        ("Ｒｕｓｓｉａ", 17, 23),
    ]
