"""The packages are floors; imports only point down.

    warehouse  ←  meetings, accounts  ←  ingest, metrics  ←  briefing  ←  ui, pages

warehouse (settings, the DuckDB file and its schema, the journal, who may do what, shared words) imports
none of the others. meetings and accounts keep the office's own acts (meetings, action items, accounts) and
stand on warehouse alone. ingest — the pipeline, and the commands that build or rebuild a whole warehouse,
meetings and accounts included — imports none of metrics, briefing, ui or pages; metrics none of ingest,
briefing, ui or pages; briefing none of ui or pages. Every import counts: at the top of a module or inside
a function, `import x`, `from x import y`, and importlib.import_module("x") / __import__("x") with a
written name.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("warehouse", "ingest", "metrics", "meetings", "accounts", "briefing", "ui", "pages")
FORBIDDEN = {
    "warehouse": {"ingest", "metrics", "meetings", "accounts", "briefing", "ui", "pages"},
    "meetings": {"ingest", "metrics", "accounts", "briefing", "ui", "pages"},
    "accounts": {"ingest", "metrics", "meetings", "briefing", "ui", "pages"},
    "ingest": {"metrics", "briefing", "ui", "pages"},
    "metrics": {"ingest", "briefing", "ui", "pages"},
    "briefing": {"ui", "pages"},
}
# Imports that point up today, each named with its reason. Remove an entry when its import goes; the last
# test fails while an entry names an import that no longer exists, so this list can only shrink.
KNOWN = {
    # the briefing shows figures and status words exactly as the screens do (ui.format, ui.strings: no Streamlit)
    ("briefing/formatting.py", "ui.format"),
    ("briefing/sections.py", "ui.format"),
    ("briefing/web.py", "ui.format"),
    ("briefing/words.py", "ui.format"),
    ("briefing/words.py", "ui.strings"),
}


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """Every module `path` imports, as absolute dotted names (`from ui import format` → ui.format)."""
    own = _module_name(path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None) in (
                  "import_module", "__import__"))):
            found.add(node.args[0].value)
    return found


def upward() -> set[tuple[str, str]]:
    """(module file, imported module) for every import that points up a floor."""
    out = set()
    for path in modules():
        floor = path.relative_to(ROOT).parts[0]
        for name in imports(path):
            if name.split(".")[0] in FORBIDDEN.get(floor, ()):
                out.add((path.relative_to(ROOT).as_posix(), name))
    return out


def test_the_scan_sees_every_floor_and_its_imports():
    seen = {p.relative_to(ROOT).parts[0] for p in modules()}
    assert seen == set(PACKAGES)
    assert "warehouse.db" in imports(ROOT / "ingest" / "pipeline.py")
    assert "ingest.gate" in imports(ROOT / "ingest" / "catalog.py")              # from . import gate as gate_mod
    assert "meetings.records" in imports(ROOT / "ingest" / "__main__.py")        # importlib.import_module
    assert "ui.format" in imports(ROOT / "briefing" / "formatting.py")           # from ui import format as fmt


def test_imports_only_point_down():
    wrong = sorted(upward() - KNOWN)
    assert not wrong, "imports that point up a floor (see this file's docstring):\n" + "\n".join(
        f"  {path} imports {name}" for path, name in wrong)


def test_every_known_exception_is_still_there():
    gone = sorted(KNOWN - upward())
    assert not gone, "no longer imported, remove from KNOWN: " + ", ".join(f"{p} → {n}" for p, n in gone)


def test_ingest_never_imports_metrics():
    """The rule the review's move (ingest/review.py → ui/review.py) was for: no exception, ever."""
    assert not {(p, n) for p, n in upward() if p.startswith("ingest/") and n.split(".")[0] == "metrics"}
