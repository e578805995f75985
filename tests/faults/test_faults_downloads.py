"""PDFs that fail, arrive cut short or unfinished: the others are saved all the same, the
failed ones are named and never saved (not even half, not even as a `.part`), the run exits 4,
and a second run saves nothing twice. A `.part` left by a killed run is cleaned up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Run
from support.hostile_portal import (
    BILLS,
    account,
    assert_no_controls,
    assert_plain_failure,
    entries,
    pdf_bytes,
    serve,
)

FAILING = BILLS[1]
CUT = BILLS[2]


def printed_paths(out: str) -> list[Path]:
    return [Path(line.strip()) for line in out.splitlines() if line.strip()]


def check_saved(folder: Path, out: str, failed: str) -> None:
    """Every invoice but `failed` is saved whole and printed; nothing else is in the folder."""
    others = [bill for bill in BILLS if bill.id != failed]
    assert entries(folder) == {bill.filename for bill in others}
    assert sorted(path.name for path in printed_paths(out)) == sorted(b.filename for b in others)
    for path in printed_paths(out):
        assert path.parent.resolve() == folder.resolve()
    for bill in others:
        assert (folder / bill.filename).read_bytes() == pdf_bytes(bill)


@pytest.mark.parametrize("mode", ["502", "reset"])
def test_one_failing_pdf_spares_the_others(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    mode: str,
) -> None:
    portal = serve(request, monkeypatch, pdf_fail_ids=frozenset({FAILING.id}), pdf_fail_mode=mode)
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", "--all", "-o", str(folder))
    assert code == 4, err
    assert FAILING.number in err
    assert_plain_failure(err)
    assert_no_controls(out, err)
    check_saved(folder, out, FAILING.id)

    again, out, err = run(*account(portal), "download", "--all", "-o", str(folder))
    assert again == 4, err
    assert FAILING.number in err
    check_saved(folder, out, FAILING.id)  # the same files: nothing saved twice


@pytest.mark.parametrize("knob", ["pdf_truncated", "pdf_no_eof"])
def test_an_incomplete_pdf_is_not_saved(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    knob: str,
) -> None:
    portal = serve(request, monkeypatch, **{knob: CUT.id})
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", "--all", "-o", str(folder))
    assert code == 4, err
    assert CUT.number in err
    assert_plain_failure(err)
    assert_no_controls(out, err)
    assert not (folder / CUT.filename).exists()
    check_saved(folder, out, CUT.id)

    again, out, err = run(*account(portal), "download", "--all", "-o", str(folder))
    assert again == 4, err
    check_saved(folder, out, CUT.id)


@pytest.mark.parametrize("knob", ["pdf_truncated", "pdf_no_eof"])
def test_one_incomplete_pdf_leaves_nothing(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    knob: str,
) -> None:
    portal = serve(request, monkeypatch, **{knob: True})
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", BILLS[0].id, "-o", str(folder))
    assert code == 4, err
    assert BILLS[0].number in err
    assert out.strip() == ""
    assert_plain_failure(err)
    assert entries(folder) == set()


def dead_pid() -> int:
    """A process id that no process has now."""
    for pid in range(999_999, 999_999 + 10_000):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            continue
    pytest.skip("no free process id found")


def test_a_part_file_left_by_a_killed_run_is_removed(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    portal = serve(request, monkeypatch)
    folder = tmp_path / "Factures"
    folder.mkdir()
    leftover = folder / f".espace-tui-{dead_pid()}-abc.part"
    leftover.write_bytes(pdf_bytes(BILLS[0])[:100])
    code, out, err = run(*account(portal), "download", BILLS[0].id, "-o", str(folder))
    assert code == 0, err
    assert not leftover.exists()
    assert entries(folder) == {BILLS[0].filename}
    assert [path.name for path in printed_paths(out)] == [BILLS[0].filename]
