"""The four reports of the original system, each a form of filters and a builder.

Builders read only through the apps' visibility functions, so every report shows exactly what
its viewer may see; the sums and counts are computed by the database (annotate/aggregate), and
Python only formats the final, small result.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Avg, Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import users_named
from core.forms import DateInput, StyledForm
from reports.registry import ReportSpec, register
from reports.rendering import Chart, Column, Report, Table
from sales.models import Customer, CustomerLoss
from sales.permissions import visible_customers, visible_losses
from service.models import ServiceRequest
from service.permissions import visible_service_requests
from service.selectors import with_durations

MONEY = DecimalField(max_digits=18, decimal_places=2)
FIRST_YEAR = 2000


def _year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", str(gettext_lazy("All years")))] + [
        (str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
    ]


class PeriodForm(StyledForm):
    """A year, or a date range (which wins when given); an inverted range is an error."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), choices=(), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None, str]:
        """(first day, last day, label); open ends are None."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            label = f"{start or '…'} – {end or '…'}"
            return start, end, label
        if data.get("year"):
            year = data["year"]
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year)
        return None, None, _("All years")


def _period_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lte": end})
    return q


def _local_midnight(day: datetime.date, days_after: int = 0) -> datetime.datetime | None:
    """Midnight in TIME_ZONE at the start of `day` plus `days_after` days; None when that lies
    beyond what a date-time can hold (0001-01-01 or 9999-12-31 in a filter)."""
    try:
        moment = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=days_after), datetime.time())
        )
        moment.astimezone(datetime.UTC)  # the database stores UTC
    except OverflowError:
        return None
    return moment


def _moment_period_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """`_period_q` for a date-time field: from local midnight of `start` to before local
    midnight after `end`. Comparing the column itself (not its date) lets an index answer. An
    end past any date-time bounds nothing."""
    q = Q()
    if start and (since := _local_midnight(start)):
        q &= Q(**{f"{field}__gte": since})
    if end and (until := _local_midnight(end, days_after=1)):
        q &= Q(**{f"{field}__lt": until})
    return q


PERIOD_KEYS = ("year", "date_from", "date_to")


def with_default_period(params: Mapping[str, Any]) -> dict[str, Any]:
    """Reports by period show the current year until the viewer chooses ("year=" is all years)."""
    values = {key: params.get(key) for key in params}
    if not any(key in values for key in PERIOD_KEYS):
        values["year"] = str(timezone.localdate().year)
    return values


def clean_params(form_class: type[StyledForm], params: Mapping[str, Any]) -> StyledForm:
    """The bound filter form; when its values are invalid, the defaults are used instead (the
    page shows the errors; a scheduled e-mail still gets a report)."""
    if issubclass(form_class, PeriodForm):
        params = with_default_period(params)
    form = form_class(params)
    if not form.is_valid():
        form = form_class({})
        form.is_valid()
    return form


# Contribution -------------------------------------------------------------------------------------


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

    field_order = ["year", "date_from", "date_to", "customer", "manager", "top"]


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
    customers = visible_customers(user)
    if data.get("customer"):
        customers = customers.filter(name__icontains=data["customer"])
    if data.get("manager"):
        customers = customers.filter(manager__in=users_named(data["manager"]).values("pk"))
    # Orders keep their amount (Σ count × unit price of the lines), so this sums orders only.
    amounts = (
        customers.filter(_period_q("orders__date", start, end))
        .annotate(amount=Sum("orders__amount", output_field=MONEY))
        .filter(amount__gt=0)
        .order_by("-amount", "pk")
    )
    summary = amounts.aggregate(total=Sum("amount"), customers=Count("pk"))
    total = summary["total"] or Decimal(0)
    top = data.get("top") or 200
    shown = list(
        amounts.values(
            "pk", "number", "name", "manager__first_name", "manager__username", "amount"
        )[:top]
    )
    rows, links, running = [], [], Decimal(0)
    for rank, row in enumerate(shown, 1):
        share_before = running / total if total else Decimal(0)
        running += row["amount"]
        rows.append(
            {
                "rank": rank,
                "number": row["number"],
                "name": row["name"],
                "manager": row["manager__first_name"] or row["manager__username"],
                "amount": row["amount"],
                "share": float(row["amount"] / total) if total else 0.0,
                "cumulative": float(running / total) if total else 0.0,
                "class": abc_class(share_before),
            }
        )
        links.append(reverse("sales:order-list", args=[row["number"]]))
    rest = summary["customers"] - len(rows)
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
            Column("share", _("Share"), "percent"),
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
        filters=_filters(form, {"year": period}),
        tables=[top10, table],
    )


def _filters(form: StyledForm, overrides: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The applied filters as (label, value) for the report's header, exports and e-mails."""
    shown = []
    for name, field in form.fields.items():
        if overrides and name in overrides:
            shown.append((str(field.label), str(overrides[name])))
            continue
        if name in ("date_from", "date_to"):
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices"):
            value = {str(k): v for k, v in field.choices}.get(str(value), value)
        shown.append((str(field.label), str(value)))
    return shown


