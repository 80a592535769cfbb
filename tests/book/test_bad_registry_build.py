"""A bad registry fails loading and the build, and leaves no derived output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from booktools import build, output, seeds_copy_at, tiny_book
from conftest import tree_snapshot


def _break_registry(seeds: Path) -> None:
    registry = seeds / "sources.yml"
    text = registry.read_text(encoding="utf-8")
    assert text.count("kind: event summary") == 1
    registry.write_text(text.replace("kind: event summary", "kind: blog post"), encoding="utf-8")


def test_bad_registry_fails_and_writes_nothing(tmp_path):
    from framelens.corpus.registry import RegistryError
    from framelens.corpus.units import load_units

    seeds = seeds_copy_at(tmp_path / "broken")
    _break_registry(seeds)
    before = tree_snapshot(tmp_path)
    with pytest.raises(RegistryError) as error:
        load_units(seeds)
    assert error.value.field == "sources[0].kind"
    assert "blog post" in error.value.reason
    assert tree_snapshot(tmp_path) == before
    assert not (tmp_path / "broken" / "_build").exists()


@pytest.mark.slow
def test_bad_registry_fails_the_build_and_leaves_no_derived_output(tmp_path):
    from framelens.corpus.registry import RegistryError
    from framelens.corpus.units import load_units

    seeds = seeds_copy_at(tmp_path / "broken")
    _break_registry(seeds)
    with pytest.raises(RegistryError) as error:
        load_units(seeds)
    book = tiny_book(
        tmp_path / "book",
        """
from framelens.presentation.tables import show_table
from framelens.corpus.units import load_units

show_table(load_units()[["unit_id", "words"]], "units")
""",
    )
    before = tree_snapshot(tmp_path / "broken")
    result = build(book, {"FRAMELENS_SEEDS": str(seeds)})
    assert result.returncode != 0, output(result)
    logs = (
        result.stdout
        + result.stderr
        + "".join(p.read_text(encoding="utf-8", errors="replace") for p in (book / "_build").rglob("*.log"))
    )
    logs = re.sub(r"\x1b\[[0-9;]*m", "", logs)  # the traceback is coloured
    assert "RegistryError" in logs, output(result)
    assert error.value.reason in logs and error.value.field in logs, output(result)
    assert tree_snapshot(tmp_path / "broken") == before  # no tables, no figures next to the seeds
    assert not (tmp_path / "broken" / "_build").exists()
