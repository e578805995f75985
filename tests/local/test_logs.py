"""The log: a rotating file of the state folder, readable by you only, where no password ever
lands, whoever logged it."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from espace_tui.local import locations, logs


@pytest.fixture
def stopped() -> Any:
    yield
    logs.stop()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_unexpected_error_goes_to_a_private_log_without_the_password(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "hunter2")

    def broken(base_url: str) -> Any:
        raise RuntimeError("the portal said hunter2 and token=abc123")

    demo = ("--portal", mock_portal.base_url, "--username", "demo")
    code, _out, err = run(*demo, "invoices", portal_factory=broken)
    path = locations.log_file()
    assert code == 1 and f"Details are in {path}." in err
    assert path.parent == locations.state_dir()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    text = path.read_text(encoding="utf-8")
    assert (
        "Traceback" in text and "RuntimeError: the portal said ******** and token=********" in text
    )
    assert "hunter2" not in text and "abc123" not in text


@pytest.mark.usefixtures("stopped")
def test_the_filter_blanks_passwords_whoever_logs_them() -> None:
    secrets: list[str] = []
    path = logs.start(secrets)
    assert path is not None
    secrets.append("s3cret")  # met after the start: the list is read at each record
    other = logging.getLogger("espace_tui.portal.anything")
    other.warning("logging in with %s", "s3cret")
    other.warning("form Password=%s; Cookie: %s", "typed", "ASP.NET_SessionId=xyz")
    try:
        raise ValueError("s3cret in a traceback")
    except ValueError:
        other.exception("failed")
    logs.stop()
    text = path.read_text(encoding="utf-8")
    assert "logging in with ********" in text
    assert "Password=******** " in text or "Password=********;" in text
    assert "Cookie: ********" in text
    assert "ValueError: ******** in a traceback" in text
    for leaked in ("s3cret", "typed", "xyz"):
        assert leaked not in text


@pytest.mark.usefixtures("stopped")
def test_a_short_password_leaves_the_words_around_it_whole() -> None:
    path = logs.start(["on"])
    assert path is not None
    logging.getLogger("espace_tui.cli").warning("connexion refusée: mot de passe on")
    logs.stop()
    assert "connexion refusée: mot de passe ********" in path.read_text(encoding="utf-8")


@pytest.mark.usefixtures("stopped")
def test_the_log_rotates_and_every_copy_stays_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.start([])
    assert path is not None
    for number in range(200):
        logging.getLogger("espace_tui").info("line %d %s", number, "x" * 50)
    logs.stop()
    copies = sorted(path.parent.glob("espace-tui.log*"))
    assert [copy.name for copy in copies] == [
        "espace-tui.log", "espace-tui.log.1", "espace-tui.log.2", "espace-tui.log.3",
    ]  # fmt: skip
    assert all(mode(copy) == 0o600 for copy in copies)
    assert "line 199" in path.read_text(encoding="utf-8")


@pytest.mark.usefixtures("stopped")
def test_an_older_wider_log_is_made_private(tmp_path: Path) -> None:
    path = locations.log_file()
    path.parent.mkdir(parents=True)
    path.write_text("old\n")
    path.chmod(0o644)
    logs.start([])
    logs.stop()
    assert mode(path) == 0o600


@pytest.mark.usefixtures("stopped")
def test_an_unwritable_state_folder_means_no_log_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(locations, "log_file", lambda: blocker / "espace-tui.log")
    assert logs.start([]) is None
    logging.getLogger("espace_tui").error("nowhere to go")  # no "--- Logging error ---"
