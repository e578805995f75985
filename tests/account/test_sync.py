"""`sync` files every PDF by régie and year with a manifest; a second run downloads nothing, a
failed run leaves no partial file and the next one completes it, a PDF that changed on the
portal is kept beside the old one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from espace_tui.account.portals import real_portal
from espace_tui.account.services import FileSettings, KeyringCredentials
from espace_tui.account.session import AccountSession
from espace_tui.account.sync import MANIFEST, sync
from espace_tui.mock import Faults


async def run_sync(mock: Any, output: Path) -> Any:
    session = AccountSession(
        real_portal,
        credentials=KeyringCredentials(),
        settings=FileSettings(),
        download_dir=output,
        remember=False,
    )
    await session.login(mock.base_url, "demo", "demo", remember=None, load=False)
    report = await sync(session, await session.listed(), output, "ecouflant")
    await session.logout()
    return report


async def test_every_pdf_is_filed_once_with_its_manifest(make_mock: Any, tmp_path: Path) -> None:
    mock = make_mock()
    count = len(mock.invoices())
    first = await run_sync(mock, tmp_path)
    assert (first.new, first.unchanged, first.failed) == (count, 0, [])
    manifest = json.loads((tmp_path / "ecouflant" / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["invoices"]) == count
    for entry in manifest["invoices"]:
        path = tmp_path / "ecouflant" / entry["file"]
        assert path.read_bytes().startswith(b"%PDF-") and len(entry["sha256"]) == 64
        regie, year, _name = Path(entry["file"]).parts
        assert regie == entry["invoice"]["regie"] and year == entry["invoice"]["issued_on"][:4]
    downloads = mock.stats.pdf_downloads
    second = await run_sync(mock, tmp_path)
    assert (second.new, second.unchanged) == (0, count)
    assert mock.stats.pdf_downloads == downloads  # nothing downloaded again


async def test_a_failed_run_leaves_nothing_half_done_and_the_next_completes_it(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock(faults=Faults(pdf_html=True))
    failed = await run_sync(mock, tmp_path)
    assert failed.new == 0 and len(failed.failed) == len(mock.invoices())
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.name != MANIFEST]
    mock.faults = Faults()
    done = await run_sync(mock, tmp_path)
    assert done.new == len(mock.invoices()) and done.failed == []


async def test_a_pdf_that_changed_on_the_portal_is_kept_beside_the_old(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock()
    await run_sync(mock, tmp_path)
    payable = next(i for i in mock.invoices() if i.payable_online)
    mock.mark_paid(payable.id)  # its row and its PDF now say "Payée"
    report = await run_sync(mock, tmp_path)
    assert report.new == 1
    manifest = json.loads((tmp_path / "ecouflant" / MANIFEST).read_text(encoding="utf-8"))
    entry = next(e for e in manifest["invoices"] if e["id"] == payable.id)
    assert entry["earlier_files"] and entry["file"] != entry["earlier_files"][0]
    root = tmp_path / "ecouflant"
    assert (root / entry["file"]).exists() and (root / entry["earlier_files"][0]).exists()
