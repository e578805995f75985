"""The portal's words are hostile input: every screen shows them as they are, never as markup
(no crash on `[/]`, no click action, no link, brackets kept), and no control character of theirs
reaches the terminal."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast

import espace_tui.tui
from espace_tui.tui.safe import literal, literal_markup, literal_text
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.screens.detail import DetailScreen
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.invoices import InvoicesScreen
from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.screens.pay import PayScreen
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.hostile_tui import (
    BASE_URL,
    DAY,
    FORBIDDEN,
    HOSTILE,
    LITERALS,
    HostilePortal,
    hostile,
    hostile_portal,
    payment_url,
    screen_lines,
    shown,
    unsafe_segments,
    visible,
    words,
)
from support.tui import FakeOpener, make_app, until

WIDE = (320, 50)
"""Wide enough for a hostile field on one line (the pay dialog wraps; `shown` joins its lines)."""


def expected(tag: str) -> str:
    """What a field filled with `hostile(tag)` must show."""
    return words(visible(hostile(tag)))


def widget(app: App[Any], selector: str) -> Widget:
    return app.screen.query_one(selector)


def check(app: App[Any], screen: type[Screen[Any]], *, links: frozenset[str] = frozenset()) -> None:
    """The app survived, shows `screen`, and nothing on screen would make the terminal act."""
    assert app.is_running and app.return_code is None
    assert isinstance(app.screen, screen), type(app.screen).__name__
    assert unsafe_segments(app, links) == []


def toasts(app: App[Any]) -> str:
    """The text of every notification shown."""
    return " ".join(shown(app, toast) for toast in app.screen.query(Toast))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def walk_login(pilot: Pilot[Any], portals: list[HostilePortal]) -> None:
    """Maintenance, then a refusal, each in the site's words under the form; then in."""
    await pilot.pause()
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: bool(portals), "the portal client")
    await until(pilot, lambda: app.screen.query_one("#problem").display, "the maintenance")
    await settle(pilot)
    assert shown(app, widget(app, "#problem-message")) == (
        f"The portal is in maintenance: “{expected('maintenance:')}”"
    )
    check(app, LoginScreen)

    portal = portals[-1]
    await pilot.click("#problem-retry")
    await until(pilot, lambda: portal.logins == 2, "the second login")
    await settle(pilot)
    assert shown(app, widget(app, "#problem-message")) == expected("refused:")
    check(app, LoginScreen)

    await pilot.click("#login")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    await settle(pilot)


async def walk_dashboard(pilot: Pilot[Any]) -> None:
    app = pilot.app
    check(app, DashboardScreen)
    assert shown(app, widget(app, "#greeting")) == expected("greeting:")
    assert shown(app, widget(app, "#last-connection")) == expected("last:")
    assert shown(app, widget(app, "#family")) == f"Family: {expected('member:')}, Léa"
    regies = shown(app, widget(app, "#regies"))
    assert f"{expected('regie:')}: 1 invoice, 1 to pay (23,20 €)" in regies
    assert f"{expected('regieb:')}: 1 invoice, 0 to pay (0,00 €)" in regies

    # Clicking the words the site wrote as an action does nothing.
    line = next(t for t in screen_lines(app) if t.lstrip().startswith("greeting:"))
    greeting = widget(app, "#greeting").region
    column = line.index("[@click=app.quit]Z") + len("[@click=app.quit]")
    await pilot.click(offset=(column, greeting.y))
    await pilot.pause()
    check(app, DashboardScreen)


async def walk_list(pilot: Pilot[Any]) -> None:
    """Open the first régie's list from its line (the filter names the hostile régie)."""
    app = pilot.app
    app.screen.query_one("#regies").focus()  # the click above focused the scroll area
    await pilot.press("down", "enter")
    await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the invoice list")
    await settle(pilot)
    check(app, InvoicesScreen)
    assert shown(app, widget(app, "#query-state")) == f"régie: {expected('regie:')}"
    table = app.screen.query_one(InvoiceTable)
    row = screen_lines(app)[table.region.y + 1]
    assert visible(hostile("period:"))[:13] + "…" in row
    assert visible(hostile("regie:")) in row
    assert "Non payée" in row


async def walk_detail(pilot: Pilot[Any], *, tag: str) -> None:
    """The detail of the list's first invoice: title, facts, advice, lines."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail")
    await settle(pilot)
    check(app, DetailScreen)
    header = shown(app, widget(app, "Header"))
    if tag == "title:":
        assert expected("title:") in header
        assert shown(app, widget(app, "#detail-title")) == expected("title:")
        facts = shown(app, widget(app, "#facts"))
        for field in ("no:", "period:", "regie:", "payer:", "mode:"):
            assert expected(field) in facts
        lines = shown(app, app.screen.query_one("#lines", DataTable))
        assert expected("who:") in lines and expected("what:") in lines
    else:
        assert f"Invoice {expected('nob:')}" in header
        assert expected("state:") in shown(app, widget(app, "#facts"))
        assert expected("state:") in shown(app, widget(app, "#advice"))


async def walk_pdf(pilot: Pilot[Any], downloads: Path) -> None:
    """A refused download told in the site's words; then a saved one, under a name made of the
    invoice's hostile number, told as it is."""
    app = pilot.app
    for attempt in ("refused", "saved"):
        await pilot.press("d")
        await until(pilot, lambda: app.screen.query(Toast), f"the {attempt} notification")
        await settle(pilot)
        check(app, DetailScreen)
        told = toasts(app)
        if attempt == "refused":
            assert expected("pdf:") in told
        else:
            (saved,) = downloads.glob("*.pdf")
            assert "[midi]" in saved.name  # the file name kept the brackets, the toast too
            assert f"Saved:{visible(str(saved))}".replace(" ", "") in told.replace(" ", "")
        app.clear_notifications()
        await pilot.pause()


