"""Product sales summary: quantity and amount per product in a period, from the order lines,
and the products selling more or less than in the period before — seed 000's lists of
products whose price can rise (demand grows: 提价) or should fall (demand shrinks: 降价)."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from reports.builders.periods import PeriodForm, applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table
from sales.selectors import product_sales

PRODUCT_ROWS = 200
TREND_ROWS = 20


class ProductSalesForm(PeriodForm):
    threshold = forms.TypedChoiceField(
        label=gettext_lazy("Change of at least"),
        choices=[("10", "10%"), ("20", "20%"), ("50", "50%")],
        coerce=int,
        required=False,
        empty_value=None,
    )


def previous_period(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before [start, end] (the previous year for a year)."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    length = end - start
    before = start - datetime.timedelta(days=1)
    return before - length, before


def build_product_sales(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(ProductSalesForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    today = timezone.localdate()
    start = start or datetime.date(today.year, 1, 1)
    end = end or today
    threshold = Decimal(form.cleaned_data.get("threshold") or 20) / 100
    current = product_sales(user, start=start, end=end)
    before_start, before_end = previous_period(start, end)
    previous = product_sales(user, start=before_start, end=before_end)

    columns = [
        Column("product", _("Product")),
        Column("model", _("Model")),
        Column("quantity", _("Quantity"), "int"),
        Column("amount", _("Amount (CNY)"), "money"),
    ]
    ranked = sorted(current.items(), key=lambda item: (-item[1]["amount"], item[0]))
    summary = Table(
        title=_("Sales per product"),
        columns=columns,
        rows=[
            {"product": row["name"], "model": row["model"], **_measures(row)}
            for _pk, row in ranked[:PRODUCT_ROWS]
        ],
        totals={
            "product": _("Total"),
            "quantity": sum(row["quantity"] for row in current.values()),
            "amount": sum((row["amount"] for row in current.values()), Decimal(0)),
        },
        chart=Chart("bar", "product", ("amount",)),
    )
    changes = []
    for pk in {*current, *previous}:
        now = current.get(pk)
        then = previous.get(pk)
        named = now or then
        assert named is not None  # noqa: S101 - pk comes from one of the two
        before_qty = then["quantity"] if then else 0
        now_qty = now["quantity"] if now else 0
        change = (Decimal(now_qty - before_qty) / before_qty) if before_qty else None
        changes.append(
            {
                "product": named["name"],
                "model": named["model"],
                "previous": before_qty,
                "quantity": now_qty,
                "change": change,
            }
        )
    trend_columns = [
        Column("product", _("Product")),
        Column("model", _("Model")),
        Column("previous", _("Quantity, previous period"), "int"),
        Column("quantity", _("Quantity"), "int"),
        Column("change", _("Change"), "percent"),
    ]
    # New products (nothing before) count as rising; products that stopped selling as falling.
    rising = [r for r in changes if r["change"] is None or r["change"] >= threshold]
    rising = [r for r in rising if r["quantity"] > 0]
    falling = [r for r in changes if r["change"] is not None and r["change"] <= -threshold]
    rising.sort(
        key=lambda r: (-(r["change"] if r["change"] is not None else Decimal(10**6)), r["product"])
    )
    falling.sort(key=lambda r: (r["change"], r["product"]))
    return Report(
        slug="product-sales",
        title=str(_("Product sales summary")),
        filters=[
            *applied_filters(form, {"year": period}),
            (str(_("Compared with")), f"{before_start:%Y-%m-%d} – {before_end:%Y-%m-%d}"),
        ],
        tables=[
            summary,
            Table(
                title=_("Rising products (price can rise, 提价)"),
                columns=trend_columns,
                rows=rising[:TREND_ROWS],
            ),
            Table(
                title=_("Falling products (consider a lower price, 降价)"),
                columns=trend_columns,
                rows=falling[:TREND_ROWS],
            ),
        ],
    )


def _measures(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"quantity": row["quantity"], "amount": row["amount"]}
