"""What espace-tui keeps on this machine, on the command line: `--offline`, only what changed,
profiles on two portals, the filed archive (`sync`) and the due-date check for cron."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from espace_tui.mock import Faults
from support.other_portal import PASSWORD, USERNAME, OtherPortal


@pytest.fixture
def demo(mock_portal: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    return ["--portal", mock_portal.base_url, "--username", "demo"]


def test_offline_prints_what_the_last_online_run_printed(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    code, online, _err = run(*demo, "invoices", "--json")
    assert code == 0
    mock_portal.stop()  # the portal is gone
    code, offline, err = run(*demo, "invoices", "--json", "--offline")
    assert (code, offline) == (0, online)
    assert "Offline: as read on" in err


def test_offline_with_nothing_read_yet_says_so(run: Run, demo: list[str]) -> None:
    code, out, err = run(*demo, "invoices", "--offline")
    assert (code, out) == (1, "")
    assert "Nothing was read yet for demo on ecouflant" in err


def test_a_second_run_reads_only_the_details_that_can_have_changed(
    run: Run, make_mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock = make_mock(invoices=300)
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    account = ["--portal", mock.base_url, "--username", "demo"]
    assert run(*account, "invoices", "--json")[0] == 0
    first = dict(mock.stats.requests_by_path)
    assert run(*account, "invoices", "--json")[0] == 0
    second = {k: v - first.get(k, 0) for k, v in mock.stats.requests_by_path.items()}
    still = sum(1 for i in mock.invoices() if i.status.to_pay)  # unpaid, or at the Trésor
    assert second.get("MonCompte/DetailFacture") == still < 300
    assert second.get("MonCompte") == 1
    assert run(*account, "invoices", "--json", "--refresh-all")[0] == 0
    assert mock.stats.requests_by_path["MonCompte/DetailFacture"] == 300 + still + 300


def test_a_damaged_store_is_rebuilt_without_a_word(
    run: Run, demo: list[str], tmp_path: Path, isolated: Path
) -> None:
    assert run(*demo, "invoices")[0] == 0
    (store,) = (isolated / "xdg_cache_home").rglob("store.sqlite3")
    store.write_bytes(b"\0garbage" * 50)
    code, out, err = run(*demo, "invoices", "--json")
    assert code == 0 and json.loads(out) and "Traceback" not in err


def test_two_profiles_on_two_portals_are_kept_apart(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = OtherPortal()
    other.start()
    try:
        bundled = ["--portal", mock_portal.base_url, "--username", "demo"]
        independent = ["--portal", other.base_url, "--username", USERNAME]
        assert run(*bundled, "profiles", "add", "maison")[0] == 0
        assert run(*independent, "profiles", "add", "centre")[0] == 0
        code, listing, _err = run("profiles", "list")
        assert code == 0
        assert "maison\tecouflant\tdemo (default)" in listing
        assert f"centre\tville-coueron\t{USERNAME}" in listing
        monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
        code, mine, _err = run("invoices", "--json")  # the default profile
        assert code == 0 and len(json.loads(mine)) == len(mock_portal.invoices())
        monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
        code, theirs, _err = run("--profile", "centre", "invoices", "--json")
        assert code == 0 and {i["id"] for i in json.loads(theirs)} != {
            i["id"] for i in json.loads(mine)
        }
        other.stop()
        mock_portal.stop()
        assert run("--profile", "centre", "invoices", "--json", "--offline")[1] == theirs
        assert run("--profile", "maison", "invoices", "--json", "--offline")[1] == mine
        code, _out, err = run("--profile", "ecole", "invoices")
        assert code == 2 and "no profile named ecole" in err
    finally:
        other.stop()


def test_sync_files_everything_once_and_resumes_after_a_failed_run(
    run: Run, demo: list[str], mock_portal: Any, tmp_path: Path
) -> None:
    count = len(mock_portal.invoices())
    mock_portal.faults = Faults(pdf_html=True)  # every PDF refused: nothing is filed
    code, out, _err = run(*demo, "sync", "--output", str(tmp_path / "archive"))
    assert code == 6 and f"0 new, 0 unchanged, {count} failed" in out
    mock_portal.faults = Faults()
    code, out, _err = run(*demo, "sync", "--output", str(tmp_path / "archive"))
    assert code == 0 and out.startswith(f"{count} new, 0 unchanged, 0 failed")
    files = [p for p in (tmp_path / "archive" / "ecouflant").rglob("*.pdf")]
    assert len(files) == count
    assert not list((tmp_path / "archive").rglob("*.part"))
    code, out, _err = run(*demo, "sync", "--output", str(tmp_path / "archive"))
    assert code == 0 and out.startswith(f"0 new, {count} unchanged, 0 failed")


def test_check_says_what_is_overdue_and_exits_10(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    code, out, _err = run(*demo, "check", "--days", "7")
    assert code == 10 and "Overdue:" in out
    code, out, _err = run(*demo, "check", "--json")
    data = json.loads(out)
    assert code == 10 and data["overdue"] and data["new"] == []
    expected = {
        i.id
        for i in mock_portal.invoices()
        if i.status.to_pay and i.remaining > 0 and i.due < date.today()
    }
    assert {i["id"] for i in data["overdue"]} == expected


def test_check_with_notify_says_plainly_when_no_desktop_is_there(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "check", "--notify")
    assert code == 10 and "No desktop notification can be shown here" in err
