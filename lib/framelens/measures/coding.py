"""Human frame codes: two independent coders, an adjudication, and their reliability.

Framing research measures frames by human coding with reported intercoder reliability and
treats automated coders as approximations validated against it (Boydstun et al. 2014; Card
et al. 2015). `annotations/frame_codes/` (see its README) holds every body sentence of the
corpus coded twice, independently, with the codebook, and a third reading of every
disagreement. This module reads those files and turns them into tables:

load_codes(path)          one coder's codes: unit_id, seed_file, seed_line, text, a 0/1 column
                          per frame, note
load_adjudication(path)   the third reading: unit_id, seed_file, seed_line, text, frame,
                          final (0/1), reason
reliability(first, second)
                          one row per frame: frame, alpha (Krippendorff's, nominal), agreement
                          (share of sentences coded alike), positives_1, positives_2 (sentences
                          each coder marked), disagreements, reliable (alpha >= 0.67)
adjudicate(first, second, adjudication)
                          the final codes: the key columns, a 0/1 column per frame, and
                          `adjudicated` (the frames settled by the third reading, "; "-joined)
coded_long(final, sentences)
                          the final codes in the shape of `frames.tag_sentences`: unit_id,
                          sentence, frame, present, cues ("" : a human code has no cue)

Codes are keyed by the sentence's seed file, seed line and text, never by its index, so they
survive a change of sentence splitter: a sentence whose text changes has no code, and
`coded_long` says which ones.

Bad files fail with `CodingError` naming the file, the field and the problem.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framelens.paths import frame_codes_dir

KEY = ["seed_file", "seed_line", "text"]
KEY_COLUMNS = ["unit_id", *KEY]
ALPHA_THRESHOLD = 0.67  # Krippendorff (2004): below it, conclusions should not rest on a variable
CODER_FILES = ("coder_1.csv", "coder_2.csv")
ADJUDICATION_FILE = "adjudication.csv"


class CodingError(ValueError):
    def __init__(self, file: str | Path, field: str, reason: str):
        self.file, self.field, self.reason = str(file), field, reason
        super().__init__(f"{self.file}: {field}: {reason}")


def _frame_ids() -> tuple[str, ...]:
    from framelens.measures.frames import FRAME_IDS

    return tuple(FRAME_IDS)


def _read(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise CodingError(path, "-", "file not found")
    try:
        table = pd.read_csv(path, dtype={"text": str, "unit_id": str, "seed_file": str}, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CodingError(path, "-", f"not a readable CSV file ({str(exc)[:200]})") from None
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise CodingError(path, missing[0], "missing column")
    line = pd.to_numeric(table["seed_line"], errors="coerce")
    if line.isna().any() or (line < 1).any():
        row = int(np.flatnonzero(line.isna().to_numpy() | (line < 1).to_numpy())[0]) + 2
        raise CodingError(path, f"seed_line (line {row})", "must be a line number of 1 or more")
    return table.assign(seed_line=line.astype(int))


def _binary(table: pd.DataFrame, column: str, path: Path) -> pd.Series:
    values = pd.to_numeric(table[column], errors="coerce")
    bad = values.isna() | ~values.isin([0, 1])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise CodingError(path, f"{column} (line {row + 2})", f"must be 0 or 1, not {str(table[column].iloc[row])!r}")
    return values.astype(int)


def load_codes(path: str | Path) -> pd.DataFrame:
    """One coder's codes (see the module docstring), validated."""
    path = Path(path)
    frames = _frame_ids()
    table = _read(path, [*KEY_COLUMNS, *frames])
    for frame in frames:
        table[frame] = _binary(table, frame, path)
    duplicated = table.duplicated(KEY)
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise CodingError(path, f"text (line {row + 2})", "the same sentence (seed file, line and text) is coded twice")
    if "note" not in table.columns:
        table["note"] = ""
    return table[[*KEY_COLUMNS, *frames, "note"]]


def load_adjudication(path: str | Path) -> pd.DataFrame:
    """The third reading of every disagreement: one row per sentence x frame in dispute."""
    path = Path(path)
    table = _read(path, [*KEY_COLUMNS, "frame", "final", "reason"])
    unknown = ~table["frame"].isin(_frame_ids())
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise CodingError(path, f"frame (line {row + 2})", f"unknown frame {table['frame'].iloc[row]!r}")
    table["final"] = _binary(table, "final", path)
    empty = table["reason"].str.strip() == ""
    if empty.any():
        row = int(np.flatnonzero(empty.to_numpy())[0])
        raise CodingError(path, f"reason (line {row + 2})", "every adjudication says why")
    return table[[*KEY_COLUMNS, "frame", "final", "reason"]]


