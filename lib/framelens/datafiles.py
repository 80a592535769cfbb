"""What the registry, lexicon, codebook and veiled-phrase loaders share: reading a YAML file
with a clear error, and turning a pydantic validation error into the field path and reason
that their error messages name."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, error, what: str, *, loader=yaml.SafeLoader, mapping: str | None = None):
    """The parsed YAML document in `path`. Raises `error(path, "-", reason)` if the file is
    missing ("<what> file not found"), not UTF-8 or not YAML, or, when `mapping` says what the
    mapping must hold, if the document is not a mapping ("the <what> must be a mapping <mapping>")."""
    if not path.is_file():
        raise error(path, "-", f"{what} file not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loaders only)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(path, "-", f"not valid YAML: {exc}") from None
    if mapping is not None and not isinstance(data, dict):
        raise error(path, "-", f"the {what} must be a mapping {mapping}")
    return data


def field_path(loc) -> str:
    """pydantic's location as the YAML reader sees it: ('sources', 2, 'date') -> 'sources[2].date'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(error: dict, unknown: str = "unknown field", show_input: bool = False) -> tuple[str, str]:
    """(field path, reason) for one pydantic error dict."""
    kind = error["type"]
    if kind == "missing":
        return field_path(error["loc"]), "required field is missing"
    if kind == "extra_forbidden":
        return field_path(error["loc"]), unknown
    reason = error["msg"].removeprefix("Value error, ")
    if show_input and "input" in error and kind not in ("model_type", "list_type"):
        reason += f" (got {error['input']!r})"
    return field_path(error["loc"]), reason
