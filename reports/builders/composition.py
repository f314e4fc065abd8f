"""Customer composition: how many customers per level, credit or satisfaction, region, manager."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.models import User
from core.forms import StyledForm
from reports.builders.periods import clean_params
from reports.rendering.report import Chart, Column, Report, Table
from sales.selectors import customer_counts

COMPOSITION_BY = {
    "level": gettext_lazy("Customer level"),
    "credit": gettext_lazy("Customer credit"),
    "satisfaction": gettext_lazy("Customer satisfaction"),
    "lifecycle": gettext_lazy("Lifecycle"),
}


class CompositionForm(StyledForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Report by"),
        choices=list(COMPOSITION_BY.items()),
        required=False,
    )


def _count_table(
    counts: list[tuple[Any, int]], title: str, label: str, chart: str, stars: bool = False
) -> Table:
    total = 0
    rows: list[dict[str, Any]] = []
    for value, count in counts:
        if value in (None, ""):
            name = _("Not specified")
        elif stars:
            name = "★" * int(value)
        else:
            name = str(value)
        total += count
        rows.append({"group": name, "count": count})
    for row in rows:
        row["share"] = row["count"] / total if total else 0.0
    return Table(
        title=title,
        columns=[
            Column("group", label),
            Column("count", pgettext("count", "Customers"), "int"),
            Column("share", pgettext("proportion", "Share"), "percent"),
        ],
        rows=rows,
        totals={"group": _("Total"), "count": total, "share": 1.0 if total else 0.0},
        chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
    )


def build_composition(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(CompositionForm, params)
    by = form.cleaned_data.get("by") or "level"
    label = COMPOSITION_BY[by]
    tables = [
        _count_table(
            customer_counts(user, by),  # deleted customers are never visible
            str(_("Customers by %(what)s") % {"what": label}),
            str(label),
            "pie",
            by in {"credit", "satisfaction"},
        ),
        _count_table(
            customer_counts(user, "region"), str(_("Customers by region")), str(_("Region")), "bar"
        ),
        _count_table(
            customer_counts(user, "manager"),
            str(_("Customers by manager")),
            str(_("Customer manager")),
            "bar",
        ),
    ]
    return Report(
        slug="composition",
        title=str(_("Customer composition analysis")),
        filters=[(str(form.fields["by"].label), str(label))],
        tables=tables,
    )
