"""The app: given its portal factory, opener, keyring and clock; it moves between screens.

Screens post what the user asked (`LoggedIn`, `OpenInvoices`, `OpenInvoice`, `Pay`); the app
answers by pushing the next screen: no screen pushes another. The network is awaited in the
screens' workers through the `AccountSession`, which the app owns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.content import Content
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from espace_tui.account.options import RunOptions
from espace_tui.account.portals import PortalFactory, commune_of, real_portal
from espace_tui.account.profiles import Profile, Profiles, load_profiles
from espace_tui.account.services import (
    Credentials,
    FileSettings,
    KeyringCredentials,
    Opener,
    SettingsStore,
    Store,
    SystemOpener,
    open_store,
)
from espace_tui.account.session import AccountSession, KeyringAnswer, Snapshot
from espace_tui.account.stored import nothing_stored
from espace_tui.core.i18n import LANGUAGES, N_, _, current_language, set_language
from espace_tui.core.model import Invoice
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.problems import problem_for
from espace_tui.tui.safe import notify, plain
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.screens.login import LoginForm, LoginScreen, portal_text
from espace_tui.tui.translate import translate_bindings

if TYPE_CHECKING:
    from espace_tui.tui.screens.dashboard import DashboardScreen
    from espace_tui.tui.screens.detail import DetailScreen
    from espace_tui.tui.screens.help import HelpScreen
    from espace_tui.tui.screens.invoices import InvoicesScreen
    from espace_tui.tui.screens.pay import PayScreen
    from espace_tui.tui.screens.profiles import ProfilesScreen


def load_screens() -> None:
    """Import the screens that come after the login form: once it is painted (they are a good
    part of the start: the list, the QR code of the payment...), or when one is first needed,
    whichever comes first. Until then their names are not bound in this module."""
    global DashboardScreen, DetailScreen, HelpScreen, InvoicesScreen, PayScreen, ProfilesScreen
    if "ProfilesScreen" in globals():
        return
    from espace_tui.tui.screens.dashboard import DashboardScreen
    from espace_tui.tui.screens.detail import DetailScreen
    from espace_tui.tui.screens.help import HelpScreen
    from espace_tui.tui.screens.invoices import InvoicesScreen
    from espace_tui.tui.screens.pay import PayScreen
    from espace_tui.tui.screens.profiles import ProfilesScreen


LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language named in itself, so it can be found whatever the current language."""

TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""The words of Textual's own palette commands (its "Quit" is ours too), marked for the catalog
and translated in `get_system_commands`."""

SEARCH_COMMANDS = N_("Search for commands…")
SEARCH_THEMES = N_("Search for themes…")
"""The palette's placeholders, which Textual writes in English."""


