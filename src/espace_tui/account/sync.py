"""`sync`: every PDF of an account filed as `DIR/{profile}/{régie}/{year}/`, with a
`manifest.json` per profile (each invoice's data, its file's name, SHA-256 and when it was
saved). Fit for cron: a second run downloads nothing it already has; an interrupted run leaves
no partial file (the downloads' own guarantee) and the next one goes on where it stopped (the
manifest is written after each folder); a PDF whose bytes changed on the portal is kept beside
the old one (` (1).pdf`), never over it.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from espace_tui.account.owed import regie_name
from espace_tui.account.session import AccountSession
from espace_tui.core.formats import amount_for_json
from espace_tui.core.model import Invoice
from espace_tui.local.downloads import SavedPdf, safe_folder_name
from espace_tui.local.files import sha256_of, write_atomically

MANIFEST = "manifest.json"


@dataclass(slots=True)
class SyncReport:
    """What one run did."""

    folder: Path
    new: int = 0
    unchanged: int = 0
    failed: list[tuple[Invoice, BaseException]] = field(default_factory=list)


def folder_of(root: Path, invoice: Invoice) -> Path:
    """Where an invoice's PDF is filed under a profile's folder."""
    regie = safe_folder_name(regie_name(invoice), "Sans régie")
    year = str(invoice.issued_on.year) if invoice.issued_on else "Sans date"
    return root / regie / year


def _facts(invoice: Invoice) -> dict[str, Any]:
    """What the manifest says of the invoice itself (from its list row)."""
    return {
        "id": invoice.id,
        "number": invoice.number,
        "label": invoice.label,
        "regie": invoice.regie_name,
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        "amount": amount_for_json(invoice.amount),
        "status_label": invoice.status_label,
    }


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries by invoice id; a missing or broken manifest is empty (every PDF
    is then looked at again, and the ones already there are recognised by their bytes)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    invoices = data.get("invoices") if isinstance(data, dict) else None
    if not isinstance(invoices, list):
        return {}
    return {e["id"]: e for e in invoices if isinstance(e, dict) and isinstance(e.get("id"), str)}


def _write_manifest(path: Path, profile: str, entries: dict[str, dict[str, Any]]) -> None:
    data = {"profile": profile, "invoices": sorted(entries.values(), key=lambda e: e["id"])}
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


def _up_to_date(entry: dict[str, Any] | None, invoice: Invoice, root: Path) -> bool:
    """Whether the manifest's file for this invoice is there, whole, and the invoice's row has
    not changed since (a changed row may come with a new PDF)."""
    if entry is None or entry.get("invoice") != _facts(invoice):
        return False
    file = entry.get("file")
    if not isinstance(file, str):
        return False
    path = root / file
    try:
        return path.is_file() and sha256_of(path) == entry.get("sha256")
    except OSError:
        return False


async def sync(
    session: AccountSession, invoices: list[Invoice], output: Path, profile: str
) -> SyncReport:
    """File every invoice's PDF under `output/{profile}/…` (see the module's docstring)."""
    root = output / safe_folder_name(profile, "default")
    manifest_path = root / MANIFEST
    entries = await asyncio.to_thread(load_manifest, manifest_path)
    report = SyncReport(folder=root)
    folders: dict[Path, list[Invoice]] = {}
    for invoice in invoices:
        fresh = await asyncio.to_thread(_up_to_date, entries.get(invoice.id), invoice, root)
        if fresh:
            report.unchanged += 1
        else:
            folders.setdefault(folder_of(root, invoice), []).append(invoice)
    for folder, wanted in folders.items():
        outcomes = await session.download(wanted, folder)
        for invoice, outcome in zip(wanted, outcomes, strict=True):
            if not isinstance(outcome, SavedPdf):
                report.failed.append((invoice, outcome))
                continue
            previous = entries.get(invoice.id)
            relative = str(outcome.path.relative_to(root.resolve()))
            unchanged = outcome.already_there and previous is not None
            entries[invoice.id] = {
                "id": invoice.id,
                "invoice": _facts(invoice),
                "file": relative,
                "sha256": await asyncio.to_thread(sha256_of, outcome.path),
                "saved_at": (
                    previous["saved_at"]
                    if unchanged and previous
                    else datetime.now().isoformat(timespec="seconds")
                ),
                "earlier_files": _earlier(previous, relative),
            }
            if unchanged:
                report.unchanged += 1
            else:
                report.new += 1
        await asyncio.to_thread(_write_manifest, manifest_path, profile, entries)
    if not folders:
        await asyncio.to_thread(_write_manifest, manifest_path, profile, entries)
    return report


def _earlier(previous: dict[str, Any] | None, current: str) -> list[str]:
    """The files an invoice had before (its PDF changed on the portal), kept, never replaced."""
    if previous is None:
        return []
    earlier = [f for f in previous.get("earlier_files", []) if isinstance(f, str)]
    file = previous.get("file")
    if isinstance(file, str) and file != current and file not in earlier:
        earlier.append(file)
    return earlier
