"""What the registry, lexicon, codebook and veiled-phrase loaders share: reading a YAML file
with a clear error, and turning a pydantic validation error into the field path and reason
that their error messages name.

Data files are read with bounds, because a hand-edited or hostile file must fail with a short
message rather than exhaust memory: `read_yaml` refuses files over `MAX_YAML_BYTES`, and its
`StrictLoader` (PyYAML's safe loader, configured) refuses aliases (an alias bomb expands a few
hundred bytes into gigabytes), duplicate keys (YAML would silently keep the last) and nesting
deeper than `MAX_DEPTH`. Whatever an error quotes from the input is cut to `QUOTE_CHARS`
(`quote`, `shorten`).
"""

from __future__ import annotations

import errno
import reprlib
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode

MAX_YAML_BYTES = 500_000  # the registry is 8 kB, the lexicon 7 kB; PyYAML reads 500 kB in about 4 s
MAX_DEPTH = 50  # the registry nests 7 levels deep
QUOTE_CHARS = 200  # what an error message quotes of the input, at most (then "...")
MESSAGE_CHARS = 600  # a whole reason or field, at most

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = QUOTE_CHARS
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 8
_REPR.maxlevel = 3


def shorten(text: str, limit: int = MESSAGE_CHARS) -> str:
    """`text` cut to `limit` characters, with "..." where it was cut."""
    return text if len(text) <= limit else text[:limit] + "..."


def quote(value, limit: int = QUOTE_CHARS) -> str:
    """`repr(value)` for an error message, without building the repr of a huge value: a string
    is cut before it is quoted, containers show their first items (reprlib)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit]) + "..."
    return shorten(_REPR.repr(value), limit)


class DataFileError(yaml.YAMLError):
    """A YAML document the strict loader refuses: `field` (the path to the place, as
    `field_path` writes it) and `reason` (with the line)."""

    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases, duplicate keys or deep nesting (see the module
    docstring). Errors are `DataFileError`s naming the field and the line."""

    def __init__(self, stream):
        super().__init__(stream)
        self._where: list[str] = []

    def _field(self) -> str:
        return "".join(self._where).lstrip(".") or "-"

    def compose_node(self, parent, index):
        if isinstance(index, int):
            self._where.append(f"[{index}]")
        elif isinstance(index, ScalarNode):
            self._where.append("." + shorten(index.value, 60))
        else:
            self._where.append("")  # a key, or the document itself
        try:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                raise DataFileError(
                    self._field(),
                    f"YAML aliases (*{shorten(event.anchor, 40)}) are not allowed: write the value out "
                    f"(line {event.start_mark.line + 1})",
                )
            if len(self._where) > MAX_DEPTH:
                raise DataFileError(
                    shorten(self._field(), 200),
                    f"nested more than {MAX_DEPTH} levels deep (line {event.start_mark.line + 1})",
                )
            return super().compose_node(parent, index)
        finally:
            self._where.pop()

    def compose_mapping_node(self, anchor):
        # Composer.compose_mapping_node, with a check for duplicate keys (where PyYAML has it
        # commented out).
        start_event = self.get_event()
        tag = start_event.tag
        if tag is None or tag == "!":
            tag = self.resolve(MappingNode, None, start_event.implicit)
        node = MappingNode(tag, [], start_event.start_mark, None, flow_style=start_event.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        seen: dict = {}
        while not self.check_event(yaml.MappingEndEvent):
            key = self.compose_node(node, None)
            identity = self._key_identity(key)
            if identity is not None:
                if identity in seen:
                    self._where.append("." + shorten(str(key.value), 60))
                    raise DataFileError(
                        self._field(),
                        f"duplicate key {quote(key.value, 60)} at line {key.start_mark.line + 1} (first at line "
                        f"{seen[identity] + 1}): YAML would keep only the last one",
                    )
                seen[identity] = key.start_mark.line
            value = self.compose_node(node, key)
            node.value.append((key, value))
        node.end_mark = self.get_event().end_mark
        return node

    def _key_identity(self, key):
        """What a scalar key is once constructed ("yes" and "true" are the same key), or None
        for keys that are not scalars (refused later as unhashable) and merge keys."""
        if not isinstance(key, ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            return None
        try:
            value = self.construct_object(key)
            hash(value)
        except Exception:  # noqa: BLE001 (a key that does not construct is reported when it is constructed)
            return key.tag, key.value
        return value


def read_yaml(
    path: Path,
    error,
    what: str,
    *,
    loader=yaml.SafeLoader,
    mapping: str | None = None,
    max_bytes: int = MAX_YAML_BYTES,
):
    """The parsed YAML document in `path`. Raises `error(path, field, reason)` if the file is
    missing ("<what> file not found"), a directory, larger than `max_bytes`, unreadable, not
    UTF-8 or not YAML, or, when `mapping` says what the mapping must hold, if the document is
    not a mapping ("the <what> must be a mapping <mapping>"). The field is "-" unless the
    loader names one (`StrictLoader`). What the reason quotes of the file is cut short."""
    if path.is_dir():
        raise error(path, "-", f"{what} file is a directory, not a file")
    if not path.is_file():
        reason = link_problem(path) if path.is_symlink() else None
        raise error(path, "-", reason or f"{what} file not found")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise error(path, "-", f"{what} file has {size:,} bytes, more than the {max_bytes:,} a {what} may have")
        with open(path, "rb") as stream:
            raw = stream.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise error(path, "-", f"{what} file cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise error(path, "-", f"{what} file has more than the {max_bytes:,} bytes a {what} may have")
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 (safe loaders only)
    except DataFileError as exc:
        raise error(path, exc.field, shorten(exc.reason)) from None
    except UnicodeDecodeError as exc:
        raise error(path, "-", f"not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise error(path, "-", shorten(f"not valid YAML: {exc}")) from None
    if mapping is not None and not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise error(path, "-", f"the {what} must be a mapping {mapping}, not {got}")
    return data


def link_problem(path: Path, root: Path | None = None) -> str | None:
    """Why a path that is (or goes through) a symbolic link may not be read, or None: a link
    loop, a link to nothing, or (with `root`) a link whose target lies outside `root`."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop so
        return "a symbolic-link loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic-link loop"
        return f"a symbolic link to a missing file ({exc.strerror})"
    if root is not None and not target.is_relative_to(root.resolve()):
        return f"a symbolic link to {shorten(str(target), 200)}, outside {root}"
    return None


def field_path(loc) -> str:
    """pydantic's location as the YAML reader sees it: ('sources', 2, 'date') -> 'sources[2].date'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return shorten(out, 200)


def describe(error: dict, unknown: str = "unknown field", show_input: bool = False) -> tuple[str, str]:
    """(field path, reason) for one pydantic error dict."""
    kind = error["type"]
    if kind == "missing":
        return field_path(error["loc"]), "required field is missing"
    if kind == "extra_forbidden":
        return field_path(error["loc"]), unknown
    reason = shorten(error["msg"].removeprefix("Value error, "))
    if show_input and "input" in error and kind not in ("model_type", "list_type"):
        reason += f" (got {quote(error['input'])})"
    return field_path(error["loc"]), reason
