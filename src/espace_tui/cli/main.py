"""The `espace-tui` command line: the parser, `main`, and the one place where errors become a
message on stderr and an exit code.

Exit codes: 0 done; 1 nothing to do (unknown id, nothing payable online); 2 usage or
configuration; 3 login refused or no password; 4 portal unreachable or failing; 5 a page is not
as expected; 6 refused for safety; 130 interrupted; 141 standard output closed (a pipe's reader
went away, as in `espace-tui invoices | head -1`). `EXIT_CODES` says them in `--help` and the
man page.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from espace_tui import __version__
from espace_tui.core import i18n
from espace_tui.core.errors import EspaceError
from espace_tui.core.formats import printable
from espace_tui.core.i18n import N_, _

if TYPE_CHECKING:
    from espace_tui.account.portals import PortalFactory

GLOBAL_DEFAULTS: dict[str, object] = {
    "portal": None,
    "commune": None,
    "username": None,
    "password_stdin": False,
    "demo": False,
    "lang": None,
    "download_dir": None,
    "profile": None,
    "offline": False,
    "verbose": False,
    "quiet": False,
}
"""The global options, accepted before or after the command. Their parsers default to SUPPRESS
so that a value given before the command is not reset by the command's own parser; the real
defaults are filled in after parsing."""


ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("not allowed with argument %s"),
    N_("expected one argument"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
)
"""argparse's own words that our command line can show (Python 3.11's wording). argparse asks
the standard gettext domain, not ours: `_speak_argparse` makes it ask ours, and marking them
here puts them in the catalog."""


EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, N_("done")),
    (1, N_("nothing to do for that request (unknown ID, nothing payable online), with the reason")),
    (2, N_("usage or configuration")),
    (3, N_("login refused (the site's own words), or no password")),
    (4, N_("the portal is unreachable, or kept failing after the retries")),
    (5, N_("a page is not as expected (maintenance, or a changed page)")),
    (6, N_("refused for safety (a payment address off PayFiP, a body that is not a PDF)")),
    (130, N_("interrupted (Ctrl+C)")),
    (141, N_("standard output was closed by its reader (e.g. '| head -1')")),
)
"""The exit codes and what each means: the end of `--help`, the man page, the README."""

EXIT_PIPE_CLOSED = 141
"""128 + SIGPIPE, the status a shell shows for a writer whose reader went away."""

log = logging.getLogger(__name__)


def exit_codes_text() -> str:
    """The exit codes, one per line, in the current language."""
    lines = [_("exit status:")]
    lines += [f"  {code:<4} {_(meaning)}" for code, meaning in EXIT_CODES]
    return "\n".join(lines)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that a paragraph written on several lines (the exit codes)
    keeps its lines."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.split("\n\n")
        return "\n\n".join(
            "\n".join(indent + line for line in paragraph.splitlines())
            if "\n" in paragraph
            else super(_HelpFormatter, self)._fill_text(paragraph, width, indent)
            for paragraph in paragraphs
        )


def _speak_argparse() -> None:
    """Make argparse's own words (usage, errors) follow the current language."""
    # argparse looks its `_` up at each call, so the language can change after this.
    argparse._ = _  # type: ignore[attr-defined]


def _language_from_argv(argv: Sequence[str]) -> str | None:
    """`--lang` read before parsing, so that the help itself is in that language."""
    for index, item in enumerate(argv):
        if item == "--":
            break
        if item == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if item.startswith("--lang="):
            return item.partition("=")[2]
    return None


