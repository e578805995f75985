"""A line under a screen's content that says what went wrong, with a Retry button."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from espace_tui.core.i18n import _
from espace_tui.tui.problems import Problem
from espace_tui.tui.safe import literal


class ProblemBar(Horizontal):
    """Hidden until `show`; posts `ProblemBar.Retry` when its button is pressed."""

    class Retry(Message):
        """The user asked to try the failed action again."""

    def compose(self) -> ComposeResult:
        yield Static(id="problem-message")
        yield Button(literal(_("Retry")), id="problem-retry", variant="warning")

    def on_mount(self) -> None:
        self.display = False

    @property
    def message(self) -> str:
        """The text shown, empty when hidden (for tests and screen readers)."""
        return str(self.query_one("#problem-message", Static).content) if self.display else ""

    def show(self, problem: Problem, *, retry: bool) -> None:
        # The message carries the site's words (a refusal, a maintenance text): never markup.
        self.query_one("#problem-message", Static).update(literal(problem.message))
        self.query_one("#problem-retry", Button).display = retry
        self.set_class(problem.severity == "warning", "-warning")
        self.display = True

    def clear(self) -> None:
        self.display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Retry())
