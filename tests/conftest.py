"""Fixtures shared by every test: the machine's own config, keyring, browser and language are
kept out; the bundled mock portal is served on loopback."""

from __future__ import annotations

import io
import sys
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from espace_tui.account.portals import PortalFactory
from espace_tui.cli import main as cli
from espace_tui.core import i18n
from support.memory_keyring import MemoryKeyring
from support.other_portal import OtherPortal
from support.portals import PortalUnderTest, bundled, independent

Run = Callable[..., tuple[int, str, str]]
"""The `run` fixture: espace-tui's command line called in this process."""


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own home, config, data and download folders, no ESPACE_TUI_*
    variables, English messages, an in-memory keyring, and a browser that cannot open."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in (
        "ESPACE_TUI_PORTAL",
        "ESPACE_TUI_USERNAME",
        "ESPACE_TUI_PASSWORD",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "BROWSER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    # Subprocesses get no keyring at all (keyring's own "fail" backend).
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())

    opened: list[str] = []

    def refuse_browser(url: str, *args: Any, **kwargs: Any) -> bool:
        opened.append(url)
        return False

    monkeypatch.setattr(webbrowser, "open", refuse_browser)
    monkeypatch.setattr(webbrowser, "open_new", refuse_browser)
    monkeypatch.setattr(webbrowser, "open_new_tab", refuse_browser)
    i18n.set_language("en")
    yield home
    keyring.set_keyring(previous)
    i18n.set_language("en")


@pytest.fixture
def make_mock() -> Iterator[Callable[..., Any]]:
    """Start bundled mock portals on free loopback ports: `make_mock(invoices=40, faults=...)`."""
    from espace_tui.mock import MockOptions, MockPortal

    started: list[MockPortal] = []

    def start(**options: Any) -> MockPortal:
        portal = MockPortal(MockOptions(**options))
        portal.start()
        started.append(portal)
        return portal

    yield start
    for portal in started:
        portal.stop()


@pytest.fixture
def mock_portal(make_mock: Callable[..., Any]) -> Any:
    """The demo family's portal (commune `ecouflant`, demo/demo) on a free loopback port."""
    return make_mock()


@pytest.fixture(params=["bundled", "independent"])
def portal(
    request: pytest.FixtureRequest,
    make_mock: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PortalUnderTest]:
    """The user's stories run over both portals: the bundled mock and the independent portal
    written from SITE.md alone (`support/other_portal.py`), each with its own data. The
    account's password is in $ESPACE_TUI_PASSWORD, as a script would give it."""
    if request.param == "bundled":
        under_test = bundled(make_mock())
        yield _with_password(under_test, monkeypatch)
        return
    other = OtherPortal()
    other.start()
    try:
        yield _with_password(independent(other), monkeypatch)
    finally:
        other.stop()


def _with_password(portal: PortalUnderTest, monkeypatch: pytest.MonkeyPatch) -> PortalUnderTest:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", portal.password)
    return portal


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("invoices", "--json")` → (exit code, stdout, stderr), in this process;
    `portal_factory=` gives the commands another portal client, as the app is given one."""

    def call(
        *argv: str, stdin: str | None = None, portal_factory: PortalFactory | None = None
    ) -> tuple[int, str, str]:
        capsys.readouterr()
        if stdin is not None:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(sys, "stdin", io.StringIO(stdin))
                code = cli.main(list(argv), portal_factory=portal_factory)
        else:
            code = cli.main(list(argv), portal_factory=portal_factory)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call