def load_coders(folder: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(coder 1, coder 2, adjudication) from `folder` (annotations/frame_codes/ by default)."""
    folder = Path(folder) if folder is not None else frame_codes_dir()
    first, second = (load_codes(folder / name) for name in CODER_FILES)
    return first, second, load_adjudication(folder / ADJUDICATION_FILE)


def _aligned(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The two coders' codes side by side (suffixes _1, _2), in the first coder's order."""
    keys_first = first.set_index(KEY_COLUMNS).index
    keys_second = second.set_index(KEY_COLUMNS).index
    for alone, who in ((keys_first.difference(keys_second), "first"), (keys_second.difference(keys_first), "second")):
        if len(alone):
            unit_id, _, line, text = alone[0]
            raise CodingError("coder files", "text", f"only the {who} coder coded {unit_id} line {line}: {text[:80]!r}")
    return first.merge(second, on=KEY_COLUMNS, how="left", suffixes=("_1", "_2"), validate="one_to_one")


def nominal_alpha(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of two codings of the same items (`krippendorff`);
    nan when every code is the same value (no variation to agree on)."""
    import krippendorff

    data = np.vstack([a, b]).astype(float)
    if len(np.unique(data)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def reliability(first: pd.DataFrame, second: pd.DataFrame, frames: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Krippendorff's alpha (nominal; the `krippendorff` package), percent agreement and the
    positive codes per frame, over the sentences both coders coded (columns: module doc)."""
    frames = frames or _frame_ids()
    both = _aligned(first, second)
    rows = []
    for frame in frames:
        a, b = both[f"{frame}_1"].to_numpy(), both[f"{frame}_2"].to_numpy()
        alpha = nominal_alpha(a, b)
        rows.append(
            {
                "frame": frame,
                "sentences": len(a),
                "alpha": float(alpha),
                "agreement": float((a == b).mean()),
                "positives_1": int(a.sum()),
                "positives_2": int(b.sum()),
                "disagreements": int((a != b).sum()),
                "reliable": bool(alpha >= ALPHA_THRESHOLD),
            }
        )
    return pd.DataFrame(rows)


def adjudicate(first: pd.DataFrame, second: pd.DataFrame, adjudication: pd.DataFrame) -> pd.DataFrame:
    """The final codes: where the coders agree, their code; where they differ, the third reading's.

    Fails (CodingError) if a disagreement has no adjudication, or an adjudication settles a
    frame on which the coders agreed.
    """
    frames = _frame_ids()
    both = _aligned(first, second)
    settled = {(r.seed_file, r.seed_line, r.text, r.frame): (r.final, r.reason) for r in adjudication.itertuples()}
    used = set()
    final = both[KEY_COLUMNS].copy()
    adjudicated = [[] for _ in range(len(both))]
    for frame in frames:
        a, b = both[f"{frame}_1"].to_numpy(), both[f"{frame}_2"].to_numpy()
        values = a.copy()
        for i in np.flatnonzero(a != b):
            row = both.iloc[i]
            key = (row["seed_file"], row["seed_line"], row["text"], frame)
            if key not in settled:
                raise CodingError(
                    ADJUDICATION_FILE,
                    frame,
                    f"the coders disagree on {row['unit_id']} line "
                    f"{row['seed_line']} ({row['text'][:60]!r}) and no adjudication settles it",
                )
            values[i] = settled[key][0]
            used.add(key)
            adjudicated[i].append(frame)
        final[frame] = values
    extra = set(settled) - used
    if extra:
        seed_file, line, text, frame = sorted(extra)[0]
        raise CodingError(
            ADJUDICATION_FILE, frame, f"settles {seed_file} line {line} ({text[:60]!r}), where the coders agree"
        )
    final["adjudicated"] = ["; ".join(x) for x in adjudicated]
    return final.reset_index(drop=True)


def coded_long(final: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The final codes as a long table over the body sentences of `sentences` (corpus
    sentences; headings are left out, as the tagger's measures leave them out), in the shape
    of `frames.tag_sentences`.

    Every sentence must have a code and every code a sentence: a sentence splitter that
    changes a boundary shows up here, naming the sentences to recode.
    """
    frames = [f for f in _frame_ids() if f in final.columns]
    if "is_heading" in sentences.columns:
        sentences = sentences[~sentences["is_heading"]]
    merged = sentences[["unit_id", "sentence", *KEY]].merge(
        final[[*KEY, *frames]], on=KEY, how="left", indicator=True, validate="one_to_one"
    )
    missing = merged[merged["_merge"] != "both"]
    if len(missing):
        row = missing.iloc[0]
        raise CodingError(
            "annotations/frame_codes",
            "text",
            f"{len(missing)} sentence(s) have no human code, "
            f"first {row['unit_id']} line {row['seed_line']}: {row['text'][:80]!r} (recode them)",
        )
    unused = final.merge(sentences[KEY], on=KEY, how="left", indicator=True)
    unused = unused[unused["_merge"] == "left_only"]
    if len(unused):
        row = unused.iloc[0]
        raise CodingError(
            "annotations/frame_codes",
            "text",
            f"{len(unused)} code(s) match no corpus sentence, "
            f"first {row['unit_id']} line {row['seed_line']}: {row['text'][:80]!r}",
        )
    long = merged.melt(id_vars=["unit_id", "sentence"], value_vars=frames, var_name="frame", value_name="present")
    long["frame"] = pd.Categorical(long["frame"], categories=frames)
    long = long.sort_values(["unit_id", "sentence", "frame"], kind="stable")
    order = {u: i for i, u in enumerate(dict.fromkeys(sentences["unit_id"]))}
    long = long.sort_values(["unit_id"], key=lambda c: c.map(order), kind="stable")
    long["frame"] = long["frame"].astype(str)
    return long.assign(present=long["present"].astype(int), cues="").reset_index(drop=True)


def tagger_agreement(tagged: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """The tagger against the adjudicated codes, per frame: coded and tagged sentences, their
    shares, Krippendorff's alpha between the two, and the tagger's precision, recall and F1
    (columns: frame, sentences, coded, tagged, coded_share, tagged_share, alpha, precision,
    recall, f1). Both tables are long (unit_id, sentence, frame, present) over the same
    sentences."""
    from framelens.stats import prf

    both = coded.merge(
        tagged, on=["unit_id", "sentence", "frame"], suffixes=("_coded", "_tagged"), validate="one_to_one"
    )
    rows = []
    for frame, part in both.groupby("frame", sort=False):
        truth, guess = part["present_coded"].to_numpy(), part["present_tagged"].to_numpy()
        tp = int(((truth == 1) & (guess == 1)).sum())
        fp = int(((truth == 0) & (guess == 1)).sum())
        fn = int(((truth == 1) & (guess == 0)).sum())
        precision, recall, f1 = prf(tp, fp, fn)
        alpha = nominal_alpha(truth, guess)
        rows.append(
            {
                "frame": frame,
                "sentences": len(part),
                "coded": int(truth.sum()),
                "tagged": int(guess.sum()),
                "coded_share": truth.mean(),
                "tagged_share": guess.mean(),
                "alpha": float(alpha),
                "precision": precision,
                "recall": recall,
                "f1": f1,
            }
        )
    return pd.DataFrame(rows)


def shares_side_by_side(coded_shares: pd.DataFrame, tagged_shares: pd.DataFrame) -> pd.DataFrame:
    """Era shares of the human codes beside the tagger's (both from `frames.frame_shares(...,
    by="era")`): era, frame, coded (share, mean over units), coded_low, coded_high, tagged,
    tagged_low, tagged_high, difference (tagged - coded)."""
    keep = ["era", "frame", "share", "low", "high"]
    table = coded_shares[keep].merge(
        tagged_shares[keep], on=["era", "frame"], suffixes=("_coded", "_tagged"), validate="one_to_one"
    )
    table = table.rename(
        columns={
            "share_coded": "coded",
            "low_coded": "coded_low",
            "high_coded": "coded_high",
            "share_tagged": "tagged",
            "low_tagged": "tagged_low",
            "high_tagged": "tagged_high",
        }
    )
    return table.assign(difference=table["tagged"] - table["coded"])


def weakest(table: pd.DataFrame, column: str, n: int = 1) -> pd.DataFrame:
    """The `n` rows of `table` with the smallest `column` (ties in table order)."""
    return table.nsmallest(n, column, keep="first")


def sentence_table(
    coded: pd.DataFrame, tagged: pd.DataFrame, sentences: pd.DataFrame, units: pd.DataFrame
) -> pd.DataFrame:
    """One row per body sentence, to read the codes against the tagger: unit_id, sentence, era,
    seed_line, text, frames (the human codes, "; "-joined), tagger (the tagger's frames), cues
    (the cue words that fired, "frame: cue, cue | frame: cue")."""
    from framelens.measures.frames import audit_table

    human = audit_table(coded, sentences, units=units).drop(columns="cues")
    machine = audit_table(tagged, sentences, units=units)[["unit_id", "sentence", "frames", "cues"]]
    machine = machine.rename(columns={"frames": "tagger"})
    return human.merge(machine, on=["unit_id", "sentence"], how="left", validate="one_to_one")
