"""The installed `espace-tui` in a real terminal (tmux) against the bundled mock, as a parent
would use it: log in, open an invoice, save its PDF, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PROGRAM = Path(sys.executable).with_name("espace-tui")
WAIT = 30.0  # seconds before a step counts as failed; a healthy run needs far less


class Terminal:
    """One tmux server of its own (never the user's), 120x40, running one command."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"espace-tui-e2e-{uuid.uuid4().hex[:8]}"
        self.env = env
        self._tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.2)

    def wait_for(self, what: str, check: Callable[[str], bool] | None = None) -> str:
        """Wait until `what` is on the screen (or `check` passes); fail with the screen."""
        deadline = time.monotonic() + WAIT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            assert "Traceback" not in screen, screen
            if check(screen) if check else what in screen:
                return screen
            time.sleep(0.25)
        pytest.fail(f"never saw {what!r}; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[str], Terminal]]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    if not PROGRAM.exists():
        pytest.skip(f"espace-tui is not installed beside {sys.executable}")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TMUX_TMPDIR": str(tmp_path),
    }
    started: list[Terminal] = []

    def start(command: str) -> Terminal:
        term = Terminal(command, env)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def test_log_in_open_an_invoice_save_its_pdf_and_quit(
    terminal: Callable[[str], Terminal], tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    term = terminal(
        f"{PROGRAM} --demo --lang en --download-dir {downloads}; echo EXIT=$?; sleep 60"
    )
    term.wait_for("Log in to your Espace Citoyens")
    term.keys("Enter")
    dashboard = term.wait_for("To pay now")
    assert "Bonjour Monsieur Ecouflant" in dashboard
    term.keys("f")
    term.wait_for("Septembre 2018")
    term.keys("/", "651", "Enter", "Enter")
    detail = term.wait_for("Pay before")
    assert "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018" in detail
    assert "23,20\u00a0€" in detail  # the screens keep an amount with its euro sign
    term.keys("d")
    saved = downloads / "Facture_651.pdf"
    term.wait_for("Saved:")
    assert saved.read_bytes().startswith(b"%PDF-")
    term.keys("q")
    term.wait_for("EXIT=0")
    assert [path.name for path in downloads.iterdir()] == ["Facture_651.pdf"]
