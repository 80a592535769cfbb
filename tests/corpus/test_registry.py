"""The seeds, their checksums and the source registry (framelens.registry, framelens.corpus)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import SEEDS, tree_snapshot
from framelens.corpus.registry import RegistryError, load_registry
from framelens.corpus.units import load_units

SHARED_SEEDS = Path("/work/shared/seeds")

SEED_FILES = [
    "000_cc7a212814307bfa.txt",
    "001_bfdd1f44d51d810d.txt",
    "002_97193b17a9f0bb91.txt",
    "003_dbbb96e00d69d8fe.txt",
    "004_128de2a04d5d959a.txt",
]
SOURCE_IDS = [
    "stimson-2014-roundtable",
    "stimson-2015-global-diplomacy",
    "ankasam-2022-tamer",
    "chanakya-2023-nagial",
    "gyalpo-2025",
]
UNIT_IDS = [
    "2014-roundtable",
    "2015-intro-tatsumi",
    "2015-australia-satake",
    "2015-india-asano",
    "2015-europe-tsuruoka",
    "2015-russia-hirose",
    "2015-conclusion-tatsumi",
    "2022-tamer",
    "2023-nagial",
    "2025-gyalpo",
]
# The units table as corpus.py's docstring lists it.
UNIT_COLUMNS = [
    "unit_id",
    "source_id",
    "seed_file",
    "title",
    "authors",
    "date",
    "date_status",
    "year",
    "era",
    "kind",
    "about",
    "text",
    "notes",
    "words",
    "heading_words",
    "removed",
    "removed_lines",
]


# --- checksums ---------------------------------------------------------------------------


def _sha256sums() -> dict[str, str]:
    sums = {}
    for line in (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    return sums


def test_sha256sums_lists_every_seed_file():
    assert sorted(_sha256sums()) == SEED_FILES
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == SEED_FILES


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_matches_sha256sums(name):
    assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == _sha256sums()[name]


def test_registry_checksums_agree_with_sha256sums():
    sums = _sha256sums()
    loaded = load_registry(SEEDS)
    assert {s.file: s.sha256 for s in loaded.sources} == sums


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="/work/shared/seeds is absent")
def test_shared_seeds_are_byte_identical():
    shared = sorted(p.name for p in SHARED_SEEDS.iterdir() if p.is_file())
    assert set(SEED_FILES) <= set(shared)
    for name in shared:
        assert (SEEDS / name).is_file(), name
        assert (SHARED_SEEDS / name).read_bytes() == (SEEDS / name).read_bytes(), name


# --- the real registry and units ---------------------------------------------------------


def test_real_registry_loads():
    loaded = load_registry(SEEDS)
    assert [s.id for s in loaded.sources] == SOURCE_IDS
    assert [s.file for s in loaded.sources] == [
        "000_cc7a212814307bfa.txt",
        "004_128de2a04d5d959a.txt",
        "001_bfdd1f44d51d810d.txt",
        "002_97193b17a9f0bb91.txt",
        "003_dbbb96e00d69d8fe.txt",
    ]
    assert [len(s.units) for s in loaded.sources] == [1, 6, 1, 1, 1]
    assert [s.year for s in loaded.sources] == [2014, 2015, 2022, 2023, 2025]
    assert {k: v.n_lines for k, v in loaded.seeds.items()} == {
        "stimson-2014-roundtable": 149,
        "stimson-2015-global-diplomacy": 863,
        "ankasam-2022-tamer": 40,
        "chanakya-2023-nagial": 42,
        "gyalpo-2025": 34,
    }


def test_units_ids_order_and_columns():
    units = load_units(SEEDS)
    assert list(units["unit_id"]) == UNIT_IDS
    assert list(units.columns) == UNIT_COLUMNS
    import framelens.corpus.units

    for column in UNIT_COLUMNS:
        assert column in framelens.corpus.units.__doc__, column


def test_units_years_eras_and_sources():
    units = load_units(SEEDS).set_index("unit_id")
    assert list(units["year"]) == [2014] + [2015] * 6 + [2022, 2023, 2025]
    assert list(units["era"]) == ["2014-15"] * 7 + ["2022-25"] * 3
    assert list(units["source_id"]) == [SOURCE_IDS[0]] + [SOURCE_IDS[1]] * 6 + SOURCE_IDS[2:]
    assert list(units["date"]) == ["2014-07-28"] + ["2015-03"] * 6 + ["2022-09", "2023-03-22", "2025-10"]


def test_notes_non_empty_exactly_for_2015_units_and_tamer():
    units = load_units(SEEDS)
    with_notes = list(units.loc[units["notes"].str.strip() != "", "unit_id"])
    assert with_notes == [u for u in UNIT_IDS if u.startswith("2015-")] + ["2022-tamer"]


def test_nagial_removed_lines_are_the_non_blank_removed_lines():
    loaded = load_registry(SEEDS)
    source = loaded.sources[SOURCE_IDS.index("chanakya-2023-nagial")]
    seed = loaded.seeds[source.id]
    expected = [
        seed.line(n) for span in source.removed for n in range(span.lines[0], span.lines[1] + 1) if seed.line(n).strip()
    ]
    assert len(expected) == 12
    row = load_units(SEEDS).set_index("unit_id").loc["2023-nagial"]
    assert row["removed_lines"] == 12
    assert [line for line in row["removed"].split("\n") if line.strip()] == expected
    assert expected[0] == "• 10 June, 2023"
    assert expected[-1] == "Leave a Comment"


# --- the fixture itself ------------------------------------------------------------------


def test_unchanged_copy_round_trips_through_yaml(seeds_copy):
    seeds_copy.edit(lambda data: None)  # load and dump, no change
    loaded = load_registry(seeds_copy.path)
    assert [s.id for s in loaded.sources] == SOURCE_IDS
    assert list(load_units(seeds_copy.path)["unit_id"]) == UNIT_IDS


# --- errors ------------------------------------------------------------------------------


def _expect_error(copy, *, file: str, field: str, reason: str, exact: bool = False, loader=load_registry):
    """Load `copy`, expect a RegistryError as described, and check nothing was written."""
    before = copy.snapshot()
    project_before = tree_snapshot(SEEDS)
    with pytest.raises(RegistryError) as info:
        loader(copy.path)
    err = info.value
    assert Path(err.file).name == file, err
    assert Path(err.file).parent == copy.path, err
    assert err.field == field, err
    if exact:
        assert err.reason == reason, err
    else:
        assert reason in err.reason, err
    assert str(err) == f"{err.file}: {err.field}: {err.reason}"
    assert copy.snapshot() == before
    assert tree_snapshot(SEEDS) == project_before
    return err


def test_missing_seed_file(seeds_copy):
    seeds_copy.seed("001_bfdd1f44d51d810d.txt").unlink()
    _expect_error(
        seeds_copy, file="001_bfdd1f44d51d810d.txt", field="sources[2].file", reason="seed file not found", exact=True
    )


def test_missing_registry_file(seeds_copy):
    seeds_copy.registry_path.unlink()
    _expect_error(seeds_copy, file="sources.yml", field="-", reason="registry file not found", exact=True)


def test_checksum_mismatch(seeds_copy):
    name = "003_dbbb96e00d69d8fe.txt"
    raw = seeds_copy.seed(name).read_bytes() + b"x"
    seeds_copy.write_seed(name, raw, fix_checksum=False)
    _expect_error(
        seeds_copy,
        file=name,
        field="sources[4].sha256",
        exact=True,
        reason=f"checksum mismatch: the file's sha256 is {hashlib.sha256(raw).hexdigest()}, "
        "the registry says 65d8d6069a2a87fea84e46c6892bda1adae99e7e266b9d394f067160a81cbc37",
    )


def test_missing_required_field(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][0].pop("kind"))
    _expect_error(
        seeds_copy, file="sources.yml", field="sources[0].kind", reason="required field is missing", exact=True
    )


def test_missing_required_unit_field(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][1]["units"][2].pop("title"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[1].units[2].title",
        reason="required field is missing",
        exact=True,
    )


def test_what_each_unit_is_about():
    units = load_units(SEEDS).set_index("unit_id")
    assert units["about"].to_dict() == {
        "2014-roundtable": "japan-india",
        "2015-intro-tatsumi": "japan-general",
        "2015-australia-satake": "japan-australia",
        "2015-india-asano": "japan-india",
        "2015-europe-tsuruoka": "japan-europe",
        "2015-russia-hirose": "japan-russia",
        "2015-conclusion-tatsumi": "japan-general",
        "2022-tamer": "japan-india",
        "2023-nagial": "japan-india",
        "2025-gyalpo": "japan-india",
    }


def test_missing_or_bad_about(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][1]["units"][3].pop("about"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[1].units[3].about",
        reason="required field is missing",
        exact=True,
    )
    seeds_copy.edit(lambda d: d["sources"][1]["units"][3].__setitem__("about", "India"))
    _expect_error(seeds_copy, file="sources.yml", field="sources[1].units[3].about", reason="should match pattern")


@pytest.mark.parametrize(
    "where, field",
    [
        (lambda d: d["sources"][1], "sources[1].colour"),
        (lambda d: d["sources"][3]["units"][0], "sources[3].units[0].colour"),
        (lambda d: d["sources"][2]["date"], "sources[2].date.colour"),
    ],
)
def test_unknown_field(seeds_copy, where, field):
    seeds_copy.edit(lambda d: where(d).__setitem__("colour", "red"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field=field,
        reason="unknown field (not part of the registry schema)",
        exact=True,
    )


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2022-13-01", "'2022-13-01' is not a valid date: month must be in 1..12 (got '2022-13-01')"),
        ("2022-02-30", "'2022-02-30' is not a valid date: day is out of range for month (got '2022-02-30')"),
        ("yesterday", "'yesterday' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) (got 'yesterday')"),
        ("22-09", "'22-09' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) (got '22-09')"),
    ],
)
def test_bad_date(seeds_copy, value, reason):
    seeds_copy.edit(lambda d: d["sources"][2]["date"].__setitem__("value", value))
    _expect_error(seeds_copy, file="sources.yml", field="sources[2].date.value", reason=reason, exact=True)


def test_bad_date_written_without_quotes(seeds_copy):
    # In hand-edited YAML an unquoted 2022-13-01 is what a typo looks like; PyYAML's safe
    # loader tries to build a date from it and raises a bare ValueError.
    seeds_copy.replace_text('value: "2022-09"', "value: 2022-13-01")
    err = _expect_error(seeds_copy, file="sources.yml", field="sources[2].date.value", reason="2022-13-01")
    assert "month must be in 1..12" in err.reason


def test_bad_date_yesterday_as_text(seeds_copy):
    seeds_copy.replace_text('value: "2023-03-22"', "value: yesterday")
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[3].date.value",
        exact=True,
        reason="'yesterday' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) (got 'yesterday')",
    )


def test_duplicate_source_id(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][3].__setitem__("id", "stimson-2014-roundtable"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[3].id",
        exact=True,
        reason="duplicate source id 'stimson-2014-roundtable' (also sources[0])",
    )


def test_duplicate_unit_id_in_one_source(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][1]["units"][3].__setitem__("id", "2015-india-asano"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[1].units[3].id",
        exact=True,
        reason="duplicate unit id '2015-india-asano' (also in source 'stimson-2015-global-diplomacy')",
    )


def test_duplicate_unit_id_across_sources(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][4]["units"][0].__setitem__("id", "2014-roundtable"))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[4].units[0].id",
        exact=True,
        reason="duplicate unit id '2014-roundtable' (also in source 'stimson-2014-roundtable')",
    )


def test_units_overlap(seeds_copy):
    # The Australia brief now starts inside the introduction's notes (184-192).
    seeds_copy.edit(lambda d: d["sources"][1]["units"][1]["body"].__setitem__(0, [192, 201]))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[1].units[1].body[0]",
        exact=True,
        reason="span [192, 201] overlaps sources[1].units[0].notes[0] at line 192",
    )


def test_body_overlaps_its_own_notes(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][1]["units"][2]["body"].__setitem__(1, [340, 460]))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[1].units[2].notes[0]",
        exact=True,
        reason="span [455, 467] overlaps sources[1].units[2].body[1] at line 455",
    )


def test_removed_overlaps_body(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][3]["removed"][1].__setitem__("lines", [4, 7]))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[3].removed[1].lines",
        exact=True,
        reason="span [4, 7] overlaps sources[3].units[0].body[0] at line 4",
    )


@pytest.mark.parametrize(
    "change, field, reason",
    [
        (
            lambda d: d["sources"][4]["units"][0]["body"].__setitem__(0, [2, 35]),
            "sources[4].units[0].body[0]",
            "span [2, 35] falls outside 003_dbbb96e00d69d8fe.txt, which has 34 lines",
        ),
        # 004 has no final line break: 863 lines, not the 862 that `wc -l` counts.
        (
            lambda d: d["sources"][1]["removed"][12].__setitem__("lines", [853, 864]),
            "sources[1].removed[12].lines",
            "span [853, 864] falls outside 004_128de2a04d5d959a.txt, which has 863 lines",
        ),
    ],
)
def test_span_outside_file(seeds_copy, change, field, reason):
    seeds_copy.edit(change)
    _expect_error(seeds_copy, file="sources.yml", field=field, reason=reason, exact=True)


@pytest.mark.parametrize(
    "change, field, reason",
    [
        (
            lambda d: d["sources"][2]["units"][0]["body"].__setitem__(1, [27, 7]),
            "sources[2].units[0].body[1]",
            "span [27, 7] is not a range of line numbers (1-based, first <= last)",
        ),
        (
            lambda d: d["sources"][0]["units"][0]["body"].__setitem__(0, [0, 149]),
            "sources[0].units[0].body[0]",
            "span [0, 149] is not a range of line numbers (1-based, first <= last)",
        ),
    ],
)
def test_span_not_a_range(seeds_copy, change, field, reason):
    seeds_copy.edit(change)
    _expect_error(seeds_copy, file="sources.yml", field=field, reason=reason, exact=True)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"\xff\xfeJapan and India\n", "not UTF-8: byte 0xff at offset 0"),
        (b"Japan and India\n" + "Türkçe\n".encode("latin-1"), "not UTF-8: byte 0xfc at offset 17"),
    ],
)
def test_seed_not_utf8(seeds_copy, raw, reason):
    name = "003_dbbb96e00d69d8fe.txt"
    seeds_copy.write_seed(name, raw)  # the registry gets the new sha256: only the encoding is wrong
    _expect_error(seeds_copy, file=name, field="sources[4].file", reason=reason, exact=True)


@pytest.mark.parametrize("raw", [b"", b"\n \n\t\n"])
def test_seed_empty(seeds_copy, raw):
    name = "002_97193b17a9f0bb91.txt"
    seeds_copy.write_seed(name, raw)
    _expect_error(seeds_copy, file=name, field="sources[3].file", reason="seed file is empty", exact=True)


def test_unit_body_only_a_rule_is_empty_after_cleaning(seeds_copy):
    # Line 156 of 004 is "---". Give it a unit of its own; the introduction keeps the rest.
    def change(d):
        source = d["sources"][1]
        source["units"][0]["body"] = [[154, 155], [157, 157], [159, 183]]
        source["units"].append(
            {"id": "rule-only", "about": "japan-general", "title": "Rule", "authors": [], "body": [[156, 156]]}
        )

    seeds_copy.edit(change)
    assert len(load_registry(seeds_copy.path).sources[1].units) == 7  # the registry itself is valid
    _expect_error(
        seeds_copy,
        loader=load_units,
        file="sources.yml",
        field="sources[1].units[6].body",
        reason="unit 'rule-only' has an empty body after cleaning",
        exact=True,
    )


@pytest.mark.parametrize(
    "url_line",
    [
        "https://www.chanakyaforum.com/indo-japan-security-cooperation/",
        "<http://www.chanakyaforum.com>",
        "[https://www.chanakyaforum.com](https://www.chanakyaforum.com) [1]",
    ],
)
def test_unit_body_only_a_url_is_empty_after_cleaning(seeds_copy, url_line):
    # Line 3 of 002 is blank: put a URL there and make it a unit of its own.
    name = "002_97193b17a9f0bb91.txt"
    lines = seeds_copy.seed(name).read_text(encoding="utf-8").split("\n")
    assert lines[2] == ""
    lines[2] = url_line
    seeds_copy.write_seed(name, "\n".join(lines).encode("utf-8"))
    seeds_copy.edit(
        lambda d: d["sources"][3]["units"].append(
            {"id": "url-only", "about": "japan-india", "title": "A link", "authors": [], "body": [[3, 3]]}
        )
    )
    assert [u.id for u in load_registry(seeds_copy.path).sources[3].units] == ["2023-nagial", "url-only"]
    _expect_error(
        seeds_copy,
        loader=load_units,
        file="sources.yml",
        field="sources[3].units[1].body",
        reason="unit 'url-only' has an empty body after cleaning",
        exact=True,
    )


def test_line_covered_by_nothing(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][3]["removed"].pop(5))  # [42, 42] "Leave a Comment"
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[3]",
        exact=True,
        reason="line 42 of 002_97193b17a9f0bb91.txt is in no unit body, notes or removed span: 'Leave a Comment'",
    )


def test_line_left_out_by_a_shortened_body(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][4]["units"][0]["body"].__setitem__(0, [2, 27]))
    _expect_error(
        seeds_copy,
        file="sources.yml",
        field="sources[4]",
        exact=True,
        reason="line 28 of 003_dbbb96e00d69d8fe.txt is in no unit body, notes or removed span: "
        "'Hence, the success of their partnership will not be measured'",
    )


@pytest.mark.parametrize(
    "text",
    [
        "sources:\n  - id: [unclosed\n",
        "sources:\n  - id: a\n\tfile: b.txt\n",
    ],
)
def test_registry_yaml_does_not_parse(seeds_copy, text):
    seeds_copy.registry_path.write_text(text, encoding="utf-8")
    err = _expect_error(seeds_copy, file="sources.yml", field="-", reason="not valid YAML: ")
    assert err.reason.startswith("not valid YAML: ")


def test_load_units_reports_registry_errors_too(seeds_copy):
    seeds_copy.edit(lambda d: d["sources"][0].pop("kind"))
    _expect_error(
        seeds_copy,
        loader=load_units,
        file="sources.yml",
        field="sources[0].kind",
        reason="required field is missing",
        exact=True,
    )


# --- bounded YAML (issue 16; the hostile registries are in tests/test_hostile.py) -------------


def test_the_strict_loader_reads_the_real_registry_as_the_safe_loader_does():
    import yaml

    from framelens.corpus.registry import _TextDatesLoader

    text = (SEEDS / "sources.yml").read_text(encoding="utf-8")
    assert yaml.load(text, Loader=_TextDatesLoader) == yaml.safe_load(text.replace("value: 20", "value: '20"))


@pytest.mark.parametrize(
    "text, field, reason",
    [
        (
            "a: 1\nb:\n  c: 2\n  c: 3\n",
            "b.c",
            "duplicate key 'c' at line 4 (first at line 3): YAML would keep only the last one",
        ),
        (
            "a: [1, {x: 1, x: 2}]\n",
            "a[1].x",
            "duplicate key 'x' at line 1 (first at line 1): YAML would keep only the last one",
        ),
        (
            "yes: 1\ntrue: 2\n",
            "true",
            "duplicate key 'true' at line 2 (first at line 1): YAML would keep only the last one",
        ),
        ("a: &x 1\nb: *x\n", "b", "YAML aliases (*x) are not allowed: write the value out (line 2)"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "a" + "[0]" * 49, "nested more than 50 levels deep (line 1)"),
    ],
)
def test_strict_loader_errors_name_the_field_and_line(text, field, reason):
    import yaml

    from framelens.datafiles import DataFileError, StrictLoader

    with pytest.raises(DataFileError) as info:
        yaml.load(text, Loader=StrictLoader)  # noqa: S506
    assert (info.value.field, info.value.reason) == (field, reason)


def test_quotes_in_errors_are_cut_short():
    from framelens.datafiles import quote, shorten

    assert quote("short") == "'short'"
    assert quote("x" * 1000) == "'" + "x" * 200 + "'..."
    assert len(quote(["y" * 1000] * 1000)) <= 203
    assert shorten("z" * 700) == "z" * 600 + "..."