class EspaceApp(App[int]):
    """espace-tui's screens over one portal session."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "Espace Citoyens"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", N_("Help"), id="help"),
        Binding("q", "quit", N_("Quit"), id="quit"),
    ]

    def __init__(
        self,
        options: RunOptions,
        *,
        portal_factory: PortalFactory,
        opener: Opener | None = None,
        credentials: Credentials | None = None,
        settings: SettingsStore | None = None,
        today: Callable[[], date] | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.credentials = credentials or KeyringCredentials()
        self.settings = settings or FileSettings()
        self.session = AccountSession(
            portal_factory,
            credentials=self.credentials,
            settings=self.settings,
            download_dir=options.download_dir,
            remember=options.remember and not options.demo,
            # What is read is kept for the next start and for --offline (never the demo's).
            store=store if store is not None else None if options.demo else open_store(),
        )
        self.refreshing = False
        """A dashboard shown from the store is being read again from the portal."""
        self._explicit_password = bool(options.password)
        """The form holds a password given explicitly (the demo's, $ESPACE_TUI_PASSWORD): the
        keyring's is not used instead. Not for another profile's form."""
        self.profiles = Profiles()
        """The profiles (read in a thread at mount), one palette command each."""
        self.context = ScreenContext(self.session, today or date.today, opener or SystemOpener())
        self._keyring: KeyringAnswer | None = None
        """What the keyring said at start (None: not yet)."""
        self._remembering = False
        """Theme changes are kept in the settings (from mount on, and never in the demo)."""
        self._apply_remembered()
        translate_bindings(self)

    def _apply_remembered(self) -> None:
        """The theme and the language chosen in an earlier run (`--lang` wins)."""
        if self.options.demo:
            return
        remembered = self.settings.load()
        if remembered.theme and remembered.theme in self.available_themes:
            self.theme = remembered.theme
        if remembered.language and not self.options.language_chosen:
            set_language(remembered.language)

    def watch_theme(self, theme: str) -> None:
        if self._remembering:
            self._remember_display(theme=theme)

    def _remember_display(self, **choice: str) -> None:
        try:
            self.settings.remember_display(**choice)
        except OSError as error:  # a read-only config folder: the choice holds for this run
            problem = problem_for(error)
            notify(self, problem.message, severity="warning", timeout=10)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The Header's words, shown as they are (Textual does not read them as markup) without
        their control characters: a screen's title can be the site's (an invoice's title)."""
        return super().format_title(plain(title), plain(sub_title))

    def on_mount(self) -> None:
        self._remembering = not self.options.demo
        if self.options.offline:  # the store alone: no login, no network
            load_screens()
            self.read_profiles()
            self.open_offline(self.options.portal or "", self.options.username or "")
            return
        # The form is painted first; then the other screens are imported, and the profiles
        # read and the keyring asked in threads (it may take seconds to answer, or never):
        # started before the first paint, they would compete with it. The form is told what
        # the keyring said.
        form = self.login_form()
        self.push_screen(LoginScreen(self.context, form))
        self.call_after_refresh(self._after_first_paint, form)

    def _after_first_paint(self, form: LoginForm) -> None:
        self.read_profiles()
        if form.offer_remember:
            self.ask_keyring(self.options.portal or form.portal, form.username)
        load_screens()

    @work(thread=True, exclusive=True, group="profiles", exit_on_error=False)
    def read_profiles(self) -> None:
        self.profiles = load_profiles()

    @work(exclusive=True, group="offline", exit_on_error=False)
    async def open_offline(self, portal: str, username: str) -> None:
        """`--offline`: the dashboard of what the store holds for the account."""
        load_screens()
        snapshot = await asyncio.to_thread(self.session.open_offline, portal, username)
        if snapshot is None:
            message = nothing_stored(portal, username)
            if isinstance(self.screen, EspaceScreen):  # a profile with nothing stored
                notify(self, message, severity="warning", timeout=10)
            else:  # at start (the command line checked, but the store changed since)
                self.exit(return_code=1, message=message)
            return
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        self.sub_title = self.session.label
        if isinstance(self.screen, DashboardScreen):
            self.screen.redraw()
        elif len(self.screen_stack) > 1:
            await self.switch_screen(DashboardScreen(self.context))
        else:
            await self.push_screen(DashboardScreen(self.context))

    @work(thread=True, exclusive=True, group="keyring", exit_on_error=False)
    def ask_keyring(self, portal: str, username: str) -> KeyringAnswer:
        return self.session.ask_keyring(portal, username)

    @on(Worker.StateChanged)
    def _keyring_answered(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "keyring" or event.state is not WorkerState.SUCCESS:
            return
        answer = worker.result
        if not isinstance(answer, KeyringAnswer):
            return
        self._keyring = answer
        if answer.problem:
            notify(self, answer.problem, severity="warning", timeout=10)
        screen = self.screen
        if isinstance(screen, LoginScreen):
            password = None if self._explicit_password else answer.password
            screen.keyring_answered(answer.available, password)

    def login_form(self) -> LoginForm:
        """The login form's first values (what the keyring says comes later: `ask_keyring`)."""
        options = self.options
        portal, username = options.portal, options.username
        if portal is None and not options.demo:
            remembered = self.settings.load()
            portal = remembered.portal
            username = username or remembered.username
        known = self._keyring
        return LoginForm(
            portal=portal_text(portal),
            username=username or "",
            password=options.password or "",
            keyring_available=self.session.remember and (known is None or known.available),
            offer_remember=self.session.remember,
        )

    # -- navigation ---------------------------------------------------------------------

    def on_login_screen_logged_in(self, event: LoginScreen.LoggedIn) -> None:
        load_screens()
        self.sub_title = self.session.label
        from_store = self.session.read_at is not None
        self.refreshing = from_store  # before the dashboard is drawn: its mark says so
        self.switch_screen(DashboardScreen(self.context))
        if event.warning:
            notify(self, event.warning, severity="warning", timeout=10)
        if from_store:
            self.refresh_in_background()
        else:
            self.load_details()

    @work(exclusive=True, group="background", exit_on_error=False)
    async def refresh_in_background(self) -> None:
        """Read the portal again under a dashboard shown from the store: what is shown stays
        usable meanwhile, and the screen shown follows when the portal answers."""
        self.refreshing = True
        try:
            await self.session.refresh()
        finally:
            self.refreshing = False
            self._show_current()
        self.load_details()

    def _show_current(self) -> None:
        snapshot, screen = self.session.snapshot, self.screen
        # A screen not mounted yet draws the snapshot itself when it is.
        if snapshot is not None and isinstance(screen, EspaceScreen) and screen.is_mounted:
            screen.show_snapshot(snapshot)

    def on_espace_screen_loaded(self) -> None:
        self.load_details()

    @work(exclusive=True, group="details", exit_on_error=False)
    async def load_details(self) -> None:
        """Complete a long list's details in the background; the screen shown follows."""
        snapshot = self.session.snapshot
        if snapshot is None or snapshot.complete:
            return

        def show(snapshot: Snapshot) -> None:
            if isinstance(self.screen, EspaceScreen):
                self.screen.show_snapshot(snapshot)

        await self.session.load_details(show)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (the details, the refresh in the background) failed: told on
        the screen shown, with a retry; what was shown stays."""
        error, group = event.worker.error, event.worker.group
        if event.state is not WorkerState.ERROR or error is None:
            return
        retries: dict[str, Callable[[], object]] = {
            "details": self.load_details,
            "background": self.refresh_in_background,
        }
        if group == "offline":
            problem = problem_for(error)
            if isinstance(self.screen, EspaceScreen):  # a profile's stored account
                notify(self, problem.message, severity="warning", timeout=10)
            else:  # at start: there is nothing else to show
                self.exit(return_code=1, message=problem.message)
            return
        if group not in retries:
            return
        if isinstance(self.screen, EspaceScreen):
            self.screen.report(error, retry=retries[group])
        else:  # a dialog is open: say it there, the screen below stays as it was
            problem = problem_for(error)
            notify(self, problem.message, severity=problem.severity, timeout=10)

    def on_profiles_screen_switch(self, event: ProfilesScreen.Switch) -> None:
        self.switch_profile(event.profile)

    def on_dashboard_screen_open_invoices(self, event: DashboardScreen.OpenInvoices) -> None:
        self.push_screen(InvoicesScreen(self.context, regie=event.regie))

    def on_dashboard_screen_open_profiles(self) -> None:
        self.show_profiles()

    def on_dashboard_screen_open_chart(self) -> None:
        self.show_chart()

    def show_chart(self) -> None:
        """The twelve months' chart (dashboard key `c`, palette: Chart)."""
        # Imported when asked for: the start-up does not pay for a screen seldom opened.
        from espace_tui.tui.screens.chart import ChartScreen

        if not isinstance(self.screen, ChartScreen):
            self.push_screen(ChartScreen(self.context))

    def on_dashboard_screen_open_planning(self) -> None:
        self.show_planning()

    def show_planning(self) -> None:
        """The week's planning (dashboard key `b`, palette: Planning)."""
        # Imported when asked for: the start-up does not pay for a screen seldom opened.
        from espace_tui.tui.screens.planning import PlanningScreen

        if not isinstance(self.screen, PlanningScreen):
            self.push_screen(PlanningScreen(self.context))

    def on_invoices_screen_open_invoice(self, event: InvoicesScreen.OpenInvoice) -> None:
        self.push_screen(DetailScreen(self.context, event.invoice_id))

    def on_detail_screen_pay(self, event: DetailScreen.Pay) -> None:
        detail = self.screen if isinstance(self.screen, DetailScreen) else None
        invoice_id = event.invoice.id

        async def check() -> Invoice:
            return await self.session.reload_invoice(invoice_id)

        self.push_screen(
            PayScreen(event.invoice, event.url, opener=self.context.opener, check=check),
            callback=detail.paid if detail is not None else None,
        )

    def on_app_focus(self) -> None:
        """The terminal has the focus again, as when the user comes back from PayFiP in the
        browser: a payment under way is checked on the portal at once (as `r` does)."""
        if "PayScreen" not in globals():  # focus came back before any screen but the login's
            return
        screen = self.screen
        if isinstance(screen, PayScreen):
            screen.action_check()
        elif isinstance(screen, DetailScreen) and screen.paying:
            screen.reload()

    def action_help(self) -> None:
        load_screens()
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- command palette ----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Refresh and log out (once logged in), one command per other language, then
        Textual's own commands in the current language."""
        if self.session.logged_in and isinstance(screen, EspaceScreen):
            yield SystemCommand(
                _("Refresh"), _("Load everything again from the portal"), screen.action_refresh
            )
            yield SystemCommand(
                _("Log out"), _("End the session and go back to the login form"), self.log_out
            )
            # planning: the Planning screen's command goes here (tui/screens/planning.py)
            yield SystemCommand(
                _("Planning"),
                _("The children's bookings of the week: canteen, after school, holiday centre"),
                self.show_planning,
            )
            # per child: the invoice list's child filter command goes here
            if InvoicesScreen.children_named(self.context):
                yield SystemCommand(
                    _("Next child"),
                    _("Show the invoices of the next child named on them (then everyone's)"),
                    lambda: InvoicesScreen.next_child(self, self.context),
                )
            # chart: the twelve months' chart command goes here (tui/screens/chart.py)
            yield SystemCommand(
                _("Chart"),
                _("What was invoiced each month over the last twelve months, per régie"),
                self.show_chart,
            )
        for language in LANGUAGES:
            if language != current_language():
                name = LANGUAGE_NAMES.get(language, language)

                async def switch(language: str = language) -> None:
                    await self.switch_language(language)

                yield SystemCommand(
                    _("Language: {name}").format(name=name),
                    _("Show espace-tui in {language}").format(language=name),
                    switch,
                )
        yield from self._profile_commands()
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def _profile_commands(self) -> Iterable[SystemCommand]:
        """One command per profile (switch to it), and every profile's dashboard."""
        for profile in self.profiles.profiles.values():
            where = {"username": profile.username, "commune": commune_of(profile.portal)}
            if self.options.offline:
                what = _("Show what was last read for {username} on {commune}").format(**where)
            else:
                what = _("Log out, then log in as {username} on {commune}").format(**where)

            def switch(profile: Profile = profile) -> None:
                self.switch_profile(profile)

            yield SystemCommand(_("Profile: {name}").format(name=profile.name), what, switch)
        if self.profiles.profiles:
            yield SystemCommand(
                _("All profiles"),
                _("What is owed on each profile, as last read"),
                self.show_profiles,
            )

    def show_profiles(self) -> None:
        load_screens()
        if not isinstance(self.screen, ProfilesScreen):
            self.push_screen(ProfilesScreen(self.context, self.profiles, self.session.store))

    @work(exclusive=True, group="switch", exit_on_error=False)
    async def switch_profile(self, profile: Profile) -> None:
        """Go to a profile's account: offline, what the store holds for it; else log out and
        open the login form filled with its portal and username (a password kept in the keyring
        logs in at once)."""
        if self.options.offline:
            self.open_offline(profile.portal, profile.username)
            return
        self.workers.cancel_group(self, "details")
        self.workers.cancel_group(self, "background")
        self.refreshing = False
        await self.session.logout()
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        form = LoginForm(
            portal=portal_text(profile.portal),
            username=profile.username,
            keyring_available=self.session.remember
            and (self._keyring is None or self._keyring.available),
            offer_remember=self.session.remember,
        )
        self.sub_title = ""
        self._explicit_password = False
        await self.switch_screen(LoginScreen(self.context, form))
        if form.offer_remember:
            self.ask_keyring(profile.portal, profile.username)

    def action_command_palette(self) -> None:
        """Textual's palette, its placeholder in the current language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_(SEARCH_COMMANDS)))

    def search_themes(self) -> None:
        """The palette's theme list (command "Theme"), its placeholder in the current language."""
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_(SEARCH_THEMES)))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit: say, in the current language, which key does."""
        keys = [
            (key, active.binding)
            for key, active in self.active_bindings.items()
            if active.binding.action in ("quit", "app.quit")
        ]
        if not keys:
            return
        # `q` where it quits; in a text field it is a letter: name Ctrl+Q there.
        wanted = "ctrl+q" if isinstance(self.focused, Input) else "q"
        _key, binding = next(((k, b) for k, b in keys if k == wanted), keys[0])
        notify(
            self,
            _("Do you want to quit? Press {key} to quit espace-tui.").format(
                key=self.get_key_display(binding)
            ),
        )

    async def log_out(self) -> None:
        """End the session and go back to the login form (palette: Log out)."""
        self.workers.cancel_group(self, "details")
        self.workers.cancel_group(self, "background")
        self.refreshing = False
        await self.session.logout()
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        form = self.login_form()
        await self.switch_screen(LoginScreen(self.context, form.without_password()))
        self.sub_title = ""
        notify(self, _("Logged out."))

    async def switch_language(self, language: str) -> None:
        """Show every screen in `language` at once (palette: Language)."""
        set_language(language)
        if self._remembering:
            self._remember_display(language=language)
        translate_bindings(self)
        for screen in self.screen_stack:
            if isinstance(screen, EspaceScreen):
                await screen.retranslate()
        self.refresh_bindings()

    async def on_unmount(self) -> None:
        # Log off politely; never hangs (the session bounds it) nor fails the exit.
        await self.session.logout()


def run_tui(options: RunOptions) -> int:
    """`espace-tui` without a command: run the app against the real portal client."""
    app = EspaceApp(options, portal_factory=real_portal)
    app.run()
    return app.return_code or 0
