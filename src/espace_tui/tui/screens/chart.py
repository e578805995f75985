"""The last twelve months: what was invoiced each month, stacked by régie, and the amounts of
the month under the cursor (`←`/`→`) below the chart."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Static

from espace_tui.account.months import Months, monthly_amounts
from espace_tui.account.session import Snapshot
from espace_tui.core.i18n import _, ngettext
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal_markup, literal_text
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.texts import money
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.month_chart import SWATCH, MonthChart, month_name, regie_label, truncate
from espace_tui.tui.widgets.problem_bar import ProblemBar

AMOUNT_CELLS = 16
"""Room kept for an amount in the month's lines (`12 345,60 €` and more)."""


class ChartScreen(EspaceScreen):
    """Shows the snapshot's last twelve months as a `MonthChart`, and the selected month's
    amounts per régie and in all."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.months: Months | None = None
        self.cursor = 11
        """The selected month (0: the oldest); kept here, so a language switch keeps it."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="as-of")
        yield MonthChart(id="chart")
        yield Static(id="month-amounts")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self.query_one(MonthChart).focus()
        self.redraw()

    def redraw(self) -> None:
        self.title = _("Twelve months")
        super().redraw()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        super().show_snapshot(snapshot)
        text = self.as_of_text()
        mark = self.query_one("#as-of", Static)
        mark.display = bool(text)
        mark.update(literal_markup("[dim]$text[/]", text=text))
        self.months = monthly_amounts(snapshot.invoices, self.today())
        chart = self.query_one(MonthChart)
        chart.show(self.months)
        chart.cursor = self.cursor
        self.show_amounts()

    @on(MonthChart.Moved)
    def moved(self, event: MonthChart.Moved) -> None:
        self.cursor = event.index
        self.show_amounts()

    def show_amounts(self) -> None:
        """The selected month: each régie's amount and the total, in French money format."""
        months = self.months
        panel = self.query_one("#month-amounts", Static)
        if months is None:
            panel.update("")
            return
        chart = self.query_one(MonthChart)
        month = months.months[self.cursor]
        width = max(panel.size.width or self.size.width - 4, 30)
        name_cells = min(
            max((cell_len(regie_label(n)) for n in months.regies), default=0) + 2,
            width - AMOUNT_CELLS,
        )
        lines = [literal_text(month_name(month.start), "bold")]
        for index, (name, amount) in enumerate(zip(months.regies, month.amounts, strict=True)):
            label = truncate(regie_label(name), name_cells - 2).ljust(name_cells - 2)
            lines.append(
                Text.assemble(
                    (SWATCH, chart.regie_style(index)),
                    " ",
                    label,
                    money(amount).rjust(AMOUNT_CELLS),
                )
            )
        total = _("Total")
        lines.append(
            Text.assemble(
                ("  " + total.ljust(name_cells - 2), "bold"),
                (money(month.total).rjust(AMOUNT_CELLS), "bold"),
            )
        )
        notes = self._notes(months)
        if notes:
            lines.append(literal_text(notes, "dim"))
        panel.update(Text("\n").join(lines))

    def _notes(self, months: Months) -> str:
        """What the chart cannot count, said rather than silently left out."""
        notes = []
        if months.left_out:
            notes.append(
                ngettext(
                    "{count} invoice without an amount is not counted.",
                    "{count} invoices without an amount are not counted.",
                    months.left_out,
                ).format(count=months.left_out)
            )
        if months.undated:
            notes.append(
                ngettext(
                    "{count} invoice without an issue date is not counted.",
                    "{count} invoices without an issue date are not counted.",
                    months.undated,
                ).format(count=months.undated)
            )
        return " ".join(notes)

    def on_resize(self) -> None:
        self.show_amounts()
