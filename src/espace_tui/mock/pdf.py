"""The invoice's PDF, drawn with fpdf2's core fonts.

Core fonts only know one byte per character: with `core_fonts_encoding = "windows-1252"` they
print accents and the € sign; anything else (U+202F, emoji in a name) is replaced before drawing,
so no name can make the PDF fail. fpdf2 is imported here only, when a PDF is asked for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from espace_tui.mock.data import MockInvoice

ENCODING = "windows-1252"


def _safe(text: str) -> str:
    """Text the core fonts can draw: no-break spaces become spaces, the rest becomes `?`."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return text.encode(ENCODING, errors="replace").decode(ENCODING)


def _money(amount: Decimal) -> str:
    whole, _, cents = f"{amount.quantize(Decimal('0.01')):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{cents} €"


def invoice_pdf(invoice: MockInvoice) -> bytes:
    """A one-page PDF: régie, number, period, payer, dates, lines, total, amount still due."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_safe(f"Facture {invoice.number}"))
    pdf.set_creator("espace-tui mock portal")
    # A fixed date (not "now") makes the same invoice's PDF the same bytes on every download.
    pdf.set_creation_date(datetime(*invoice.issued.timetuple()[:3], tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _safe(invoice.regie.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    for text in (
        f"Facture n° {invoice.number} - {invoice.label}",
        f"Payeur : {invoice.payer}",
        f"Facture du {invoice.issued:%d/%m/%Y} - à régler avant le {invoice.due:%d/%m/%Y}",
        f"État : {invoice.detail_state}",
        f"Mode de paiement : {invoice.payment_mode}",
    ):
        pdf.cell(0, 8, _safe(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (50, 60, 20, 30, 30)
    pdf.set_font("Helvetica", "B", 10)
    for width, title in zip(
        widths, ("Personne", "Prestation", "Quantité", "Prix unitaire", "Montant"), strict=True
    ):
        pdf.cell(width, 8, _safe(title), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for line in invoice.lines:
        cells = (
            line.person,
            line.service,
            f"{line.quantity.normalize():f}".replace(".", ","),
            _money(line.unit_price),
            _money(line.amount),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 8, _safe(text)[:40], border=1)
        pdf.ln()
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, _safe(f"Montant total : {_money(invoice.total)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, _safe(f"Reste à payer : {_money(invoice.remaining)}"))
    return bytes(pdf.output())
