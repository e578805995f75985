"""The exports of the command line: `invoices --csv`, `summary` and `statement`.

Each reads the invoices the way `invoices` does (`commands._read_invoices`: only what can have
changed, or the store alone with `--offline`), then prints a CSV, a table, JSON or a PDF.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from espace_tui.account.owed import still_due
from espace_tui.account.statement import (
    REASON_WORDS,
    ServiceLine,
    Statement,
    build_statement,
    notice,
)
from espace_tui.account.statement_pdf import save_statement_pdf
from espace_tui.account.summary import Figures, Summary, summarize
from espace_tui.cli.commands import (
    CommandContext,
    _json,
    _read_invoices,
    note,
    offline,
    out,
    require_portal,
    stored_account,
)
from espace_tui.cli.render import _table
from espace_tui.core.errors import ConfigError
from espace_tui.core.formats import clean_text, format_date, format_datetime, format_money
from espace_tui.core.i18n import _, ngettext
from espace_tui.core.model import Invoice

# --- invoices --csv ------------------------------------------------------------------------------

CSV_FORMATS = ("french", "neutral")
"""`--csv-format`: `french` for a French spreadsheet (`;`, decimal comma, dd/mm/yyyy, UTF-8
with a BOM so that Excel reads the accents), `neutral` for scripts (`,`, decimal point, ISO
dates, no BOM)."""

_FORMULA_STARTS = ("=", "+", "-", "@")
"""What makes a spreadsheet read a cell as a formula (CSV injection): a cell of the site's
words that starts so is written after an apostrophe, which spreadsheets show as text."""

NEUTRAL_HEADER = (
    "regie",
    "number",
    "label",
    "issued_on",
    "due_on",
    "amount",
    "remaining",
    "to_pay",
    "status_label",
    "status",
)
"""The neutral CSV's header: the names of `invoices --json`, stable for scripts."""


def site_cell(text: str | None) -> str:
    """The site's words as a safe cell: white space collapsed, control characters replaced
    (`clean_text`), and a leading apostrophe before what a spreadsheet would run as a formula."""
    cleaned = clean_text(text) or ""
    return "'" + cleaned if cleaned.startswith(_FORMULA_STARTS) else cleaned


def _amount_cell(amount: Decimal | None, french: bool) -> str:
    # A bare number (no € and no thousands separator) so that the spreadsheet adds it up.
    if amount is None:
        return ""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    return text.replace(".", ",") if french else text


def _date_cell(day: date | None, french: bool) -> str:
    if day is None:
        return ""
    return format_date(day) if french else day.isoformat()


def invoices_csv(invoices: Sequence[Invoice], csv_format: str = "french") -> str:
    """The invoices as CSV text, one row per invoice in the site's order, a header first (in the
    current language for `french`, `NEUTRAL_HEADER` for `neutral`)."""
    french = csv_format == "french"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n")
    if french:
        writer.writerow(
            [
                _("Régie"),
                _("Number"),
                _("Period"),
                _("Issued on"),
                _("Pay before"),
                _("Amount"),
                _("Still due"),
                _("To pay"),
                _("State"),
                _("State (code)"),
            ]
        )
    else:
        writer.writerow(NEUTRAL_HEADER)
    for invoice in invoices:
        writer.writerow(
            [
                site_cell(invoice.regie_name),
                site_cell(invoice.number or invoice.id),
                site_cell(invoice.label),
                _date_cell(invoice.issued_on, french),
                _date_cell(invoice.due_on, french),
                _amount_cell(invoice.amount, french),
                _amount_cell(invoice.remaining, french),
                _amount_cell(still_due(invoice), french),
                site_cell(invoice.status_label),
                invoice.status.value,
            ]
        )
    text = buffer.getvalue()
    return "\ufeff" + text if french else text


def write_csv(text: str) -> None:
    """The CSV on stdout as UTF-8 whatever the terminal's encoding, its line ends untouched."""
    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:
        sys.stdout.write(text)
    else:
        raw.write(text.encode("utf-8"))
        raw.flush()


# --- summary ---------------------------------------------------------------------------------


def _figures_row(first: str, figures: Figures) -> list[str]:
    return [
        first,
        str(figures.count),
        format_money(figures.amount),
        format_money(figures.to_pay),
        format_money(figures.paid),
        format_money(figures.direct_debit),
        format_money(figures.other),
    ]


def _year_text(year: int | None) -> str:
    return str(year) if year is not None else _("(no date)")


def summary_text(summary: Summary) -> str:
    """The summary as aligned tables: per régie and year, per year, in all, per child."""
    if not summary.total.count:
        if summary.year is not None:
            return _("No invoice was issued in {year}.").format(year=summary.year)
        return _("There are no invoices on this account.")
    header = [
        "",
        _("Invoices"),
        _("Amount"),
        _("To pay"),
        _("Paid"),
        _("Direct debit"),
        _("Other"),
    ]
    right = {1, 2, 3, 4, 5, 6}
    lines: list[str] = []
    for regie in summary.regies.values():
        rows = [_figures_row(_year_text(y), f) for y, f in regie.years.items()]
        if len(rows) > 1:
            rows.append(_figures_row(_("all years"), regie.total))
        lines.append(clean_text(regie.name) or _("(no régie)"))
        lines.extend("  " + line for line in _table(header, rows, right))
        lines.append("")
    lines.append(_("All régies"))
    rows = [_figures_row(_year_text(y), f) for y, f in summary.years.items()]
    rows.append(_figures_row(_("in all"), summary.total))
    lines.extend("  " + line for line in _table(header, rows, right))
    if summary.children:
        lines.append("")
        lines.append(_("Per child (from the invoices' lines)"))
        child_header = [_("Person"), *header[1:]]
        rows = [
            _figures_row(clean_text(person) or _("(lines naming no one)"), f)
            for person, f in summary.children.items()
        ]
        lines.extend("  " + line for line in _table(child_header, rows, right))
    if summary.without_lines:
        lines.append("")
        lines.append(
            ngettext(
                "{count} invoice without lines is not in the figures per child.",
                "{count} invoices without lines are not in the figures per child.",
                summary.without_lines,
            ).format(count=summary.without_lines)
        )
    if summary.total.unknown_amounts:
        lines.append(
            ngettext(
                "{count} invoice of unknown amount is not in the amounts.",
                "{count} invoices of unknown amount are not in the amounts.",
                summary.total.unknown_amounts,
            ).format(count=summary.total.unknown_amounts)
        )
    lines.append("")
    lines.append(
        _(
            "To pay: what is still owed. Paid: invoices paid, and what was paid of the others. "
            "Direct debit: left to the bank. Other: a state the site does not explain."
        )
    )
    return "\n".join(lines)


