"""The bodies of the headless commands: where the portal, the username and the password come
from, one logged-in session per command, and what each command prints.

stdout carries what a script reads (the table, JSON, saved paths, the payment address); every
other sentence goes to stderr. Failures are raised as `EspaceError`s: `cli.run_guarded` turns
them into a message and an exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from espace_tui.account.find import find_in
from espace_tui.account.options import RunOptions
from espace_tui.account.portals import (
    SLUG,
    PortalFactory,
    base_url_for,
    commune_of,
    describe_payment,
    real_portal,
)
from espace_tui.account.profiles import Profile, choose, load_profiles
from espace_tui.account.services import (
    Credentials,
    FileSettings,
    KeyringCredentials,
    Opener,
    Settings,
    SettingsStore,
    SystemOpener,
    default_download_dir,
    open_store,
)
from espace_tui.account.session import AccountSession, PaymentRequest, SavedPdf
from espace_tui.account.stored import StoredAccount, nothing_stored
from espace_tui.cli.progress import progress_line
from espace_tui.cli.render import (
    invoice_detail_json,
    invoice_json,
    invoice_sheet,
    invoices_table,
    payment_test_notice,
)
from espace_tui.core import i18n
from espace_tui.core.errors import (
    ConfigError,
    EspaceError,
    KeyringUnavailable,
    LoginRefused,
    NothingToDo,
    PasswordUnavailable,
    PortalUnreachable,
)
from espace_tui.core.formats import format_money, printable
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice

ENV_PORTAL = "ESPACE_TUI_PORTAL"
ENV_USERNAME = "ESPACE_TUI_USERNAME"
ENV_PASSWORD = "ESPACE_TUI_PASSWORD"


@dataclass(frozen=True, slots=True)
class Demo:
    """The bundled mock portal, started for `--demo`."""

    base_url: str
    username: str
    password: str


@dataclass(slots=True)
class CommandContext:
    """What a command runs with: its arguments and what it is given (the portal factory, the
    keyring, the settings, the opener), as the app is given them."""

    args: argparse.Namespace
    secrets: list[str]
    """Passwords met on the way, blanked out of any unexpected error's text."""
    portal_factory: PortalFactory = real_portal
    credentials: Credentials = field(default_factory=KeyringCredentials)
    settings: SettingsStore = field(default_factory=FileSettings)
    opener: Opener = field(default_factory=SystemOpener)
    demo: Demo | None = None
    remembered: Settings = field(default_factory=Settings)
    profile: Profile | None = None
    """The profile the run is for (`--profile`, else the default one), if any."""
    log_off_after: list[AccountSession] = field(default_factory=list)
    """Sessions to log off once the command has written its output (`logged_in`)."""

    @property
    def profile_name(self) -> str | None:
        return self.profile.name if self.profile else None


def out(text: str) -> None:
    """A line for stdout (what scripts read); never a control character (the site's words are
    cleaned where they enter the model, and once more here)."""
    print(printable(text), file=sys.stdout, flush=True)


def note(text: str) -> None:
    """A sentence for the person at the terminal (stderr), as safe as `out`."""
    print(printable(text), file=sys.stderr, flush=True)


# --- Where the portal, the username and the password come from ------------------------------


def chosen_portal(context: CommandContext) -> str | None:
    """`--portal`, `--commune`, $ESPACE_TUI_PORTAL, or the remembered portal (as a base URL)."""
    if context.demo:
        return context.demo.base_url
    args = context.args
    if args.commune is not None:
        if not SLUG.match(args.commune.strip().lower()):
            raise ConfigError(
                _(
                    "'{text}' is not a commune name: lower-case letters, digits and hyphens only."
                ).format(text=args.commune)
            )
        return base_url_for(args.commune)
    profile = context.profile.portal if context.profile else None
    raw = args.portal or os.environ.get(ENV_PORTAL) or profile or context.remembered.portal
    return base_url_for(raw) if raw else None


def chosen_username(context: CommandContext, base_url: str | None) -> str | None:
    """`--username`, $ESPACE_TUI_USERNAME, or the one remembered for this very portal."""
    if context.demo:
        return context.demo.username
    username = context.args.username or os.environ.get(ENV_USERNAME)
    if username:
        return str(username)
    # A username belongs to its portal: the remembered one is not tried on another portal.
    profile = context.profile
    if profile is not None and base_url is not None and base_url_for(profile.portal) == base_url:
        return profile.username
    if base_url is not None and context.remembered.portal == base_url:
        return context.remembered.username
    return None


