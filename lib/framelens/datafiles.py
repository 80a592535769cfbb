"""What the registry, lexicon, codebook and veiled-phrase loaders share: turning a pydantic
validation error into the field path and reason that their error messages name."""

from __future__ import annotations


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