async def summary_command(context: CommandContext) -> int:
    year = context.args.year
    summary = summarize(await _read_invoices(context), year)
    if context.args.json:
        _json(summary.as_json())
    else:
        out(summary_text(summary))
    return 0


# --- statement -------------------------------------------------------------------------------


def _services_lines(services: Sequence[ServiceLine]) -> list[str]:
    header = [_("Régie"), _("Service"), _("Childcare-like"), _("Amount"), _("Invoices")]
    rows = [
        [
            clean_text(s.regie) or "—",
            clean_text(s.service) or "—",
            _("yes") if s.childcare_like else _("no"),
            format_money(s.amount),
            ", ".join(src.invoice.number or src.invoice.id for src in s.sources),
        ]
        for s in services
    ]
    return ["  " + line for line in _table(header, rows, {3})]


def statement_text(statement: Statement) -> str:
    """The statement as text: source, notice, each child's services, what is not counted."""
    lines = [
        _("Statement of the invoices paid in {year}").format(year=statement.year),
        _("Source: the invoices of the portal {portal}, read on {date}.").format(
            portal=statement.portal, date=format_datetime(statement.read_at)
        ),
        "",
        notice(),
        "",
        _("Total paid in {year}: {amount}").format(
            year=statement.year, amount=format_money(statement.total)
        ),
    ]
    if not statement.counted:
        lines.append(_("No invoice of {year} is paid.").format(year=statement.year))
    for child in statement.children:
        lines += [
            "",
            _("{person}: {total} (childcare-like: {childcare})").format(
                person=clean_text(child.person) or "—",
                total=format_money(child.total),
                childcare=format_money(child.childcare_like),
            ),
            *_services_lines(child.services),
        ]
    if statement.unnamed:
        lines += ["", _("Lines that name no one"), *_services_lines(statement.unnamed)]
    if statement.not_attributed:
        lines += ["", _("Not attributed to anyone")]
        lines += [
            "  "
            + _("invoice {number}: {amount} not covered by its lines").format(
                number=source.invoice.number or source.invoice.id,
                amount=format_money(source.part),
            )
            for source in statement.not_attributed
        ]
    if statement.not_counted:
        lines += ["", _("Invoices of {year} not counted").format(year=statement.year)]
        for entry in statement.not_counted:
            invoice = entry.invoice
            lines.append(
                "  "
                + _("invoice {number} ({regie}, {label}, {issued}): {amount}, {reason}").format(
                    number=invoice.number or invoice.id,
                    regie=clean_text(invoice.regie_name) or "—",
                    label=clean_text(invoice.label) or "—",
                    issued=format_date(invoice.issued_on),
                    amount=format_money(invoice.amount),
                    reason=_(REASON_WORDS[entry.reason]),
                )
            )
    return "\n".join(lines)


def pdf_path(given: Path | str, year: int) -> Path:
    """The file `--pdf` names, with `.pdf` added when it has no such ending; a folder gets the
    statement's own name in it."""
    path = Path(given).expanduser()
    if path.is_dir() or path.name in ("", ".", ".."):
        return path / _("statement-{year}.pdf").format(year=year)
    return path if path.name.lower().endswith(".pdf") else path.with_name(path.name + ".pdf")


async def statement_command(context: CommandContext) -> int:
    args = context.args
    if args.year < 1900 or args.year > 9999:
        raise ConfigError(_("--year takes a year, e.g. {year}.").format(year=date.today().year - 1))
    portal = require_portal(context)
    if offline(context):
        stored = stored_account(context)
        invoices, read_at = stored.invoice_list(), stored.read_at
    else:
        invoices, read_at = await _read_invoices(context), datetime.now()
    statement = build_statement(invoices, args.year, portal=portal, read_at=read_at)
    if args.pdf is not None:
        wanted = pdf_path(args.pdf, args.year)
        try:
            saved = save_statement_pdf(statement, wanted)
        except OSError as error:  # a folder that cannot be made or written: nothing is left
            raise ConfigError(
                _("The statement could not be saved in {folder}: {reason}").format(
                    folder=wanted.parent, reason=error.strerror or error
                )
            ) from None
        if saved.already_there:
            note(_("already saved: {path}").format(path=saved.path))
        elif saved.path.name != wanted.name:
            note(
                _("{name} was there already: saved as {path}").format(
                    name=wanted.name, path=saved.path
                )
            )
        if args.json:  # stdout is the JSON's: the path is said on stderr
            note(_("Statement saved: {path}").format(path=saved.path))
        else:
            out(str(saved.path))
    if args.json:
        _json(statement.as_json())
    elif args.pdf is None:
        out(statement_text(statement))
    return 0
