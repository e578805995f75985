"""Every profile together: what is owed on each, as the store last read it; Enter switches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.account.owed import Owed, owed
from espace_tui.account.portals import base_url_for, commune_of
from espace_tui.account.profiles import Profile, Profiles
from espace_tui.account.services import Store, open_store
from espace_tui.core.errors import EspaceError
from espace_tui.core.formats import format_datetime
from espace_tui.core.i18n import _, ngettext
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal, literal_markup
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.texts import money
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar


@dataclass(frozen=True, slots=True)
class ProfileOwed:
    """What is owed on one profile's account, as read at `read_at`."""

    owed: Owed
    read_at: datetime


def read_owed(store: Store, profile: Profile, today: date) -> ProfileOwed | None:
    """What the store says is owed on the profile's account; None when it was never read (or
    its portal, written by hand, is no portal)."""
    try:
        stored = store.load(base_url_for(profile.portal), profile.username)
    except EspaceError:
        return None
    if stored is None:
        return None
    return ProfileOwed(owed(stored.invoice_list(), today), stored.read_at)


class ProfilesScreen(EspaceScreen):
    """One line per profile with what is owed there; Enter posts `Switch`."""

    DEFAULT_CSS = """
    ProfilesScreen #profiles-view {
        padding: 1 2;
        height: 1fr;
    }
    ProfilesScreen #profiles-empty {
        padding: 1 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = []

    @dataclass
    class Switch(Message):
        """Go to this profile's account."""

        profile: Profile

    def __init__(self, context: ScreenContext, profiles: Profiles, store: Store | None) -> None:
        super().__init__(context)
        self.profiles = profiles
        self._store = store
        self._owed: dict[str, ProfileOwed | None] | None = None
        """Each profile's stored account (None until read)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="profiles-empty")
        yield OptionList(id="profiles-view", classes="busy-target")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self.query_one("#profiles-view", OptionList).focus()
        self.redraw()
        self.set_busy(True)
        self.read_stored()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "refresh":
            return False  # what is shown is the store's: the dashboard of a profile refreshes
        return super().check_action(action, parameters)

    @work(thread=True, exclusive=True, group="stored", exit_on_error=False)
    def read_stored(self) -> None:
        store, today = self._store or open_store(), self.today()
        found = {name: read_owed(store, p, today) for name, p in self.profiles.profiles.items()}
        self.app.call_from_thread(self._read, found)

    def _read(self, found: dict[str, ProfileOwed | None]) -> None:
        self._owed = found
        self.set_busy(False)
        self._show()

    def redraw(self) -> None:
        self.title = _("All profiles")
        super().redraw()
        self._show()

    def _show(self) -> None:
        empty = self.query_one("#profiles-empty", Static)
        empty.display = not self.profiles.profiles
        empty.update(
            literal(
                _(
                    "No profiles yet: espace-tui --commune ecouflant --username NAME "
                    "profiles add HOME"
                )
            )
        )
        view = self.query_one("#profiles-view", OptionList)
        highlighted = view.highlighted
        view.clear_options()
        for number, profile in enumerate(self.profiles.profiles.values()):
            if number:
                view.add_option(None)  # a line between two profiles
            view.add_option(Option(self._line(profile), id=f"profile-{number}"))
        if view.option_count:
            view.highlighted = min(highlighted or 0, view.option_count - 1)

    def _line(self, profile: Profile) -> Content:
        # The profile's name and username are the user's words: shown as they are.
        head = literal_markup(
            "[b]$name[/b] — $who",
            name=profile.name,
            who=f"{profile.username} @ {commune_of(profile.portal)}",
        )
        if self._owed is None:
            return head
        stored = self._owed.get(profile.name)
        if stored is None:
            return head + literal("\n  ") + literal_markup("[dim]$text[/]", text=_("never read"))
        summary = stored.owed
        if summary.count == 0:
            text = _("Nothing to pay: every invoice is settled.")
        else:
            text = ngettext(
                "To pay now: {total} ({count} invoice)",
                "To pay now: {total} ({count} invoices)",
                summary.count,
            ).format(total=money(summary.total), count=summary.count)
        line = head + literal("\n  " + text)
        if summary.overdue:
            overdue = ngettext(
                "{count} invoice is overdue.", "{count} invoices are overdue.", summary.overdue
            ).format(count=summary.overdue)
            line += literal(" · ") + literal_markup("[b $error]$text[/]", text=overdue)
        when = _("Updated on {date}").format(date=format_datetime(stored.read_at))
        return line + literal("\n  ") + literal_markup("[dim]$text[/]", text=when)

    @on(OptionList.OptionSelected, "#profiles-view")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        names = list(self.profiles.profiles)
        number = int((event.option.id or "profile-0").removeprefix("profile-"))
        if 0 <= number < len(names):
            self.post_message(self.Switch(self.profiles.profiles[names[number]]))
