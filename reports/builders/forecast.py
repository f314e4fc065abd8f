"""Sales forecast: Σ expected amount × win probability of the developing opportunities by
expected close month, quarter or year, per rep and for the team, beside what was won."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.forms import StyledForm
from marketing.selectors import forecast_months
from reports.builders.periods import applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table

GRAINS = [
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
]


class ForecastForm(StyledForm):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), choices=(), coerce=int, required=False, empty_value=None
    )
    grain = forms.ChoiceField(label=gettext_lazy("By"), choices=GRAINS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (str(year), str(year)) for year in range(this_year + 2, this_year - 6, -1)
        ]


def period_label(month: datetime.date, grain: str) -> str:
    if grain == "year":
        return str(month.year)
    if grain == "quarter":
        return f"{month.year} Q{(month.month - 1) // 3 + 1}"
    return month.strftime("%Y-%m")


def forecast_periods(year: int, grain: str) -> list[str]:
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    return list(dict.fromkeys(period_label(month, grain) for month in months))


def forecast_tables(
    user: User, *, year: int, grain: str, owner: User | None = None
) -> tuple[Table, Table]:
    """(team by period, per rep) for `year`."""
    rows = forecast_months(
        user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), owner=owner
    )
    measures = ("expected", "pipeline", "won")
    team = {label: dict.fromkeys(measures, Decimal(0)) for label in forecast_periods(year, grain)}
    reps: dict[Any, dict[str, Any]] = {}
    for row in rows:
        period = team[period_label(row["month"], grain)]
        rep = reps.setdefault(
            row["rep_id"], {"rep": row["rep"], **dict.fromkeys(measures, Decimal(0))}
        )
        for measure in measures:
            period[measure] += row[measure]
            rep[measure] += row[measure]
    columns = [
        Column("expected", _("Forecast (weighted, CNY)"), "money"),
        Column("pipeline", _("Open amount (CNY)"), "money"),
        Column("won", _("Won (CNY)"), "money"),
    ]
    totals = {m: sum((r[m] for r in team.values()), Decimal(0)) for m in measures}
    by_period = Table(
        title=_("Team forecast"),
        columns=[Column("period", _("Period")), *columns],
        rows=[{"period": label, **values} for label, values in team.items()],
        totals={"period": _("Total"), **totals},
        chart=Chart("bar", "period", ("expected", "won")),
    )
    by_rep = Table(
        title=_("Forecast per rep"),
        columns=[Column("rep", _("Customer manager")), *columns],
        rows=sorted(reps.values(), key=lambda r: (-r["expected"], r["rep"])),
        totals={"rep": _("Total"), **totals},
    )
    return by_period, by_rep


def build_forecast(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(ForecastForm, params)
    year = form.cleaned_data.get("year") or timezone.localdate().year
    grain = form.cleaned_data.get("grain") or "month"
    by_period, by_rep = forecast_tables(user, year=year, grain=grain)
    return Report(
        slug="forecast",
        title=str(_("Sales forecast")),
        filters=applied_filters(form, {"year": str(year)}),
        tables=[by_period, by_rep],
    )