def require_portal(context: CommandContext) -> str:
    base_url = chosen_portal(context)
    if base_url is None:
        raise ConfigError(
            _(
                "No portal given: use --commune SLUG or --portal URL "
                "(or set ESPACE_TUI_PORTAL; 'espace-tui login' remembers it)."
            )
        )
    return base_url


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def require_username(context: CommandContext, base_url: str) -> str:
    username = chosen_username(context, base_url)
    if username:
        return username
    if _interactive():
        print(_("Username: "), end="", file=sys.stderr, flush=True)
        typed = sys.stdin.readline().strip()
        if typed:
            return typed
    raise ConfigError(_("No username given: use --username (or set ESPACE_TUI_USERNAME)."))


def obtain_password(
    context: CommandContext, base_url: str, username: str, *, use_keyring: bool = True
) -> tuple[str, str]:
    """The password and where it came from (`demo`, `stdin`, `keyring`, `env`, `prompt`).

    What the user gave explicitly comes first and never touches the keyring: `--password-stdin`,
    then $ESPACE_TUI_PASSWORD; then the keyring (bounded: one that does not answer is said so
    and skipped), then a prompt (only when a terminal is there). Raises `PasswordUnavailable`
    when none gives one.
    """
    if context.demo:
        return context.demo.password, "demo"
    if context.args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise PasswordUnavailable(_("--password-stdin was given but no password was read."))
        return line, "stdin"
    from_env = os.environ.get(ENV_PASSWORD)
    if from_env:
        return from_env, "env"
    if use_keyring:
        try:
            stored = context.credentials.get_password(base_url, username)
        except KeyringUnavailable as error:  # it did not answer: go on without it
            note(error.message)
            stored = None
        if stored:
            return stored, "keyring"
    if _interactive():
        try:
            typed = getpass.getpass(
                _("Password for {username} on {commune}: ").format(
                    username=username, commune=commune_of(base_url)
                )
            )
        except EOFError:
            typed = ""
        if typed:
            return typed, "prompt"
    raise PasswordUnavailable(
        _(
            "No password: use --password-stdin or ESPACE_TUI_PASSWORD, run 'espace-tui login' "
            "once to keep it in the system keyring, or run from a terminal to be asked."
        )
    )


def offline(context: CommandContext) -> bool:
    """`--offline`: the command reads the store alone, and one that needs the portal says so."""
    return bool(getattr(context.args, "offline", False))


def stored_account(context: CommandContext) -> StoredAccount:
    """What the last online run read for the chosen account (`--offline`), and says when."""
    base_url = require_portal(context)
    username = require_username(context, base_url)
    stored = open_store().load(base_url, username)
    if stored is None:
        raise NothingToDo(nothing_stored(base_url, username))
    note(_("Offline: as read on {date}.").format(date=stored.read_at.strftime("%d/%m/%Y à %H:%M")))
    return stored


@asynccontextmanager
async def logged_in(
    context: CommandContext, *, use_keyring: bool = True, remember: bool = False
) -> AsyncIterator[AccountSession]:
    """An account session for one command: logged in, logged out after a success, always
    closed. With `remember` (the `login` command) the portal, the username and the password
    are kept; its warnings are told on stderr."""
    if offline(context):
        raise ConfigError(
            _("'{command}' needs the portal: run it without --offline.").format(
                command=context.args.command or "espace-tui"
            )
        )
    base_url = require_portal(context)
    username = require_username(context, base_url)
    password, source = obtain_password(context, base_url, username, use_keyring=use_keyring)
    context.secrets.append(password)
    session = AccountSession(
        context.portal_factory,
        credentials=context.credentials,
        settings=context.settings,
        download_dir=download_folder(context.args),
        remember=remember and context.demo is None,
    )
    try:
        try:
            warnings = await session.login(
                base_url, username, password, remember=True if remember else None, load=False
            )
        except LoginRefused as refused:
            if source == "keyring":
                raise LoginRefused(
                    refused.message
                    + " "
                    + _(
                        "(The password came from the system keyring: "
                        "run 'espace-tui login' to store the right one.)"
                    )
                ) from None
            raise
        for warning in warnings:
            note(warning)
        yield session
    except BaseException:
        await session.logout(log_off=False)  # a failure must not wait on the network
        raise
    # Logged off after the command's output is written (`run_then_log_off`), not here: the
    # user does not wait one more round trip for it.
    context.log_off_after.append(session)


