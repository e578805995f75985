"""The conventions of command-line tools: a closed stdout ends quietly with 141, `--help` ends
with the exit codes, `-v` shows the portal's requests and `-q` keeps only errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

PROGRAM = Path(sys.executable).with_name("espace-tui")


@pytest.fixture
def demo(mock_portal: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    return ["--portal", mock_portal.base_url, "--username", "demo"]


@pytest.mark.skipif(not PROGRAM.exists(), reason="espace-tui is not installed beside python")
def test_a_closed_stdout_ends_quietly_with_141(demo: list[str]) -> None:
    # The reader is gone before the first line is written: `espace-tui invoices | head -0`.
    program = subprocess.Popen(
        [str(PROGRAM), *demo, "invoices"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ,
    )
    assert program.stdout is not None and program.stderr is not None
    program.stdout.close()
    err = program.stderr.read().decode()
    assert program.wait(timeout=60) == 141
    assert err == ""


@pytest.mark.skipif(not PROGRAM.exists(), reason="espace-tui is not installed beside python")
def test_a_pipe_into_head_gives_the_first_line(demo: list[str]) -> None:
    shell = f"set -o pipefail; {PROGRAM} {' '.join(demo)} invoices | head -1"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 141)  # 141 when the table outgrows the pipe's buffer
    assert done.stdout.count("\n") == 1 and done.stderr == ""


def test_help_ends_with_the_exit_codes(run: Run) -> None:
    code, out, _err = run("--help")
    assert code == 0
    tail = out.rstrip().splitlines()[-10:]
    assert tail[0] == "exit status:"
    assert [line.split()[0] for line in tail[1:]] == [
        "0", "1", "2", "3", "4", "5", "6", "130", "141",
    ]  # fmt: skip
    assert "standard output was closed by its reader" in tail[-1]


def test_verbose_shows_each_request_of_the_portal_without_secrets(
    run: Run, demo: list[str]
) -> None:
    code, out, err = run(*demo, "-v", "invoices")
    assert code == 0 and "Septembre 2018" in out
    requests = [line for line in err.splitlines() if " ms" in line]
    assert "espace-tui: POST /ecouflant/espace-citoyens/Home/Logon 302" in "\n".join(requests)
    assert any(
        line.startswith("espace-tui: GET /ecouflant/espace-citoyens/MonCompte 200 ")
        for line in requests
    )
    for line in requests:
        method, path, status, duration, unit = line.removeprefix("espace-tui: ").split()
        assert method in ("GET", "POST") and path.startswith("/") and status.isdigit()
        assert float(duration) >= 0 and unit == "ms"
        assert "?" not in path
    for secret in ("demo@", "Password=", "Cookie", "__RequestVerificationToken", "=demo"):
        assert secret not in err


def test_verbose_is_accepted_after_the_command_too(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "invoices", "--verbose")
    assert code == 0 and "GET /ecouflant/espace-citoyens/MonCompte 200" in err


def test_without_verbose_no_request_is_shown(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "invoices")
    assert code == 0 and " ms" not in err and "GET " not in err


def test_quiet_keeps_only_errors(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "-q", "login")
    assert code == 0 and err == ""  # "Logged in as demo on ecouflant." and the keyring's note
    code, _out, err = run(*demo, "-q", "show", "999999")
    assert code == 1 and err.startswith("espace-tui: ") and err.count("\n") == 1


def test_verbose_and_quiet_together_is_a_usage_error(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "-v", "invoices", "-q")
    assert code == 2 and "--verbose or --quiet" in err
