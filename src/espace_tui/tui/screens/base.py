"""What every screen of the app shares: the context, Escape/refresh keys, problems, language.

Workers only do their work: a failure is not caught in each of them but reaches
`_worker_failed`, the one handler that turns it into words, with the retry its group offers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from espace_tui.account.session import AccountSession, Snapshot, offline_message
from espace_tui.core.formats import format_datetime
from espace_tui.core.i18n import N_, _
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.problems import problem_for
from espace_tui.tui.safe import notify
from espace_tui.tui.translate import translate_bindings
from espace_tui.tui.widgets.problem_bar import ProblemBar


class EspaceScreen(Screen[None]):
    """A screen of the app. Subclasses show a `Snapshot` and run their network work in
    workers on themselves, so leaving the screen cancels it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("r", "refresh", N_("Refresh"), id="refresh"),
    ]

    class Loaded(Message):
        """The screen loaded a new list from the portal (its details may still be missing)."""

    ROOT = False
    """A root screen (login, dashboard) has nothing to go back to."""

    RETRIES: ClassVar[dict[str, str]] = {"load": "reload"}
    """Worker group → the method a failure of that group offers as Retry (in the problem bar).
    A failed group that is not here is told in a notification (an action: save, open, pay)."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.context = context
        self._retry: Callable[[], object] | None = None
        self._shown_version = -1
        translate_bindings(self)

    @property
    def session(self) -> AccountSession:
        return self.context.session

    def today(self) -> date:
        return self.context.today()

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.ROOT
        if action == "refresh":
            return self.session.logged_in or self.session.offline
        return True

    def action_back(self) -> None:
        # Keys read in one burst (Escape, then q) can reach a screen already leaving: never
        # dismiss twice, which would close the screen below too.
        if self.is_current:
            self.dismiss()

    def action_refresh(self) -> None:
        if not self.needs_portal():
            self.reload()

    def needs_portal(self) -> bool:
        """Offline (`--offline`), an action that needs the portal says so plainly, and True:
        the caller does nothing more."""
        if not self.session.offline:
            return False
        notify(self, offline_message(), severity="warning", timeout=10)
        return True

    def as_of_text(self) -> str:
        """When what is shown was read, while it is the store's: "Offline: as read on …"
        (`--offline`), or "Updated on …" until the refresh in the background replaces it."""
        session = self.session
        if session.read_at is None:
            return ""
        when = format_datetime(session.read_at)
        if session.offline:
            return _("Offline: as read on {date}.").format(date=when)
        text = _("Updated on {date}").format(date=when)
        if getattr(self.app, "refreshing", False):
            text += " · " + _("⟳ refreshing…")
        return text

    # -- data ---------------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Render what the portal said; subclasses override and call super()."""
        self._shown_version = snapshot.version

    def on_screen_resume(self) -> None:
        # A refresh done on a screen above this one changed the data: show it here too.
        # One shown from the store may have a new mark (the refresh under it ended).
        snapshot = self.session.snapshot
        changed = snapshot is not None and snapshot.version != self._shown_version
        if snapshot is not None and (changed or self.session.read_at is not None):
            self.show_snapshot(snapshot)

    def set_busy(self, busy: bool) -> None:
        """Show a loading indicator over the screen's content while the portal is asked."""
        for content in self.query(".busy-target"):
            content.loading = busy

    @work(exclusive=True, group="load", exit_on_error=False)
    async def reload(self) -> None:
        """Load everything again from the portal (key r)."""
        self.clear_problem()
        self.set_busy(True)
        snapshot = await self.session.refresh()
        self.set_busy(False)
        self.show_snapshot(snapshot)
        self.post_message(self.Loaded())

    # -- problems -----------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker of this screen becomes words, never a crash."""
        worker, error = event.worker, event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        self.set_busy(False)
        retry_name = self.RETRIES.get(worker.group)
        if retry_name is None:
            self.notify_problem(error)
        else:
            self.report(error, retry=getattr(self, retry_name))

    def report(self, error: BaseException, *, retry: Callable[[], object] | None = None) -> None:
        """Show a failure in the screen's problem bar (with Retry when it can help)."""
        problem = problem_for(error)
        self._retry = retry if problem.retry else None
        bars = self.query(ProblemBar)
        if bars:
            bars.first().show(problem, retry=self._retry is not None)
        else:
            notify(self, problem.message, severity=problem.severity, timeout=10)

    def notify_problem(self, error: BaseException) -> None:
        """Tell about a failed action (save, open, pay) in a notification (the message may hold
        the site's words: shown as they are)."""
        problem = problem_for(error)
        if any(bar.message == problem.message for bar in self.query(ProblemBar)):
            return  # the banner already says it: once is enough
        notify(self, problem.message, severity=problem.severity, timeout=10)

    def clear_problem(self) -> None:
        self._retry = None
        for bar in self.query(ProblemBar):
            bar.clear()

    def on_problem_bar_retry(self, event: ProblemBar.Retry) -> None:
        event.stop()
        retry, self._retry = self._retry, None
        self.clear_problem()
        if retry is not None:
            retry()

    # -- language -----------------------------------------------------------------------

    def redraw(self) -> None:
        """Fill the composed widgets: titles, and the snapshot when there is one."""
        self.sub_title = self.session.label
        snapshot = self.session.snapshot
        if snapshot is not None:
            self.show_snapshot(snapshot)

    async def retranslate(self) -> None:
        """Show the screen again in the current language (after a switch from the palette);
        what the user chose (filter, cursor, typed fields) lives on the screen, not in the
        widgets, so it survives."""
        translate_bindings(self)
        self.refresh_bindings()
        # Recomposing replaces every widget: the focus goes back to the new widget of the same
        # id, so the keys (↓, Enter) keep working without a Tab.
        focused = self.focused
        focus_id = focused.id if focused is not None else None
        await self.recompose()
        self.redraw()
        if focus_id is not None:
            for widget in self.query(f"#{focus_id}"):
                if widget.focusable:
                    self.set_focus(widget)
                    break
