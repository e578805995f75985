"""Twelve months of invoices as stacked bars, a colour per régie, drawn with block characters.

Drawn here rather than with textual-plotext: plotext draws the bars (with Textual 8.2, and the
same picture every time), but at 80 columns its legend lies over the bars, its scale reads
`44.0` rather than French amounts, and a bar cannot be marked as the selected one. Here the
bars are Rich `Text` of block characters: the top of each part is cut to an eighth of a cell
(`▁`…`▇`, the part above as the background), the colours are the theme's (component classes,
so a theme change recolours the chart), the scale is in euros, and `←`/`→` move a cursor over
the months, which the screen shows the amounts of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from espace_tui.account.months import Months
from espace_tui.core.formats import NO_BREAK_SPACE, format_money
from espace_tui.core.i18n import N_, _
from espace_tui.tui.safe import plain
from espace_tui.tui.translate import translate_bindings

SHORT_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
"""The months under the bars; in French CLDR's abbreviations (`janv.`, `févr.`, `mai`)."""

MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
"""The months in full, for the amounts of the selected month (in French: `janvier`)."""

COLOURS = 6
"""Régie colours (`month-chart--regie-0`…): a seventh régie takes the first colour again."""

BLOCKS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom by 0 to 8 eighths."""

SWATCH = "█"


def short_month(start: date) -> str:
    """`Mar` (`mars`): the month under its bar."""
    return _(SHORT_MONTHS[start.month - 1])


def month_name(start: date) -> str:
    """`March 2025` (`Mars 2025`: a heading, so capitalised in French too)."""
    name = _(MONTH_NAMES[start.month - 1])
    return f"{name[:1].upper()}{name[1:]} {start.year}"


def regie_label(name: str) -> str:
    """A régie as the legend names it ("" is the invoices without one)."""
    return name or _("(no régie)")


def truncate(text: str, cells: int) -> str:
    """`text` in at most `cells` cells, cut with `…` (the site's words, made printable)."""
    text = plain(text)
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(cells - 1, 0)) + "…" if cells > 0 else ""


