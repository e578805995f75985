"""The login screen: portal, username, password, "remember me"; Enter logs in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Header, Input, Label, Static

from espace_tui.account.portals import PORTAL_HOST, commune_of
from espace_tui.core.errors import EspaceError
from espace_tui.core.i18n import N_, _
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar


@dataclass(frozen=True, slots=True)
class LoginForm:
    """What the form starts with. The password is kept in memory only (demo, keyring)."""

    portal: str = ""
    username: str = ""
    password: str = ""
    remember: bool = False
    keyring_available: bool = True
    offer_remember: bool = True
    """Show the "remember me" checkbox at all (not in the demo)."""
    auto: bool = False
    """Log in at once (a password was found in the keyring)."""

    def without_password(self) -> LoginForm:
        return replace(self, password="", remember=False, auto=False)


def portal_text(base_url: str | None) -> str:
    """What the portal field shows: the commune's slug on the real site, else the address."""
    if not base_url:
        return ""
    if base_url.startswith(f"https://{PORTAL_HOST}/"):
        return commune_of(base_url) or base_url
    return base_url


class LoginScreen(EspaceScreen):
    """Asks for the portal and the account, logs in in a worker, then posts `LoggedIn`."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    ROOT = True
    RETRIES: ClassVar[dict[str, str]] = {"login": "submit"}

    # `?` and `q` are letters in the form's fields: F1 (and Textual's ctrl+q) work while typing.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "app.help", N_("Help"), id="help-login")]

    @dataclass
    class LoggedIn(Message):
        """The login worked and the account is loaded."""

        warning: str | None = None
        """Something to tell (e.g. the keyring could not store the password)."""

    def __init__(self, context: ScreenContext, form: LoginForm) -> None:
        super().__init__(context)
        self.form = form

    def compose(self) -> ComposeResult:
        form = self.form
        # Our own words, given as literal text all the same: one way for text to reach a widget.
        yield Header()
        # The form scrolls (24 rows do not hold it); the problem stays under it, always seen.
        with VerticalScroll(id="login-scroll"), Vertical(id="login-form", classes="busy-target"):
            yield Static(literal(_("Log in to your Espace Citoyens")), id="login-title")
            yield Label(literal(_("Portal (commune name or address)")), classes="field-label")
            yield Input(
                form.portal,
                placeholder=_("e.g. ecouflant, or https://…/ecouflant/espace-citoyens/"),
                id="portal",
            )
            yield Label(literal(_("Username")), classes="field-label")
            yield Input(form.username, id="username")
            yield Label(literal(_("Password")), classes="field-label")
            yield Input(form.password, password=True, id="password")
            if not form.offer_remember:
                pass
            elif form.keyring_available:
                yield Checkbox(
                    literal(_("Remember me (the password is kept in the system keyring)")),
                    form.remember,
                    id="remember",
                )
            else:
                yield Checkbox(
                    literal(_("Remember me: no system keyring here")),
                    False,
                    id="remember",
                    disabled=True,
                )
            yield Button(literal(_("Log in")), id="login", variant="primary")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def redraw(self) -> None:
        super().redraw()
        self.sub_title = _("Log in")

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self.redraw()
        for field in self.query(Input):
            if not field.value:
                field.focus()
                break
        else:
            self.query_one("#password", Input).focus()
        if self.form.auto:
            # Once: a later Enter is a login typed by the user, with the checkbox as it is.
            form, self.form = self.form, replace(self.form, auto=False)
            self.log_in(form.portal, form.username, form.password, None)

    SHORT = 32
    """Rows below which the form is compact (one row per field), so that an 80×24 terminal
    shows it whole, its button and the message under it included."""

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        short = height < self.SHORT
        self.set_class(short, "-short")
        for widget in self.query("Input, Button, Checkbox"):
            widget.compact = short  # type: ignore[attr-defined]

    def keyring_answered(self, available: bool, password: str | None) -> None:
        """What the keyring said, which came after the form was shown: a keyring that does not
        work disables "remember me"; a stored password logs in at once, unless the user has
        begun typing one."""
        self.form = replace(self.form, keyring_available=available)
        for box in self.query("#remember").results(Checkbox):
            if not available:
                box.value = False
                box.disabled = True
                box.label = literal(_("Remember me: no system keyring here"))
        field = self.query_one("#password", Input)
        logging_in = any(w.group == "login" and w.is_running for w in self.workers)
        if not available or not password or field.value or logging_in:
            return
        field.value = password
        for box in self.query("#remember").results(Checkbox):
            box.value = True
        self.form = replace(self.form, password=password, remember=True)
        self.log_in(self._value("portal"), self._value("username"), password, None)

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#login")
    def submit(self) -> None:
        """Check the fields are filled, then log in (Enter in any field, or the button)."""
        for field, message in (
            ("portal", _("Enter your commune's name or your portal's address.")),
            ("username", _("Enter your username.")),
            ("password", _("Enter your password.")),
        ):
            if not self._value(field):
                self.report(EspaceError(message))
                self.query_one(f"#{field}", Input).focus()
                return
        self.log_in(
            self._value("portal"),
            self._value("username"),
            self.query_one("#password", Input).value,
            self._remember(),
        )

    def _remember(self) -> bool | None:
        """The checkbox's answer; None when there is no usable checkbox."""
        boxes = self.query("#remember").results(Checkbox)
        box = next(boxes, None)
        return None if box is None or box.disabled else box.value

    @work(exclusive=True, group="login", exit_on_error=False)
    async def log_in(
        self, portal: str, username: str, password: str, remember: bool | None
    ) -> None:
        self.clear_problem()
        self.set_busy(True)
        # A failure is shown under the form (`_worker_failed`); the fields are kept.
        # What the store holds for the account is shown at once; the app then reads the
        # portal again in the background.
        warnings = await self.session.login(
            portal, username, password, remember=remember, from_store=True
        )
        self.set_busy(False)
        self.post_message(self.LoggedIn(" ".join(warnings) or None))

    def capture_form(self) -> LoginForm:
        """The form as typed (kept across a language switch)."""
        return LoginForm(
            portal=self.query_one("#portal", Input).value,
            username=self.query_one("#username", Input).value,
            password=self.query_one("#password", Input).value,
            remember=bool(self._remember()),
            keyring_available=self.form.keyring_available,
            offer_remember=self.form.offer_remember,
        )

    async def retranslate(self) -> None:
        self.form = self.capture_form()
        await super().retranslate()

    @property
    def problem(self) -> str:
        """The message under the form (empty when there is none)."""
        return self.query_one("#problem", ProblemBar).message