def _global_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group(_("options for every command"))
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--portal",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_(
            "the portal's address, e.g. https://www.espace-citoyens.net/ecouflant/espace-citoyens/ "
            "(default: $ESPACE_TUI_PORTAL, else the one remembered at the last login)"
        ),
    )
    where.add_argument(
        "--commune",
        metavar="SLUG",
        default=argparse.SUPPRESS,
        help=_("the commune's name in the portal's address, e.g. ecouflant (instead of --portal)"),
    )
    group.add_argument(
        "--username",
        default=argparse.SUPPRESS,
        help=_("your username on the portal (default: $ESPACE_TUI_USERNAME, else remembered)"),
    )
    group.add_argument(
        "--password-stdin",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("read the password from the first line of standard input"),
    )
    group.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("use the bundled demo portal on this machine (username demo, password demo)"),
    )
    group.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of the messages (default: from the environment)"),
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=_("the account of this profile (see 'profiles'; default: the default profile)"),
    )
    group.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_(
            "show what the last run read, without the portal, and say when it was read "
            "(the screens, invoices, show, check); a command that needs the portal says so"
        ),
    )
    group.add_argument(
        "--download-dir",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help=_("where PDFs are saved (default: your downloads folder)"),
    )
    loudness = group.add_mutually_exclusive_group()
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("also show the portal's requests on stderr (method, path, status, time)"),
    )
    loudness.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("show errors only"),
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; every command has a help in plain words."""
    _speak_argparse()
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="espace-tui",
        parents=[common],
        formatter_class=_HelpFormatter,
        description=_(
            "See and pay the invoices of an Espace Citoyens family portal. "
            "Without a command, the interactive screen opens."
        ),
        epilog=_(
            "The password is taken, in this order, from --password-stdin, $ESPACE_TUI_PASSWORD, "
            "the system keyring (see 'login'), or asked for when a terminal is there."
        )
        + "\n\n"
        + exit_codes_text(),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"espace-tui {__version__}",
        help=_("show program's version number and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    def add(name: str, summary: str, **extra: object) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            parents=[common],
            help=summary,
            description=summary,
            **extra,  # type: ignore[arg-type]
        )

    listing = add("invoices", _("list every invoice, grouped by régie, and what is owed"))
    listing.add_argument(
        "--json", action="store_true", help=_("print one JSON array, in the site's order")
    )
    listing.add_argument(
        "--no-details",
        action="store_true",
        help=_(
            "list only what the invoice list page gives, in one request (no due dates; "
            "quick on a large account)"
        ),
    )
    listing.add_argument(
        "--csv",
        action="store_true",
        help=_("print a CSV, one row per invoice (for a spreadsheet; see --csv-format)"),
    )
    listing.add_argument(
        "--csv-format",
        choices=("french", "neutral"),
        help=_(
            "french (the default): ';', decimal comma, dd/mm/yyyy, UTF-8 with BOM; "
            "neutral: ',', decimal point, ISO dates"
        ),
    )
    listing.add_argument(
        "--refresh-all",
        action="store_true",
        help=_("read every invoice's detail again (by default only what can have changed)"),
    )

    show = add("show", _("show one invoice: its detail, its lines and what to do"))
    show.add_argument("id", metavar="ID", help=_("the invoice's ID (or its number)"))
    show.add_argument("--json", action="store_true", help=_("print one JSON object"))

    download = add("download", _("save invoice PDFs and print where each one is"))
    download.add_argument("ids", metavar="ID", nargs="*", help=_("the invoices' IDs (or numbers)"))
    download.add_argument("--all", action="store_true", help=_("save every invoice's PDF"))
    download.add_argument(
        "--output", "-o", metavar="DIR", type=Path, help=_("save into DIR (created if missing)")
    )

    pay = add("pay", _("print the checked PayFiP address to pay an invoice online"))
    pay.add_argument("id", metavar="ID", help=_("the invoice's ID (or its number)"))
    pay.add_argument("--open", action="store_true", help=_("also open it in your web browser"))

    add(
        "login",
        _(
            "check your password on the portal, keep it in the system keyring and remember "
            "the portal and username"
        ),
    )
    add("logout", _("forget the password kept in the system keyring"))
    profiles = add(
        "profiles", _("list, add, remove the accounts espace-tui follows; set the default")
    )
    profiles.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=("list", "add", "remove", "default"),
        help=_("what to do (default: list); 'add' takes --portal or --commune and --username"),
    )
    profiles.add_argument("name", nargs="?", metavar="NAME", help=_("the profile's name"))
    sync = add(
        "sync",
        _("file every PDF as DIR/PROFILE/RÉGIE/YEAR/ with a manifest.json; fit for cron"),
    )
    sync.add_argument(
        "--output", "-o", metavar="DIR", type=Path, required=True, help=_("the archive's folder")
    )
    checking = add(
        "check",
        _(
            "say what is overdue, due within N days and new since the last check "
            "(exit 10 when there is something; fit for cron)"
        ),
    )
    checking.add_argument(
        "--days", type=int, default=7, metavar="N", help=_("how many days ahead (default: 7)")
    )
    checking.add_argument("--json", action="store_true", help=_("print one JSON object"))
    checking.add_argument(
        "--notify", action="store_true", help=_("also show a desktop notification")
    )
    # planning: the `planning` command's parser goes here (run by cli/planning.py)
    from espace_tui.cli.planning_args import add_parser as add_planning

    add_planning(add)
    # exports: the `summary` and `statement` commands' parsers go here (run by cli/exports.py)
    summary = add(
        "summary",
        _("add up the invoices per régie and year, to pay and paid, and per child"),
    )
    summary.add_argument(
        "--year", type=int, metavar="YEAR", help=_("only the invoices issued in YEAR")
    )
    summary.add_argument("--json", action="store_true", help=_("print one JSON object"))
    statement = add(
        "statement",
        _(
            "what was paid in a year for each child, per service and régie, with its invoices "
            "(for the tax papers; it marks childcare-like services, the decision is yours)"
        ),
    )
    statement.add_argument(
        "--year", type=int, metavar="YEAR", required=True, help=_("the invoices issued in YEAR")
    )
    statement.add_argument("--json", action="store_true", help=_("print one JSON object"))
    statement.add_argument(
        "--pdf",
        metavar="FILE",
        type=Path,
        help=_("also save it as a PDF (never over another file: 'FILE (1).pdf' instead)"),
    )
    commands.add_parser(
        "mock-server",
        add_help=False,  # its --help is the demo server's own (see commands.run_mock_server)
        help=_("serve the bundled demo portal on this machine (see mock-server --help)"),
    )
    web = add(
        "web",
        _("serve the same screens to your web browser, on this machine (needs espace-tui[web])"),
    )
    web.add_argument(
        "--port", type=int, default=8000, help=_("the port to listen on (default: 8000)")
    )
    web.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("the address to listen on (default: 127.0.0.1, this machine only)"),
    )
    completion = commands.add_parser(
        "completion",
        help=_("print the shell completion script for bash, zsh, fish or tcsh"),
        description=_(
            "Print the completion script of espace-tui for a shell; see the README for where "
            "to put it."
        ),
    )
    completion.add_argument("shell", choices=COMPLETION_SHELLS, help=_("the shell"))
    return parser


LOCAL_COMMANDS = frozenset({"logout", "profiles", "mock-server", "web"})
"""Commands that never connect to a portal themselves (`web` serves the screens)."""
COMPLETION_SHELLS = ("bash", "zsh", "fish", "tcsh")
"""The shells `shtab` writes a completion script for."""


def completion_script(shell: str) -> str:
    """The completion script for `shell`, generated from the parser itself."""
    import shtab

    parser = build_parser()
    for action in _every_action(parser):
        if action.metavar == "DIR":  # --download-dir, download --output: folders
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
    return str(shtab.complete(parser, shell=shell))


def _every_action(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _every_action(child)


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    args, extras = parser.parse_known_args(argv)
    if extras and args.command != "mock-server":
        parser.error(_("unrecognized arguments: {args}").format(args=" ".join(extras)))
    for name, default in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    args.extras = extras
    if args.command == "download" and not args.all and not args.ids:
        parser.error(_("download: give at least one ID, or --all"))
    if args.command == "download" and args.all and args.ids:
        parser.error(_("download: give IDs or --all, not both"))
    if args.verbose and args.quiet:
        parser.error(_("give --verbose or --quiet, not both"))
    return args


def main(argv: Sequence[str] | None = None, *, portal_factory: PortalFactory | None = None) -> int:
    """Run espace-tui with `argv` (default: the process's arguments); returns the exit code.
    `portal_factory` builds the portal client (default: the real one; tests pass theirs)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    language = _language_from_argv(arguments)
    i18n.set_language(language if language in i18n.LANGUAGES else None)
    parser = build_parser()
    try:
        args = _parse(parser, arguments)
    except SystemExit as done:  # argparse has printed the help, the version or a usage error
        return done.code if isinstance(done.code, int) else 2
    if args.command == "completion":
        return run_guarded(lambda: _print(completion_script(args.shell)), [])
    secrets: list[str] = []

    def run() -> int:
        if args.command is not None and args.command not in LOCAL_COMMANDS:
            from espace_tui.account.portals import prepare_connections

            prepare_connections()  # meanwhile, the commands are imported
        from espace_tui.cli import commands

        with _quiet_notes(args.quiet and args.command is not None):
            if args.command == "web":
                from espace_tui.cli.web import serve

                return serve(args, secrets)
            if portal_factory is None:
                return commands.dispatch(args, secrets)
            return commands.dispatch(args, secrets, portal_factory=portal_factory)

    from espace_tui.account.logs import start_logging, stop_logging

    # The screens own the terminal: their log goes to the file only.
    console = sys.stderr if args.command is not None else None
    verbosity = 1 if args.verbose else -1 if args.quiet else 0
    start_logging(secrets, verbosity=verbosity, console=console)
    try:
        log.info("espace-tui %s: %s", __version__, args.command or "screens")
        return run_guarded(run, secrets)
    finally:
        stop_logging()


def _print(text: str) -> int:
    sys.stdout.write(text)
    return 0


@contextlib.contextmanager
def _quiet_notes(quiet: bool) -> Iterator[None]:
    """With --quiet, the commands' sentences on stderr are dropped; errors are still said
    (by `run_guarded`, after this)."""
    if not quiet:
        yield
        return
    with open(os.devnull, "w", encoding="utf-8") as nowhere, contextlib.redirect_stderr(nowhere):
        yield


def run_guarded(action: Callable[[], int], secrets: list[str]) -> int:
    """The one place where failures become a plain message on stderr and an exit code."""
    try:
        code = action()
        sys.stdout.flush()  # a closed pipe is met here, not in the interpreter's last flush
        return code
    except EspaceError as error:
        # Our own words (and the site's refusal): a password never reaches them, and blanking
        # a short one would cut words apart ("la c********nexi********").
        _say_error(error.message)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`espace-tui invoices | head -1`): stop quietly, with the status
        # a shell gives a writer killed by SIGPIPE (1 means "nothing to do" here).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Exception as error:  # the last resort: one plain line, the details in a log
        where = _log_unexpected(error, secrets)
        summary = _redact(f"{type(error).__name__}: {error}", secrets)[:300]
        if where:
            _say_error(
                _("Unexpected error ({summary}). Details are in {path}.").format(
                    summary=summary, path=where
                )
            )
        else:
            _say_error(_("Unexpected error ({summary}).").format(summary=summary))
        httpx = sys.modules.get("httpx")
        if httpx is not None and isinstance(error, httpx.TransportError):
            return 4
        return 1


def _say_error(message: str) -> None:
    print(printable(f"espace-tui: {message}"), file=sys.stderr)


def _redact(text: str, secrets: list[str]) -> str:
    """`text` (an unexpected error's words, its traceback) with each password blanked out
    where it stands as a value of its own: not inside a longer word, so a two-letter password
    (`on`) leaves "connexion" whole."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = re.sub(
            rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])",
            "********",
            text,
        )
    return text


def _log_unexpected(error: BaseException, secrets: list[str]) -> Path | None:
    """Log the traceback (to the log file: the logging filter blanks the passwords out); the
    file's path, or None when there is no log file."""
    log.error("unexpected error", exc_info=error)
    for handler in logging.getLogger("espace_tui").handlers:
        if isinstance(handler, logging.FileHandler):
            handler.flush()
            return Path(handler.baseFilename)
    return None
