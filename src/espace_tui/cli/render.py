"""What the headless commands print: JSON objects, the aligned table, one invoice's sheet, and
the sentence of what to do for an invoice's state. Plain text only (no Textual, no I/O), so the
screens may reuse `advice_for` and `invoice_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from rich.cells import cell_len

from espace_tui.account.owed import owed
from espace_tui.account.portals import PaymentRequest
from espace_tui.account.session import pay_without_portal
from espace_tui.core.advice import advice
from espace_tui.core.formats import amount_for_json, clean_text, format_date, format_money
from espace_tui.core.i18n import _, ngettext
from espace_tui.core.model import Invoice, InvoiceLine

JsonObject = dict[str, Any]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _decimal_text(value: Decimal | None) -> str | None:
    """A quantity as a plain decimal string (`"5"`, `"1.5"`), never a float."""
    if value is None:
        return None
    return f"{value.normalize():f}"


def invoice_json(invoice: Invoice, today: date) -> JsonObject:
    """One invoice as `invoices --json` prints it (unknown values are None → `null`)."""
    detail = invoice.detail
    return {
        "id": invoice.id,
        "number": invoice.number,
        "label": clean_text(invoice.label),
        "regie": clean_text(invoice.regie_name),
        "payer": clean_text(invoice.payer),
        "issued_on": _iso(invoice.issued_on),
        "due_on": _iso(invoice.due_on),
        "amount": amount_for_json(invoice.amount),
        "remaining": amount_for_json(invoice.remaining),
        "status": invoice.status.value,
        "status_label": clean_text(invoice.status_label),
        "payment_mode": detail.payment_mode.value if detail else None,
        "payment_mode_label": clean_text(detail.payment_mode_label) if detail else None,
        "payable_online": invoice.payable_online,
        "overdue": invoice.is_overdue(today),
    }


def _line_json(line: InvoiceLine) -> JsonObject:
    return {
        "person": clean_text(line.person),
        "service": clean_text(line.service),
        "quantity": _decimal_text(line.quantity),
        "unit_price": amount_for_json(line.unit_price),
        "amount": amount_for_json(line.amount),
    }


def payment_test_notice() -> str:
    """What `pay` says of a test payment (`saisie=T`, or PayFiP's test site)."""
    return _("This is a TEST payment (PayFiP's test mode): no real payment is made.")


def _treasury_json(reference: PaymentRequest | None) -> JsonObject | None:
    if reference is None:
        return None
    return {
        "numcli": reference.numcli,
        "refdet": reference.refdet,
        "advice": pay_without_portal(reference),
    }


def invoice_detail_json(
    invoice: Invoice, today: date, treasury: PaymentRequest | None = None
) -> JsonObject:
    """One invoice as `show --json` prints it: the list's fields, the detail's, and advice;
    `treasury`: for an invoice sent to the Trésor Public, its payment address's numbers
    (`treasury` in the JSON: `numcli`, `refdet`, `advice`; null otherwise)."""
    detail = invoice.detail
    data = invoice_json(invoice, today)
    data.update(
        {
            "title": clean_text(detail.title) if detail else None,
            "pdf_available": bool(detail and detail.pdf_available),
            "lines": [_line_json(line) for line in detail.lines] if detail else [],
            "treasury": _treasury_json(treasury),
            "advice": advice_for(invoice, today),
        }
    )
    return data


def advice_for(invoice: Invoice, today: date) -> str:
    """What to do for this invoice, telling the command that pays it online."""
    command = f"`espace-tui pay {invoice.id} --open`"
    return advice(invoice, today, pay_online=_("with {command}").format(command=command))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    # Widths in terminal cells, not characters: the site's words may hold decomposed accents
    # (no cell), wide characters and emoji (two cells).
    widths = [max(cell_len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            padding = " " * (widths[i] - cell_len(cell))
            parts.append(padding + cell if i in right else cell + padding)
        return "  ".join(parts).rstrip()

    return [line(header), *(line(row) for row in rows)]


def invoices_table(invoices: Sequence[Invoice], today: date) -> str:
    """The invoices grouped by régie (in the site's order), aligned, then what is owed."""
    if not invoices:
        return _("There are no invoices on this account.")
    groups: dict[str, list[Invoice]] = {}
    for invoice in invoices:
        groups.setdefault(clean_text(invoice.regie_name) or _("(no régie)"), []).append(invoice)
    header = [
        _("Number"),
        _("Period"),
        _("Issued"),
        _("Due"),
        _("Amount"),
        _("Still due"),
        _("State"),
    ]
    out: list[str] = []
    for regie, members in groups.items():
        rows = []
        for invoice in members:
            state = clean_text(invoice.status_label) or "—"
            marks = []
            if invoice.payable_online:
                marks.append(_("payable online"))
            if invoice.is_overdue(today):
                marks.append(_("overdue"))
            if marks:
                state = f"{state} ({', '.join(marks)})"
            rows.append(
                [
                    invoice.number or invoice.id,
                    clean_text(invoice.label) or "—",
                    format_date(invoice.issued_on),
                    format_date(invoice.due_on),
                    format_money(invoice.amount),
                    format_money(invoice.remaining),
                    state,
                ]
            )
        if out:
            out.append("")
        out.append(regie)
        out.extend("  " + row for row in _table(header, rows, right={4, 5}))
    summary = owed(invoices, today)
    total, count = summary.total, summary.count
    out.append("")
    if count:
        out.append(
            ngettext(
                "Still to pay: {total} on {count} invoice.",
                "Still to pay: {total} on {count} invoices.",
                count,
            ).format(total=format_money(total), count=count)
        )
    else:
        out.append(_("Nothing left to pay."))
    return "\n".join(out)


def invoice_sheet(invoice: Invoice, today: date, treasury: PaymentRequest | None = None) -> str:
    """Everything the detail says of one invoice, its lines, and what to do; `treasury`: for
    an invoice sent to the Trésor Public, the numbers to pay it without the portal."""
    detail = invoice.detail
    fields = [
        (_("Invoice"), f"{invoice.number or '—'} (id {invoice.id})"),
        (_("Period"), clean_text(invoice.label) or "—"),
        (_("Régie"), clean_text(invoice.regie_name) or "—"),
        (_("Payer"), clean_text(invoice.payer) or "—"),
        (_("Issued on"), format_date(invoice.issued_on)),
        (_("Pay before"), format_date(invoice.due_on)),
        (_("Amount"), format_money(invoice.amount)),
        (_("Still due"), format_money(invoice.remaining)),
        (_("State"), clean_text(invoice.status_label) or "—"),
        (_("Payment"), (clean_text(detail.payment_mode_label) if detail else None)),
        (_("Online payment"), _("yes") if invoice.payable_online else _("no")),
    ]
    if treasury is not None:
        fields += [
            (_("Collectivity number"), treasury.numcli),
            (_("Reference"), treasury.refdet),
        ]
    width = max(len(name) for name, _value in fields)
    out: list[str] = []
    if detail and detail.title:
        out += [clean_text(detail.title) or "", ""]
    out += [f"{name.ljust(width)}  {value or '—'}" for name, value in fields]
    if detail and detail.lines:
        out += ["", _("Lines:")]
        header = [_("Person"), _("Service"), _("Quantity"), _("Unit price"), _("Amount")]
        rows = [
            [
                clean_text(line.person) or "—",
                clean_text(line.service) or "—",
                (_decimal_text(line.quantity) or "—").replace(".", ","),
                format_money(line.unit_price),
                format_money(line.amount),
            ]
            for line in detail.lines
        ]
        out += ["  " + row for row in _table(header, rows, right={2, 3, 4})]
    if treasury is not None:
        out += ["", pay_without_portal(treasury)]
    out += ["", advice_for(invoice, today)]
    return "\n".join(out)
