"""Customer service: service requests per type and assignee in a period, with averages."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from reports.builders.periods import PeriodForm, clean_params, moments
from reports.rendering.report import Chart, Column, Report, Table
from service.selectors import ticket_measures, ticket_measures_by


class ServiceReportForm(PeriodForm):
    pass


def _hours(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def _satisfaction(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def build_service(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(ServiceReportForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    since, until = moments(start, end)
    overall = ticket_measures(user, since=since, until=until)

    def grouped(by: str, label: str, title: str, chart: str) -> Table:
        rows = [
            {
                "group": row["group"] or _("Not allocated"),
                "count": row["count"],
                "archived": row["archived"],
                "satisfaction": _satisfaction(row["satisfaction"]),
                "handle_hours": _hours(row["handle"]),
            }
            for row in ticket_measures_by(user, by, since=since, until=until)
        ]
        return Table(
            title=title,
            columns=[
                Column("group", label),
                Column("count", pgettext("count", "Service requests"), "int"),
                Column("archived", _("Archived"), "int"),
                Column("satisfaction", _("Average satisfaction"), "stars"),
                Column("handle_hours", _("Average hours to handle"), "decimal"),
            ],
            rows=rows,
            totals={
                "group": _("Total"),
                "count": overall["count"],
                "archived": overall["archived"],
                "satisfaction": _satisfaction(overall["satisfaction"]),
                "handle_hours": _hours(overall["handle"]),
            },
            chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
        )

    return Report(
        slug="service",
        title=str(_("Customer service analysis")),
        filters=[(str(_("Period")), period)],
        tables=[
            grouped("type", str(_("Service type")), str(_("Service requests by type")), "pie"),
            grouped(
                "assignee",
                str(_("Allocated to")),
                str(_("Service requests by assignee")),
                "bar",
            ),
        ],
    )
