"""Command line: `framelens mentions FILE... [--by-form] [--follow-links]` and
`framelens analyse DIR [--meta META.csv] [--out OUT] [--workers N] [--scheduler ADDRESS]`
(the second is `framelens.tools.analyse`: see there for its tables and exit codes).

Prints CSV to stdout: `file,actor,mentions` with one row per file and state (China, United
States, Russia; zeros included), or `file,actor,form,mentions` with --by-form. Every file is
read, decoded and counted (one at a time, and each a piece at a time: memory holds about two
megabytes of text and the counts, whatever the size of the files) before anything is printed,
so a bad file gives an error on stderr, exit code 2 and no partial CSV.

Exit code 2, with one line on stderr naming the file and the reason, also for: a file given
twice (under the same or another name), a symbolic-link loop or a link to nothing, a link
that leads outside the folder its argument names (unless --follow-links), and output that
cannot be written (standard output closed, a full disk, a pipe whose reader has gone).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections import Counter
from pathlib import Path

from framelens.datafiles import link_problem
from framelens.measures.references import FORMS, STATES


def _check(path: str, follow_links: bool) -> Path:
    """The file `path` names, after the checks that need no reading."""
    file = Path(path)
    if not os.path.lexists(file):
        raise ValueError(f"{path}: no such file")
    if file.is_symlink() or not file.exists():
        problem = link_problem(file)
        if problem is not None:
            raise ValueError(f"{path}: {problem}")
        target, folder = file.resolve(), file.parent.resolve()
        if not follow_links and not target.is_relative_to(folder):
            raise ValueError(
                f"{path}: a symbolic link to {target}, outside its folder {folder} (--follow-links reads it)"
            )
    if not file.is_file():
        raise ValueError(f"{path}: not a regular file")
    return file


CHUNK_CHARS = 1_000_000  # a file is matched about this much text at a time
CONTEXT_CHARS = 2_000  # text either side of a chunk that the matcher also reads (see `_chunks`)


def _lines(path: str, file: Path):
    """The lines of `file`, decoded one at a time; ValueError naming the file and the byte
    offset where a line is not UTF-8 (a UTF-8 character never holds a newline byte)."""
    try:
        handle = open(file, "rb")
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    offset = 0
    with handle:
        while True:
            try:
                raw = handle.readline()
            except OSError as exc:
                raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
            if not raw:
                return
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{path}: not UTF-8 text (byte {raw[exc.start]:#04x} at offset {offset + exc.start})"
                ) from None
            offset += len(raw)


def _chunks(lines, chunk_chars: int = CHUNK_CHARS):
    """The text of `lines` in consecutive pieces of about `chunk_chars` characters, cut after a
    blank line where there is one (else after any line once a piece is four times as long)."""
    piece: list[str] = []
    size = 0
    for line in lines:
        piece.append(line)
        size += len(line)
        if (size >= chunk_chars and not line.strip()) or size >= 4 * chunk_chars:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def count_mentions_streaming(path: str, file: Path, chunk_chars: int = CHUNK_CHARS) -> Counter:
    """(actor, form) -> references in `file`, read a piece at a time (memory holds two pieces,
    not the file): the rows `find_mentions` gives the whole text.

    Each piece is matched with `CONTEXT_CHARS` of text on either side and keeps the rows that
    start inside it. Why that is the whole-text result: every rule of the matcher reads a few
    dozen characters around a match (the words before and after it, a possessive, a compound's
    dash), far less than the context, so a row is decided by the same characters as in the
    whole text; only a URL or HTML tag longer than the context that straddles a cut could be
    masked differently (tests/tools/test_cli_mentions.py checks the seeds, cut every 2,000
    characters)."""
    from framelens.measures.matcher import find_rows, get_matcher

    matcher = get_matcher()
    counts: Counter = Counter()
    before = ""
    pieces = _chunks(_lines(path, file), chunk_chars)
    current = next(pieces, None)
    while current is not None:
        following = next(pieces, None)
        after = following[:CONTEXT_CHARS] if following else ""
        lo, hi = len(before), len(before) + len(current)
        for actor, form, _, start, *_ in find_rows(before + current + after, matcher):
            if lo <= start < hi:
                counts[actor, form] += 1
        before = (before + current)[-CONTEXT_CHARS:]
        current = following
    return counts


def mentions_csv(paths: list[str], by_form: bool = False, follow_links: bool = False) -> str:
    """The CSV for `paths` (see the module docstring); ValueError naming the file if one cannot be
    counted. Nothing is read until every argument has passed the checks that need no reading."""
    files: dict[str, Path] = {}
    seen: dict[tuple[int, int], str] = {}
    for path in paths:
        file = _check(path, follow_links)
        identity = (file.stat().st_dev, file.stat().st_ino)
        if identity in seen:
            same = "given twice" if seen[identity] == path else f"the same file as {seen[identity]}"
            raise ValueError(f"{path}: {same}: each file may be counted once")
        seen[identity] = path
        files[path] = file
    rows: list[list] = []
    for path, file in files.items():
        counts = count_mentions_streaming(path, file)
        for actor in STATES:
            if by_form:
                rows += [[path, actor, form, counts[actor, form]] for form in FORMS]
            else:
                rows.append([path, actor, sum(n for (a, _), n in counts.items() if a == actor)])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "actor", "form", "mentions"] if by_form else ["file", "actor", "mentions"])
    writer.writerows(rows)
    return out.getvalue()


def _write(output: str) -> str | None:
    """Write `output` to stdout whole; the reason it could not be, or None."""
    if sys.stdout is None:
        return "standard output is closed"
    # Bytes, so that a file name that is not UTF-8 comes out as it was given.
    data = output.encode("utf-8", "surrogateescape")
    try:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(output)
        else:
            stream.write(data)
        sys.stdout.flush()
    except OSError as exc:
        # Nothing more can be written: point stdout at /dev/null so that Python's own flush
        # at exit does not fail again with a traceback.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return f"cannot write to standard output ({exc.strerror or exc})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m framelens", description="framelens command line")
    commands = parser.add_subparsers(dest="command", required=True)
    mentions = commands.add_parser(
        "mentions", help="count references to China, the United States and Russia in text files"
    )
    mentions.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files")
    mentions.add_argument("--by-form", action="store_true", help="one row per file, actor and form class")
    mentions.add_argument(
        "--follow-links",
        action="store_true",
        help="read symbolic links that lead outside the folder their argument names (refused by default)",
    )
    analyse = commands.add_parser(
        "analyse", help="run the book's method over a directory of .txt files (Dask: every core or a cluster)"
    )
    analyse.add_argument("directory", metavar="DIR", help="a directory of UTF-8 .txt files (searched recursively)")
    analyse.add_argument("--meta", metavar="META.csv", help="file,date[,group columns...] per document")
    analyse.add_argument(
        "--out", metavar="OUT", default="framelens-out", help="where the tables go (default: %(default)s)"
    )
    analyse.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="local worker processes (default: cores)"
    )
    analyse.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask cluster, e.g. tcp://host:8786")
    analyse.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    analyse.add_argument("--quiet", action="store_true", help="no progress bar")
    analyse.add_argument("--follow-links", action="store_true", help="read symbolic links that lead outside DIR")
    args = parser.parse_args(argv)
    if args.command == "analyse":
        return _analyse(args)
    try:
        output = mentions_csv(args.files, by_form=args.by_form, follow_links=args.follow_links)
    except ValueError as exc:
        print(f"framelens: error: {exc}", file=sys.stderr)
        return 2
    problem = _write(output)
    if problem is not None:
        print(f"framelens: error: {problem}", file=sys.stderr)
        return 2
    return 0


def _analyse(args) -> int:
    """`framelens analyse`: 0 when every file was read, 1 when some were skipped (listed on
    stderr and in OUT/skipped.csv), 2 on bad input or with --strict at the first bad file."""
    from framelens.tools.analyse import AnalyseError, analyse

    if args.workers < 1:
        print("framelens: error: --workers: must be 1 or more", file=sys.stderr)
        return 2
    try:
        tables = analyse(
            args.directory,
            out=args.out,
            meta=args.meta,
            workers=args.workers,
            scheduler=args.scheduler,
            strict=args.strict,
            quiet=args.quiet,
            follow_links=args.follow_links,
        )
    except (AnalyseError, OSError) as exc:
        print(f"framelens: error: {exc}", file=sys.stderr)
        return 2
    docs, skipped = tables["documents"], tables["skipped"]
    print(
        f"framelens: {len(docs)} documents, {int(docs['words'].sum()):,} words; tables in {args.out}", file=sys.stderr
    )
    if len(skipped):
        print(f"framelens: skipped {len(skipped)} file(s):", file=sys.stderr)
        for row in skipped.itertuples():
            print(f"  {row.file}: {row.reason}", file=sys.stderr)
        return 1
    return 0
