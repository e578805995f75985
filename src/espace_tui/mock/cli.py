"""The mock portal's command line: `espace-tui mock-server` and `python -m espace_tui.mock`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from espace_tui.core.i18n import _
from espace_tui.mock.options import (
    DEMO_COMMUNE,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    LOGIN_KINDS,
    Faults,
    MockOptions,
    is_loopback_host,
)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more"))
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options: --host, --port, --commune, --latency-ms, --invoices, --faults,
    --login."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("loopback address to listen on (default: %(default)s; other hosts are refused)"),
    )
    parser.add_argument(
        "--port", type=_count, default=0, help=_("port to listen on (default: 0, any free port)")
    )
    parser.add_argument(
        "--commune",
        default=DEMO_COMMUNE,
        help=_("commune slug in the addresses (default: %(default)s)"),
    )
    parser.add_argument(
        "--latency-ms",
        type=_count,
        default=0,
        metavar="N",
        help=_("wait N milliseconds before each answer (default: 0)"),
    )
    parser.add_argument(
        "--invoices",
        type=_count,
        default=None,
        metavar="N",
        help=_("serve N generated invoices instead of the demo family's 14"),
    )
    parser.add_argument(
        "--faults",
        default="",
        metavar="LIST",
        help=_(
            "comma-separated misbehaviours: expire-every=K, flaky, pdf-html, maintenance, "
            "payment-wrong-host"
        ),
    )
    parser.add_argument(
        "--login",
        choices=LOGIN_KINDS,
        default="form",
        help=_(
            "how the portal serves its login: form (the public home's form) or ajax (a "
            "'Se connecter' button and the site's modal) (default: %(default)s)"
        ),
    )
    parser.add_argument("--quiet", action="store_true", help=_("do not print one line per request"))


def main(argv: list[str], *, prog: str = "python -m espace_tui.mock") -> int:
    """The mock's whole command line: its parser, then `run`. `espace-tui mock-server` and
    `python -m espace_tui.mock` both hand their arguments here."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=_(
            "Serve the bundled demo portal on this machine, for trying espace-tui without an "
            "account (username demo, password demo)."
        ),
    )
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # the help, or a usage error argparse has printed
        return done.code if isinstance(done.code, int) else 2
    return run(args)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (or SIGTERM); 0 on a clean stop, 2 on bad options, 1 if it cannot
    listen."""
    from espace_tui.mock.server import MockPortal

    if not is_loopback_host(args.host):
        print(
            _(
                "The mock portal only listens on this machine: use --host 127.0.0.1, ::1 or "
                "localhost (not {host})."
            ).format(host=args.host),
            file=sys.stderr,
        )
        return 2
    try:
        faults = Faults.parse(args.faults)
        portal = MockPortal(
            MockOptions(
                host=args.host,
                port=args.port,
                commune=args.commune,
                latency_ms=args.latency_ms,
                invoices=args.invoices,
                faults=faults,
                log_requests=not args.quiet,
                login=args.login,
            )
        )
    except ValueError as error:
        print(_("Bad option: {error}").format(error=error), file=sys.stderr)
        return 2
    try:
        base_url = portal.start()
    except OSError as error:
        print(
            _("Cannot listen on {host} port {port}: {error}").format(
                host=args.host, port=args.port, error=error.strerror or error
            ),
            file=sys.stderr,
        )
        return 1
    print(_("Demo portal (mock) serving at {url}").format(url=base_url))
    print(
        _("Log in with identifiant {username} / mot de passe {password}.").format(
            username=DEMO_USERNAME, password=DEMO_PASSWORD
        )
    )
    if args.login != "form":
        print(_("Login: {kind}").format(kind=args.login))
    if faults.describe():
        print(_("Faults: {faults}").format(faults=faults.describe()))
    print(_("Press Ctrl-C to stop."), flush=True)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print(_("Demo portal stopped."))
    return 0
