"""The load case of docs/RELIABILITY.md: a large account on the bundled mock whose sessions end
every 3 requests while every 4th GET fails with 502/503/504, listed with every detail and every
PDF downloaded. Nothing may be lost; the doc's figures line is the one this test writes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import Run
from espace_tui.mock import Faults

INVOICES = 200
EXPIRE_EVERY = 3
DOC = Path(__file__).resolve().parents[2] / "docs" / "RELIABILITY.md"


def figures(invoices: int, pdfs: int, expired: int, errors: int, lost: int) -> str:
    """The doc's line (the injected faults are given as a lower bound: their count depends on
    how requests interleave)."""
    return (
        f"Load case: {invoices} invoices with their details, {pdfs} PDFs; faults injected: "
        f"the session ended every {EXPIRE_EVERY} requests (at least {expired // 100 * 100} "
        f"endings), 502/503/504 on every 4th GET (at least {errors // 100 * 100}); lost: {lost}."
    )


def test_a_large_account_under_faults_loses_nothing(
    run: Run, make_mock: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    mock = make_mock(invoices=INVOICES, faults=Faults(expire_every=EXPIRE_EVERY, flaky=True))
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    account = ["--portal", mock.base_url, "--username", "demo"]
    code, out, err = run(*account, "invoices", "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    with_detail = [i for i in listed if i["payment_mode"] is not None]
    code, out, err = run(*account, "download", "--all", "-o", str(tmp_path / "pdf"))
    assert (code, err) == (0, "")
    saved = [Path(line) for line in out.splitlines()]
    assert all(path.read_bytes().startswith(b"%PDF-") for path in saved)
    lost = (INVOICES - len(with_detail)) + (INVOICES - len(set(saved)))
    assert lost == 0
    stats = mock.stats
    assert stats.expired_answers >= 100 and stats.injected_errors >= 100
    # The doc states what was measured here, in the same words.
    line = figures(len(with_detail), len(set(saved)), 100, 100, lost)
    found = re.search(r"^Load case: .*$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert found is not None and found.group(0) == line
