"""The invoice list's table: a Line-API widget that renders only the rows on screen.

Textual's `DataTable` measures and styles every row it is given; with the thousands of invoices
a long-lived account (or the mock's `invoices=5000`) holds, loading and re-filtering it takes
seconds (see `benchmarks/invoice_table.py`). This widget keeps the rows as model objects and
formats only the visible ones in `render_line`, so filtering, sorting and moving stay instant.
The header is its first line and never scrolls away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as TextualStyle

from espace_tui.account.owed import still_due
from espace_tui.core.formats import format_date
from espace_tui.core.i18n import N_, _
from espace_tui.core.model import Invoice, Status
from espace_tui.tui.safe import plain
from espace_tui.tui.styles import OVERDUE_STYLE, invoice_style
from espace_tui.tui.texts import money
from espace_tui.tui.translate import translate_bindings


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table: a sort key, a title (English source), a width, an alignment."""

    key: str
    title: str
    width: int
    """Cells; 0 for a column that shares the room left over."""
    right: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", N_("No."), 8, right=True),
    Column("period", N_("Period"), 14),
    Column("regie", N_("Régie"), 0),
    Column("issued", N_("Issued"), 10),
    Column("due", N_("Due"), 10),
    Column("amount", N_("Amount"), 11, right=True),
    Column("remaining", N_("Still due"), 13, right=True),  # "Reste à payer" in French
    Column("state", N_("State"), 0),
)

SHORT_STATES: dict[Status, str] = {
    Status.PAID: N_("paid"),
    Status.UNPAID: N_("to pay"),
    Status.TREASURY: N_("Treasury"),
    Status.DIRECT_DEBIT: N_("debit"),
    Status.UNKNOWN: N_("other"),
}
"""A state in one short word, for a table too narrow for the site's words (80 columns)."""

REGIE_MIN = 12
"""The régie keeps this many cells before the state's words are shortened."""


def short_state(invoice: Invoice) -> str:
    """The invoice's state in one short word, in the current language."""
    return _(SHORT_STATES[invoice.status])


def cell_text(invoice: Invoice, key: str, today: date, *, short: bool = False) -> str:
    """The text of one cell (site words as they are; French dates and amounts), safe for the
    terminal: the segments drawn here reach it without Textual's markup or checks, so each
    control character of the site's words is replaced (`safe.plain`)."""
    return plain(_cell_text(invoice, key, today, short=short))


