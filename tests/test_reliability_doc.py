"""docs/RELIABILITY.md cannot drift: every test it names exists, and every fault test is named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
NAMED = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", DOC)


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_every_test_the_doc_names_exists() -> None:
    assert NAMED
    for file, name in NAMED:
        path = ROOT / file
        assert path.is_file(), file
        if name:
            assert name in _test_names(path), f"{file}::{name}"


def test_every_fault_test_is_in_the_doc() -> None:
    named = {(file, name) for file, name in NAMED}
    for path in sorted((ROOT / "tests" / "faults").glob("test_*.py")):
        file = str(path.relative_to(ROOT))
        for name in sorted(_test_names(path)):
            assert (file, name) in named, f"{file}::{name} is not in docs/RELIABILITY.md"
