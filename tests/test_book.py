"""The book as a whole: escaping, determinism, adding a source, offline builds, bad input.

Slow tests (marked `slow`) build Jupyter Books in temporary folders: a tiny throw-away book of
one page for escaping, offline and bad-input checks, and two full copies of the project for
determinism. They use this environment's `jupyter-book` (the .venv's), never the network.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import PROJECT, SEEDS, tree_snapshot

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BUILD_ARGS = ["build", "--all", "-W", "-n", "--keep-going"]

# Source text is data: none of this may become markup, a script, a cell, math or a link.
EVIL = [
    "<script>alert(1)</script>",
    "{glue:text}`x`",
    "```{code-cell}",
    "**bold**",
    "$x$",
    "[link](http://x)",
]


# ----------------------------------------------------------------------------- helpers


def project_files() -> list[str]:
    """The project's files as git sees them (tracked and new, not ignored): no _build, no .venv."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=PROJECT, capture_output=True, check=True).stdout.decode("utf-8")
        files = [f for f in listed.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: skip what .gitignore names
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"}
        files = [str(p.relative_to(PROJECT)) for p in PROJECT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(PROJECT).parts)
                 and not p.name.endswith(".ipynb") and ".egg-info" not in str(p)]
    return sorted(f for f in files if (PROJECT / f).is_file())


def copy_project(target: Path) -> Path:
    for name in project_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, destination)
    return target


def tiny_book(folder: Path, code: str, title: str = "A tiny book") -> Path:
    """A one-page Jupyter Book whose page runs `code` in one code cell, executed at build."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(textwrap.dedent("""\
        title: Tiny
        author: framelens tests
        only_build_toc_files: true
        execute:
          execute_notebooks: force
          timeout: 600
          allow_errors: false
        sphinx:
          config:
            nb_execution_raise_on_error: true
            html_last_updated_fmt: null
        """), encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    header = textwrap.dedent("""\
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---
        """)
    (folder / "index.md").write_text(f"{header}\n# {title}\n\n````{{code-cell}} ipython3\n{code.strip()}\n````\n",
                                     encoding="utf-8")
    return folder


def build(folder: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(JUPYTER_BOOK), BUILD_ARGS[0], str(folder), *BUILD_ARGS[1:]], cwd=folder, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def output(result: subprocess.CompletedProcess) -> str:
    return f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"


def seeds_copy_at(folder: Path) -> Path:
    target = folder / "seeds"
    shutil.copytree(SEEDS, target)
    return target


class _Tags(HTMLParser):
    """Tags, and the text of every table cell, of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


# ----------------------------------------------------------------------------- escaping


def test_show_table_html_shows_source_text_as_text(tmp_path, monkeypatch):
    from framelens.presentation.tables import show_table

    seeds = seeds_copy_at(tmp_path)
    monkeypatch.setenv("FRAMELENS_SEEDS", str(seeds))  # tables go to tmp_path/_build/tables
    table = show_table(pd.DataFrame({"text": EVIL}), "evil", caption=EVIL[0])
    fragment = table._repr_html_()

    assert "<script" not in fragment.lower()
    for text in EVIL:
        assert html.escape(text, quote=False) in fragment, text
    parsed = _Tags()
    parsed.feed(fragment)
    assert set(parsed.tags) <= {"div", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "a"}, parsed.tags
    assert parsed.tags.count("a") == 1  # the CSV download, not "[link](http://x)"
    assert parsed.tags.count("strong") == 1  # the caption, not "**bold**"
    assert parsed.cells == EVIL  # every cell reads back as exactly its source text
    # the data itself is unchanged: in the download link and in the CSV file
    data = re.search(r"base64,([A-Za-z0-9+/=]+)'", fragment).group(1)
    downloaded = base64.b64decode(data).decode("utf-8")
    written = (tmp_path / "_build" / "tables" / "evil.csv").read_text(encoding="utf-8")
    assert downloaded == written
    assert pd.read_csv(tmp_path / "_build" / "tables" / "evil.csv")["text"].tolist() == EVIL


