"""The screens and the store: after a login the stored dashboard comes at once, marked with when
it was read, and is read again in the background; `espace-tui --offline` shows the store alone,
and what needs the portal says so."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from espace_tui.account.options import RunOptions
from espace_tui.account.portals import real_portal
from espace_tui.account.summary import lines_by_person
from espace_tui.core.model import Invoice
from espace_tui.local.store import Store
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.screens.detail import DetailScreen
from espace_tui.tui.screens.invoices import InvoicesScreen
from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.texts import money
from support.portals import PortalUnderTest
from support.tui import SIZE, FakeOpener, RecordingApp, make_app, screen_name, text, until

READ_AT = datetime(2025, 11, 2, 9, 30)
NEEDS_THE_PORTAL = "This needs the portal"


class GatedPortal:
    """The real client, whose reading of the account waits for `gate` once `closed`: the
    dashboard shown meanwhile can only be the store's."""

    def __init__(self, inner: Any, gate: asyncio.Event, asked: list[str]) -> None:
        self._inner = inner
        self._gate = gate
        self._asked = asked

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def account(self) -> Any:
        self._asked.append("account")
        await self._gate.wait()
        return await self._inner.account()


def first_choice(app: Any) -> str:
    regies = app.screen.query_one("#regies", OptionList)
    return str(regies.get_option_at_index(0).prompt)


def as_of(app: Any) -> Any:
    return app.screen.query_one("#as-of")


