"""The real system keyring: gnome-keyring's Secret Service on a private D-Bus session bus
(`dbus-run-session`), unlocked with a throwaway password, and the installed `espace-tui` run
against the bundled mock as a parent would: `login` keeps the password (read back with
`secret-tool`), a later command and the screens log in without being given it, "remember me"
in the screens keeps it too, `logout` removes it. A keyring that is there but locked is said to
be locked, with what to do.

The Debian packages are installed where missing (as root, once per session); elsewhere the
tests are skipped with the reason."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from support.debian_packages import ensure

pytestmark = pytest.mark.e2e

PROGRAM = Path(sys.executable).with_name("espace-tui")
PROGRAMS = ("dbus-run-session", "gnome-keyring-daemon", "secret-tool", "tmux")
PACKAGES = ("dbus-daemon", "dbus-x11", "gnome-keyring", "libsecret-tools", "tmux")
KEYRING_PASSWORD = "throwaway-keyring-password"
WAIT = 30.0  # seconds before a step counts as failed; a healthy run needs far less

BUS = """
if [ "$1" = unlocked ]; then
  printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
else
  gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1
fi
echo "$DBUS_SESSION_BUS_ADDRESS"
exec sleep 900
"""
"""Run by `dbus-run-session`: a keyring daemon (unlocked, or started with nothing unlocked),
the bus's address on stdout, then the bus stays up until the test ends it."""


@pytest.fixture(scope="session")
def keyring_tools() -> None:
    reason = ensure(PROGRAMS, PACKAGES)
    if reason:
        pytest.skip(f"no Secret Service to test with: {reason}")
    if not PROGRAM.exists():
        pytest.skip(f"espace-tui is not installed beside {sys.executable}")


class Desktop:
    """A user's session of its own: a home, XDG folders, a D-Bus session bus and
    gnome-keyring. `run` starts a program in it, without PYTHON_KEYRING_BACKEND, so keyring
    picks the Secret Service as on a desktop."""

    def __init__(self, home: Path) -> None:
        runtime = home / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        self.home = home
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_STATE_HOME": str(home / ".local/state"),
            "XDG_RUNTIME_DIR": str(runtime),
            "TMUX_TMPDIR": str(runtime),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
        }
        self._bus: subprocess.Popen[str] | None = None

    def start(self, *, unlocked: bool) -> None:
        """Start the bus and the keyring daemon; wait until the bus's address is known."""
        self._bus = subprocess.Popen(
            ["dbus-run-session", "--", "sh", "-c", BUS, "sh", "unlocked" if unlocked else ""],
            env={**self.env, "KEYRING_PASSWORD": KEYRING_PASSWORD},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group, ended as one in stop()
        )
        assert self._bus.stdout is not None
        ready, _, _ = select.select([self._bus.stdout], [], [], WAIT)
        address = self._bus.stdout.readline().strip() if ready else ""
        if not address:
            self.stop()
            pytest.fail("the D-Bus session bus did not start")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def stop(self) -> None:
        if self._bus is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._bus.pid, signal.SIGTERM)
        self._bus.wait(timeout=WAIT)
        self._bus = None
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)

    def run(self, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, env=self.env, input=stdin, capture_output=True, text=True, timeout=WAIT
        )

    def espace_tui(self, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return self.run(str(PROGRAM), "--lang", "en", *argv, stdin=stdin)

    def secret(self, base_url: str, username: str) -> str:
        """What the Secret Service holds for espace-tui's account, read with `secret-tool`."""
        account = f"{username}@{base_url}"
        found = self.run("secret-tool", "lookup", "service", "espace-tui", "username", account)
        return found.stdout


@pytest.fixture
def desktop(keyring_tools: None, tmp_path: Path) -> Iterator[Callable[..., Desktop]]:
    started: list[Desktop] = []

    def start(*, unlocked: bool = True, home: Path | None = None) -> Desktop:
        session = Desktop(home or tmp_path / "home")
        session.start(unlocked=unlocked)
        started.append(session)
        return session

    yield start
    for session in started:
        session.stop()


class Terminal:
    """One tmux server of its own in the desktop session, 120x40, running one command."""

    def __init__(self, desktop: Desktop, command: str) -> None:
        self.socket = f"espace-tui-keyring-{uuid.uuid4().hex[:8]}"
        self.desktop = desktop
        self._tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)

    def _tmux(self, *args: str) -> str:
        done = self.desktop.run("tmux", "-L", self.socket, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.2)

    def wait_for(self, what: str) -> str:
        deadline = time.monotonic() + WAIT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            assert "Traceback" not in screen, screen
            if what in screen:
                return screen
            time.sleep(0.25)
        pytest.fail(f"never saw {what!r}; the screen was:\n{screen}")

    def close(self) -> None:
        self.desktop.run("tmux", "-L", self.socket, "kill-server")


