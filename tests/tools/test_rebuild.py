"""Rebuilds are fast and never stale (lib/framelens/buildinfo.py, used by `make book`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import framelens.tools.buildinfo as buildinfo

ROOT = Path(__file__).resolve().parents[2]


def _copy_project(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _executed(output: str) -> list[str]:
    return sorted(Path(line.split(":")[0]).name for line in output.splitlines() if "Executing notebook" in line)


def _build(root: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "framelens.tools.buildinfo", "build", str(root)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "FRAMELENS_SEEDS": str(root / "seeds"),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            # the copy's own framelens (and lexicon), not the one installed from the project
            "PYTHONPATH": str(root / "lib"),
        },
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
def test_no_change_rebuild_executes_nothing_and_a_lexicon_edit_reexecutes_everything(tmp_path):
    project = _copy_project(tmp_path / "book")
    code, output = _build(project)
    assert code == 0, output[-3000:]
    assert "every chapter runs" in output
    toc = (project / "_toc.yml").read_text().splitlines()
    listed = [line.split(":", 1)[1].strip() + ".md" for line in toc if line.strip().startswith(("root:", "- file:"))]
    pages = sorted(Path(p).name for p in listed if "kernelspec:" in (project / p).read_text())  # notebooks only
    assert _executed(output) == pages
    before = (project / "_build/tables/references_per_unit.csv").read_text()

    started = time.perf_counter()
    code, output = _build(project)
    elapsed = time.perf_counter() - started
    assert code == 0 and _executed(output) == [] and "up to date" in output
    assert elapsed < 5, f"no-change rebuild took {elapsed:.1f} s"
    assert buildinfo.status(project) == "clean"

    # A lexicon edit: Beijing no longer counts as a reference to China.
    lexicon = project / "lib/framelens/data/references.yml"
    lexicon.write_text(lexicon.read_text().replace("capital: [Beijing]", "capital: []"))
    assert buildinfo.status(project) == "all"
    code, output = _build(project)
    assert code == 0, output[-3000:]
    assert _executed(output) == pages
    after = (project / "_build/tables/references_per_unit.csv").read_text()
    assert after != before


def test_status_tracks_pages_and_dependencies(tmp_path):
    project = tmp_path / "p"
    (project / "chapters").mkdir(parents=True)
    (project / "lib/framelens/data").mkdir(parents=True)
    (project / "seeds").mkdir()
    (project / "intro.md").write_text("# Intro\n")
    (project / "chapters/a.md").write_text("# A\n")
    (project / "lib/framelens/data/references.yml").write_text("actors: {}\n")
    (project / "seeds/x.txt").write_text("text\n")
    assert buildinfo.status(project) == "all"
    record = project / buildinfo.RECORD
    record.parent.mkdir(parents=True)
    record.write_text(f"{buildinfo.fingerprint(project)}\n{buildinfo.pages_fingerprint(project)}\n")
    assert buildinfo.status(project) == "clean"
    (project / "chapters/a.md").write_text("# A, edited\n")
    assert buildinfo.status(project) == "pages"
    (project / "seeds/x.txt").write_text("text, edited\n")
    assert buildinfo.status(project) == "all"