@contextmanager
def started_demo(enabled: bool) -> Iterator[Demo | None]:
    """Start the bundled mock portal on a free loopback port for `--demo`; always stopped."""
    if not enabled:
        yield None
        return
    from espace_tui.mock import DEMO_PASSWORD, DEMO_USERNAME, MockOptions, MockPortal

    mock = MockPortal(MockOptions())
    base_url = mock.start()
    try:
        yield Demo(base_url=base_url, username=DEMO_USERNAME, password=DEMO_PASSWORD)
    finally:
        mock.stop()


# --- The commands ---------------------------------------------------------------------------


def _json(data: Any) -> None:
    out(json.dumps(data, ensure_ascii=False, indent=2))


def _json_array(items: Iterable[Any]) -> None:
    """A JSON array written item by item, as `_json(list(items))` would print it: the whole
    text of 10 000 invoices (and their dictionaries) is never in memory at once."""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        sys.stdout.write(printable(("[\n  " if first else ",\n  ") + text))
        first = False
    sys.stdout.write("[]\n" if first else "\n]\n")
    sys.stdout.flush()


async def invoices_command(context: CommandContext) -> int:
    args = context.args
    csv_format = getattr(args, "csv_format", None)
    wants_csv = getattr(args, "csv", False) or csv_format is not None
    if wants_csv and args.json:
        raise ConfigError(_("Give --csv or --json, not both."))
    invoices = await _read_invoices(context)
    today = date.today()
    if wants_csv:  # exports: invoices --csv
        from espace_tui.cli.exports import invoices_csv, write_csv

        write_csv(invoices_csv(invoices, csv_format or "french"))
    elif args.json:
        _json_array(invoice_json(invoice, today) for invoice in invoices)
    else:
        out(invoices_table(invoices, today))
    return 0


async def _read_invoices(context: CommandContext) -> list[Invoice]:
    """Every invoice from the portal: only what can have changed since the last run (the
    store keeps the rest, and what is read now for `--offline`), or the list alone."""
    args = context.args
    if offline(context):
        return stored_account(context).invoice_list()
    async with logged_in(context) as session:
        if getattr(args, "no_details", False):  # what MonCompte alone gives: 1 request
            return await session.listed()
        store = None if context.demo else open_store()
        quiet = getattr(args, "quiet", False)
        async with progress_line(_("Reading the invoices from the portal…"), quiet=quiet):
            return await session.all_invoices(
                store=store, refresh_all=getattr(args, "refresh_all", False)
            )


async def show_command(context: CommandContext) -> int:
    treasury: PaymentRequest | None = None
    if offline(context):  # the stored detail; the treasury's reference needs the portal
        invoice = find_in(stored_account(context).invoice_list(), context.args.id)
    else:
        async with logged_in(context) as session:
            invoice = await session.find(context.args.id)
            treasury = await session.treasury_reference(invoice)
    today = date.today()
    if context.args.json:
        _json(invoice_detail_json(invoice, today, treasury))
    else:
        out(invoice_sheet(invoice, today, treasury))
    return 0


def download_folder(args: argparse.Namespace) -> Path:
    """`--output`, else `--download-dir`, else the user's downloads folder."""
    folder = getattr(args, "output", None) or args.download_dir or default_download_dir()
    return Path(folder).expanduser()


async def download_command(context: CommandContext) -> int:
    args = context.args
    folder = download_folder(args)
    async with logged_in(context) as session:
        listed = await session.listed()
        if args.all:
            chosen = listed
        else:
            chosen = []
            for wanted in args.ids:
                invoice = find_in(listed, wanted)
                if invoice not in chosen:
                    chosen.append(invoice)
        if not chosen:
            note(_("There are no invoices on this account: nothing to save."))
            return 0
        failed: list[tuple[Invoice, BaseException]] = []

        def told(invoice: Invoice, outcome: SavedPdf | BaseException) -> None:
            # Each PDF is told as soon as it is saved: an interrupted run has said what it kept.
            if isinstance(outcome, SavedPdf):
                out(str(outcome.path))
                if outcome.already_there:
                    note(_("already saved: {path}").format(path=outcome.path))
            else:
                failed.append((invoice, outcome))

        await session.download(chosen, folder, each=told)
    if failed:
        raise DownloadsFailed(failed, folder)
    return 0


