"""Two clean builds of the book give the same tables and figures, byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from booktools import BUILD_ARGS, JUPYTER_BOOK, copy_project
from conftest import PROJECT


def _figure_call_sites() -> int:
    toc = (PROJECT / "_toc.yml").read_text(encoding="utf-8")
    pages = [yaml.safe_load(toc)["root"]] + re.findall(r"file:\s*(\S+)", toc)
    return sum(
        (PROJECT / f"{p}.md").read_text(encoding="utf-8").count("save_figure(")
        for p in pages
        if (PROJECT / f"{p}.md").is_file()
    )


def _outputs(root: Path) -> dict[str, bytes]:
    files = {}
    for kind in ("tables", "figures"):
        for path in sorted((root / "_build" / kind).glob("*")):
            files[f"{kind}/{path.name}"] = path.read_bytes()
    return files


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(tmp_path):
    """Two copies of the project, built at the same time with different hash seeds."""
    roots = [copy_project(tmp_path / name) for name in ("a", "b")]
    for root in roots:
        assert not (root / "_build").exists()
    logs = [open(tmp_path / f"build-{i}.log", "w") for i in range(2)]
    processes = [
        subprocess.Popen(
            [str(JUPYTER_BOOK), BUILD_ARGS[0], str(root), *BUILD_ARGS[1:]],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for root, log, seed in zip(roots, logs, ("0", "1"))
    ]
    codes = [p.wait(timeout=1800) for p in processes]
    for log in logs:
        log.close()
    for code, i in zip(codes, range(2)):
        assert code == 0, (tmp_path / f"build-{i}.log").read_text()[-6000:]

    a, b = (_outputs(root) for root in roots)
    assert sorted(a) == sorted(b)
    tables = [name for name in a if name.startswith("tables/") and name.endswith(".csv")]
    figures = [name for name in a if name.startswith("figures/") and name.endswith(".svg")]
    assert len(tables) >= 10, tables
    assert len(figures) >= max(10, _figure_call_sites()), figures
    different = [name for name in a if a[name] != b[name]]
    assert different == [], f"these differ between two clean builds: {different}"

    # The PNG figures in the pages are named by a hash of their bytes: the same names, same images.
    images = [sorted(p.name for p in (root / "_build" / "html" / "_images").glob("*")) for root in roots]
    assert images[0] == images[1]

    # No page says when it was built.
    today = dt.date.today()
    stamps = {
        today.isoformat(),
        today.strftime("%b %d, %Y"),
        today.strftime("%B %d, %Y"),
        f"{today.day} {today.strftime('%B %Y')}",
        today.strftime("%d/%m/%Y"),
        today.strftime("%m/%d/%Y"),
    }
    for page in (roots[0] / "_build" / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = [s for s in stamps if s in text]
        assert not found, f"{page.name} shows the build date: {found}"
