"""The package's layers (docs/architecture.md): what each may import, module sizes, no prefix
families at the root. Read from the source with ``ast``: nothing is imported to check it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1] / "kit"
MAX_LINES = 450

# third-party packages the pure domain must never import
NOT_IN_DOMAIN = ("IPython", "ipywidgets", "ipykernel", "jupyter_client", "jupyter_server",
                 "jupyterlab", "nbclient", "nbconvert", "nbformat", "papermill", "voila",
                 "matplotlib", "matplotlib_fontja", "openpyxl", "filelock", "tqdm")
# the kit modules the domain may use besides its own
DOMAIN_MAY_USE = ("kit.i18n", "kit.exceptions")

# each layer and the kit layers it may import (lower layers only)
LAYERS = {
    "domain": {"domain"},
    "io": {"domain", "io"},
    "workspace": {"domain", "io", "workspace"},
    "charts": {"domain", "charts"},
    "documents": {"domain", "io", "workspace", "charts", "documents"},
    "render": {"domain", "io", "workspace", "render"},
    "widgets": {"domain", "io", "workspace", "charts", "documents", "render", "widgets"},
    "serve": {"domain", "io", "workspace", "render", "serve"},
}
ANYWHERE = {"i18n", "exceptions", "resources"}


def _modules(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(file: Path, package: str | None = None) -> list[str]:
    """Every module ``file`` imports, at the top or inside functions (absolute names)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    if package is None:
        package = ".".join(file.relative_to(KIT.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.append(base)
            names += [f"{base}.{a.name}" for a in node.names]
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kit" else None


@pytest.mark.parametrize("file", _modules(KIT / "domain"), ids=lambda p: p.name)
def test_domain_is_pure(file):
    bad = [m for m in _imports(file)
           if m.split(".")[0] in NOT_IN_DOMAIN
           or (m.startswith("kit.") and not m.startswith("kit.domain")
               and not m.startswith(DOMAIN_MAY_USE))]
    assert not bad, f"{file.name} imports {bad}"


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_lower_layers(layer):
    allowed = LAYERS[layer] | ANYWHERE
    bad = []
    for file in _modules(KIT / layer):
        for m in _imports(file):
            target = _layer(m)
            if target and target not in allowed and (KIT / target).exists():
                bad.append(f"{file.relative_to(KIT)} -> {m}")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_violation(tmp_path):
    """The import reader is not blind: imports inside functions and relative ones count."""
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from matplotlib import pyplot\n    from ..io import store\n")
    found = _imports(f, package="kit.domain")
    assert "matplotlib" in found and "kit.io.store" in found


def test_modules_are_small_and_named_by_folder():
    big = [f"{p.relative_to(KIT)}: {n}" for p in _modules(KIT)
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, big
    root = sorted(p.stem for p in KIT.glob("*.py"))
    prefixes = {s.split("_")[0] for s in root if "_" in s.strip("_")}
    families = [p for p in prefixes if sum(s.startswith(p + "_") for s in root) > 1]
    assert not families, families


# the domain's root holds what every subject uses; each subject is a sub-package
DOMAIN_ROOT = {"__init__", "model", "fields", "values", "enums", "dates", "checks", "messages",
               "problems", "flow_layout", "levers"}
DOMAIN_SUBJECTS = {"money", "frontyard", "survey", "after"}


def test_domain_is_grouped_by_subject():
    root = {p.stem for p in (KIT / "domain").glob("*.py")}
    assert root <= DOMAIN_ROOT, f"put {sorted(root - DOMAIN_ROOT)} into a subject's package"
    subjects = {p.name for p in (KIT / "domain").iterdir()
                if p.is_dir() and (p / "__init__.py").is_file()}
    assert subjects == DOMAIN_SUBJECTS


def _module_name(file: Path) -> str:
    parts = file.relative_to(KIT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    files = {_module_name(f): f for f in _modules(KIT)}
    # `from kit import i18n` names kit.i18n: the package itself is not an edge
    return {name: {m for m in _imports(file) if m in files and m not in (name, "kit")}
            for name, file in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_modules_import_each_other():
    """Not even inside a function: a circle means two modules are one subject split badly."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_sees_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
