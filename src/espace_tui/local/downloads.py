"""Saving an invoice's PDF: a safe name, never an overwrite, never half a file.

The server's filename is a hint, never a path: only a cleaned base name is kept, short enough
in bytes for any file system, never a Windows device name. The bytes are written as they arrive
to a temporary file in the target folder (`PartFile`, named `.espace-tui-{pid}-….part`), flushed
to disk, then linked to the final name (`os.link` fails instead of replacing, so two runs cannot
overwrite each other). A file already there with the same bytes is reused; other bytes under
that name give `name (1).pdf`, `name (2).pdf`… A temporary file whose process is gone (a run
killed half way) is removed by the next download into that folder (`remove_stale_parts`).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from espace_tui.core.errors import NotAPdf
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice, PdfFile

PDF_MAGIC = b"%PDF-"
MAX_STEM_BYTES = 200
"""Bytes (UTF-8) kept of a name before ` (n).pdf`: file systems allow 255 bytes a name, and
` (999).pdf` takes 10 of them."""
MAX_COPIES = 999
PART_PREFIX = ".espace-tui-"
PART_SUFFIX = ".part"
STALE_AFTER = 3600
"""Seconds after which a temporary file of an unknown process is left-over for sure."""

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in "¹²³"}
)
"""Windows device names: a file named so (with any extension) cannot be opened there."""
_PART_PID = re.compile(r"^\.espace-tui-(\d+)-.*\.part$")


def _cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of `text` that is at most `limit` bytes in UTF-8 (whole characters)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


@dataclass(frozen=True, slots=True)
class SavedPdf:
    """Where the PDF is, and whether it was there already (then nothing was written)."""

    path: Path
    already_there: bool


def safe_folder_name(text: str | None, fallback: str) -> str:
    """A name made safe for a folder (a régie's, a profile's): as a file's stem is."""
    return _clean_stem(text) or fallback


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
    kept = _cut_to_bytes(kept, MAX_STEM_BYTES).rstrip(" .")
    if kept.split(".")[0].strip().upper() in _RESERVED:  # Windows device names
        return ""
    return kept


def pdf_filename(pdf: PdfFile, invoice: Invoice) -> str:
    """The name to save under: the server's (cleaned), else `Facture_{number}.pdf`, else
    `Facture_{id}.pdf`."""
    return pdf_filename_for(pdf.server_filename, invoice)


def pdf_filename_for(server_filename: str | None, invoice: Invoice) -> str:
    """`pdf_filename` from the server's name alone."""
    for stem in (
        _clean_stem(server_filename),
        _clean_stem(f"Facture_{invoice.number}") if invoice.number else "",
        _clean_stem(f"Facture_{invoice.id}"),
    ):
        if stem:
            return f"{stem}.pdf"
    return "Facture.pdf"


def _candidates(name: str) -> list[str]:
    stem = name[:-4]
    return [name] + [f"{stem} ({n}).pdf" for n in range(1, MAX_COPIES + 1)]


def _same_file(path: Path, temporary: Path) -> bool:
    """Whether `path` is a regular file (not a link) holding exactly the temporary's bytes."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        if path.stat().st_size != temporary.stat().st_size:
            return False
        return filecmp.cmp(path, temporary, shallow=False)
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


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or no way to tell: leave its file alone
    return True


def remove_stale_parts(folder: Path) -> int:
    """Remove the temporary files that a killed earlier run left in `folder` (their process is
    gone, or, for a name without a process number, they are over an hour old). Returns how
    many were removed; a folder that cannot be read is left alone."""
    removed = 0
    try:
        entries = list(folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"))
    except OSError:
        return 0
    for entry in entries:
        match = _PART_PID.match(entry.name)
        try:
            if match:
                stale = not _process_alive(int(match.group(1)))
            else:
                stale = time.time() - entry.lstat().st_mtime > STALE_AFTER
            if stale and not entry.is_symlink() and entry.is_file():
                entry.unlink()
                removed += 1
        except (OSError, ValueError):
            continue
    return removed


class PartFile:
    """A PDF being written as it arrives, in a temporary file of the target folder; `publish`
    gives it its final name once whole, `discard` removes it. A `core.model.PdfSink`."""

    def __init__(self, folder: Path, invoice: Invoice) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.root = folder.resolve()
        self.invoice = invoice
        handle, name = tempfile.mkstemp(
            dir=self.root, prefix=f"{PART_PREFIX}{os.getpid()}-", suffix=PART_SUFFIX
        )
        self.path = Path(name)
        self._stream = os.fdopen(handle, "wb")
        self._size = 0
        self._tail = b""

    # -- the sink ---------------------------------------------------------------------------

    def restart(self) -> None:
        self._stream.seek(0)
        self._stream.truncate()
        self._size = 0
        self._tail = b""

    def write(self, chunk: bytes) -> None:
        self._stream.write(chunk)
        self._size += len(chunk)
        self._tail = (self._tail + chunk)[-1024:]

    @property
    def size(self) -> int:
        return self._size

    @property
    def tail(self) -> bytes:
        return self._tail

    # -- the end ----------------------------------------------------------------------------

    def publish(self, server_filename: str | None) -> SavedPdf:
        """Flush the file to disk and give it its name (never over another file). Raises
        `NotAPdf` when it does not start with `%PDF-`, OSError when the folder refuses."""
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            with self.path.open("rb") as written:
                if written.read(len(PDF_MAGIC)) != PDF_MAGIC:
                    raise _not_a_pdf(self.invoice)
            return _place(self.path, self.root, pdf_filename_for(server_filename, self.invoice))
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (the download failed, or it was published)."""
        with contextlib.suppress(OSError):
            self._stream.close()
        self.path.unlink(missing_ok=True)


def _not_a_pdf(invoice: Invoice) -> NotAPdf:
    return NotAPdf(
        _("Invoice {number}: the portal answered something that is not a PDF.").format(
            number=invoice.number or invoice.id
        )
    )


def _place(temporary: Path, root: Path, name: str) -> SavedPdf:
    """Link the finished temporary file under `name` or the first free ` (n)` beside it."""
    for candidate in _candidates(name):
        target = root / candidate
        if target.parent != root:  # cannot happen with a cleaned name; checked all the same
            continue
        if _same_file(target, temporary):
            return SavedPdf(target, already_there=True)
        if os.path.lexists(target):
            continue
        if _publish(temporary, target):
            _fsync_folder(root)
            return SavedPdf(target, already_there=False)
        if _same_file(target, temporary):  # another run saved the same bytes just now
            return SavedPdf(target, already_there=True)
    raise FileExistsError(
        _("Too many files named like {name} in {folder}.").format(name=name, folder=root)
    )


def save_pdf(pdf: PdfFile, invoice: Invoice, folder: Path) -> SavedPdf:
    """Save a PDF held in memory in `folder` (created if missing) without overwriting anything.

    Raises `NotAPdf` when the bytes do not start with `%PDF-` (nothing is written), and
    OSError when the folder cannot be written.
    """
    if not pdf.content.startswith(PDF_MAGIC):
        raise _not_a_pdf(invoice)
    part = PartFile(folder, invoice)
    part.write(pdf.content)
    return part.publish(pdf.server_filename)
