"""The package's layers: imports point down only, and each dependency has its one module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workplan_cli"

# Bottom to top: a module may import from its own layer or any layer below it.
LAYERS = ["errors", "fileio", "fast", "yamlio", "plan", "diff", "git", "edit", "output", "cli"]

# A third-party (or standard) module and the only places that may import it.
ONLY = {
    "ruamel": ("yamlio/",),
    "subprocess": ("git/gitio.py", "output/sandbox.py"),  # sandbox: the bounded template child
    "jinja2": ("output/report.py",),
    "openpyxl": ("output/xlsx.py",),  # the workbook written and read back
    "babel": ("output/i18n.py",),  # the report's languages: catalogs, dates, numbers
    "pikepdf": ("output/pdfparts.py",),  # a large report's pdf, printed in parts and joined
    "weasyprint": ("output/report.py",),  # typesets the pdf, in the bounded child
    "typer": ("cli/",),
    "click": ("cli/",),
    "rich": ("cli/",),
}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (p.relative_to(PACKAGE).as_posix(), ast.parse(p.read_text(encoding="utf-8")))
        for p in sorted(PACKAGE.rglob("*.py"))
    ]


def _imports(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "workplan_cli":
                names += [f"workplan_cli.{a.name}" for a in node.names]
    return names


def _layer(relative: str) -> str:
    return relative.split("/")[0].removesuffix(".py")


def test_every_module_belongs_to_a_layer():
    strays = {rel for rel, _ in _modules() if _layer(rel) not in LAYERS}
    assert strays <= {"__init__.py", "__main__.py"}


def test_imports_point_down_only():
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = []
    for rel, tree in _modules():
        own = _layer(rel)
        if own not in rank:
            continue
        for name in _imports(tree):
            parts = name.split(".")
            layer = parts[1] if parts[0] == "workplan_cli" and len(parts) > 1 else None
            if layer in rank and rank[layer] > rank[own]:
                upward.append(f"{rel} imports {name}")
    assert upward == []


def test_each_dependency_is_used_in_its_one_place():
    strays = []
    for rel, tree in _modules():
        for name in _imports(tree):
            top = name.split(".")[0]
            if top in ONLY and not rel.startswith(ONLY[top]):
                strays.append(f"{rel} imports {name}")
    assert strays == []


def test_no_private_module_or_name_of_a_dependency_is_imported():
    private = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] not in ("workplan_cli", "__future__") and any(
                    p.startswith("_") for p in parts
                ):
                    private.append(f"{rel} imports {name}")
    assert private == []


# What writes or locks a file: fileio's functions, and pathlib's and os's own.
FILEIO_WRITERS = {
    "locked",
    "write_atomic",
    "replace_if_unchanged",
    "rewrite",
    "rewrite_all",
    "remove_if_unchanged",
}
OTHER_WRITERS = {"write_text", "write_bytes", "mkdir", "makedirs", "unlink", "rename", "touch"}


def test_the_cli_writes_no_file_itself():
    """The CLI parses and prints: files are written by the core (edit/, the store), under their
    locks. (The CLI's own write_bytes, in cli/output.py, writes to stdout: a plain name.)"""
    strays = []
    for rel, tree in _modules():
        if not rel.startswith("cli/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "workplan_cli.fileio":
                names = {a.name for a in node.names} & FILEIO_WRITERS
                strays += [f"{rel}:{node.lineno} imports {n}" for n in sorted(names)]
            if not isinstance(node, ast.Attribute):
                continue
            on_fileio = isinstance(node.value, ast.Name) and node.value.id == "fileio"
            if node.attr in OTHER_WRITERS or (on_fileio and node.attr in FILEIO_WRITERS):
                strays.append(f"{rel}:{node.lineno} .{node.attr}")
    assert strays == []
