"""How the invoice list scales: Textual's DataTable against espace-tui's InvoiceTable.

Run: `.venv/bin/python benchmarks/invoice_table.py [N ...]`. For each number of invoices it
measures, in a headless app of 120x40 cells, the time to show the list (rows in + first
frame), to show it again after a filter keystroke (every row changes), and 20 cursor moves.
It prints seconds and, more usefully, ratios: how each widget grows with N, and how much
slower DataTable is than InvoiceTable. Numbers vary by machine; the ratios are the point.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from espace_tui.account.query import InvoiceQuery, SearchIndex, apply
from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from espace_tui.tui.widgets.invoice_table import COLUMNS, InvoiceTable, cell_text

TODAY = date(2026, 1, 15)
STATES = ("Payée", "Non payée", "Transmise au Trésor Public", "Prélevée", "En litige")
REGIES = tuple(Regie(str(n), name) for n, name in enumerate(("ÉCOLE", "CANTINE", "LOISIRS")))


def invoices(count: int) -> list[Invoice]:
    """`count` invoices shaped like the portal's (detail included)."""
    result = []
    for n in range(count):
        issued = TODAY - timedelta(days=n % 700)
        invoice = Invoice(
            id=str(100000 + n),
            number=str(1000 + n),
            label=f"Mois {n % 12 + 1} {issued.year}",
            regie=REGIES[n % len(REGIES)],
            row_issued_on=issued,
            row_amount=Decimal(n % 5000) / 10,
            row_status_label=STATES[n % len(STATES)],
        )
        detail = InvoiceDetail(id=invoice.id, due_on=issued + timedelta(days=30))
        result.append(invoice.with_detail(detail))
    return result


class Bench(App[None]):
    def __init__(self, widget: str) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield DataTable() if self.widget == "DataTable" else InvoiceTable(lambda: TODAY)


def show(table: DataTable[str] | InvoiceTable, rows: list[Invoice]) -> None:
    if isinstance(table, InvoiceTable):
        table.set_rows(rows)
        return
    if not table.columns:
        table.add_columns(*(c.title or " " for c in COLUMNS))
    table.clear()
    table.add_rows([cell_text(i, c.key, TODAY) for c in COLUMNS] for i in rows)


async def measure(widget: str, count: int) -> tuple[float, float, float]:
    data = invoices(count)
    app = Bench(widget)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable if widget == "DataTable" else InvoiceTable)
        table.focus()
        await pilot.pause()

        async def timed(action: Callable[[], object]) -> float:
            start = time.perf_counter()
            action()
            await pilot.pause()
            return time.perf_counter() - start

        load = await timed(lambda: show(table, data))
        # A keystroke in the filter, sorted by amount: every row changes. The screen folds the
        # invoices' text once per load (SearchIndex), so the index is built beforehand here too.
        index = SearchIndex(data)
        query = InvoiceQuery(text="cantine", sort="amount")
        refilter = await timed(lambda: show(table, apply(data, query, index)))
        start = time.perf_counter()
        for _ in range(20):
            await pilot.press("down")
        await pilot.pause()
        moves = time.perf_counter() - start
    return load, refilter, moves


async def main(counts: list[int]) -> None:
    results: dict[tuple[str, int], tuple[float, float, float]] = {}
    for widget in ("InvoiceTable", "DataTable"):
        for count in counts:
            results[widget, count] = await measure(widget, count)
            load, refilter, moves = results[widget, count]
            print(
                f"{widget:12} {count:6} invoices: show {load:6.3f}s  "
                f"re-filter {refilter:6.3f}s  20 moves {moves:6.3f}s"
            )
    base = counts[0]
    print(f"\nGrowth against {base} invoices (1.0 = does not grow):")
    for widget in ("InvoiceTable", "DataTable"):
        for count in counts[1:]:
            ratios = [results[widget, count][k] / results[widget, base][k] for k in range(3)]
            print(
                f"  {widget:12} x{count // base:<4} show {ratios[0]:5.1f}  "
                f"re-filter {ratios[1]:5.1f}  moves {ratios[2]:5.1f}"
            )
    print("\nDataTable time / InvoiceTable time:")
    for count in counts:
        ratios = [
            results["DataTable", count][k] / results["InvoiceTable", count][k] for k in range(3)
        ]
        print(
            f"  {count:6} invoices: show {ratios[0]:5.1f}  re-filter {ratios[1]:5.1f}  "
            f"moves {ratios[2]:5.1f}"
        )


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [100, 1000, 5000, 20000]))
