"""Shared parts of the TUI tests (no tests here): the app built as the CLI builds it, against the
real client and the bundled mock over real HTTP, with a fake opener and a fixed clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from espace_tui.account.options import RunOptions
from espace_tui.account.portals import PortalFactory, real_portal
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.widgets.invoice_table import InvoiceTable

SIZE = (120, 40)


@dataclass
class FakeOpener:
    """Records what would be opened; answers like a machine without browser or viewer."""

    answer: bool = False
    urls: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def open_url(self, url: str) -> bool:
        self.urls.append(url)
        return self.answer

    def open_file(self, path: Path) -> bool:
        self.files.append(path)
        return self.answer


class RecordingApp(EspaceApp):
    """The real app, keeping the text of every notification it shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.notices.append(str(message))
        super().notify(message, **kwargs)


def make_app(
    portal_url: str,
    downloads: Path,
    *,
    username: str | None = "demo",
    password: str | None = "demo",
    demo: bool = True,
    opener: FakeOpener | None = None,
    today: date | None = None,
    portal_factory: PortalFactory = real_portal,
    **kwargs: Any,
) -> RecordingApp:
    """The app as `espace-tui --demo` builds it (or, with `demo=False`, as a plain run)."""
    options = RunOptions(
        portal=portal_url,
        username=username,
        password=password,
        download_dir=downloads,
        language="en",
        demo=demo,
        remember=not demo,
    )
    return RecordingApp(
        options,
        portal_factory=portal_factory,
        opener=opener or FakeOpener(),
        today=(lambda: today) if today else date.today,
        **kwargs,
    )


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Let the app work until `condition` holds (a guard against hanging, not a timing)."""
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.05)
    await pilot.pause()


def screen_name(pilot: Pilot[Any]) -> str:
    return type(pilot.app.screen).__name__


async def log_in(pilot: Pilot[Any]) -> None:
    """Press Enter on the pre-filled demo form and wait for the dashboard."""
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def open_list(pilot: Pilot[Any]) -> InvoiceTable:
    await log_in(pilot)
    await pilot.press("f")
    await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the invoice list")
    return pilot.app.screen.query_one(InvoiceTable)


def text(pilot: Pilot[Any], selector: str) -> str:
    """The plain text a Static of the current screen shows."""
    return str(pilot.app.screen.query_one(selector, Static).content)


def to_pay(invoices: list[Any]) -> tuple[Decimal, int]:
    """What the mock's invoices still ask for (total, count): the dashboard must say the same."""
    owed = [i for i in invoices if i.status.to_pay and i.remaining > 0]
    return sum((i.remaining for i in owed), Decimal("0.00")), len(owed)