def _cell_text(invoice: Invoice, key: str, today: date, *, short: bool = False) -> str:
    if key == "number":
        # An overdue invoice is marked in front of its number.
        mark = "!" if invoice.is_overdue(today) else " "
        return f"{mark} {invoice.number or '':>{COLUMNS[0].width - 2}}"
    if key == "period":
        return invoice.label or ""
    if key == "regie":
        return invoice.regie_name or ""
    if key == "issued":
        return format_date(invoice.issued_on, unknown="")
    if key == "due":
        return format_date(invoice.due_on, unknown="")
    if key == "amount":
        return money(invoice.amount, unknown="")
    if key == "remaining":
        due = still_due(invoice)
        return money(due) if due > 0 else ""
    if key == "state":
        return short_state(invoice) if short else invoice.status_label or ""
    raise KeyError(key)


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns shown at a width, each with its cells, and whether states are short."""

    columns: tuple[tuple[Column, int], ...]
    short_states: bool


def layout(width: int, state_cells: int = 30, short_cells: int = 8) -> Layout:
    """The columns shown in a table `width` cells wide (one space between columns).

    The state comes before the régie: it gets what its longest words need (`state_cells`) as
    far as the régie keeps `REGIE_MIN` cells; short of room, the issue date goes first, then the
    state is one short word (`short_cells`); the régie gets what is left, and is cut first."""
    columns = list(COLUMNS)

    def room() -> int:
        return width - sum(c.width for c in columns) - (len(columns) - 1)

    if room() < state_cells + REGIE_MIN:
        columns = [c for c in columns if c.key != "issued"]
    short = room() < min(state_cells, 20) + REGIE_MIN
    state = short_cells if short else max(min(state_cells, room() - REGIE_MIN), 5)
    regie = room() - state
    if regie < 3:  # no room for a readable régie at all: the state takes the space
        columns = [c for c in columns if c.key != "regie"]
        state = room()
        regie = 0
    return Layout(
        tuple((c, c.width or (state if c.key == "state" else regie)) for c in columns),
        short,
    )


class InvoiceTable(ScrollView, can_focus=True):
    """A table of invoices with a row cursor; posts `Selected` on Enter or a click on the
    highlighted row and `HeaderClicked` on a click on a column title."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "invoice-table--header",
        "invoice-table--sorted",
        "invoice-table--cursor",
        "invoice-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", N_("Open"), id="open"),
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]

    DEFAULT_CSS = """
    InvoiceTable { overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """The index of the highlighted row among the rows shown."""

    @dataclass
    class Selected(Message):
        """The user opened an invoice."""

        invoice: Invoice

    @dataclass
    class Highlighted(Message):
        """The cursor is on another invoice."""

        invoice: Invoice

    @dataclass
    class HeaderClicked(Message):
        """The user clicked a column title (to sort by it)."""

        key: str

    def __init__(
        self, today: Callable[[], date], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)  # its Enter shows in the footer; a language switch recomposes
        self._today = today
        self._rows: Sequence[Invoice] = ()
        self._sort: str | None = None
        self._reverse = False
        self._state_styles: dict[tuple[str, str], Style] = {}
        self._state_cells = 10
        self._short_cells = 8
        self.empty_text = ""
        """What the table says when it has no row (e.g. a filter that matches nothing)."""

    # -- data ---------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Invoice]:
        return self._rows

    @property
    def highlighted(self) -> Invoice | None:
        """The invoice under the cursor, None when the table is empty."""
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(
        self,
        rows: Sequence[Invoice],
        *,
        keep: str | None = None,
        first: bool = False,
        empty: str = "",
    ) -> None:
        """Show these rows; the cursor goes to the first row (`first`: a new filter), else
        stays on invoice `keep` when it is still there, else near where it was. `empty` is
        what the table says when there is no row."""
        previous = self.cursor
        self._rows = rows
        self.empty_text = empty
        # Measured once per distinct state (an account has a handful), not once per row: the
        # rows are set again at every step of a long account's loading.
        labels = {i.status_label for i in rows}
        self._state_cells = max((cell_len(plain(label or "")) for label in labels), default=10)
        states = {i.status for i in rows}
        self._short_cells = max((cell_len(_(SHORT_STATES[s])) for s in states), default=8)
        self.virtual_size = Size(0, len(rows) + 1)
        index = next((n for n, i in enumerate(rows) if i.id == keep), None) if keep else None
        if first:
            index = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = index if index is not None else min(previous, max(len(rows) - 1, 0))
        self.refresh()

    def set_sort(self, key: str | None, reverse: bool) -> None:
        """Mark the sorted column's title (the rows are sorted by the caller)."""
        self._sort, self._reverse = key, reverse
        self.refresh()

    # -- cursor -------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self.highlighted is not None:
            self.post_message(self.Highlighted(self.highlighted))

    @property
    def _page(self) -> int:
        """Rows visible under the header."""
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._page:
            self.scroll_to(y=self.cursor - self._page + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page

    def action_page_down(self) -> None:
        self.cursor += self._page

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            key = self._column_at(offset.x)
            if key is not None:
                self.post_message(self.HeaderClicked(key))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor:
                self.action_select()
            self.cursor = index

    def _column_at(self, x: int) -> str | None:
        start = 0
        for column, width in self._layout(self.scrollable_content_region.width).columns:
            if start <= x < start + width + 1:
                return column.key
            start += width + 1
        return None

    # -- rendering ----------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"invoice-table--{name}")

    def _state_style(self, style: str) -> Style:
        """A `styles` string (theme variables) as a Rich style, for the current theme."""
        key = (self.app.theme, style)
        cached = self._state_styles.get(key)
        if cached is None:
            cached = self._state_styles[key] = TextualStyle.parse(style).rich_style
        return cached

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        shown = self._layout(width)
        base = self.rich_style
        if y == 0:
            return self._header(shown, width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            if index == 0 and self.empty_text:
                muted = base + self._style("empty")
                return Strip([Segment(plain(self.empty_text), muted)]).adjust_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        invoice = self._rows[index]
        today = self._today()
        row_style = base
        if index == self.cursor:
            row_style = base + self._style("cursor")
        style_text = invoice_style(invoice, today)
        state = self._state_style(style_text)
        overdue = style_text == OVERDUE_STYLE
        segments: list[Segment] = []
        last = len(shown.columns) - 1
        for n, (column, cells) in enumerate(shown.columns):
            text = cell_text(invoice, column.key, today, short=shown.short_states)
            text = _fit(text, cells, right=column.right)
            coloured = overdue or column.key in ("amount", "remaining", "state")
            style = base + state + row_style if coloured else row_style
            # The cursor's own colours win, so the highlighted row stays readable.
            if index == self.cursor and coloured:
                style = base + state + self._style("cursor")
            segments.append(Segment(text, style))
            if n < last:
                segments.append(Segment(" ", row_style))
        return Strip(segments).adjust_cell_length(width, row_style)

    def _layout(self, width: int) -> Layout:
        return layout(width, self._state_cells, self._short_cells)

    def _header(self, shown: Layout, width: int, base: Style) -> Strip:
        header = base + self._style("header")
        segments: list[Segment] = []
        last = len(shown.columns) - 1
        for n, (column, cells) in enumerate(shown.columns):
            title = plain(_(column.title)) if column.title else ""
            if column.key == self._sort:
                title = f"{title} {'▼' if self._reverse else '▲'}"
            style = header + self._style("sorted") if column.key == self._sort else header
            segments.append(Segment(_fit(title, cells, right=column.right), style))
            if n < last:
                segments.append(Segment(" ", header))
        return Strip(segments).adjust_cell_length(width, header)


def _fit(text: str, cells: int, *, right: bool = False) -> str:
    """Pad or crop (with an ellipsis) to exactly `cells` cells."""
    length = cell_len(text)
    if length > cells:
        return set_cell_size(text, cells - 1) + "…" if cells > 1 else set_cell_size(text, cells)
    padding = " " * (cells - length)
    return padding + text if right else text + padding
