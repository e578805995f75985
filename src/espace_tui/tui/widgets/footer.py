"""The footer every screen shows: Textual's, with help and quit first.

Textual's footer lists the focused widget's keys first and the app's last; on an 80-column
terminal the last ones are cut, and those are `?` and `q`, the two a new user needs most.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST_ACTIONS = ("help", "app.help", "quit", "app.quit")
"""The actions whose keys always come first, in this order."""


class EspaceFooter(Footer):
    """Textual's footer with the help and quit keys first, so a narrow terminal never cuts
    them."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())

        def rank(widget: object) -> int:
            if isinstance(widget, FooterKey) and widget.action in FIRST_ACTIONS:
                return FIRST_ACTIONS.index(widget.action)
            return len(FIRST_ACTIONS)

        yield from sorted(widgets, key=rank)
