"""The screens in a browser (`espace-tui web`): the program textual-serve starts for each
browser tab, as `python -m espace_tui.tui.web`, with the choices of the command line in
$ESPACE_TUI_WEB_OPTIONS (set by `espace_tui.cli.web`).

In a browser, the person's machine is the browser's, not the server's: a payment address
opens in that browser (`App.open_url`), and a PDF is handed to it as a download
(`App.deliver_binary`) instead of being kept on the server (it passes through a private
temporary folder, removed when the tab is closed). Nothing else changes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.app import App

from espace_tui.account.logs import start_logging, stop_logging
from espace_tui.account.options import RunOptions
from espace_tui.account.portals import PortalFactory, real_portal
from espace_tui.account.session import AccountSession, SavedPdf
from espace_tui.core import i18n
from espace_tui.core.model import Invoice
from espace_tui.tui.app import EspaceApp

ENV_OPTIONS = "ESPACE_TUI_WEB_OPTIONS"


def _on_app_thread(app: App[Any], call: Callable[[], object]) -> None:
    """Run `call` on the app's thread (the opener is called from a thread worker too)."""
    if threading.get_ident() == app._thread_id:
        call()
    else:
        app.call_from_thread(call)


class BrowserOpener:
    """The opener of a browser tab: addresses and files go to the browser showing the app."""

    def __init__(self) -> None:
        self.app: App[Any] | None = None

    def open_url(self, url: str) -> bool:
        app = self.app
        if app is None:
            return False
        _on_app_thread(app, lambda: app.open_url(url, new_tab=True))
        return True

    def open_file(self, path: Path) -> bool:
        app = self.app
        if app is None:
            return False
        _on_app_thread(
            app,
            lambda: app.deliver_binary(
                path, save_filename=path.name, open_method="browser", mime_type="application/pdf"
            ),
        )
        return True


class DeliveringSession(AccountSession):
    """The account session of a browser tab: a saved PDF is delivered to the browser."""

    def __init__(self, *args: Any, deliver: Callable[[Path], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deliver = deliver
        self._opening = False

    async def save_pdf(self, invoice: Invoice) -> SavedPdf:
        saved = await super().save_pdf(invoice)
        if not self._opening:  # `o` hands the file to the browser itself (BrowserOpener)
            self._deliver(saved.path)
        return saved

    async def pdf_path(self, invoice: Invoice) -> Path:
        self._opening = True
        try:
            return await super().pdf_path(invoice)
        finally:
            self._opening = False


class WebApp(EspaceApp):
    """espace-tui's screens for one browser tab."""

    delivers_to_browser = True
    """A PDF goes to the browser's downloads, not to a folder the user can see."""

    def __init__(
        self, options: RunOptions, *, portal_factory: PortalFactory, downloads: Path
    ) -> None:
        opener = BrowserOpener()
        options = replace(options, download_dir=downloads)
        super().__init__(options, portal_factory=portal_factory, opener=opener)
        opener.app = self
        self.session = DeliveringSession(
            portal_factory,
            credentials=self.credentials,
            settings=self.settings,
            download_dir=downloads,
            remember=self.session.remember,
            deliver=self._deliver_pdf,
        )
        self.context = replace(self.context, session=self.session)

    def _deliver_pdf(self, path: Path) -> None:
        self.deliver_binary(path, save_filename=path.name, mime_type="application/pdf")


def options_from_environment() -> RunOptions:
    """The command line's choices, as `espace_tui.cli.web` wrote them."""
    given = json.loads(os.environ.get(ENV_OPTIONS) or "{}")
    language = given.get("language") or "fr"
    i18n.set_language(language)
    return RunOptions(
        portal=given.get("portal"),
        username=given.get("username"),
        password=os.environ.get("ESPACE_TUI_PASSWORD") or None,
        download_dir=Path(tempfile.gettempdir()),
        language=language,
        demo=bool(given.get("demo")),
        remember=not given.get("demo"),
    )


def main() -> int:
    options = options_from_environment()
    # The tab's log goes to the file only: its stdout and stderr are the browser's terminal.
    start_logging([options.password] if options.password else [])
    try:
        with tempfile.TemporaryDirectory(prefix="espace-tui-web-") as downloads:
            app = WebApp(options, portal_factory=real_portal, downloads=Path(downloads))
            app.run()
            return app.return_code or 0
    finally:
        stop_logging()


if __name__ == "__main__":
    sys.exit(main())