@pytest.fixture
def terminal() -> Iterator[Callable[[Desktop, str], Terminal]]:
    started: list[Terminal] = []

    def start(desktop: Desktop, command: str) -> Terminal:
        term = Terminal(desktop, command)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def test_login_keeps_the_password_in_the_keyring_and_logout_removes_it(
    desktop: Callable[..., Desktop], mock_portal: Any
) -> None:
    session = desktop()
    url = mock_portal.base_url
    login = session.espace_tui(
        "--portal", url, "--username", "demo", "--password-stdin", "login", stdin="demo\n"
    )
    assert login.returncode == 0, login.stderr
    assert "The password is kept in the system keyring (SecretService Keyring)." in login.stderr
    assert session.secret(url, "demo") == "demo"

    # No password given, none in the environment, no terminal: the keyring's.
    later = session.espace_tui("invoices")
    assert later.returncode == 0, later.stderr
    assert "Septembre 2018" in later.stdout

    logout = session.espace_tui("logout")
    assert logout.returncode == 0, logout.stderr
    assert "The password of demo on ecouflant is forgotten." in logout.stderr
    assert session.secret(url, "demo") == ""
    after = session.espace_tui("invoices")
    assert after.returncode == 3
    assert "No password" in after.stderr


def test_remember_me_in_the_screens_keeps_the_password_for_the_next_start(
    desktop: Callable[..., Desktop],
    terminal: Callable[[Desktop, str], Terminal],
    mock_portal: Any,
) -> None:
    session = desktop()
    url = mock_portal.base_url
    program = f"{PROGRAM} --lang en"
    first = terminal(session, f"{program} --portal {url} --username demo; echo EXIT=$?; sleep 60")
    first.wait_for("Remember me (the password is kept in the system keyring)")
    first.keys("demo", "Tab", "Space", "Tab", "Enter")
    first.wait_for("To pay now")
    assert session.secret(url, "demo") == "demo"
    first.keys("q")
    first.wait_for("EXIT=0")

    # The next start: the portal and username remembered, the password from the keyring.
    second = terminal(session, f"{program}; echo EXIT=$?; sleep 60")
    dashboard = second.wait_for("To pay now")
    assert "Bonjour Monsieur Ecouflant" in dashboard
    second.keys("q")
    second.wait_for("EXIT=0")

    assert session.espace_tui("logout").returncode == 0
    assert session.secret(url, "demo") == ""


@pytest.mark.parametrize("keyring_file", ["never created", "created then locked"])
def test_a_locked_keyring_is_said_to_be_locked_with_what_to_do(
    desktop: Callable[..., Desktop], mock_portal: Any, tmp_path: Path, keyring_file: str
) -> None:
    home = tmp_path / "home"
    if keyring_file == "created then locked":
        first = desktop(home=home)
        assert first.run("secret-tool", "store", "--label=x", "k", "v", stdin="v").returncode == 0
        first.stop()
    session = desktop(unlocked=False, home=home)
    url = mock_portal.base_url

    started = time.monotonic()
    login = session.espace_tui(
        "--portal", url, "--username", "demo", "--password-stdin", "login", stdin="demo\n"
    )
    assert time.monotonic() - started < 15  # said, not waited on
    # The password was right: logged in, and told why it was not kept.
    assert login.returncode == 0, login.stderr
    assert "Logged in as demo on ecouflant." in login.stderr
    assert "The system keyring is locked" in login.stderr
    assert "gnome-keyring-daemon --unlock" in login.stderr
    assert "No system keyring is available" not in login.stderr

    logout = session.espace_tui("logout")
    assert logout.returncode == 2
    assert "The system keyring is locked" in logout.stderr


def test_the_screens_say_a_locked_keyring_is_locked(
    desktop: Callable[..., Desktop],
    terminal: Callable[[Desktop, str], Terminal],
    mock_portal: Any,
) -> None:
    session = desktop(unlocked=False)
    url = mock_portal.base_url
    term = terminal(session, f"{PROGRAM} --lang en --portal {url} --username demo; sleep 60")
    screen = " ".join(term.wait_for("keyring is locked").split())
    assert "No system keyring is available" not in screen
