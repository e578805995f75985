"""The layers stay visible: nothing below the TUI imports Textual, and the mock portal is never
loaded on the path of the commands or the screens unless it is used."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "espace_tui"


def top_level_imports(path: Path) -> set[str]:
    """Modules imported at module level (lazy imports inside functions are allowed)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_below_the_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.relative_to(PACKAGE).parts
        for name in top_level_imports(path)
        if name == "textual" or name.startswith("textual.") or name.startswith("espace_tui.tui")
    ]
    assert offenders == []


def test_lower_layers_never_import_the_commands() -> None:
    lower = [PACKAGE / "model.py", PACKAGE / "formats.py", PACKAGE / "errors.py"]
    lower += list((PACKAGE / "portal").rglob("*.py"))
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in lower
        for name in top_level_imports(path)
        if name.startswith(("espace_tui.cli", "espace_tui.commands", "espace_tui.mock"))
    ]
    assert offenders == []


def test_the_client_layer_loads_without_the_tui_or_the_mock() -> None:
    code = (
        "import sys, espace_tui.cli, espace_tui.portal.browser;"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('espace_tui.mock')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