async def read_once(mock_portal: Any, tmp_path: Path, store: Store) -> None:
    """A login online: what it reads is kept in `store`."""
    app = make_app(mock_portal.base_url, tmp_path, demo=False, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        await until(pilot, lambda: store.load(mock_portal.base_url, "demo"), "the store")


def keep_older(store: Store, base_url: str, invoices: list[Invoice]) -> None:
    """What an earlier run would have kept: fewer invoices, read on 02/11/2025 at 09:30."""
    stored = store.load(base_url, "demo")
    assert stored is not None
    store.save(
        base_url,
        "demo",
        stored.account,
        invoices,
        read_at=READ_AT,
        details_read={i.id for i in invoices},
    )


async def test_a_login_shows_the_stored_dashboard_at_once_then_reads_the_portal_again(
    mock_portal: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    await read_once(mock_portal, tmp_path, store)
    stored = store.load(mock_portal.base_url, "demo")
    assert stored is not None
    everything = len(stored.invoices)
    older = stored.invoice_list()[:2]
    keep_older(store, mock_portal.base_url, older)

    gate, asked = asyncio.Event(), []

    def gated(base_url: str) -> Any:
        return GatedPortal(real_portal(base_url), gate, asked)

    app = make_app(mock_portal.base_url, tmp_path, demo=False, store=store, portal_factory=gated)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        await until(pilot, lambda: asked, "the refresh under way")
        # The store's dashboard, marked, while the portal has not answered yet.
        assert first_choice(app) == "All invoices (2)"
        assert as_of(app).display
        assert "Updated on 02/11/2025 à 09:30" in text(pilot, "#as-of")
        assert "refreshing" in text(pilot, "#as-of")
        # …and it is usable: the list and an invoice open meanwhile.
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the list")
        assert len(app.screen.table.rows) == 2  # type: ignore[attr-defined]
        assert "Updated on 02/11/2025 à 09:30" in text(pilot, "#invoices-summary")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")

        gate.set()  # the portal answers: the dashboard follows, and the mark goes away
        await until(pilot, lambda: app.session.read_at is None, "the refresh")
        await until(pilot, lambda: not as_of(app).display, "the mark gone")
        assert first_choice(app) == f"All invoices ({everything})"
    again = store.load(mock_portal.base_url, "demo")
    assert again is not None and len(again.invoices) == everything
    assert again.read_at > READ_AT  # what the refresh read was stored


async def test_a_refresh_that_fails_keeps_the_stored_dashboard_and_its_mark(
    mock_portal: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    await read_once(mock_portal, tmp_path, store)
    stored = store.load(mock_portal.base_url, "demo")
    assert stored is not None
    keep_older(store, mock_portal.base_url, stored.invoice_list()[:3])

    class Failing(GatedPortal):
        async def account(self) -> Any:
            from espace_tui.core.errors import PortalUnreachable

            raise PortalUnreachable("The portal cannot be reached.")

    def failing(base_url: str) -> Any:
        return Failing(real_portal(base_url), asyncio.Event(), [])

    app = make_app(mock_portal.base_url, tmp_path, demo=False, store=store, portal_factory=failing)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        await until(pilot, lambda: not app.refreshing, "the refresh's end")
        await pilot.pause()
        assert first_choice(app) == "All invoices (3)"
        assert text(pilot, "#as-of") == "Updated on 02/11/2025 à 09:30"
        problem = app.screen.query_one("#problem")
        assert "cannot be reached" in problem.message  # type: ignore[attr-defined]


def offline_app(
    base_url: str, tmp_path: Path, store: Store, asked: list[str], username: str = "demo"
) -> RecordingApp:
    def never(url: str) -> Any:
        asked.append(url)
        raise AssertionError("offline: the portal is never built")

    options = RunOptions(
        portal=base_url,
        username=username,
        password=None,
        download_dir=tmp_path / "downloads",
        language="en",
        offline=True,
    )
    return RecordingApp(options, portal_factory=never, opener=FakeOpener(), store=store)


async def test_offline_the_screens_show_the_store_alone_and_say_what_needs_the_portal(
    mock_portal: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    await read_once(mock_portal, tmp_path, store)
    stored = store.load(mock_portal.base_url, "demo")
    assert stored is not None
    keep_older(store, mock_portal.base_url, stored.invoice_list())
    mock_portal.stop()  # no portal at all
    asked: list[str] = []
    app = offline_app(mock_portal.base_url, tmp_path, store, asked)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert not any(isinstance(s, LoginScreen) for s in app.screen_stack)
        mark = "Offline: as read on 02/11/2025 à 09:30."
        assert text(pilot, "#as-of") == mark
        assert first_choice(app) == f"All invoices ({len(stored.invoices)})"
        assert "To pay now:" in text(pilot, "#owed")
        assert "demo @ ecouflant" in app.sub_title

        await pilot.press("r")
        await until(pilot, lambda: any(NEEDS_THE_PORTAL in n for n in app.notices), "r said")

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the list")
        assert len(app.screen.table.rows) == len(stored.invoices)  # type: ignore[attr-defined]
        assert text(pilot, "#invoices-summary").startswith(mark)

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the invoice")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert text(pilot, "#as-of") == mark
        first = stored.invoices[0].invoice
        assert first.detail is not None
        groups = lines_by_person(first.detail.lines)  # a subtotal row per child, when several
        rows = len(first.detail.lines) + (len(groups) if len(groups) > 1 else 0)
        assert detail.query_one("#lines").row_count == rows  # type: ignore[attr-defined]
        for key in ("d", "o", "p", "r"):
            app.notices.clear()
            await pilot.press(key)
            await until(
                pilot, lambda: any(NEEDS_THE_PORTAL in n for n in app.notices), f"{key} said"
            )
        assert isinstance(app.screen, DetailScreen)  # no payment dialog
        assert app.context.opener.urls == [] and app.context.opener.files == []  # type: ignore[attr-defined]
        assert not (tmp_path / "downloads").exists()
    assert asked == []


async def test_offline_an_invoice_stored_without_its_detail_is_shown_as_it_is(
    mock_portal: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    await read_once(mock_portal, tmp_path, store)
    stored = store.load(mock_portal.base_url, "demo")
    assert stored is not None
    bare = [replace(i, detail=None) for i in stored.invoice_list()[:1]]
    keep_older(store, mock_portal.base_url, bare)
    asked: list[str] = []
    app = offline_app(mock_portal.base_url, tmp_path, store, asked)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the list")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the invoice")
        await pilot.pause(0.3)
        problem = app.screen.query_one("#problem")
        assert problem.message == ""  # type: ignore[attr-defined]
        assert not any(NEEDS_THE_PORTAL in n for n in app.notices)
    assert asked == []


def test_offline_with_nothing_stored_says_so_and_exits_1_before_the_screens(
    run: Any, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import espace_tui.tui.app as tui_app

    def never(options: RunOptions) -> int:
        raise AssertionError("the screens started")

    monkeypatch.setattr(tui_app, "run_tui", never)
    code, out, err = run("--portal", mock_portal.base_url, "--username", "demo", "--offline")
    assert (code, out) == (1, "")
    assert "Nothing was read yet for demo on ecouflant" in err


def test_offline_starts_the_screens_with_the_store_when_it_holds_the_account(
    run: Any, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import espace_tui.cli.commands as commands
    import espace_tui.tui.app as tui_app

    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    where = ["--portal", mock_portal.base_url, "--username", "demo"]
    assert run(*where, "invoices")[0] == 0  # an online run fills the store
    mock_portal.stop()
    assert run(*where, "invoices", "--offline")[0] == 0  # still the command's own option
    started: list[RunOptions] = []

    def screens(options: RunOptions) -> int:
        started.append(options)
        return 0

    monkeypatch.setattr(tui_app, "run_tui", screens)
    monkeypatch.setattr(commands, "_interactive", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert run(*where, "--offline")[0] == 0
    (options,) = started
    assert options.offline and (options.portal, options.username) == (
        mock_portal.base_url,
        "demo",
    )
    assert run(*where)[0] == 0
    assert not started[-1].offline


async def test_over_both_portals_the_stored_account_is_shown_offline_with_the_portal_stopped(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    app = make_app(
        portal.base_url,
        tmp_path,
        username=portal.username,
        password=portal.password,
        demo=False,
        store=store,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        await until(
            pilot,
            lambda: (s := store.load(portal.base_url, portal.username)) and s.invoices,
            "the store",
        )
    portal.server.stop()
    asked: list[str] = []
    app = offline_app(portal.base_url, tmp_path, store, asked, portal.username)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert text(pilot, "#as-of").startswith("Offline: as read on ")
        total, count = portal.owed()
        noun = "invoice" if count == 1 else "invoices"
        assert f"To pay now: {money(total)} ({count} {noun})" in text(pilot, "#owed")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the list")
        assert len(app.screen.table.rows) == len(portal.invoices)  # type: ignore[attr-defined]
    assert asked == []
