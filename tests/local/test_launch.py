"""Opening the payment page or a PDF: only a graphical program, never a text browser, and a
plain False where nothing can be opened. Nothing real is ever opened here."""

from __future__ import annotations

import subprocess
import sys
import webbrowser
from pathlib import Path
from typing import Any

import pytest

from espace_tui.local import launch

URL = "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=123456"

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux/BSD rules")


class Recorder:
    def __init__(self, answer: bool = True) -> None:
        self.calls: list[Any] = []
        self.answer = answer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.answer


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """A graphical browser that records instead of opening."""
    recorder = Recorder()
    monkeypatch.setattr(webbrowser, "open", recorder)
    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.BackgroundBrowser("firefox"))
    return recorder


@pytest.fixture
def popen(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(subprocess, "Popen", recorder)
    monkeypatch.setattr(launch.shutil, "which", lambda name: f"/usr/bin/{name}")
    return recorder


def test_without_a_display_nothing_is_tried(browser: Recorder, popen: Recorder) -> None:
    assert launch.open_url(URL) is False
    assert launch.open_file(Path("Facture_651.pdf")) is False
    assert browser.calls == [] and popen.calls == []


def test_with_a_display_the_browser_opens(
    monkeypatch: pytest.MonkeyPatch, browser: Recorder
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    assert launch.open_url(URL) is True
    assert browser.calls == [(URL,)]


def test_a_browser_that_cannot_open_is_false(
    monkeypatch: pytest.MonkeyPatch, browser: Recorder
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    browser.answer = False
    assert launch.open_url(URL) is False


def test_a_text_browser_is_never_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    opened = Recorder()
    monkeypatch.setattr(webbrowser, "open", opened)
    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.GenericBrowser("lynx"))
    assert launch.open_url(URL) is False
    assert opened.calls == []


def test_browser_variable_is_the_users_choice(
    monkeypatch: pytest.MonkeyPatch, browser: Recorder
) -> None:
    monkeypatch.setenv("BROWSER", "my-browser")
    assert launch.open_url(URL) is True


def test_over_ssh_without_a_display_nothing_is_tried(
    monkeypatch: pytest.MonkeyPatch, browser: Recorder, popen: Recorder
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    monkeypatch.setenv("BROWSER", "my-browser")
    assert launch.open_url(URL) is False
    assert launch.open_file(Path("Facture_651.pdf")) is False
    assert browser.calls == [] and popen.calls == []


def test_a_file_opens_with_xdg_open_in_the_background(
    monkeypatch: pytest.MonkeyPatch, popen: Recorder
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    assert launch.open_file(Path("/tmp/Facture_651.pdf")) is True
    assert popen.calls == [(["/usr/bin/xdg-open", "/tmp/Facture_651.pdf"],)]


def test_no_file_opener_is_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(launch.shutil, "which", lambda name: None)
    assert launch.open_file(Path("/tmp/Facture_651.pdf")) is False