def nice_top(largest: Decimal, intervals: int) -> Decimal:
    """The scale's top: the least `intervals` × (1, 2, 2.5 or 5 × 10ⁿ) not below `largest`."""
    if largest <= 0:
        return Decimal(intervals)
    raw = largest / intervals
    power = Decimal(10) ** (raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = factor * power
        if step >= raw:
            return step * intervals
    return Decimal(10) * power * intervals  # never reached: 10 × 10ⁿ ≥ raw


def scale_label(value: Decimal) -> str:
    """A value of the scale as `format_money` writes it, without the `€` (the scale says it
    once, above) nor cents when there are none: `1 500`, `2,50`."""
    figures = format_money(value, no_break=True).removesuffix(f"{NO_BREAK_SPACE}€")
    return figures.removesuffix(",00")


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where things go for a size: the scale's width, the slot and bar width of each month."""

    scale: int
    slot: int
    bar: int
    rows: int


class MonthChart(Widget, can_focus=True):
    """Stacked bars of `Months`; `←`/`→` move the month cursor and post `Moved`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"month-chart--regie-{n}" for n in range(COLOURS)),
        "month-chart--axis",
        "month-chart--cursor",
        "month-chart--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # One footer entry for both arrows: the footer keeps its room for `?`, `q` and Escape.
        Binding("left", "move(-1)", N_("Month"), key_display="← →", id="previous-month"),
        Binding("right", "move(1)", N_("Next month"), show=False, id="next-month"),
        Binding("home", "move(-12)", N_("First month"), show=False, id="first-month"),
        Binding("end", "move(12)", N_("Last month"), show=False, id="last-month"),
    ]

    @dataclass
    class Moved(Message):
        """The month cursor is on another month (0: the oldest of the twelve)."""

        chart: MonthChart
        index: int

    cursor: reactive[int] = reactive(11)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.months: Months | None = None
        self._shape: Geometry | None = None
        """Where the last drawing put the bars (for the mouse)."""
        translate_bindings(self)

    def show(self, months: Months) -> None:
        """Draw these months (the cursor stays on the same place in the twelve)."""
        self.months = months
        self.refresh()

    def validate_cursor(self, cursor: int) -> int:
        count = len(self.months.months) if self.months else 12
        return max(0, min(cursor, count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Moved(self, new))

    def action_move(self, step: int) -> None:
        self.cursor += step

    def regie_style(self, index: int) -> Style:
        """The colour of the régie at `index` in `Months.regies` (the screen's amounts too)."""
        return self.get_component_rich_style(f"month-chart--regie-{index % COLOURS}")

    # -- drawing ------------------------------------------------------------------------

    def legend_lines(self, width: int) -> list[Text]:
        """`█ name` per régie, each cut to share the width, packed onto as few lines as fit."""
        if self.months is None or not self.months.regies:
            return []
        regies = self.months.regies
        names = [plain(regie_label(name)) for name in regies]
        gaps = 2 * (len(names) - 1) + 2 * len(names)  # between items, and each swatch
        # The widest cut that puts every name on one line; short of 12 cells, several lines.
        share = next(
            (
                cap
                for cap in range(max(cell_len(n) for n in names), 11, -1)
                if sum(min(cell_len(n), cap) for n in names) + gaps <= width
            ),
            max(12, width // 2 - 4),
        )
        items = [
            Text.assemble((SWATCH, self.regie_style(n)), " ", truncate(name, share))
            for n, name in enumerate(names)
        ]
        lines: list[Text] = []
        line = Text()
        for item in items:
            if line.cell_len and line.cell_len + 2 + item.cell_len > width:
                lines.append(line)
                line = Text()
            if line.cell_len:
                line.append("  ")
            line.append_text(item)
        lines.append(line)
        return lines

    def geometry(self, width: int, rows: int, labels: list[str]) -> Geometry:
        scale = max(cell_len(label) for label in labels) + 1
        count = len(self.months.months) if self.months else 12
        slot = max((width - scale - 1) // count, 2)
        return Geometry(scale=scale, slot=slot, bar=max(slot - 1, 1), rows=rows)

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        months = self.months
        if months is None or width < 20 or height < 6:
            return Text()
        legend = self.legend_lines(width)
        rows = max(height - len(legend) - 4, 2)  # the unit, the axis, the months, the years
        intervals = 4 if rows >= 12 else 2
        top = nice_top(months.largest, intervals)
        ticks = {
            rows - round(rows * k / intervals): scale_label(top * k / intervals)
            for k in range(1, intervals + 1)
        }
        shape = self.geometry(width, rows, [*ticks.values(), "0"])
        self._shape = shape
        axis = self.get_component_rich_style("month-chart--axis")
        lines = [*legend, Text(" " * (shape.scale - 2) + "€", style=axis)]
        columns = [self._column(month.amounts, top, rows) for month in months.months]
        for row in range(rows):
            line = Text(ticks.get(row, "").rjust(shape.scale - 1) + " ", style=axis)
            line.append("┤" if row in ticks else "│", style=axis)
            for column in columns:
                line.append_text(self._cell(column, rows - 1 - row, shape.bar))
                line.append(" " * (shape.slot - shape.bar))
            lines.append(line)
        lines.append(
            Text("0".rjust(shape.scale - 1) + " └" + "─" * (shape.slot * len(columns)), style=axis)
        )
        lines.append(self._month_labels(shape))
        lines.append(self._year_labels(shape))
        if months.total == 0:
            empty = _("Nothing was invoiced in these twelve months.")
            middle = len(legend) + 1 + rows // 2
            lines[middle] = Text(" " * (shape.scale + 2)) + Text(
                truncate(empty, width - shape.scale - 2),
                style=self.get_component_rich_style("month-chart--empty"),
            )
        text = Text("\n").join(lines)
        text.no_wrap = True
        text.overflow = "crop"
        return text

    def _column(
        self, amounts: tuple[Decimal, ...], top: Decimal, rows: int
    ) -> list[tuple[int, int]]:
        """Each régie's part of a bar as (its top in eighths of a cell, régie index): a part
        that is not nothing gets at least an eighth, so it is seen."""
        units = rows * 8
        parts: list[tuple[int, int]] = []
        reached = 0
        cumulated = Decimal(0)
        for index, amount in enumerate(amounts):
            if amount <= 0:  # a credit is not drawn below the axis: its amount is listed
                continue
            cumulated += amount
            end = int((cumulated / top * units).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            end = min(max(end, reached + 1), units)
            if end > reached:
                parts.append((end, index))
                reached = end
        return parts

    def _cell(self, parts: list[tuple[int, int]], row: int, bar: int) -> Text:
        """The `bar` cells of a column at `row` (0: the lowest)."""
        low, high = row * 8, row * 8 + 8
        pieces: list[tuple[int, int, int]] = []  # (start, end, régie) of the parts in the cell
        start = 0
        for end, index in parts:
            if end > low and start < high:
                pieces.append((max(start, low), min(end, high), index))
            start = end
        if not pieces:
            return Text(" " * bar)
        top_start, top_end, top_index = pieces[-1]
        if len(pieces) == 1:
            return Text(BLOCKS[top_end - low] * bar, style=self.regie_style(top_index))
        # A cell shows two colours at most: the block's and, above it, the background. The
        # parts below the top one are drawn in the colour of the one that takes most room.
        lower = max(pieces[:-1], key=lambda piece: piece[1] - piece[0])[2]
        if top_end >= high:  # the top part goes on above: it is the background
            style = self.regie_style(lower) + Style(bgcolor=self.regie_style(top_index).color)
            return Text(BLOCKS[top_start - low] * bar, style=style)
        # The bar ends in this cell: its height is kept, in the colour that takes most room.
        largest = max(pieces, key=lambda piece: piece[1] - piece[0])[2]
        return Text(BLOCKS[top_end - low] * bar, style=self.regie_style(largest))

    def _month_labels(self, shape: Geometry) -> Text:
        """The short months under their bars, the selected one marked."""
        assert self.months is not None
        line = Text(" " * (shape.scale + 1))
        cursor_style = self.get_component_rich_style("month-chart--cursor")
        for number, month in enumerate(self.months.months):
            label = short_month(month.start)
            if cell_len(label) > shape.bar:  # `janv.` over a narrow bar: `janv`
                label = label.rstrip(".")
            label = set_cell_size(label, min(cell_len(label), shape.bar))
            cell = label.center(shape.bar)
            line.append(cell, style=cursor_style if number == self.cursor else "")
            line.append(" " * (shape.slot - shape.bar))
        return line

    def _year_labels(self, shape: Geometry) -> Text:
        """The year under the first month and under each January."""
        assert self.months is not None
        axis = self.get_component_rich_style("month-chart--axis")
        line = Text(" " * (shape.scale + 1))
        for number, month in enumerate(self.months.months):
            year = str(month.start.year) if number == 0 or month.start.month == 1 else ""
            line.append(set_cell_size(year.center(shape.bar), shape.slot), style=axis)
        return line

    # -- the mouse ----------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click on a bar (or its month) selects that month."""
        shape = self._shape
        if self.months is None or shape is None:
            return
        index = (event.x - shape.scale - 1) // shape.slot
        if 0 <= index < len(self.months.months) and event.x > shape.scale:
            self.cursor = index
