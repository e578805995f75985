"""Saving a PDF: a safe name inside the chosen folder, never an overwrite, never half a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from espace_tui.core.errors import NotAPdf
from espace_tui.core.model import Invoice, PdfFile
from espace_tui.local.downloads import pdf_filename, remove_stale_parts, save_pdf

PDF = b"%PDF-1.4\n% an invoice\n%%EOF\n"
OTHER_PDF = b"%PDF-1.4\n% another invoice\n%%EOF\n"
INVOICE = Invoice(id="318204", number="651", label="Septembre 2018")


@pytest.fixture
def pdfs(tmp_path: Path) -> Path:
    """An empty folder of its own (the test's tmp_path also holds the isolated home)."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_the_servers_name_is_kept(pdfs: Path) -> None:
    saved = save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    assert saved.path == pdfs.resolve() / "Facture_651.pdf"
    assert not saved.already_there
    assert saved.path.read_bytes() == PDF
    assert files_in(pdfs) == ["Facture_651.pdf"]  # no temporary file left behind


def test_without_a_server_name_the_invoice_number_names_the_file(pdfs: Path) -> None:
    assert save_pdf(PdfFile(PDF), INVOICE, pdfs).path.name == "Facture_651.pdf"
    no_number = Invoice(id="318204")
    assert save_pdf(PdfFile(OTHER_PDF), no_number, pdfs).path.name == "Facture_318204.pdf"


@pytest.mark.parametrize(
    ("server_name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("a/b.pdf", "b.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("..pdf", "Facture_651.pdf"),
        ("..", "Facture_651.pdf"),
        ("/", "Facture_651.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("bad\x00na\nme\x1b[31m.pdf", "badname[31m.pdf"),
        ('f<o>o:"|?*.PDF', "f_o_o_____.pdf"),
        ("report", "report.pdf"),
        ("NUL.pdf", "Facture_651.pdf"),
        ("   ", "Facture_651.pdf"),
    ],
)
def test_hostile_server_names_stay_plain_names(server_name: str, expected: str) -> None:
    assert pdf_filename(PdfFile(PDF, server_name), INVOICE) == expected


@pytest.mark.parametrize("char", ["x", "é", "€", "𝄞"], ids=["1-byte", "2-byte", "3-byte", "4-byte"])
def test_long_server_names_are_cut_to_what_a_file_system_takes(pdfs: Path, char: str) -> None:
    name = pdf_filename(PdfFile(PDF, char * 84 * 4 + ".pdf"), INVOICE)
    # 255 bytes a name, with room left for " (999)" before the extension.
    assert name.endswith(".pdf") and len(name.encode()) <= 255 - len(" (999)")
    first = save_pdf(PdfFile(PDF, char * 84 + ".pdf"), INVOICE, pdfs)
    second = save_pdf(PdfFile(PDF + b"other", char * 84 + ".pdf"), INVOICE, pdfs)
    assert first.path.parent == pdfs.resolve() == second.path.parent
    assert second.path.name.endswith(" (1).pdf")


@pytest.mark.parametrize("device", ["CONIN$.pdf", "conout$.pdf", "COM1.pdf", "NUL.tar.pdf"])
def test_windows_device_names_are_never_used(device: str) -> None:
    assert pdf_filename(PdfFile(PDF, device), INVOICE) == f"Facture_{INVOICE.number}.pdf"


def test_a_part_file_left_by_a_killed_run_is_removed_by_the_next(pdfs: Path) -> None:
    pdfs.mkdir(exist_ok=True)
    dead = pdfs / ".espace-tui-999999999-abc.part"  # no such process
    dead.write_bytes(b"%PDF-half")
    mine = pdfs / f".espace-tui-{os.getpid()}-def.part"  # a download of this very process
    mine.write_bytes(b"%PDF-going on")
    assert remove_stale_parts(pdfs) == 1
    assert not dead.exists() and mine.exists()


@pytest.mark.parametrize(
    "server_name", ["../../etc/passwd", "a/b.pdf", "..pdf", "../x/../../y.pdf"]
)
def test_a_hostile_name_is_saved_inside_the_folder(pdfs: Path, server_name: str) -> None:
    folder = pdfs / "inside"
    saved = save_pdf(PdfFile(PDF, server_name), INVOICE, folder)
    assert saved.path.parent == folder.resolve()
    assert saved.path.read_bytes() == PDF
    assert files_in(pdfs) == ["inside"]


def test_the_same_bytes_again_are_not_written_twice(pdfs: Path) -> None:
    first = save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    stamp = first.path.stat().st_mtime_ns
    again = save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    assert again.already_there and again.path == first.path
    assert first.path.stat().st_mtime_ns == stamp
    assert files_in(pdfs) == ["Facture_651.pdf"]


def test_other_bytes_under_the_same_name_get_a_number(pdfs: Path) -> None:
    save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    second = save_pdf(PdfFile(OTHER_PDF, "Facture_651.pdf"), INVOICE, pdfs)
    third = save_pdf(PdfFile(OTHER_PDF + b"3", "Facture_651.pdf"), INVOICE, pdfs)
    assert second.path.name == "Facture_651 (1).pdf" and not second.already_there
    assert third.path.name == "Facture_651 (2).pdf"
    assert (pdfs / "Facture_651.pdf").read_bytes() == PDF  # never overwritten
    # The numbered copy is found again too.
    assert save_pdf(PdfFile(OTHER_PDF, "Facture_651.pdf"), INVOICE, pdfs).already_there
    assert len(files_in(pdfs)) == 3


def test_a_link_under_the_name_is_never_written_through(pdfs: Path) -> None:
    outside = pdfs / "outside.pdf"
    outside.write_bytes(b"precious")
    folder = pdfs / "folder"
    folder.mkdir()
    (folder / "Facture_651.pdf").symlink_to(outside)
    saved = save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, folder)
    assert saved.path.name == "Facture_651 (1).pdf"
    assert outside.read_bytes() == b"precious"


def test_a_body_that_is_not_a_pdf_is_refused_and_nothing_is_written(pdfs: Path) -> None:
    with pytest.raises(NotAPdf, match="651"):
        save_pdf(PdfFile(b"<html>Session expired</html>", "Facture_651.pdf"), INVOICE, pdfs)
    assert files_in(pdfs) == []


def test_the_folder_is_created(pdfs: Path) -> None:
    folder = pdfs / "a" / "b"
    saved = save_pdf(PdfFile(PDF), INVOICE, folder)
    assert saved.path.parent == folder.resolve()


def test_without_hard_links_the_file_is_still_saved_whole(
    pdfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError("no hard links on this file system")

    monkeypatch.setattr(os, "link", no_links)
    save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    second = save_pdf(PdfFile(OTHER_PDF, "Facture_651.pdf"), INVOICE, pdfs)
    assert (pdfs / "Facture_651.pdf").read_bytes() == PDF
    assert second.path.read_bytes() == OTHER_PDF
    assert files_in(pdfs) == ["Facture_651 (1).pdf", "Facture_651.pdf"]


def test_a_failed_write_leaves_no_file(pdfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        save_pdf(PdfFile(PDF, "Facture_651.pdf"), INVOICE, pdfs)
    assert files_in(pdfs) == []