# Composition --------------------------------------------------------------------------------------

COMPOSITION_BY = {
    "level": ("level__item", gettext_lazy("Customer level")),
    "credit": ("credit", gettext_lazy("Customer credit")),
    "satisfaction": ("satisfaction", gettext_lazy("Customer satisfaction")),
}


class CompositionForm(StyledForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Report by"),
        choices=[(key, label) for key, (_field, label) in COMPOSITION_BY.items()],
        required=False,
    )


def _count_table(
    customers: QuerySet[Customer],
    field: str,
    title: str,
    label: str,
    chart: str,
    stars: bool = False,
) -> Table:
    grouped = customers.values(field).annotate(count=Count("pk")).order_by("-count", field)
    total = 0
    rows = []
    for row in grouped:
        value = row[field]
        if value in (None, ""):
            name = _("Not specified")
        elif stars:
            name = "★" * int(value)
        else:
            name = str(value)
        total += row["count"]
        rows.append({"group": name, "count": row["count"]})
    for row in rows:
        row["share"] = row["count"] / total if total else 0.0
    return Table(
        title=title,
        columns=[
            Column("group", label),
            Column("count", _("Customers"), "int"),
            Column("share", _("Share"), "percent"),
        ],
        rows=rows,
        totals={"group": _("Total"), "count": total, "share": 1.0 if total else 0.0},
        chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
    )


