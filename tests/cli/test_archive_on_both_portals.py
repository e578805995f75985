"""What espace-tui keeps on this machine, over both portals (the bundled mock and the
independent one written from SITE.md alone): `--offline` for every command, the filed archive
(`sync`, including a run killed in the middle and resumed) and the due-date check's "new"."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import support.other_portal as other_portal
from conftest import Run
from support.portals import PortalUnderTest


def stop(portal: PortalUnderTest) -> None:
    """The portal is gone (the site is down, or the machine is offline)."""
    portal.server.stop()


def add_invoice(portal: PortalUnderTest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new invoice appears on the portal (a copy of one of its own, under a new id)."""
    if portal.name == "bundled":
        site = portal.server._site
        model = site.invoices()[0]
        new = dataclasses.replace(model, id="999001", number="99001")
        with site._lock:
            site._invoices[new.id] = new
        return new.id
    model_bill = other_portal.BILLS[0]
    new_bill = dataclasses.replace(model_bill, id="9999001", number="9901")
    monkeypatch.setattr(other_portal, "BILLS", (*other_portal.BILLS, new_bill))
    return new_bill.id


# --- --offline, for every command ------------------------------------------------------------


def test_offline_commands_read_what_the_last_run_read_with_the_portal_stopped(
    run: Run, portal: PortalUnderTest
) -> None:
    code, online, _err = run(*portal.args(), "invoices", "--json")
    assert code == 0
    owed = portal.payable()
    code, shown_online, _err = run(*portal.args(), "show", owed.id, "--json")
    assert code == 0
    stop(portal)

    code, offline, err = run(*portal.args(), "--offline", "invoices", "--json")
    assert (code, offline) == (0, online)
    assert "Offline: as read on" in err

    code, shown, err = run(*portal.args(), "show", owed.id, "--offline", "--json")
    assert code == 0 and "Offline: as read on" in err
    sheet, sheet_online = json.loads(shown), json.loads(shown_online)
    for key in ("id", "number", "amount", "remaining", "status", "lines"):
        assert sheet[key] == sheet_online[key], key

    code, text, _err = run(*portal.args(), "show", owed.number, "--offline")
    assert code == 0 and owed.number in text

    code, out, err = run(*portal.args(), "check", "--offline", "--json")
    assert code in (0, 10) and "Offline: as read on" in err
    assert set(json.loads(out)) == {"overdue", "due_soon", "new"}


@pytest.mark.parametrize(
    "command",
    [["download", "--all"], ["pay", "1"], ["sync", "--output", "archive"], ["login"]],
    ids=["download", "pay", "sync", "login"],
)
def test_a_command_that_needs_the_portal_says_so_offline(
    run: Run, portal: PortalUnderTest, command: list[str]
) -> None:
    before = len(portal.server.seen) if portal.name == "independent" else None
    code, out, err = run(*portal.args(), "--offline", *command)
    assert (code, out) == (2, "")
    assert f"espace-tui: '{command[0]}' needs the portal: run it without --offline." in err
    if before is not None:  # and the portal was never asked
        assert len(portal.server.seen) == before
    else:
        assert portal.server.stats.requests_by_path == {}


# --- sync ------------------------------------------------------------------------------------


def _filed(folder: Path) -> dict[str, str]:
    """The PDFs under `folder`: their path (relative) and SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*.pdf")
    }


def test_sync_files_every_pdf_with_its_manifest_and_a_second_run_downloads_nothing(
    run: Run, portal: PortalUnderTest, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    count = len(portal.invoices)
    code, out, _err = run(*portal.args(), "sync", "--output", str(archive))
    assert code == 0 and out.startswith(f"{count} new, 0 unchanged, 0 failed")
    (profile,) = [p for p in archive.iterdir() if p.is_dir()]
    filed = _filed(profile)
    assert len(filed) == count
    manifest = json.loads((profile / "manifest.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in manifest["invoices"]} == {i.id for i in portal.invoices}
    assert {e["file"]: e["sha256"] for e in manifest["invoices"]} == filed
    for entry in manifest["invoices"]:  # DIR/PROFILE/RÉGIE/YEAR/
        assert entry["file"].split("/")[1] == entry["invoice"]["issued_on"][:4]

    code, out, _err = run(*portal.args(), "sync", "--output", str(archive))
    assert code == 0 and out.startswith(f"0 new, {count} unchanged, 0 failed")
    assert _filed(profile) == filed


def test_sync_killed_in_the_middle_leaves_no_partial_pdf_and_the_next_run_completes_it(
    make_mock: Any, tmp_path: Path
) -> None:
    """A real process, killed with SIGKILL while PDFs are arriving (40 ms a request)."""
    mock = make_mock(invoices=60, latency_ms=40)
    archive = tmp_path / "archive"
    argv = [sys.executable, "-m", "espace_tui", "--portal", mock.base_url, "--username", "demo"]
    env = {**os.environ, "ESPACE_TUI_PASSWORD": "demo"}
    process = subprocess.Popen(
        [*argv, "sync", "--output", str(archive)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(archive.rglob("*.pdf"))) < 5:
            assert process.poll() is None, "sync ended before it could be killed"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    kept = list(archive.rglob("*.pdf"))
    assert 5 <= len(kept) < 60, "the kill came too late to be in the middle"
    for pdf in kept:  # nothing half-written carries a PDF's name
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")

    done = subprocess.run(
        [*argv, "sync", "--output", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    new, unchanged = (int(word) for word in done.stdout.split()[0:4:2])
    assert new + unchanged == 60 and "0 failed" in done.stdout
    assert not [p for p in archive.rglob("*") if p.name.endswith(".part")]
    filed = list(archive.rglob("*.pdf"))
    assert len(filed) == 60 and not [p for p in filed if " (1)" in p.name]
    served = {i.id: i for i in mock.invoices()}
    manifest = json.loads((archive / "ecouflant" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in manifest["invoices"]} == set(served)
    again = subprocess.run(
        [*argv, "sync", "--output", str(archive)], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0 and again.stdout.startswith("0 new, 60 unchanged, 0 failed")


# --- check -----------------------------------------------------------------------------------


def test_check_tells_of_a_new_invoice_once(
    run: Run, portal: PortalUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(*portal.args(), "check", "--json", "--days", "0")
    assert code in (0, 10) and json.loads(out)["new"] == []  # the first check: all is known
    new_id = add_invoice(portal, monkeypatch)
    code, out, _err = run(*portal.args(), "check", "--json", "--days", "0")
    assert code == 10 and [i["id"] for i in json.loads(out)["new"]] == [new_id]
    code, text, _err = run(*portal.args(), "check", "--days", "0")
    assert "New since the last check:" not in text  # told once
