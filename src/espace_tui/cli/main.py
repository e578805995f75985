"""The `espace-tui` command line: the parser, `main`, and the one place where errors become a
message on stderr and an exit code.

Exit codes: 0 done; 1 nothing to do (unknown id, nothing payable online); 2 usage or
configuration; 3 login refused or no password; 4 portal unreachable or failing; 5 a page is not
as expected; 6 refused for safety; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
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
        "--download-dir",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help=_("where PDFs are saved (default: your downloads folder)"),
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; every command has a help in plain words."""
    _speak_argparse()
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="espace-tui",
        parents=[common],
        description=_(
            "See and pay the invoices of an Espace Citoyens family portal. "
            "Without a command, the interactive screen opens."
        ),
        epilog=_(
            "The password is taken, in this order, from --password-stdin, $ESPACE_TUI_PASSWORD, "
            "the system keyring (see 'login'), or asked for when a terminal is there."
        ),
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
    commands.add_parser(
        "mock-server",
        add_help=False,  # its --help is the demo server's own (see commands.run_mock_server)
        help=_("serve the bundled demo portal on this machine (see mock-server --help)"),
    )
    return parser


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
    secrets: list[str] = []

    def run() -> int:
        from espace_tui.cli import commands

        if portal_factory is None:
            return commands.dispatch(args, secrets)
        return commands.dispatch(args, secrets, portal_factory=portal_factory)

    return run_guarded(run, secrets)


def run_guarded(action: Callable[[], int], secrets: list[str]) -> int:
    """The one place where failures become a plain message on stderr and an exit code."""
    try:
        return action()
    except EspaceError as error:
        _say_error(_redact(error.message, secrets))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`espace-tui invoices | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
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
    for secret in secrets:
        if secret:
            text = text.replace(secret, "********")
    return text


def _log_unexpected(error: BaseException, secrets: list[str]) -> Path | None:
    """Append the traceback (passwords blanked out) to the log file; its path, or None."""
    from espace_tui.account.services import log_file

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        details = "".join(traceback.format_exception(error))
        with path.open("a", encoding="utf-8") as log:
            log.write(
                f"--- {datetime.now().isoformat(timespec='seconds')} espace-tui {__version__}\n"
            )
            log.write(_redact(details, secrets))
    except OSError:
        return None
    return path