async def walk_pay(pilot: Pilot[Any], portal: HostilePortal, opener: FakeOpener) -> None:
    """The payment dialog, its confirmation and its fallback (link, copy, QR code)."""
    app = pilot.app
    await pilot.press("p")
    await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment dialog")
    await settle(pilot)
    url = payment_url()
    assert portal.payment_urls == [url]
    check(app, PayScreen)
    dialog = shown(app, widget(app, "#pay-dialog"))
    assert f"Invoice {expected('no:')} · {expected('period:')}" in dialog
    for field in ("ref:", "obj:", "no:", "regie:"):
        assert expected(field) in dialog

    await pilot.press("enter")
    await until(pilot, lambda: app.screen.has_class("-fallback"), "the fallback")
    await settle(pilot)
    assert opener.urls == [url]
    check(app, PayScreen, links=frozenset({url}))
    assert f"23,20 € · reference {expected('ref:')}" in shown(app, widget(app, "#pay-reminder"))
    assert url in shown(app, widget(app, "#pay-link")).replace(" ", "")

    await pilot.press("c")
    await pilot.pause()
    assert app.clipboard == url
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, DetailScreen), "back to the detail")
    await settle(pilot)
    check(app, DetailScreen)


async def test_every_screen_shows_the_sites_words_as_they_are(tmp_path: Path) -> None:
    portals: list[HostilePortal] = []

    def factory(base_url: str) -> HostilePortal:
        portals.append(hostile_portal(base_url))
        return portals[-1]

    opener = FakeOpener(answer=False)
    app = make_app(BASE_URL, tmp_path, portal_factory=factory, opener=opener, today=DAY)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await walk_login(pilot, portals)
        await walk_dashboard(pilot)
        await walk_list(pilot)
        await walk_detail(pilot, tag="title:")
        await walk_pdf(pilot, tmp_path)
        await walk_pay(pilot, portals[-1], opener)

        # The other régie's invoice: an unknown state in the site's words.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InvoicesScreen), "the list again")
        await pilot.press("g")
        await settle(pilot)
        assert shown(app, widget(app, "#query-state")) == f"régie: {expected('regieb:')}"
        check(app, InvoicesScreen)
        await walk_detail(pilot, tag="nob:")

        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(pilot)
        check(app, DashboardScreen)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        check(app, HelpScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        check(app, DashboardScreen)
    assert app.return_code is None  # nothing quit the app: only the test's end closed it


# -- the helper -----------------------------------------------------------------------------


def test_literal_shows_markup_as_typed_and_no_control_character() -> None:
    content = literal(HOSTILE)
    assert isinstance(content, Content)
    assert content.plain == visible(HOSTILE)
    assert content.spans == []  # no bold, no action, no link: nothing was parsed
    assert not FORBIDDEN.search(content.plain)
    for text in LITERALS:
        assert text in content.plain


def test_literal_keeps_line_breaks_and_tabs_and_applies_only_the_given_style() -> None:
    content = literal("a\tb\nc [b]d[/b]", "bold")
    assert content.plain == "a\tb\nc [b]d[/b]"
    assert [(span.start, span.end, str(span.style)) for span in content.spans] == [
        (0, len(content.plain), "bold")
    ]
    assert literal("") == Content("")


def test_literal_markup_fills_our_template_with_the_sites_words_as_they_are() -> None:
    content = literal_markup("[b]$title[/b] and $rest", title=HOSTILE, rest="[i]x[/i]")
    assert content.plain == f"{visible(HOSTILE)} and [i]x[/i]"
    bold = [span for span in content.spans if str(span.style) == "b"]
    assert [(span.start, span.end) for span in bold] == [(0, len(visible(HOSTILE)))]
    assert all("@click" not in str(span.style) for span in content.spans)


def test_literal_text_is_a_rich_text_for_rich_tables() -> None:
    text = literal_text(HOSTILE, style="bold", justify="right")
    assert isinstance(text, Text)
    assert text.plain == visible(HOSTILE)
    assert text.spans == [] and str(text.style) == "bold" and text.justify == "right"


@pytest.mark.parametrize("value", ["[/]", "[bold]", "[@click=app.quit]x[/]", "\x1b[2J"])
async def test_a_static_given_literal_never_parses(value: str) -> None:
    class One(App[None]):
        def compose(self) -> Any:
            yield Static(literal(value), id="one")

    app = One()
    async with app.run_test(size=(40, 3)):
        assert app.is_running
        assert screen_lines(app)[0].rstrip() == visible(value)
        assert unsafe_segments(app) == []


async def test_the_check_sees_an_action_a_link_and_a_control_character() -> None:
    """What `unsafe_segments` looks for, it finds: the walk's silence means something."""

    class Obeying(App[None]):
        def compose(self) -> Any:
            yield Static(
                Content.from_markup("[@click=app.quit]Z[/] [link='https://evil.example']L[/]")
                + Content("\x1b[2J")
            )

    app = Obeying()
    async with app.run_test(size=(40, 3)):
        found = unsafe_segments(app)
    assert [problem.split(": ")[1].split()[0] for problem in found] == [
        "action",
        "link",
        "control",
    ]


def test_every_notification_of_the_tui_goes_through_the_safe_helper() -> None:
    """Textual reads a notification as markup by default: the screens call `safe.notify`."""
    package = Path(espace_tui.tui.__file__).parent
    direct = [
        f"{path.relative_to(package)}:{node.lineno}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "safe.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "notify"
    ]
    assert direct == []