class DownloadsFailed(EspaceError):
    """Some PDFs were not saved (the others were): each named by its invoice's number, with
    the reason. Exit 4 when the portal failed any of them; else the failures' own code (6 for
    what was not a PDF, 2 for a folder that cannot be written)."""

    def __init__(self, failed: list[tuple[Invoice, BaseException]], folder: Path) -> None:
        lines = [_("Not saved:")]
        codes: set[int] = set()
        for invoice, error in failed:
            if isinstance(error, OSError):
                reason = _("it could not be saved in {folder}: {reason}").format(
                    folder=folder, reason=error.strerror or error
                )
                codes.add(ConfigError.exit_code)
            elif isinstance(error, EspaceError):
                reason = error.message
                codes.add(error.exit_code)
            else:
                reason = type(error).__name__
                codes.add(PortalUnreachable.exit_code)
            number = invoice.number or invoice.id
            lines.append(_("  invoice {number}: {reason}").format(number=number, reason=reason))
        super().__init__("\n".join(lines))
        self.exit_code = (
            PortalUnreachable.exit_code
            if PortalUnreachable.exit_code in codes or len(codes) != 1
            else codes.pop()
        )


async def pay_command(context: CommandContext) -> int:
    async with logged_in(context) as session:
        invoice = find_in(await session.listed(), context.args.id)
        url = await session.payment_url(invoice)
    request = describe_payment(url)
    facts = [_("Invoice {number}").format(number=invoice.number or invoice.id)]
    if request.amount is not None:
        facts.append(format_money(request.amount))
    if request.refdet:
        facts.append(_("reference {reference}").format(reference=request.refdet))
    note(_("Pay on PayFiP: {facts}.").format(facts=", ".join(facts)))
    if request.is_test:
        note(payment_test_notice())
    out(url)
    if context.args.open:
        if context.opener.open_url(url):
            note(_("The payment page is opening in your web browser."))
        else:
            note(
                _(
                    "No graphical web browser can be opened from here: "
                    "open the address above in a browser."
                )
            )
    return 0


async def login_command(context: CommandContext) -> int:
    # The keyring is not read here: the point is to check, and keep, the password typed now.
    async with logged_in(context, use_keyring=False, remember=True) as session:
        base_url, username, kept = session.base_url, session.username, session.password_kept
    commune = commune_of(base_url)
    note(_("Logged in as {username} on {commune}.").format(username=username, commune=commune))
    if context.demo:
        note(_("Demo portal: nothing is remembered."))
    elif kept:
        note(
            _("The password is kept in the system keyring ({backend}).").format(
                backend=context.credentials.backend_name()
            )
        )
    # Otherwise the keyring said why it kept nothing: not a failure, the password was right.
    return 0


def logout_command(context: CommandContext) -> int:
    """Forget the stored password; nothing else is ended or forgotten."""
    if context.args.demo:
        note(_("Demo portal: no password is stored."))
        return 0
    base_url = require_portal(context)
    username = chosen_username(context, base_url)
    if not username:
        raise ConfigError(_("No username given: use --username (or set ESPACE_TUI_USERNAME)."))
    commune = commune_of(base_url)
    credentials = context.credentials
    # Forgetting first: a keyring that does not answer says so (KeyringTimeout, exit 2).
    if credentials.forget_password(base_url, username):
        note(
            _("The password of {username} on {commune} is forgotten.").format(
                username=username, commune=commune
            )
        )
    elif not credentials.keyring_available():
        note(_("No system keyring is available on this machine: no password is stored."))
    else:
        note(
            _("No password is stored for {username} on {commune}.").format(
                username=username, commune=commune
            )
        )
    return 0


def run_mock_server(extras: list[str]) -> int:
    """`espace-tui mock-server …`: the bundled demo portal's own command line."""
    from espace_tui.mock import cli as mock_cli

    return mock_cli.main(extras, prog="espace-tui mock-server")


