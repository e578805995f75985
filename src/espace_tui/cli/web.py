"""`espace-tui web`: the same screens in a browser, served by textual-serve to the person who
started it. Each browser tab runs its own `python -m espace_tui.tui.web`, given the command
line's choices in $ESPACE_TUI_WEB_OPTIONS.

It listens on 127.0.0.1 only: whoever reaches the server uses the account it logs in to, so
another address needs an explicit `--host`, and is warned about.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import shlex
import sys

from espace_tui.account.services import FileSettings
from espace_tui.cli.commands import (
    ENV_PASSWORD,
    CommandContext,
    chosen_portal,
    chosen_username,
    note,
    started_demo,
)
from espace_tui.core import i18n
from espace_tui.core.errors import ConfigError
from espace_tui.core.i18n import _

ENV_OPTIONS = "ESPACE_TUI_WEB_OPTIONS"
"""Read by `espace_tui.tui.web` (the same name there)."""
LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace, secrets: list[str]) -> int:
    """Serve the screens on `--host` (127.0.0.1) and `--port` until Ctrl+C."""
    try:
        from textual_serve.server import Server
    except ModuleNotFoundError:
        raise ConfigError(
            _("The web mode needs textual-serve: pip install 'espace-tui[web]'.")
        ) from None
    host, port = args.host, args.port
    if not is_loopback(host):
        note(
            _(
                "espace-tui: warning: serving on {host}, not on this machine only: anyone who "
                "can reach {host}:{port} can use the account logged in there."
            ).format(host=host, port=port)
        )
    with started_demo(args.demo) as demo:
        remembered = FileSettings().load(warn=lambda message: note(f"espace-tui: {message}"))
        context = CommandContext(args, secrets, demo=demo, remembered=remembered)
        portal = chosen_portal(context)
        options = {
            "portal": portal,
            "username": chosen_username(context, portal),
            "language": i18n.current_language(),
            "demo": demo is not None,
        }
        os.environ[ENV_OPTIONS] = json.dumps(options)
        if demo is not None:
            os.environ[ENV_PASSWORD] = demo.password
        server = Server(
            f"{shlex.quote(sys.executable)} -m espace_tui.tui.web",
            host=host,
            port=port,
            title="espace-tui",
        )
        note(
            _("The screens are served on {url} (Ctrl+C to stop).").format(
                url=f"http://{host}:{port}/"
            )
        )
        server.serve()
    return 0
