"""File names from the server that no disk takes: longer than 255 bytes once in UTF-8, or a
Windows console device. The PDF is saved all the same, inside the folder, under a name that
works."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from support.hostile_portal import BILLS, account, assert_no_controls, entries, pdf_bytes, serve

BILL = BILLS[0]


def saved_path(out: str, folder: Path) -> Path:
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    path = Path(lines[0])
    assert path.parent.resolve() == folder.resolve(), path
    assert path.is_file()
    assert entries(folder) == {path.name}
    return path


@pytest.mark.parametrize("char", ["€", "語"])
def test_a_name_over_255_bytes_is_shortened(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    char: str,
) -> None:
    name = char * 84 + ".pdf"  # 84 × 3 + 4 = 256 bytes in UTF-8
    assert len(name.encode()) > 255
    portal = serve(request, monkeypatch, filename=name)
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", BILL.id, "-o", str(folder))
    assert code == 0, err
    assert_no_controls(out, err)
    path = saved_path(out, folder)
    assert len(path.name.encode("utf-8")) <= 255
    assert path.name.endswith(".pdf")
    assert path.read_bytes() == pdf_bytes(BILL)


@pytest.mark.parametrize("name", ["CONIN$.pdf", "CONOUT$.pdf", "conout$.PDF"])
def test_a_windows_console_device_is_not_a_name(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
) -> None:
    portal = serve(request, monkeypatch, filename=name)
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", BILL.id, "-o", str(folder))
    assert code == 0, err
    path = saved_path(out, folder)
    assert path.stem.upper() not in ("CONIN$", "CONOUT$"), path.name
    assert path.read_bytes() == pdf_bytes(BILL)
