"""The man page, written from the parser by `make man` (scripts/make_man.py): every command
and option of `--help`, the exit codes, examples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from espace_tui.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page as `man` shows it (the roff source where `man` is missing)."""
    output = tmp_path_factory.mktemp("man") / "espace-tui.1"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_man.py"), str(output)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert output.read_text(encoding="utf-8").startswith('.TH ESPACE\\-TUI "1"')
    if shutil.which("man") is None:
        return output.read_text(encoding="utf-8").replace("\\-", "-")
    shown = subprocess.run(
        ["man", "-l", str(output)],
        env={**os.environ, "MANWIDTH": "200", "MAN_KEEP_FORMATTING": "", "PAGER": "cat"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    # groff may draw a hyphen or a minus as the Unicode ones: compare as typed.
    return shown.stdout.replace("\u2010", "-").replace("\u2212", "-")


def test_the_man_page_has_every_command_and_option(page: str) -> None:
    for command in ("invoices", "show", "download", "pay", "login", "logout", "completion"):
        assert f"espace-tui {command}" in page
    for option in ("--portal URL", "--commune SLUG", "--password-stdin", "-v, --verbose"):
        assert option in page
    assert "-q, --quiet" in page and "--download-dir DIR" in page


def test_the_man_page_lists_the_exit_codes_as_help_does(page: str) -> None:
    section = page.split("EXIT STATUS", 1)[1].split("EXAMPLES", 1)[0]
    for code, meaning in cli.EXIT_CODES:
        assert f"{code}" in section and meaning.split("(")[0].strip() in " ".join(section.split())
    assert "141" in section and "standard output was closed" in section


def test_the_man_page_has_examples_and_files(page: str) -> None:
    examples = page.split("EXAMPLES", 1)[1]
    assert "espace-tui --demo" in examples
    assert "espace-tui invoices | head -1" in examples
    assert "espace-tui completion bash" in examples
    assert "espace-tui.log" in page and "ESPACE_TUI_PASSWORD" in page
