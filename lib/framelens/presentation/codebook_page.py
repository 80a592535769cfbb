"""The codebook page: the frames of the codebook as an HTML section each.

`Html` wraps an escaped fragment for a notebook output; `codebook_html` renders a codebook
(`framelens.measures.codebook`) with, optionally, the number of sentences each cue tags.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from framelens.measures.codebook import Codebook
from framelens.measures.codebook import codebook as packaged_codebook


class Html:
    """A fragment of escaped HTML for a notebook output."""

    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.body)


def codebook_html(codebook: Codebook | None = None, counts: pd.DataFrame | None = None) -> Html:
    """The codebook as a page section per frame: definition, in, out, cues, excluded phrases.

    `codebook` is the packaged codebook by default. With `counts` (from
    `framelens.measures.frames.cue_counts`: frame, cue, sentences), each cue shows how many
    corpus sentences it tags.
    """
    book = codebook or packaged_codebook()
    hits = {} if counts is None else {(r.frame, r.cue): r.sentences for r in counts.itertuples()}
    esc = html.escape
    parts = []
    for f in book.frames:

        def items(values):
            return "".join(f"<li>{esc(v)}</li>" for v in values) or "<li>(none)</li>"

        def cue_list(values, frame_id=f.id, counted=True):
            shown = []
            for v in values:
                n = hits.get((frame_id, v))
                suffix = f" <span class='framelens-cue-count'>({n})</span>" if counted and n is not None else ""
                shown.append(f"<code>{esc(v)}</code>{suffix}")
            return ", ".join(shown) or "(none)"

        parts.append(
            f"<div class='framelens-frame' id='frame-{esc(f.id)}'>"
            f"<p><strong>{esc(f.label)}</strong> (<code>{esc(f.id)}</code>)</p>"
            f"<p>{esc(' '.join(f.definition.split()))}</p>"
            f"<p>In:</p><ul>{items(f.include)}</ul>"
            f"<p>Out:</p><ul>{items(f.exclude)}</ul>"
            f"<p>Cues{' (sentences tagged in the corpus)' if hits else ''}: {cue_list(f.cues)}</p>"
            f"<p>Excluded phrases: {cue_list(f.exclude_phrases, counted=False)}</p>"
            "</div>"
        )
    return Html("".join(parts))
