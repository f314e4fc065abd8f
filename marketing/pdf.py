"""A quote as a printable PDF (A4): the company, the customer, the lines and the totals, in the
active language, in the CJK font of `core.pdf` so Chinese renders and can be extracted."""

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.pdf import cjk_font
from marketing.models import Quote


def _money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=False, force_grouping=True)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def quote_pdf(quote: Quote) -> bytes:
    """The quote `quote_detail` read (lines with products, customer, creator)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    company = ParagraphStyle("company", fontName=font, fontSize=12, leading=16)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11)
    right = ParagraphStyle("right", parent=cell, alignment=2)

    def para(text: Any, style: Any = body) -> Any:
        return Paragraph(escape(str(text)), style)

    story: list[Any] = []
    if settings.COMPANY_NAME:
        story.append(para(settings.COMPANY_NAME, company))
    story.append(para(_("Quote %(number)s") % {"number": quote.number}, title))
    facts = [
        (_("Customer"), f"{quote.customer.name} ({quote.customer.number})"),
        (_("Date"), timezone.localtime(quote.created_at).strftime("%Y-%m-%d")),
        (_("Valid until"), quote.valid_until.isoformat()),
        (_("Version"), str(quote.version)),
        (_("Currency"), quote.currency),
        (_("Prepared by"), str(quote.creator)),
    ]
    facts_table = Table(
        [[para(label, cell), para(value, cell)] for label, value in facts],
        colWidths=[30 * mm, 120 * mm],
        hAlign="LEFT",
    )
    facts_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font)]))
    story += [facts_table, Spacer(1, 5 * mm)]

    headers = [
        _("No."),
        _("Product"),
        _("Quantity"),
        _("Unit"),
        _("Unit price"),
        _("Discount (%)"),
        _("Tax rate (%)"),
        _("Amount without tax"),
        _("Tax"),
        _("Amount with tax"),
    ]
    rows: list[list[Any]] = [[para(h, cell) for h in headers]]
    for index, line in enumerate(quote.lines.all(), 1):
        product = line.product
        rows.append(
            [
                para(index, right),
                para(f"{product.name} {product.model}".strip(), cell),
                para(line.quantity, right),
                para(line.unit, cell),
                para(_money(line.unit_price), right),
                para(_percent(line.discount), right),
                para(_percent(line.tax_rate), right),
                para(_money(line.net_amount), right),
                para(_money(line.tax_amount), right),
                para(_money(line.gross_amount), right),
            ]
        )
    for label, amount in (
        (_("Total without tax"), quote.net_amount),
        (_("Tax"), quote.tax_amount),
        (_("Total with tax"), quote.gross_amount),
    ):
        rows.append([para(label, cell), *[""] * 8, para(_money(amount), right)])
    widths = [8, 42, 14, 10, 20, 14, 14, 22, 18, 22]
    lines_table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    totals_from = len(rows) - 3
    lines_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E2E8F0")),
                ("GRID", (0, 0), (-1, totals_from - 1), 0.25, colors.HexColor("#BBBBBB")),
                ("LINEABOVE", (0, totals_from), (-1, totals_from), 0.8, colors.black),
                ("SPAN", (0, totals_from), (8, totals_from)),
                ("SPAN", (0, totals_from + 1), (8, totals_from + 1)),
                ("SPAN", (0, totals_from + 2), (8, totals_from + 2)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [lines_table, Spacer(1, 5 * mm)]
    if quote.terms:
        story.append(para(_("Terms"), company))
        story += [para(text) for text in quote.terms.splitlines() if text.strip()]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=quote.number,
        author=settings.COMPANY_NAME or "CRM",
    )
    document.build(story)
    return buffer.getvalue()
