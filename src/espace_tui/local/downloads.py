"""Saving an invoice's PDF: a safe name, never an overwrite, never half a file.

The server's filename is a hint, never a path: only a cleaned base name is kept. The bytes are
written to a temporary file in the target folder, flushed to disk, then linked to the final
name (`os.link` fails instead of replacing, so two runs cannot overwrite each other). A file
already there with the same bytes is reused; other bytes under that name give `name (1).pdf`,
`name (2).pdf`…
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from espace_tui.core.errors import NotAPdf
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice, PdfFile

PDF_MAGIC = b"%PDF-"
MAX_STEM = 120
"""Characters kept of a name before ` (n).pdf`: far below the 255 bytes file systems allow."""
MAX_COPIES = 999

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


@dataclass(frozen=True, slots=True)
class SavedPdf:
    """Where the PDF is, and whether it was there already (then nothing was written)."""

    path: Path
    already_there: bool


def _clean_stem(text: str | None) -> str:
    """A name's stem made harmless: no folders, control characters, leading dots; short."""
    if not text:
        return ""
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
    if base.lower().endswith(".pdf"):
        base = base[:-4]
    kept = "".join(
        " " if unicodedata.category(c).startswith("Z") else c
        for c in base
        if not unicodedata.category(c).startswith("C")  # control, format, unassigned
    )
    kept = _UNSAFE.sub("_", kept)
    kept = " ".join(kept.split()).strip(" .")
    kept = kept[:MAX_STEM].rstrip(" .")
    if kept.split(".")[0].upper() in _RESERVED:  # Windows device names
        return ""
    return kept


def pdf_filename(pdf: PdfFile, invoice: Invoice) -> str:
    """The name to save under: the server's (cleaned), else `Facture_{number}.pdf`, else
    `Facture_{id}.pdf`."""
    for stem in (
        _clean_stem(pdf.server_filename),
        _clean_stem(f"Facture_{invoice.number}") if invoice.number else "",
        _clean_stem(f"Facture_{invoice.id}"),
    ):
        if stem:
            return f"{stem}.pdf"
    return "Facture.pdf"


def _candidates(name: str) -> list[str]:
    stem = name[:-4]
    return [name] + [f"{stem} ({n}).pdf" for n in range(1, MAX_COPIES + 1)]


def _same_bytes(path: Path, content: bytes) -> bool:
    """Whether `path` is a regular file (not a link) holding exactly `content`."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False


def _fsync_folder(folder: Path) -> None:
    """Make the new name durable too (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _publish(temporary: Path, target: Path) -> bool:
    """Give the temporary file its final name unless that name exists; True when done."""
    try:
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass  # no hard links here (some network or FAT file systems): reserve, then replace
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(handle)
    os.replace(temporary, target)  # replaces only the empty file reserved just above
    return True


def save_pdf(pdf: PdfFile, invoice: Invoice, folder: Path) -> SavedPdf:
    """Save the PDF in `folder` (created if missing) without overwriting anything.

    Raises `NotAPdf` when the bytes do not start with `%PDF-` (nothing is written), and
    OSError when the folder cannot be written.
    """
    if not pdf.content.startswith(PDF_MAGIC):
        raise NotAPdf(
            _("Invoice {number}: the portal answered something that is not a PDF.").format(
                number=invoice.number or invoice.id
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    name = pdf_filename(pdf, invoice)
    handle, temporary_name = tempfile.mkstemp(dir=root, prefix=".espace-tui-", suffix=".part")
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(pdf.content)
            stream.flush()
            os.fsync(stream.fileno())
        for candidate in _candidates(name):
            target = root / candidate
            if target.parent != root:  # cannot happen with a cleaned name; checked all the same
                continue
            if _same_bytes(target, pdf.content):
                return SavedPdf(target, already_there=True)
            if os.path.lexists(target):
                continue
            if _publish(temporary, target):
                _fsync_folder(root)
                return SavedPdf(target, already_there=False)
            if _same_bytes(target, pdf.content):  # another run saved the same bytes just now
                return SavedPdf(target, already_there=True)
        raise FileExistsError(
            _("Too many files named like {name} in {folder}.").format(name=name, folder=root)
        )
    finally:
        temporary.unlink(missing_ok=True)
