"""The package's shape: data flows one way (corpus -> measures -> presentation), with tools on
top; no import cycle; no module reaches into another's private names.

Imports are read from the source (ast), including those inside functions, so a lazy import
cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import PROJECT

PACKAGE = PROJECT / "lib" / "framelens"

# A layer may import the layers listed for it (and itself); nothing else of the package.
BASE = {"framelens", "framelens.paths", "framelens.stats", "framelens.datafiles"}
ALLOWED = {
    "base": set(),
    "corpus": {"base"},
    "measures": {"base", "corpus"},
    "presentation": {"base", "corpus", "measures"},
    "tools": {"base", "corpus", "measures", "presentation"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer(module: str) -> str:
    if module in BASE or module == "framelens.__main__":
        return "base" if module != "framelens.__main__" else "tools"
    return module.split(".")[1]


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every framelens import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "framelens"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "framelens":
                continue
            names = [a.name for a in node.names]
            # `from framelens.presentation import figures`: the names may be modules
            submodules = [
                f"{target}.{n}"
                for n in names
                if (PACKAGE.parent / Path(*f"{target}.{n}".split("."))).exists()
                or (PACKAGE.parent / Path(*f"{target}.{n}".split("."))).with_suffix(".py").exists()
            ]
            if submodules:
                found += [(m, [], node.lineno) for m in submodules]
            else:
                found.append((target, names, node.lineno))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_package_has_the_four_layers():
    layers = {layer(m) for m in MODULES}
    assert {"corpus", "measures", "presentation", "tools"} <= layers


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_one_way(module):
    own = layer(module)
    wrong = [
        f"line {line}: {target}"
        for target, _, line in imports(MODULES[module])
        if target in MODULES and layer(target) != own and layer(target) not in ALLOWED[own]
    ]
    assert not wrong, f"{module} ({own}) imports from a layer above it: {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_private_names_of_another(module):
    private = [
        f"line {line}: {target}.{name}"
        for target, names, line in imports(MODULES[module])
        for name in names
        if name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert not private, f"{module} imports private names: {private}"


def test_no_measure_draws():
    drawing = [
        name
        for name, path in MODULES.items()
        if layer(name) in ("corpus", "measures") and "matplotlib" in path.read_text(encoding="utf-8")
    ]
    assert not drawing, f"plotting code in the corpus or measures layer: {drawing}"


def test_the_package_has_no_import_cycle():
    graph = {m: {t for t, _, _ in imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    # a package's __init__ is imported with any of its modules; it must not import them back
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_checks_see_a_wrong_import(tmp_path, monkeypatch):
    """The layer rule fails on a measure that imports presentation (so the test can fail)."""
    bad = PACKAGE / "measures" / "zz_layer_probe.py"
    source = "from framelens.presentation.style import PALETTE\nfrom framelens.corpus.units import _lines\n"
    found = []
    try:
        bad.write_text(source, encoding="utf-8")
        found = imports(bad)
    finally:
        bad.unlink()
    targets = {t for t, _, _ in found}
    assert "framelens.presentation.style" in targets
    assert layer("framelens.presentation.style") not in ALLOWED[layer("framelens.measures.zz_layer_probe")]
    assert any(n.startswith("_") for _, names, _ in found for n in names)


def test_no_large_module_without_a_reason():
    """Modules over about 400 lines say why in their docstring."""
    long = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if lines > 420 and "lines" not in doc:
            long.append(f"{name} ({lines} lines)")
    assert not long, f"modules over 400 lines without a word on why: {long}"
