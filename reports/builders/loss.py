"""Customer loss: the confirmed losses with their reason, counted per year and per manager."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.forms import StyledForm
from reports.builders.periods import applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table
from sales.selectors import confirmed_loss_counts, confirmed_loss_rows, named_loss_rows

LOSS_ROWS = 100  # per page of the confirmed losses


class LossReportForm(StyledForm):
    customer = forms.CharField(label=gettext_lazy("Customer name"), required=False, max_length=100)
    manager = forms.CharField(
        label=gettext_lazy("Customer manager"), required=False, max_length=150
    )


def build_loss(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(LossReportForm, params)
    names = {
        "customer_name": form.cleaned_data.get("customer") or "",
        "manager_name": form.cleaned_data.get("manager") or "",
    }
    page = Paginator(confirmed_loss_rows(user, **names), LOSS_ROWS).get_page(params.get("page"))
    listed = named_loss_rows(page.object_list)

    def counts(by: str, label: str, title: str, chart: str) -> Table:
        table_rows = [
            {"group": _("Not specified") if group is None else group, "count": count}
            for group, count in confirmed_loss_counts(user, by, **names)
        ]
        return Table(
            title=title,
            columns=[Column("group", label), Column("count", _("Lost customers"), "int")],
            rows=table_rows,
            totals={"group": _("Total"), "count": sum(r["count"] for r in table_rows)},
            chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
        )

    by_year = counts("year", str(_("Year")), str(_("Losses by year")), "bar")
    by_manager = counts("manager", str(_("Customer manager")), str(_("Losses by manager")), "pie")
    detail = Table(
        title=_("Confirmed losses"),
        columns=[
            Column("year", _("Year")),
            Column("customer", _("Customer")),
            Column("manager", _("Customer manager")),
            Column("reason", _("Loss reason")),
        ],
        rows=[
            {key: row[key] for key in ("year", "customer", "manager", "reason")} for row in listed
        ],
        totals={"year": _("Total"), "customer": by_year.totals["count"] if by_year.totals else 0},
        links=[reverse("sales:customer-detail", args=[row["number"]]) for row in listed],
        page=page if page.paginator.num_pages > 1 else None,
    )
    return Report(
        slug="loss",
        title=str(_("Customer loss analysis")),
        filters=applied_filters(form),
        tables=[by_year, by_manager, detail],
    )
