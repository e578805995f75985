"""`espace-tui web` listens on this machine only unless told otherwise, and then warns."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Run

PROGRAM = Path(sys.executable).with_name("espace-tui")
pytest.importorskip("textual_serve", reason="textual-serve (espace-tui[web]) is missing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_words(*options: str) -> str:
    """What `espace-tui web` says on stderr before serving (it is then stopped)."""
    server = subprocess.Popen(
        [
            str(PROGRAM),
            "--lang",
            "en",
            *options[:1],
            "web",
            "--port",
            str(free_port()),
            *options[1:],
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=os.environ,
        start_new_session=True,
    )
    assert server.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        lines.append(line)
        if "(Ctrl+C to stop)" in line or not line:
            break
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    return "".join(lines)


@pytest.mark.skipif(not PROGRAM.exists(), reason="espace-tui is not installed beside python")
def test_it_serves_on_this_machine_only_by_default() -> None:
    said = first_words("--demo")
    assert "The screens are served on http://127.0.0.1:" in said
    assert "warning" not in said


@pytest.mark.skipif(not PROGRAM.exists(), reason="espace-tui is not installed beside python")
def test_another_address_is_served_only_when_asked_and_with_a_warning() -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning is said, and nothing
    # is ever reachable from elsewhere during the test.
    said = first_words("--demo", "--host", "192.0.2.1")
    assert "espace-tui: warning: serving on 192.0.2.1, not on this machine only" in said


def test_the_web_command_says_its_defaults(run: Run) -> None:
    code, out, _err = run("web", "--help")
    assert code == 0
    assert "default: 127.0.0.1, this machine only" in " ".join(out.split())
