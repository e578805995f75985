"""The README tells the truth: its two commands, and the keys as the help screen lists them."""

from __future__ import annotations

from pathlib import Path

from espace_tui.tui.keys import markdown_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_quick_start_is_the_two_make_commands() -> None:
    assert "make demo" in README and "make test" in README


def test_the_keys_table_is_the_help_screens() -> None:
    assert markdown_table() in README