def build_composition(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(CompositionForm, params)
    by = form.cleaned_data.get("by") or "level"
    field, label = COMPOSITION_BY[by]
    customers = visible_customers(user)  # deleted customers are never visible
    tables = [
        _count_table(
            customers,
            field,
            str(_("Customers by %(what)s") % {"what": label}),
            str(label),
            "pie",
            by != "level",
        ),
        _count_table(
            customers, "region__item", str(_("Customers by region")), str(_("Region")), "bar"
        ),
        _count_table(
            customers,
            "manager__first_name",
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


# Service ------------------------------------------------------------------------------------------


class ServiceReportForm(PeriodForm):
    pass


def _hours(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def build_service(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(ServiceReportForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    tickets = with_durations(visible_service_requests(user)).filter(
        _moment_period_q("created_at", start, end)
    )
    measures = {
        "count": Count("pk"),
        "archived": Count("pk", filter=Q(status=ServiceRequest.Status.ARCHIVED)),
        "satisfaction": Avg("satisfaction"),
        "handle": Avg("time_to_handle"),
    }
    overall = tickets.aggregate(**measures)

    def grouped(field: str, label: str, title: str, chart: str) -> Table:
        rows = []
        result = tickets.values(field).annotate(**measures).order_by("-count", field)
        for row in result:
            rows.append(
                {
                    "group": row[field] or _("Not allocated"),
                    "count": row["count"],
                    "archived": row["archived"],
                    "satisfaction": round(row["satisfaction"], 2)
                    if row["satisfaction"] is not None
                    else None,
                    "handle_hours": _hours(row["handle"]),
                }
            )
        return Table(
            title=title,
            columns=[
                Column("group", label),
                Column("count", _("Service requests"), "int"),
                Column("archived", _("Archived"), "int"),
                Column("satisfaction", _("Average satisfaction"), "stars"),
                Column("handle_hours", _("Average hours to handle"), "decimal"),
            ],
            rows=rows,
            totals={
                "group": _("Total"),
                "count": overall["count"],
                "archived": overall["archived"],
                "satisfaction": round(overall["satisfaction"], 2)
                if overall["satisfaction"] is not None
                else None,
                "handle_hours": _hours(overall["handle"]),
            },
            chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
        )

    return Report(
        slug="service",
        title=str(_("Customer service analysis")),
        filters=[(str(_("Period")), period)],
        tables=[
            grouped(
                "type__item", str(_("Service type")), str(_("Service requests by type")), "pie"
            ),
            grouped(
                "assignee__first_name",
                str(_("Allocated to")),
                str(_("Service requests by assignee")),
                "bar",
            ),
        ],
    )


# Loss ---------------------------------------------------------------------------------------------

LOSS_ROWS = 500


class LossReportForm(StyledForm):
    customer = forms.CharField(label=gettext_lazy("Customer name"), required=False, max_length=100)
    manager = forms.CharField(
        label=gettext_lazy("Customer manager"), required=False, max_length=150
    )


def build_loss(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(LossReportForm, params)
    data = form.cleaned_data
    losses = visible_losses(user).filter(status=CustomerLoss.Status.CONFIRMED)
    if data.get("customer"):
        losses = losses.filter(customer__name__icontains=data["customer"])
    if data.get("manager"):
        losses = losses.filter(customer__manager__in=users_named(data["manager"]).values("pk"))
    listed = (
        losses.annotate(year=ExtractYear("confirmed_at"))
        .values(
            "year", "customer__number", "customer__name", "customer__manager__first_name", "reason"
        )
        .order_by("-confirmed_at", "-pk")[:LOSS_ROWS]
    )
    rows = [
        {
            "year": row["year"],
            "customer": row["customer__name"],
            "manager": row["customer__manager__first_name"],
            "reason": row["reason"],
        }
        for row in listed
    ]
    links = [reverse("sales:customer-detail", args=[row["customer__number"]]) for row in listed]

    def counts(field: str, label: str, title: str, chart: str) -> Table:
        grouped = losses.values(field).annotate(count=Count("pk")).order_by(field)
        table_rows = [{"group": row[field], "count": row["count"]} for row in grouped]
        return Table(
            title=title,
            columns=[Column("group", label), Column("count", _("Lost customers"), "int")],
            rows=table_rows,
            totals={"group": _("Total"), "count": sum(r["count"] for r in table_rows)},
            chart=Chart(chart, "group", ("count",)),  # type: ignore[arg-type]
        )

    by_year = counts("confirmed_at__year", str(_("Year")), str(_("Losses by year")), "bar")
    by_manager = counts(
        "customer__manager__first_name",
        str(_("Customer manager")),
        str(_("Losses by manager")),
        "pie",
    )
    detail = Table(
        title=_("Confirmed losses"),
        columns=[
            Column("year", _("Year")),
            Column("customer", _("Customer")),
            Column("manager", _("Customer manager")),
            Column("reason", _("Loss reason")),
        ],
        rows=rows,
        totals={"year": _("Total"), "customer": by_year.totals["count"] if by_year.totals else 0},
        links=links,
    )
    return Report(
        slug="loss",
        title=str(_("Customer loss analysis")),
        filters=_filters(form),
        tables=[by_year, by_manager, detail],
    )


REPORT_FORMS: dict[str, type[StyledForm]] = {
    "contribution": ContributionForm,
    "composition": CompositionForm,
    "service": ServiceReportForm,
    "loss": LossReportForm,
}

register(
    ReportSpec(
        "contribution",
        gettext_lazy("Customer contribution"),
        "reports.view_contribution",
        build_contribution,
    )
)
register(
    ReportSpec(
        "composition",
        gettext_lazy("Customer composition"),
        "reports.view_composition",
        build_composition,
    )
)
register(
    ReportSpec(
        "service", gettext_lazy("Customer service analysis"), "reports.view_service", build_service
    )
)
register(
    ReportSpec("loss", gettext_lazy("Customer loss analysis"), "reports.view_loss", build_loss)
)
