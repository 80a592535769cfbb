"""The reproducibility checks: seed checksums, package versions, the worked example."""

from __future__ import annotations

import hashlib

import pytest

from conftest import PROJECT, SEEDS, tree_snapshot


def test_seed_checksums_verify_the_real_seeds():
    from framelens.tools.reproducibility import seed_checksums

    table = seed_checksums(SEEDS)
    assert len(table) == 5
    assert table["matches_SHA256SUMS"].all() and table["matches_registry"].all()
    for row in table.itertuples():
        assert hashlib.sha256((SEEDS / row.file).read_bytes()).hexdigest() == row.sha256


@pytest.mark.parametrize("damage", ["altered", "unlisted", "missing"])
def test_seed_checksums_refuse_damaged_seeds(seeds_copy, damage):
    from framelens.corpus.registry import RegistryError
    from framelens.tools.reproducibility import ChecksumError, seed_checksums

    name = "001_bfdd1f44d51d810d.txt"
    if damage == "altered":  # the registry follows the change, SHA256SUMS does not
        seeds_copy.write_seed(name, seeds_copy.seed(name).read_bytes() + b"\nOne more line.\n")
        seeds_copy.edit(lambda d: d["sources"][2]["units"][0]["body"].append([41, 41]))
    elif damage == "unlisted":
        (seeds_copy.path / "999_extra.txt").write_text("An extra file.\n", encoding="utf-8")
    else:
        sums = seeds_copy.path / "SHA256SUMS"
        sums.write_text(sums.read_text() + "0" * 64 + "  404_missing.txt\n", encoding="utf-8")
    with pytest.raises((ChecksumError, RegistryError)) as error:
        seed_checksums(seeds_copy.path)
    assert {"altered": name, "unlisted": "999_extra.txt", "missing": "404_missing.txt"}[damage] in str(error.value)


def test_package_versions_cover_every_pin():
    from framelens.tools.reproducibility import check_versions, package_versions, pinned_requirements

    pins = pinned_requirements(PROJECT / "requirements.txt")
    lines = [line for line in (PROJECT / "requirements.txt").read_text().splitlines() if "==" in line.split("#")[0]]
    assert len(pins) == len(lines) > 50
    table = package_versions(PROJECT / "requirements.txt")
    assert set(table["package"]) == {name for name, _ in pins}
    check_versions(table)  # the test environment is the pinned one
    wrong = table.copy()
    wrong.loc[0, ["installed", "matches"]] = ["0.0", False]
    with pytest.raises(RuntimeError, match=wrong.loc[0, "package"]):
        check_versions(wrong)


def test_worked_example_touches_only_a_temporary_copy():
    from framelens.tools.reproducibility import worked_example

    before = tree_snapshot(SEEDS)
    example = worked_example(SEEDS)
    assert tree_snapshot(SEEDS) == before
    assert len(example.units) == len(example.units_before) + 1
    assert example.counts.set_index("actor")["mentions"].to_dict() == {"China": 2, "United States": 2, "Russia": 0}
