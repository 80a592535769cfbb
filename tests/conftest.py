"""Shared fixtures: the project's seeds, a disposable copy of them, and the real corpus."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), to show nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class SeedsCopy:
    """A writable copy of seeds/ with helpers to break it one way at a time."""

    def __init__(self, path: Path):
        self.path = path
        self.registry_path = path / "sources.yml"

    # registry
    def load(self) -> dict:
        return yaml.safe_load(self.registry_path.read_text(encoding="utf-8"))

    def dump(self, data: dict) -> None:
        self.registry_path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def edit(self, change) -> None:
        """Load the registry, let `change(data)` mutate it, write it back."""
        data = self.load()
        change(data)
        self.dump(data)

    def replace_text(self, old: str, new: str) -> None:
        text = self.registry_path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in sources.yml"
        self.registry_path.write_text(text.replace(old, new), encoding="utf-8")

    # seeds
    def seed(self, name: str) -> Path:
        return self.path / name

    def write_seed(self, name: str, raw: bytes, fix_checksum: bool = True) -> None:
        """Overwrite a seed copy; with `fix_checksum` the registry gets its new sha256."""
        old = hashlib.sha256(self.seed(name).read_bytes()).hexdigest()
        self.seed(name).write_bytes(raw)
        if fix_checksum:
            self.replace_text(old, hashlib.sha256(raw).hexdigest())

    def snapshot(self) -> dict[str, bytes]:
        return tree_snapshot(self.path)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> SeedsCopy:
    """A fresh copy of seeds/ under tmp_path/seeds; each test mutates its own copy."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return SeedsCopy(target)


@pytest.fixture(scope="session")
def corpus():
    """The real corpus, built once from the project's seeds/."""
    from framelens.corpus.units import load_corpus

    return load_corpus(SEEDS)
