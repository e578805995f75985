"""What each command imports, read from `sys.modules` of a real run in a fresh process: a
command loads only what it uses (no keyring when the password is given, never the screens),
so that it starts about as fast as Python with httpx (issue 11; sets, never times)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RUN_AND_LIST = (
    "import json, sys\n"
    "from espace_tui.cli.main import main\n"
    "code = main(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    json.dump({'code': code, 'modules': sorted(sys.modules)}, out)\n"
)

SCREENS = {"textual", "espace_tui.tui", "espace_tui.tui.app"}
KEYRING = {"keyring", "espace_tui.local.credentials"}
NEVER_IN_A_COMMAND = SCREENS | {"espace_tui.mock", "espace_tui.cli.web", "pygments", "click"}


def imported(tmp_path: Path, *argv: str, stdin: str = "", code: int = 0) -> set[str]:
    """The modules loaded by the end of `espace-tui ARGV` (which must exit with `code`)."""
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, str(report), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(report.read_text())
    assert result["code"] == code, done.stderr
    return set(result["modules"])


@pytest.fixture
def account(mock_portal: Any) -> list[str]:
    return ["--portal", mock_portal.base_url, "--username", "demo"]


def test_invoices_with_the_password_given_loads_no_keyring_and_no_screen(
    tmp_path: Path, account: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from_stdin = imported(
        tmp_path, *account, "--password-stdin", "invoices", "--json", stdin="demo\n"
    )
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    from_env = imported(tmp_path, *account, "invoices", "--json")
    for modules in (from_stdin, from_env):
        assert "httpx" in modules and "espace_tui.account.session" in modules  # it did run
        assert sorted(modules & (NEVER_IN_A_COMMAND | KEYRING)) == []


def test_download_and_pay_with_the_password_given_load_no_keyring_and_no_screen(
    tmp_path: Path, account: list[str], mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    payable = next(i for i in mock_portal.invoices() if i.payable_online)
    saving = imported(tmp_path, *account, "download", "--all", "--output", str(tmp_path / "pdf"))
    paying = imported(tmp_path, *account, "pay", payable.id)
    for modules in (saving, paying):
        assert "httpx" in modules
        assert sorted(modules & (NEVER_IN_A_COMMAND | KEYRING)) == []


def test_help_and_version_load_no_http_client(tmp_path: Path) -> None:
    for argv in (["--version"], ["invoices", "--help"]):
        modules = imported(tmp_path, *argv)
        unused = {"httpx", "httpcore", "sqlite3"} | NEVER_IN_A_COMMAND | KEYRING
        assert sorted(modules & unused) == []


def test_a_password_from_the_keyring_loads_the_keyring_but_no_screen(
    tmp_path: Path, account: list[str]
) -> None:
    # conftest gives subprocesses keyring's "fail" backend: no password there, so the
    # command stops (exit 3, no password) after asking the keyring.
    modules = imported(tmp_path, *account, "invoices", "--json", code=3)
    assert modules >= KEYRING
    assert sorted(modules & NEVER_IN_A_COMMAND) == []
