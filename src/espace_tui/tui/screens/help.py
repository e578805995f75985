"""The help screen: every key of the TUI, from the one table in `keys.py`."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from espace_tui.core.i18n import _
from espace_tui.tui.keys import COLUMNS, KEYS, places_text
from espace_tui.tui.safe import literal, literal_text


class HelpScreen(ModalScreen[None]):
    """A table of keys (key, where, what it does), closed with Escape, `?` or `q`."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-dialog {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 1;
    }
    HelpScreen #help-scroll {
        width: 1fr;
        height: auto;
        max-height: 1fr;
    }
    HelpScreen #help-keys {
        width: 1fr;
    }
    HelpScreen #help-close {
        dock: bottom;
        color: $text-muted;
        border-top: solid $panel;
    }
    """

    # No descriptions: a modal screen has no footer, and the keys are documented in `keys.py`.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False, id="help.close"),
        Binding("question_mark", "close", show=False, id="help.close.question"),
        Binding("q", "close", show=False, id="help.close.q"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = literal(_("Keys"))
            # A Rich table in a scroll: on a narrow terminal the last column wraps instead of
            # being cut, and ↑ ↓ scroll a long list.
            with VerticalScroll(id="help-scroll"):
                yield Static(self._table(), id="help-keys")
            yield Static(literal(_("Escape, ? or q close this help.")), id="help-close")

    @staticmethod
    def _table() -> Table:
        table = Table(box=None, show_edge=False, padding=(0, 2, 0, 0), header_style="bold")
        key, where, what = (literal_text(_(name)) for name in COLUMNS)
        table.add_column(key, no_wrap=True)
        table.add_column(where, no_wrap=True)
        table.add_column(what, overflow="fold")
        for row in KEYS:
            # Text, not markup: a key such as `[` must never be read as a style.
            table.add_row(
                literal_text(row.label, "bold"),
                literal_text(places_text(row, _)),
                literal_text(_(row.what)),
            )
        return table

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        if self.is_current:  # a burst of keys (Escape, q) must not close twice
            self.dismiss(None)
