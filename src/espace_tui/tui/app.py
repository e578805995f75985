"""The app: given its portal factory, opener, keyring and clock; it moves between screens.

Screens post what the user asked (`LoggedIn`, `OpenInvoices`, `OpenInvoice`, `Pay`); the app
answers by pushing the next screen: no screen pushes another. The network is awaited in the
screens' workers through the `AccountSession`, which the app owns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from espace_tui.account.options import RunOptions
from espace_tui.account.portals import PortalFactory, real_portal
from espace_tui.account.services import (
    Credentials,
    FileSettings,
    KeyringCredentials,
    Opener,
    SettingsStore,
    SystemOpener,
)
from espace_tui.account.session import AccountSession, KeyringAnswer, Snapshot
from espace_tui.core.i18n import LANGUAGES, N_, _, current_language, set_language
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.problems import problem_for
from espace_tui.tui.safe import notify, plain
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.screens.detail import DetailScreen
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.invoices import InvoicesScreen
from espace_tui.tui.screens.login import LoginForm, LoginScreen, portal_text
from espace_tui.tui.screens.pay import PayScreen
from espace_tui.tui.translate import translate_bindings

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
        )
        self.context = ScreenContext(self.session, today or date.today, opener or SystemOpener())
        self._keyring: KeyringAnswer | None = None
        """What the keyring said at start (None: not yet)."""
        translate_bindings(self)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The Header's words, shown as they are (Textual does not read them as markup) without
        their control characters: a screen's title can be the site's (an invoice's title)."""
        return super().format_title(plain(title), plain(sub_title))

    def on_mount(self) -> None:
        # The form is painted at once; the keyring is asked in a thread (it may take seconds
        # to answer, or never), and the form is told what it said.
        form = self.login_form()
        self.push_screen(LoginScreen(self.context, form))
        if form.offer_remember:
            self.ask_keyring(self.options.portal or form.portal, form.username)

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
            password = None if self.options.password else answer.password
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
        self.sub_title = self.session.label
        self.switch_screen(DashboardScreen(self.context))
        if event.warning:
            notify(self, event.warning, severity="warning", timeout=10)
        self.load_details()

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
        """The app's own worker (the details) failed: told on the screen shown, with a retry."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None or event.worker.group != "details":
            return
        if isinstance(self.screen, EspaceScreen):
            self.screen.report(error, retry=self.load_details)
        else:  # a dialog is open: say it there, the screen below stays as it was
            problem = problem_for(error)
            notify(self, problem.message, severity=problem.severity, timeout=10)

    def on_dashboard_screen_open_invoices(self, event: DashboardScreen.OpenInvoices) -> None:
        self.push_screen(InvoicesScreen(self.context, regie=event.regie))

    def on_invoices_screen_open_invoice(self, event: InvoicesScreen.OpenInvoice) -> None:
        self.push_screen(DetailScreen(self.context, event.invoice_id))

    def on_detail_screen_pay(self, event: DetailScreen.Pay) -> None:
        detail = self.screen if isinstance(self.screen, DetailScreen) else None
        self.push_screen(
            PayScreen(event.invoice, event.url, opener=self.context.opener),
            callback=detail.paid if detail is not None else None,
        )

    def action_help(self) -> None:
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
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    async def log_out(self) -> None:
        """End the session and go back to the login form (palette: Log out)."""
        self.workers.cancel_group(self, "details")
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
