"""The yearly statement as a PDF to keep with the tax papers, and its saving.

Drawn with fpdf2's core fonts (Helvetica) in windows-1252, as the mock's invoices are: that
code page holds every French letter, `€`, `«»` and `œ`, and needs no font file, so a fresh
machine draws it the same. A character outside it (a name in another script) is drawn without
its accent when it has one (NFKD), else as `?`: no name can make the PDF fail. fpdf2 is imported
here only, when a PDF is asked for.

Saving goes through `local.downloads.save_pdf`: written whole to a temporary file of the folder
then linked to its name, never over an existing file (`name (1).pdf` beside it instead; the same
bytes already there are kept).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC
from decimal import Decimal
from pathlib import Path

from espace_tui.account.statement import REASON_WORDS, ServiceLine, Statement, notice
from espace_tui.core.formats import format_date, format_datetime, format_money
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice, PdfFile
from espace_tui.local.downloads import SavedPdf, save_pdf

ENCODING = "windows-1252"


def drawable(text: str) -> str:
    """Text the core fonts can draw: white space made plain, control characters dropped,
    accents outside windows-1252 dropped, anything else left `?`."""
    kept: list[str] = []
    for char in text:
        if unicodedata.category(char).startswith("Z"):
            kept.append(" ")
            continue
        if unicodedata.category(char).startswith("C"):
            continue
        try:
            char.encode(ENCODING)
            kept.append(char)
        except UnicodeEncodeError:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            kept.append(bare.encode(ENCODING, errors="replace").decode(ENCODING) or "?")
    return "".join(kept)


def _money(amount: Decimal | None) -> str:
    return drawable(format_money(amount))


def _numbers(invoices: list[Invoice]) -> str:
    return ", ".join(i.number or i.id for i in invoices)


def statement_pdf(statement: Statement) -> bytes:
    """The statement drawn on A4 pages: source, notice, each child's services, the rest."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    title = _("Statement of the invoices paid in {year}").format(year=statement.year)
    pdf.set_title(drawable(title))
    pdf.set_creator("espace-tui")
    # The date the invoices were read (not "now"): the same statement gives the same bytes.
    pdf.set_creation_date(statement.read_at.astimezone(UTC))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def text(words: str, size: float = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, drawable(words), new_x="LMARGIN", new_y="NEXT")

    text(title, 16, "B", 8)
    text(
        _("Source: the invoices of the portal {portal}, read on {date}.").format(
            portal=statement.portal, date=format_datetime(statement.read_at)
        )
    )
    pdf.ln(2)
    text(notice(), 9, "I", 4.5)
    pdf.ln(3)
    total = _("Total paid in {year}: {amount}").format(
        year=statement.year, amount=format_money(statement.total)
    )
    text(total, 12, "B", 6)
    pdf.ln(2)
    headings = (_("Régie"), _("Service"), _("Childcare-like"), _("Amount"), _("Invoices"))
    bold = FontFace(emphasis="BOLD")

    def services_table(lines: list[ServiceLine]) -> None:
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(
            col_widths=(42, 48, 28, 26, 46),
            text_align=("LEFT", "LEFT", "CENTER", "RIGHT", "LEFT"),
            headings_style=bold,
            line_height=5,
        ) as table:
            row = table.row()
            for heading in headings:
                row.cell(drawable(heading))
            for line in lines:
                row = table.row()
                row.cell(drawable(line.regie or "—"))
                row.cell(drawable(line.service or "—"))
                row.cell(drawable(_("yes") if line.childcare_like else _("no")))
                row.cell(_money(line.amount))
                row.cell(drawable(_numbers([s.invoice for s in line.sources])))
        pdf.ln(3)

    for child in statement.children:
        text(
            _("{person}: {total} (childcare-like: {childcare})").format(
                person=child.person,
                total=format_money(child.total),
                childcare=format_money(child.childcare_like),
            ),
            12,
            "B",
            6,
        )
        services_table(child.services)
    if statement.unnamed:
        text(_("Lines that name no one"), 12, "B", 6)
        services_table(statement.unnamed)
    if statement.not_attributed:
        text(_("Not attributed to anyone"), 12, "B", 6)
        for source in statement.not_attributed:
            text(
                _("invoice {number}: {amount} not covered by its lines").format(
                    number=source.invoice.number or source.invoice.id,
                    amount=format_money(source.part),
                )
            )
        pdf.ln(2)
    if statement.not_counted:
        text(_("Invoices of {year} not counted").format(year=statement.year), 12, "B", 6)
        for entry in statement.not_counted:
            invoice = entry.invoice
            text(
                _("invoice {number} ({regie}, {label}, {issued}): {amount}, {reason}").format(
                    number=invoice.number or invoice.id,
                    regie=invoice.regie_name or "—",
                    label=invoice.label or "—",
                    issued=format_date(invoice.issued_on),
                    amount=format_money(invoice.amount),
                    reason=_(REASON_WORDS[entry.reason]),
                )
            )
    return bytes(pdf.output())


def save_statement_pdf(statement: Statement, path: Path) -> SavedPdf:
    """Save the statement's PDF at `path`, or beside it as `name (1).pdf` when a different
    file has that name (`already_there` when the very same bytes are there)."""
    content = statement_pdf(statement)
    folder = path.expanduser().parent
    owner = Invoice(id=f"statement-{statement.year}")  # names the file only if `path` cannot
    return save_pdf(PdfFile(content, server_filename=path.name), owner, folder)
