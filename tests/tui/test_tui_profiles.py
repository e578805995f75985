"""Several accounts on the screens: one palette command per profile switches to it (its login
form, filled; the keyring may log in at once), and "All profiles" shows what is owed on each,
as the store last read it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.widgets import Input, OptionList

from espace_tui.account import profiles as policy
from espace_tui.account.options import RunOptions
from espace_tui.local.credentials import store_password
from espace_tui.local.store import Store
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.screens.profiles import ProfilesScreen
from espace_tui.tui.texts import money
from support.tui import SIZE, FakeOpener, RecordingApp, make_app, to_pay, until


def two_profiles(home: Any, centre: Any) -> None:
    """`maison` on the demo portal, `centre` on another commune's."""
    profiles = policy.add(policy.load_profiles(), "maison", home.base_url, "demo")
    policy.add(profiles, "centre", centre.base_url, "demo")


def command(app: Any, title: str) -> Any:
    return next(c for c in app.get_system_commands(app.screen) if c.title == title)


async def logged_in(pilot: Any) -> None:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen), "the dashboard")
    await until(pilot, lambda: pilot.app.profiles.profiles, "the profiles read")


def first_found(app: Any) -> str:
    """The palette's first command for what was typed ("" while it searches)."""
    found = app.screen.query(CommandList)
    if not found or not found.first().option_count:
        return ""
    return str(found.first().get_option_at_index(0).prompt)


def form(app: Any) -> tuple[str, str, str]:
    return tuple(  # type: ignore[return-value]
        app.screen.query_one(f"#{name}", Input).value for name in ("portal", "username", "password")
    )


async def test_the_palette_switches_to_a_profile_through_its_login_form(
    make_mock: Any, tmp_path: Path
) -> None:
    home, centre = make_mock(), make_mock(commune="saint-herblain")
    two_profiles(home, centre)
    app = make_app(home.base_url, tmp_path, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        assert {"Profile: maison", "Profile: centre", "All profiles"} <= {
            c.title for c in app.get_system_commands(app.screen)
        }
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Profile: centre")
        await until(pilot, lambda: first_found(app).startswith("Profile: centre"), "the search")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login form")
        assert form(app) == (centre.base_url, "demo", "")
        assert not app.session.logged_in
        assert home.stats.requests_by_path["Home/LogOff"] == 1  # logged out of the other
        await pilot.press(*"demo", "enter")  # the password (focused), then Enter
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "its dashboard")
        assert app.session.base_url == centre.base_url
        assert "saint-herblain" in app.sub_title


async def test_a_profile_whose_password_is_kept_logs_in_at_once(
    make_mock: Any, tmp_path: Path
) -> None:
    home, centre = make_mock(), make_mock(commune="saint-herblain")
    two_profiles(home, centre)
    store_password(centre.base_url, "demo", "demo")
    app = make_app(home.base_url, tmp_path, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)
        command(app, "Profile: centre").callback()
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, DashboardScreen) and app.session.base_url == centre.base_url
            ),
            "the other account's dashboard",
        )
        assert len(app.screen_stack) == 2


async def test_all_profiles_says_what_is_owed_on_each_and_enter_switches(
    make_mock: Any, tmp_path: Path
) -> None:
    home, centre = make_mock(), make_mock(commune="saint-herblain")
    two_profiles(home, centre)
    today = date.today()
    app = make_app(home.base_url, tmp_path, demo=False, today=today)
    async with app.run_test(size=SIZE) as pilot:
        await logged_in(pilot)  # `maison` is read (and stored); `centre` never was
        await until(pilot, lambda: Store().load(home.base_url, "demo"), "the store")
        await pilot.press("a")  # from the dashboard (the palette's "All profiles" too, below)
        await until(pilot, lambda: isinstance(app.screen, ProfilesScreen), "all profiles")
        view = app.screen.query_one("#profiles-view", OptionList)
        await until(pilot, lambda: "\n" in str(view.get_option_at_index(1).prompt), "read")
        maison, other = (str(view.get_option_at_index(n).prompt) for n in range(2))
        total, count = to_pay(home.invoices())
        assert maison.startswith("maison — demo @ ecouflant")
        assert f"To pay now: {money(total)} ({count} invoices)" in maison
        overdue = sum(1 for i in home.invoices() if i.status.to_pay and i.due < today)
        if overdue:
            assert "overdue" in maison
        assert "Updated on " in maison
        assert other.startswith("centre — demo @ saint-herblain")
        assert other.endswith("never read")

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back")
        command(app, "All profiles").callback()
        await until(pilot, lambda: isinstance(app.screen, ProfilesScreen), "all profiles")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "centre's form")
        assert form(app) == (centre.base_url, "demo", "")


async def read_online(portal: Any, tmp_path: Path) -> None:
    app = make_app(portal.base_url, tmp_path, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: Store().load(portal.base_url, "demo"), "the store")


async def test_offline_a_profile_shows_its_stored_account(make_mock: Any, tmp_path: Path) -> None:
    home, centre = make_mock(), make_mock(commune="saint-herblain")
    two_profiles(home, centre)
    for portal in (home, centre):
        await read_online(portal, tmp_path)
        portal.stop()
    options = RunOptions(
        portal=home.base_url,
        username="demo",
        password=None,
        download_dir=tmp_path,
        language="en",
        offline=True,
    )
    app = RecordingApp(options, portal_factory=lambda url: None, opener=FakeOpener())  # type: ignore[arg-type, return-value]
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await until(pilot, lambda: app.profiles.profiles, "the profiles read")
        command(app, "Profile: centre").callback()
        await until(pilot, lambda: "saint-herblain" in app.sub_title, "centre's stored account")
        assert isinstance(app.screen, DashboardScreen)
        assert "Offline: as read on" in str(app.screen.query_one("#as-of").content)  # type: ignore[attr-defined]
