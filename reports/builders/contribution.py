"""Customer contribution: Σ order amount per customer, ranked, with ABC classes."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.models import User
from reports.builders.periods import PeriodForm, applied_filters, clean_params, group_label
from reports.rendering.report import Chart, Column, Report, Table
from sales.selectors import customer_order_amounts


class ContributionForm(PeriodForm):
    customer = forms.CharField(label=gettext_lazy("Customer name"), required=False, max_length=100)
    manager = forms.CharField(
        label=gettext_lazy("Customer manager"), required=False, max_length=150
    )
    top = forms.TypedChoiceField(
        label=gettext_lazy("Rows"),
        choices=[("50", "50"), ("200", "200"), ("1000", "1000")],
        coerce=int,
        required=False,
        empty_value=None,
    )

    group = forms.IntegerField(
        label=gettext_lazy("Customer group"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Only the members of this customer group (its number)."),
    )

    field_order = ["year", "date_from", "date_to", "customer", "manager", "group", "top"]


def abc_class(share_before: Decimal) -> str:
    """A = the customers making the first 80 % of the amount, B = the next 15 %, C = the rest."""
    if share_before < Decimal("0.80"):
        return "A"
    if share_before < Decimal("0.95"):
        return "B"
    return "C"


def build_contribution(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(ContributionForm, params)
    data = form.cleaned_data
    start, end, period = form.period()  # type: ignore[attr-defined]
    amounts = customer_order_amounts(
        user,
        start=start,
        end=end,
        customer_name=data.get("customer") or "",
        manager_name=data.get("manager") or "",
        limit=data.get("top") or 200,
        group_id=data.get("group"),
    )
    total = amounts.total
    rows, links, running = [], [], Decimal(0)
    for rank, row in enumerate(amounts.rows, 1):
        share_before = running / total if total else Decimal(0)
        running += row["amount"]
        rows.append(
            {
                "rank": rank,
                "number": row["number"],
                "name": row["name"],
                "manager": row["manager"],
                "amount": row["amount"],
                "share": float(row["amount"] / total) if total else 0.0,
                "cumulative": float(running / total) if total else 0.0,
                "class": abc_class(share_before),
            }
        )
        links.append(reverse("sales:order-list", args=[row["number"]]))
    rest = amounts.customers - len(rows)
    if rest > 0:
        rows.append(
            {
                "rank": None,
                "number": "",
                "name": _("Other customers (%(count)d)") % {"count": rest},
                "manager": "",
                "amount": total - running,
                "share": float((total - running) / total) if total else 0.0,
                "cumulative": 1.0,
                "class": "C",
            }
        )
        links.append("")
    table = Table(
        title=_("Order amount per customer"),
        columns=[
            Column("rank", _("No."), "int"),
            Column("number", _("Customer no.")),
            Column("name", _("Customer name")),
            Column("manager", _("Customer manager")),
            Column("amount", _("Order amount (CNY)"), "money"),
            Column("share", pgettext("proportion", "Share"), "percent"),
            Column("cumulative", _("Cumulative share"), "percent"),
            Column("class", _("ABC class")),
        ],
        rows=rows,
        totals={"name": _("Total"), "amount": total, "share": 1.0 if total else 0.0},
        links=links,
    )
    top10 = Table(
        title=_("Top 10 customers"),
        columns=[
            Column("name", _("Customer name")),
            Column("amount", _("Order amount (CNY)"), "money"),
        ],
        rows=[{"name": row["name"], "amount": row["amount"]} for row in rows[:10] if row["rank"]],
        chart=Chart("bar", "name", ("amount",)),
    )
    return Report(
        slug="contribution",
        title=str(_("Customer contribution analysis")),
        filters=applied_filters(
            form,
            {"year": period}
            | ({"group": group_label(user, data["group"])} if data.get("group") else {}),
        ),
        tables=[top10, table],
    )
