"""Never more than 6 requests at once to the portal, whatever runs together: the app's first
details, its background loading and a download of every PDF at the same time (issue 11)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from espace_tui.account.portals import real_portal
from espace_tui.account.services import FileSettings, KeyringCredentials
from espace_tui.account.session import AccountSession, Snapshot


async def test_loading_and_downloading_together_keep_six_requests_at_most(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock(invoices=260, latency_ms=5)
    session = AccountSession(
        real_portal,
        credentials=KeyringCredentials(),
        settings=FileSettings(),
        download_dir=tmp_path,
        remember=False,
    )
    await session.login(mock.base_url, "demo", "demo", remember=None, load=True)
    snapshot = session.snapshot
    assert snapshot is not None and not snapshot.complete  # the first 200 details only
    shown: list[Snapshot] = []
    loaded, saved = await asyncio.gather(
        session.load_details(shown.append),
        session.download(list(snapshot.invoices[:40]), tmp_path / "pdfs"),
    )
    await session.logout()
    assert loaded is not None and loaded.complete and shown
    assert len(list((tmp_path / "pdfs").glob("*.pdf"))) == 40 == len(saved)
    assert mock.stats.requests_by_path["MonCompte/DetailFacture"] == 260
    assert 1 < mock.stats.max_in_flight <= 6