def run_interface(context: CommandContext) -> int:
    """No command: the interactive screen, given what the command line chose."""
    args = context.args
    if args.password_stdin:
        raise ConfigError(
            _(
                "--password-stdin works with a command only: "
                "the interactive screen reads the keyboard."
            )
        )
    stored = stored_account(context) if offline(context) else None
    # Said before the screens start: with nothing stored there is nothing to show.
    if not (_interactive() and sys.stdout.isatty()):
        raise ConfigError(
            _(
                "The interactive screen needs a terminal. Use a command instead "
                "(see 'espace-tui --help')."
            )
        )
    base_url = chosen_portal(context)
    username = chosen_username(context, base_url)
    if stored is not None:  # the account whose store is shown (a username typed at a prompt)
        base_url, username = stored.portal, stored.username
    password = context.demo.password if context.demo else os.environ.get(ENV_PASSWORD) or None
    if password:
        context.secrets.append(password)
    options = RunOptions(
        portal=base_url,
        username=username,
        password=password,
        download_dir=download_folder(args),
        language=i18n.current_language(),
        language_chosen=args.lang is not None,
        demo=context.demo is not None,
        remember=context.demo is None,
        offline=stored is not None,
    )
    try:
        from espace_tui.tui.app import run_tui
    except ModuleNotFoundError as missing:
        if not (missing.name or "").startswith("espace_tui.tui"):
            raise
        raise ConfigError(
            _("The interactive screen is not part of this build: use a command (see --help).")
        ) from None
    return run_tui(options)


AsyncCommand = Callable[[CommandContext], Coroutine[Any, Any, int]]
ASYNC_COMMANDS: dict[str, AsyncCommand] = {
    "invoices": invoices_command,
    "show": show_command,
    "download": download_command,
    "pay": pay_command,
    "login": login_command,
}


def dispatch(
    args: argparse.Namespace, secrets: list[str], *, portal_factory: PortalFactory = real_portal
) -> int:
    """Run the command `args` names (the mock is started and stopped around it for --demo)."""
    if args.command == "mock-server":
        return run_mock_server(args.extras)
    settings = FileSettings()
    remembered = settings.load(warn=lambda message: note(f"espace-tui: {message}"))
    profile = choose(
        load_profiles(warn=lambda message: note(f"espace-tui: {message}")),
        getattr(args, "profile", None),
    )
    if args.command in ("logout", "profiles"):
        from espace_tui.cli.archive import profiles_command

        simple = logout_command if args.command == "logout" else profiles_command
        return simple(CommandContext(args, secrets, remembered=remembered, profile=profile))
    with started_demo(args.demo) as demo:
        context = CommandContext(
            args,
            secrets,
            portal_factory=portal_factory,
            settings=settings,
            demo=demo,
            remembered=remembered,
            profile=None if demo else profile,
        )
        if args.command is None:
            return run_interface(context)
        command = ASYNC_COMMANDS.get(args.command) or _archive_command(args.command)
        return asyncio.run(run_then_log_off(command, context))


async def run_then_log_off(command: AsyncCommand, context: CommandContext) -> int:
    """Run the command; then, its output written, end what reads stdout (a pipe's reader has
    all it will get) and log off the sessions it opened (best effort, bounded)."""
    try:
        return await command(context)
    finally:
        if context.log_off_after:
            _end_stdout()
            for session in context.log_off_after:
                await session.logout()


def _end_stdout() -> None:
    """Flush stdout and, when it is a pipe or a file, close it for its reader (the command
    writes nothing more there): `espace-tui invoices --json | jq` ends before the log-off."""
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
        if os.isatty(fd):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):  # no real stdout (tests capture it), or already closed
        return
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)


def _archive_command(name: str) -> AsyncCommand:
    """The commands of other modules, which import this one: looked up when asked for."""
    # planning: `planning` -> cli/planning.py goes here
    if name == "planning":
        from espace_tui.cli.planning import planning_command

        return planning_command
    # exports: `summary`, `statement` -> cli/exports.py go here
    if name in ("summary", "statement"):
        from espace_tui.cli.exports import statement_command, summary_command

        return summary_command if name == "summary" else statement_command
    from espace_tui.cli.archive import check_command, sync_command

    return {"sync": sync_command, "check": check_command}[name]
