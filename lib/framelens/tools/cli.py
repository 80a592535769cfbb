"""Command line: `python -m framelens mentions FILE... [--by-form]`.

Prints CSV to stdout: `file,actor,mentions` with one row per file and state (China, United
States, Russia; zeros included), or `file,actor,form,mentions` with --by-form. Every file is
read and decoded before anything is printed, so a bad file gives an error on stderr, a
non-zero exit and no partial CSV.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from framelens.measures.matcher import find_mentions
from framelens.measures.references import FORMS, STATES


def _read(path: str) -> str:
    file = Path(path)
    if not file.exists():
        raise ValueError(f"{path}: no such file")
    if not file.is_file():
        raise ValueError(f"{path}: not a regular file")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})") from None


def mentions_csv(paths: list[str], by_form: bool = False) -> str:
    texts = {path: _read(path) for path in paths}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "actor", "form", "mentions"] if by_form else ["file", "actor", "mentions"])
    for path, text in texts.items():
        found = find_mentions(text)
        found = found[found["actor"].isin(STATES)]
        for actor in STATES:
            mine = found[found["actor"] == actor]
            if by_form:
                for form in FORMS:
                    writer.writerow([path, actor, form, int((mine["form"] == form).sum())])
            else:
                writer.writerow([path, actor, len(mine)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framelens", description="framelens command line")
    commands = parser.add_subparsers(dest="command", required=True)
    mentions = commands.add_parser(
        "mentions", help="count references to China, the United States and Russia in text files"
    )
    mentions.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files")
    mentions.add_argument("--by-form", action="store_true", help="one row per file, actor and form class")
    args = parser.parse_args(argv)
    try:
        output = mentions_csv(args.files, by_form=args.by_form)
    except ValueError as exc:
        print(f"framelens: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0
