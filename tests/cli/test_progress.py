"""Long work is visible: on a terminal, `invoices` draws a progress line on stderr (stdout gets
only the table); in a pipe, stderr stays silent. `invoices --no-details` lists what the list
page alone gives, with no detail request."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]

COMMAND = [sys.executable, "-m", "espace_tui", "--lang", "en"]


def environment(home: Path) -> dict[str, str]:
    """The test's own home, config and state folders; the demo's password."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".state"),
        XDG_DATA_HOME=str(home / ".data"),
        XDG_CACHE_HOME=str(home / ".cache"),
        ESPACE_TUI_PASSWORD="demo",
    )
    env.pop("DISPLAY", None)
    return env


def read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_invoices_shows_a_progress_line_on_a_terminals_stderr_and_nothing_in_a_pipe(
    make_mock: Callable[..., Any], tmp_path: Path
) -> None:
    mock = make_mock(invoices=60, latency_ms=20)
    argv = [*COMMAND, "--portal", mock.base_url, "--username", "demo", "invoices"]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=follower, env=environment(tmp_path)
    )
    os.close(follower)
    assert process.stdout is not None
    out = process.stdout.read().decode()
    err = read_all(leader).decode()
    os.close(leader)
    assert process.wait(timeout=60) == 0
    assert "Reading the invoices from the portal…" in err
    assert err.endswith("\r\x1b[2K")  # the line is wiped at the end
    assert "Reading" not in out and "\x1b" not in out and "\r" not in out
    assert "Still to pay:" in out

    # The same command in a pipe (a script, a cron job): nothing at all on stderr.
    done = subprocess.run(
        argv, capture_output=True, env=environment(tmp_path), timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.decode() == out


def test_no_details_lists_the_invoices_without_asking_one_detail(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    argv = ("--portal", mock_portal.base_url, "--username", "demo", "invoices", "--no-details")
    code, out, _err = run(*argv)
    assert code == 0
    for invoice in mock_portal.invoices():
        assert invoice.number in out
    assert mock_portal.stats.detail_requests == 0
    assert mock_portal.stats.requests_by_path["MonCompte"] == 1
