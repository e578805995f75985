"""The layers stay visible: the import contracts of pyproject.toml hold (import-linter), every
package says what it may import, and the commands load neither Textual nor the mock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "espace_tui"
LAYERS = ("core", "portal", "local", "account", "cli", "tui", "mock")


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed in this environment (make test installs it)")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_says_what_it_may_import(layer: str) -> None:
    docstring = (PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")
    assert docstring.startswith('"""') and "import" in docstring


def test_no_module_stands_outside_a_layer() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_the_commands_load_neither_textual_nor_the_mock() -> None:
    code = (
        "import sys, espace_tui.cli.main, espace_tui.cli.commands, espace_tui.account.session,"
        " espace_tui.portal.browser;"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('espace_tui.mock')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