@pytest.mark.slow
def test_built_page_shows_source_text_as_text(tmp_path):
    seeds = seeds_copy_at(tmp_path)
    book = tiny_book(tmp_path / "book", f"""
import pandas as pd
from framelens.presentation.tables import show_table

EVIL = {EVIL!r}
show_table(pd.DataFrame({{"text": EVIL}}), "evil", caption="Evil strings")
""")
    result = build(book, {"FRAMELENS_SEEDS": str(seeds)})
    assert result.returncode == 0, output(result)
    page = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")

    assert "<script>alert" not in page.lower()
    for text in EVIL:
        assert html.escape(text, quote=False) in page, text
    assert "<strong>bold</strong>" not in page
    assert 'href="http://x"' not in page and "href='http://x'" not in page
    assert not re.search(r'class="math[^"]*">\s*\\?\(?x', page)
    assert page.count('class="cell docutils container"') == 1  # no second cell was made of the text
    table = page[page.index("framelens-tablewrap"):]
    table = table[:table.index("</table>")]
    parsed = _Tags()
    parsed.feed("<div " + table + "</table>")
    assert parsed.cells == EVIL
    assert pd.read_csv(tmp_path / "_build" / "tables" / "evil.csv")["text"].tolist() == EVIL


# ----------------------------------------------------------------------------- determinism


