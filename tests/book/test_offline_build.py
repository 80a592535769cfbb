"""The library and a book build work with the network blocked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from booktools import build, output, seeds_copy_at, tiny_book
from conftest import SEEDS

OFFLINE_LIBRARY = textwrap.dedent("""
    import socket, sys

    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled by the test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse

    from framelens.corpus.units import load_corpus, load_units
    from framelens.measures.references import count_mentions, mentions_table
    from framelens.measures.readability import flesch_reading_ease

    seeds = sys.argv[1]
    units = load_units(seeds)
    corpus = load_corpus(seeds)
    mentions = mentions_table(corpus)
    counts = count_mentions(mentions, corpus.sentences, corpus.units, by_form=False)
    score = flesch_reading_ease("The cat sat on the mat. It was happy.")
    print(len(units), len(mentions), int(counts["mentions"].sum()), round(score, 4))
    if attempts:
        print("connection attempts:", attempts, file=sys.stderr)
        sys.exit(5)
""")


@pytest.mark.slow  # a fresh interpreter per test: seconds, not milliseconds
def test_library_works_with_the_network_blocked(tmp_path):
    from framelens.corpus.units import load_corpus, load_units
    from framelens.measures.references import count_mentions, mentions_table

    home = tmp_path / "home"
    nltk_data = tmp_path / "nltk_data"
    home.mkdir()
    nltk_data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLTK")}
    env.update(HOME=str(home), NLTK_DATA=str(nltk_data))
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_LIBRARY, str(SEEDS)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    n_units, n_mentions, n_counted, score = result.stdout.split()
    assert int(n_units) == len(load_units(SEEDS))
    corpus = load_corpus(SEEDS)
    mentions = mentions_table(corpus)
    assert int(n_mentions) == len(mentions)
    assert int(n_counted) == int(
        count_mentions(mentions, corpus.sentences, corpus.units, by_form=False)["mentions"].sum()
    )
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
    book = tiny_book(
        tmp_path / "book",
        """
import socket
from framelens.presentation.tables import show_table
from framelens.corpus.units import load_corpus
from framelens.measures.references import count_mentions, mentions_table
from framelens.measures.readability import flesch_reading_ease

assert socket.FRAMELENS_OFFLINE  # the kernel runs with the network blocked
try:
    socket.create_connection(("192.0.2.1", 9), timeout=5)  # TEST-NET-1: never reachable
except OSError as exc:
    assert "blocked by the test" in str(exc), exc
else:
    raise AssertionError("a non-loopback connection was allowed")
corpus = load_corpus()
units = corpus.units
mentions = mentions_table(corpus)
counts = count_mentions(mentions, corpus.sentences, units, by_form=False)
print("offline:", len(units), len(mentions), round(flesch_reading_ease(units["text"].iloc[0]), 1))
show_table(counts, "offline_counts")
""",
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
        "FRAMELENS_BLOCKED_LOG": str(blocked),
        "FRAMELENS_SEEDS": str(seeds),
        "HOME": str(home),
        "NLTK_DATA": str(tmp_path / "nltk_data"),
    }
    result = build(book, env)
    assert result.returncode == 0, output(result)
    page = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "offline: 10" in page
    assert (tmp_path / "_build" / "tables" / "offline_counts.csv").is_file()
    attempts = blocked.read_text().splitlines() if blocked.exists() else []
    # the one attempt is the kernel's own probe; nothing else tried to leave the machine
    assert len(attempts) == 1 and "192.0.2.1" in attempts[0], attempts
