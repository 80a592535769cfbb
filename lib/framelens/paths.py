"""Where things are: the one module that knows the repository's layout.

Every other module asks here for the seeds, the annotations, the codebook and lexicon files
and the build folders, so that moving a folder means changing one line.

    project_root()      the checkout: the folder holding seeds/ (see `seeds_dir`)
    seeds_dir()         $FRAMELENS_SEEDS, else the nearest seeds/sources.yml upwards from the
                        working directory, else the seeds/ of this checkout
    annotations_dir()   tests/annotations/ (hand annotations used to validate the measures)
    frame_codes_dir()   annotations/frame_codes*/ (frames coded by two coders: corpus, outside texts)
    build_dir(kind)     _build/<kind>/ (tables, figures, bench), created on demand
    DATA_DIR            the package's data files (lexicon, codebook, veiled phrases)
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CHECKOUT = PACKAGE_DIR.parents[1]  # lib/framelens -> the repository
LEXICON_FILE = DATA_DIR / "references.yml"
CODEBOOK_FILE = DATA_DIR / "frames.yml"
VEILED_FILE = DATA_DIR / "veiled.yml"
REGISTRY_NAME = "sources.yml"


def seeds_dir(start: str | Path | None = None) -> Path:
    """The project's seeds/: $FRAMELENS_SEEDS, else the nearest seeds/sources.yml upwards."""
    if os.environ.get("FRAMELENS_SEEDS"):
        return Path(os.environ["FRAMELENS_SEEDS"])
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds" / REGISTRY_NAME).is_file():
            return folder / "seeds"
    return CHECKOUT / "seeds"


def project_root(start: str | Path | None = None) -> Path:
    """The folder that holds seeds/ (the book's root)."""
    return seeds_dir(start).parent


def annotations_dir() -> Path:
    """The hand annotations that validate the measures (tests/annotations/)."""
    return project_root() / "tests" / "annotations"


FRAME_CODE_SETS = {"corpus": "frame_codes", "development": "frame_codes_dev", "test": "frame_codes_test"}


def frame_codes_dir(which: str = "corpus") -> Path:
    """Human frame codes: of the corpus (annotations/frame_codes/), or of the outside texts
    used to develop the tagger ("development") or only to test it ("test")."""
    return project_root() / "annotations" / FRAME_CODE_SETS[which]


def build_dir(kind: str, root: str | Path | None = None) -> Path:
    """_build/<kind>/ under the project root, created if missing."""
    folder = Path(root or project_root()) / "_build" / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder
