"""Customer composition: how many customers per level, credit or satisfaction, region, manager."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.models import User
from core.forms import StyledForm
from reports.builders.periods import clean_params, group_label
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
    group = forms.IntegerField(
        label=gettext_lazy("Customer group"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Only the members of this customer group (its number)."),
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
    group_id = form.cleaned_data.get("group")
    label = COMPOSITION_BY[by]
    tables = [
        _count_table(
            customer_counts(user, by, group_id=group_id),  # deleted customers are never visible
            str(_("Customers by %(what)s") % {"what": label}),
            str(label),
            "pie",
            by in {"credit", "satisfaction"},
        ),
        _count_table(
            customer_counts(user, "region", group_id=group_id),
            str(_("Customers by region")),
            str(_("Region")),
            "bar",
        ),
        _count_table(
            customer_counts(user, "manager", group_id=group_id),
            str(_("Customers by manager")),
            str(_("Customer manager")),
            "bar",
        ),
    ]
    return Report(
        slug="composition",
        title=str(_("Customer composition analysis")),
        filters=[
            (str(form.fields["by"].label), str(label)),
            *([(str(form.fields["group"].label), group_label(user, group_id))] if group_id else []),
        ],
        tables=tables,
    )