def _figure_call_sites() -> int:
    toc = (PROJECT / "_toc.yml").read_text(encoding="utf-8")
    pages = [yaml.safe_load(toc)["root"]] + re.findall(r"file:\s*(\S+)", toc)
    return sum((PROJECT / f"{p}.md").read_text(encoding="utf-8").count("save_figure(") for p in pages
               if (PROJECT / f"{p}.md").is_file())


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
        subprocess.Popen([str(JUPYTER_BOOK), BUILD_ARGS[0], str(root), *BUILD_ARGS[1:]], cwd=root,
                         env={**os.environ, "PYTHONHASHSEED": seed}, stdout=log, stderr=subprocess.STDOUT)
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
    stamps = {today.isoformat(), today.strftime("%b %d, %Y"), today.strftime("%B %d, %Y"),
              f"{today.day} {today.strftime('%B %Y')}", today.strftime("%d/%m/%Y"), today.strftime("%m/%d/%Y")}
    for page in (roots[0] / "_build" / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = [s for s in stamps if s in text]
        assert not found, f"{page.name} shows the build date: {found}"


# ----------------------------------------------------------------------------- adding a source

NEW_FILE = "950_test_note.txt"
NEW_TEXT = """\
A Test Note on Japan and India

Japan and India meet every year at the summit level, and their ministers talk about trade,
railways, clean energy and the safety of the sea lanes that both economies depend on.
Officials in Tokyo say that the rise of China is one reason for closer ties, while officials
in New Delhi prefer to speak of a free and open region that includes everyone who follows
the rules. Both capitals also work with the United States and with Australia in the Quad.
Critics in India ask whether the partnership delivers enough investment, and critics in
Japan ask whether India will ever sign a large trade agreement. The US welcomes the
partnership but does not lead it. China watches the meetings closely and answers with its
own diplomacy in South Asia. Whatever the outcome, this short note exists only to test how a
new source enters the corpus.
"""
NEW_ENTRY = """\
  - id: test-2023-note
    file: 950_test_note.txt
    sha256: {sha256}
    title: A Test Note on Japan and India
    title_status: stated
    authors: [T. Tester]
    publisher: framelens tests
    date:
      value: "2023-06"
      status: stated
      basis: Written for the test suite.
    kind: analysis/op-ed
    outlet_based_in: null
    units:
      - id: 2023-test-note
        title: A Test Note on Japan and India
        authors: [T. Tester]
        body: [[1, 12]]
"""


def test_a_new_source_enters_every_table_and_changes_nothing_else(tmp_path):
    from framelens.corpus.units import load_sentences, load_units
    from framelens.measures.references import count_mentions, mentions_table
    from framelens.tools.reproducibility import seed_checksums

    root = copy_project(tmp_path / "project")
    seeds = root / "seeds"
    raw = NEW_TEXT.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    (seeds / NEW_FILE).write_bytes(raw)
    with open(seeds / "SHA256SUMS", "a", encoding="utf-8") as sums:
        sums.write(f"{digest}  {NEW_FILE}\n")
    with open(seeds / "sources.yml", "a", encoding="utf-8") as registry:
        registry.write("\n" + NEW_ENTRY.replace("{sha256}", digest))
    assert len(NEW_TEXT.split()) in range(140, 170)

    checked = seed_checksums(seeds)
    assert NEW_FILE in set(checked["file"]) and checked["matches_SHA256SUMS"].all()

    new = "2023-test-note"
    units, old_units = load_units(seeds), load_units(SEEDS)
    assert len(units) == len(old_units) + 1
    row = units[units["unit_id"] == new].iloc[0]
    assert (row["source_id"], row["year"], row["era"], row["kind"], row["authors"]) == (
        "test-2023-note", 2023, "2022-25", "analysis/op-ed", "T. Tester")
    body = NEW_TEXT.split("\n", 2)[2]
    assert row["words"] == len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", body)) + 7  # + the title
    assert row["removed_lines"] == 0
    pd.testing.assert_frame_equal(units[units["unit_id"] != new].reset_index(drop=True), old_units)

    sentences, old_sentences = load_sentences(seeds), load_sentences(SEEDS)
    assert (sentences["unit_id"] == new).sum() >= 8
    pd.testing.assert_frame_equal(sentences[sentences["unit_id"] != new].reset_index(drop=True), old_sentences)

    mentions, old_mentions = mentions_table(seeds), mentions_table(SEEDS)
    mine = mentions[mentions["unit_id"] == new]
    assert mine.groupby("actor").size().to_dict() == {"China": 2, "United States": 2}
    assert sorted(mine["surface"]) == ["China", "China", "US", "United States"]
    assert (mine["seed_file"] == NEW_FILE).all()
    pd.testing.assert_frame_equal(mentions[mentions["unit_id"] != new].reset_index(drop=True), old_mentions)

    counts, old_counts = count_mentions(seeds, by_form=False), count_mentions(SEEDS, by_form=False)
    mine = counts[counts["unit_id"] == new].set_index("actor")
    assert mine["mentions"].to_dict() == {"China": 2, "United States": 2, "Russia": 0}
    assert (mine["words"] == row["words"]).all()
    assert mine.loc["China", "rate"] == pytest.approx(2000 / row["words"])
    pd.testing.assert_frame_equal(counts[counts["unit_id"] != new].reset_index(drop=True), old_counts)


# ----------------------------------------------------------------------------- offline

OFFLINE_LIBRARY = textwrap.dedent("""
    import socket, sys

    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled by the test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse

    from framelens.corpus.units import load_units
    from framelens.measures.references import count_mentions, mentions_table
    from framelens.measures.readability import flesch_reading_ease

    seeds = sys.argv[1]
    units = load_units(seeds)
    mentions = mentions_table(seeds)
    counts = count_mentions(seeds, by_form=False)
    score = flesch_reading_ease("The cat sat on the mat. It was happy.")
    print(len(units), len(mentions), int(counts["mentions"].sum()), round(score, 4))
    if attempts:
        print("connection attempts:", attempts, file=sys.stderr)
        sys.exit(5)
""")


def test_library_works_with_the_network_blocked(tmp_path):
    from framelens.corpus.units import load_units
    from framelens.measures.references import count_mentions, mentions_table

    home = tmp_path / "home"
    nltk_data = tmp_path / "nltk_data"
    home.mkdir()
    nltk_data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLTK")}
    env.update(HOME=str(home), NLTK_DATA=str(nltk_data))
    result = subprocess.run([sys.executable, "-c", OFFLINE_LIBRARY, str(SEEDS)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    n_units, n_mentions, n_counted, score = result.stdout.split()
    assert int(n_units) == len(load_units(SEEDS))
    assert int(n_mentions) == len(mentions_table(SEEDS))
    assert int(n_counted) == int(count_mentions(SEEDS, by_form=False)["mentions"].sum())
    assert float(score) == pytest.approx(108.2675)
    assert os.listdir(nltk_data) == [] and not (home / "nltk_data").exists()


SITECUSTOMIZE = textwrap.dedent('''
    """Loaded by every Python process of the build (PYTHONPATH): only loopback connections."""
    import ipaddress, os, socket

    _LOG = os.environ["FRAMELENS_BLOCKED_LOG"]
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


    def _loopback(host) -> bool:
        if host in ("localhost", "localhost.localdomain", "", None):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False


    def _check(family, address):
        if family == socket.AF_UNIX or _loopback(address[0] if isinstance(address, tuple) else address):
            return
        with open(_LOG, "a") as log:
            log.write(f"{os.getpid()} {address!r}\\n")
        raise OSError(101, f"network blocked by the test: {address!r}")


    def connect(self, address):
        _check(self.family, address)
        return _connect(self, address)


    def connect_ex(self, address):
        _check(self.family, address)
        return _connect_ex(self, address)


    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            _check(socket.AF_INET, (host, args[0] if args else None))
        return _getaddrinfo(host, *args, **kwargs)


    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
    socket.FRAMELENS_OFFLINE = True
''')


@pytest.mark.slow
def test_a_book_builds_with_only_loopback_connections(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    blocked = tmp_path / "blocked.log"
    seeds = seeds_copy_at(tmp_path)
    book = tiny_book(tmp_path / "book", """
import socket
from framelens.presentation.tables import show_table
from framelens.corpus.units import load_units
from framelens.measures.references import count_mentions, mentions_table
from framelens.measures.readability import flesch_reading_ease

assert socket.FRAMELENS_OFFLINE  # the kernel runs with the network blocked
try:
    socket.create_connection(("192.0.2.1", 9), timeout=5)  # TEST-NET-1: never reachable
except OSError as exc:
    assert "blocked by the test" in str(exc), exc
else:
    raise AssertionError("a non-loopback connection was allowed")
units = load_units()
counts = count_mentions(by_form=False)
print("offline:", len(units), len(mentions_table()), round(flesch_reading_ease(units["text"].iloc[0]), 1))
show_table(counts, "offline_counts")
""")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
           "FRAMELENS_BLOCKED_LOG": str(blocked), "FRAMELENS_SEEDS": str(seeds), "HOME": str(home),
           "NLTK_DATA": str(tmp_path / "nltk_data")}
    result = build(book, env)
    assert result.returncode == 0, output(result)
    page = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "offline: 10" in page
    assert (tmp_path / "_build" / "tables" / "offline_counts.csv").is_file()
    attempts = blocked.read_text().splitlines() if blocked.exists() else []
    # the one attempt is the kernel's own probe; nothing else tried to leave the machine
    assert len(attempts) == 1 and "192.0.2.1" in attempts[0], attempts


# ----------------------------------------------------------------------------- bad input


def _break_registry(seeds: Path) -> None:
    registry = seeds / "sources.yml"
    text = registry.read_text(encoding="utf-8")
    assert text.count("kind: event summary") == 1
    registry.write_text(text.replace("kind: event summary", "kind: blog post"), encoding="utf-8")


def test_bad_registry_fails_and_writes_nothing(tmp_path):
    from framelens.corpus.units import load_units
    from framelens.corpus.registry import RegistryError

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
    from framelens.corpus.units import load_units
    from framelens.corpus.registry import RegistryError

    seeds = seeds_copy_at(tmp_path / "broken")
    _break_registry(seeds)
    with pytest.raises(RegistryError) as error:
        load_units(seeds)
    book = tiny_book(tmp_path / "book", """
from framelens.presentation.tables import show_table
from framelens.corpus.units import load_units

show_table(load_units()[["unit_id", "words"]], "units")
""")
    before = tree_snapshot(tmp_path / "broken")
    result = build(book, {"FRAMELENS_SEEDS": str(seeds)})
    assert result.returncode != 0, output(result)
    logs = result.stdout + result.stderr + "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (book / "_build").rglob("*.log"))
    logs = re.sub(r"\x1b\[[0-9;]*m", "", logs)  # the traceback is coloured
    assert "RegistryError" in logs, output(result)
    assert error.value.reason in logs and error.value.field in logs, output(result)
    assert tree_snapshot(tmp_path / "broken") == before  # no tables, no figures next to the seeds
    assert not (tmp_path / "broken" / "_build").exists()


# ----------------------------------------------------------------------------- citations


def test_every_source_is_cited_in_the_book():
    from framelens.tools.reproducibility import check_citations

    toc = (PROJECT / "_toc.yml").read_text(encoding="utf-8")
    pages = [yaml.safe_load(toc)["root"]] + re.findall(r"file:\s*(\S+)", toc)
    cited = set()
    for page in pages:
        text = (PROJECT / f"{page}.md").read_text(encoding="utf-8")
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited |= {k.strip() for k in keys.split(",")}
    sources = check_citations(SEEDS, PROJECT / "references.bib")
    assert len(sources) == 5
    assert set(sources["bibkey"]) <= cited, f"uncited sources: {set(sources['bibkey']) - cited}"
    bib = set(re.findall(r"^@\w+\{([^,]+),", (PROJECT / "references.bib").read_text(encoding="utf-8"), flags=re.M))
    assert cited <= bib, f"cited but not in references.bib: {cited - bib}"


# ----------------------------------------------------------------------------- reproducibility library


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
    lines = [l for l in (PROJECT / "requirements.txt").read_text().splitlines() if "==" in l.split("#")[0]]
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


# ----------------------------------------------------------------------------- arbitrary text

MARKUP = st.sampled_from(list("<>/*_[]()#`$\\&;:!^~|{}-–—'’\"“”.?,\t ") + [
    "<sup>1</sup>", "</a>", "<a href='x'>", "&amp;", "&#8217;", "&#x27;", "&nbsp;", "http://x.org/a", "www.x.org",
    "[^1]", "[a](b)", "**", "__", "US", "U.S.", "China", "Sino-", "-US", "Russia's", "Xi", "Dr.", "No.", "\u00a0",
    "\u200b", "\ufeff", "e\u0301", "🇯🇵", "\n",
])
TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(MARKUP, st.text(max_size=5)), max_size=60).map("".join))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_clean_inline_never_crashes(text):
    from framelens.corpus.cleaning import clean_inline

    line = text.replace("\n", " ")
    cleaned = clean_inline(line)
    assert len(cleaned.origin) == len(cleaned.text)
    assert all(0 <= o <= len(line) for o in cleaned.origin)


@FAST
@given(st.lists(TEXT, max_size=12), st.sampled_from(["lines", "pdf"]))
def test_clean_lines_never_crashes(lines, layout):
    from framelens.corpus.cleaning import clean_lines

    raw = [line.replace("\n", " ") for line in lines]
    starts, offset = [], 0
    for line in raw:
        starts.append(offset)
        offset += len(line) + 1
    blocks = clean_lines([(n + 1, line, start) for n, (line, start) in enumerate(zip(raw, starts))], layout)
    for block in blocks:
        assert block.cleaned.text.strip()
        assert 1 <= block.first_line <= len(raw)


@FAST
@given(TEXT)
def test_split_sentences_never_crashes(text):
    from framelens.corpus.sentences import split_sentences

    spans = split_sentences(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        previous = end


@FAST
@given(TEXT)
def test_find_mentions_never_crashes(text):
    from framelens.measures.references import find_mentions

    found = find_mentions(text)
    for row in found.itertuples():
        assert text[row.start:row.end] == row.surface


@FAST
@given(TEXT)
def test_frame_tagging_never_crashes(text):
    import framelens.measures.frames as frames

    tags = frames.tag(text)
    assert isinstance(tags, frozenset)
    assert tags <= set(frames.codebook().ids)


# ----------------------------------------------------------------------------- sphinx fixes


def test_inline_scripts_listed_twice_are_listed_once():
    from sphinx.builders.html._assets import _JavaScript

    from framelens.tools.sphinx_fixes import dedupe_scripts

    scripts = [_JavaScript("_static/doctools.js", priority=200), _JavaScript(None, body="const A = 1"),
               _JavaScript("_static/x.js", priority=500), _JavaScript("", body="const A = 1"),
               _JavaScript("", body="const B = 2")]
    context = {"script_files": scripts}
    dedupe_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("_static/doctools.js", None), (None, "const A = 1"), ("_static/x.js", None), ("", "const B = 2")]


def test_bibliography_labels_are_author_year():
    from pybtex.database import parse_file

    from framelens.tools.sphinx_fixes import AuthorYearStyle

    entries = list(AuthorYearStyle().format_bibliography(parse_file(str(PROJECT / "references.bib"))))
    labels = {entry.key: entry.label for entry in entries}
    assert labels["tatsumi2015global"] == "Tatsumi, 2015"  # an editor when there is no author
    assert labels["stimson2014roundtable"] == "Stimson Center, 2014"
    assert labels["sadvilkar2020pysbd"] == "Sadvilkar and Neumann, 2020"
    assert len(set(labels.values())) == len(labels)
    texts = {entry.key: entry.text.render_as("text") for entry in entries}
    assert "Japan-India" in texts["tamer2022strategic"]  # proper nouns keep their capitals
