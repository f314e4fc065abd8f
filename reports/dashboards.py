"""The home page per role: what a manager does today, a supervisor's queue, an executive's charts.

Sections are chosen by rights, never by role names; every query goes through the apps'
visibility functions and aggregates in the database.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from marketing.models import PlanItem, SalesChance
from marketing.permissions import visible_chances
from marketing.selectors import pipeline_summary
from reports.rendering import Chart, Column, Table, echarts_option
from sales.models import Contact, CustomerLoss, Order
from sales.permissions import visible_customers, visible_losses
from service.selectors import allocate_queue, handle_queue

MONEY = DecimalField(max_digits=18, decimal_places=2)
LIST_SIZE = 5


@dataclass
class Dashboard:
    sections: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def chart(self, chart_id: str, table: Table) -> None:
        if table.rows:
            self.charts.append((chart_id, echarts_option(table)))


def birthday_q(today: datetime.date, days: int = 7, field_name: str = "birthday") -> Q:
    """Birthdays in the next `days` days from `today`, across the year's end; 29 February
    counts on 28 February in years without it."""
    query = Q()
    for offset in range(days):
        day = today + datetime.timedelta(days=offset)
        query |= Q(**{f"{field_name}__month": day.month, f"{field_name}__day": day.day})
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        if (day.month, day.day) == (2, 28) and not leap:
            query |= Q(**{f"{field_name}__month": 2, f"{field_name}__day": 29})
    return query


def manager_day(user: User, today: datetime.date) -> dict[str, Any]:
    plans = PlanItem.objects.filter(
        chance__assignee=user,
        chance__status=SalesChance.Status.ASSIGNED,
        result="",
        date__lte=today,
    ).select_related("chance")
    tickets = handle_queue(user)
    birthdays = (
        Contact.objects.filter(customer__in=visible_customers(user).filter(manager=user))
        .filter(birthday_q(today))
        .select_related("customer")
        .order_by("birthday__month", "birthday__day", "name")
    )
    warnings = (
        visible_losses(user)
        .filter(status__in=CustomerLoss.OPEN, customer__manager=user)
        .select_related("customer")
    )
    return {
        "plans": list(plans.order_by("date", "id")[:LIST_SIZE]),
        "plan_count": plans.count(),
        "tickets": list(tickets[:LIST_SIZE]),
        "ticket_count": tickets.count(),
        "birthdays": list(birthdays[:20]),
        "warnings": list(warnings.order_by("-created_at")[:LIST_SIZE]),
        "warning_count": warnings.count(),
    }


def _funnel(summary: Any) -> Table:
    return Table(
        title=_("Pipeline"),
        columns=[Column("stage", _("Stage")), Column("count", _("Opportunities"), "int")],
        rows=[{"stage": stage, "count": count} for stage, count in summary.stages],
        chart=Chart("funnel", "stage", ("count",)),
    )


def supervisor_queue(user: User) -> tuple[dict[str, Any], Table]:
    unassigned = visible_chances(user).filter(status=SalesChance.Status.UNASSIGNED)
    new_tickets = allocate_queue(user)
    summary = pipeline_summary(user)
    return {
        "chances": list(unassigned.select_related("creator").order_by("created_at")[:LIST_SIZE]),
        "chance_count": unassigned.count(),
        "tickets": list(new_tickets[:LIST_SIZE]),
        "new_ticket_count": new_tickets.count(),
        "pipeline": summary,
    }, _funnel(summary)


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    month = day.month - months_back
    year = day.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def executive_view(user: User, today: datetime.date) -> tuple[dict[str, Any], dict[str, Table]]:
    customers = visible_customers(user)
    start = _month_start(today, 23)
    rows: Any = (
        Order.objects.filter(customer__in=customers, date__gte=start)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    monthly = {row["month"].strftime("%Y-%m"): row["total"] for row in rows}
    months = [_month_start(today, back).strftime("%Y-%m") for back in range(23, -1, -1)]
    trend = Table(
        title=_("Monthly sales, last 24 months"),
        columns=[Column("month", _("Month")), Column("amount", _("Order amount (CNY)"), "money")],
        rows=[{"month": month, "amount": monthly.get(month, Decimal(0))} for month in months],
        chart=Chart("line", "month", ("amount",)),
    )
    summary = pipeline_summary(user)
    composition = Table(
        title=_("Customers by level"),
        columns=[Column("level", _("Customer level")), Column("count", _("Customers"), "int")],
        rows=[
            {"level": row["level__item"] or _("Not specified"), "count": row["count"]}
            for row in customers.values("level__item")
            .annotate(count=Count("pk"))
            .order_by("-count")
        ],
        chart=Chart("pie", "level", ("count",)),
    )
    losses = Table(
        title=_("Confirmed losses by year"),
        columns=[Column("year", _("Year")), Column("count", _("Lost customers"), "int")],
        rows=[
            {"year": str(row["confirmed_at__year"]), "count": row["count"]}
            for row in visible_losses(user)
            .filter(status=CustomerLoss.Status.CONFIRMED)
            .values("confirmed_at__year")
            .annotate(count=Count("pk"))
            .order_by("confirmed_at__year")
        ],
        chart=Chart("bar", "year", ("count",)),
    )
    year_start = datetime.date(today.year, 1, 1)
    # Sum the year's orders per customer first (one table), then name the ten.
    leaders = list(
        Order.objects.filter(customer__in=customers, date__gte=year_start)
        .values("customer")
        .annotate(amount=Sum("amount"))
        .order_by("-amount", "customer")[:10]
    )
    named = {
        pk: (number, name)
        for pk, number, name in customers.filter(
            pk__in=[row["customer"] for row in leaders]
        ).values_list("pk", "number", "name")
    }
    top = [
        {
            "number": named[row["customer"]][0],
            "name": named[row["customer"]][1],
            "amount": row["amount"],
        }
        for row in leaders
    ]
    return {"pipeline": summary, "top": top, "year": today.year}, {
        "trend": trend,
        "funnel": _funnel(summary),
        "composition": composition,
        "losses": losses,
    }


EXECUTIVE_CACHE_SECONDS = 300


def _cached_executive_view(user: User, today: datetime.date) -> Any:
    """The executive charts sum years of orders: they are kept for five minutes per scope (all
    customers for view-all holders, else the user's own book) and day."""
    scope = "all" if user.has_perm("sales.view_all_customers") else f"user-{user.pk}"
    key = f"dashboard:executive:{scope}:{today.isoformat()}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = executive_view(user, today)
        cache.set(key, cached, EXECUTIVE_CACHE_SECONDS)
    return cached


def dashboard(user: User) -> Dashboard:
    today = timezone.localdate()
    board = Dashboard()
    if user.has_perm("sales.change_customer"):
        board.sections.append("manager")
        board.data["manager"] = manager_day(user, today)
    if user.has_perm("marketing.assign_chance") or user.has_perm("service.allocate_servicerequest"):
        board.sections.append("supervisor")
        board.data["supervisor"], funnel = supervisor_queue(user)
        board.chart("chart-queue-funnel", funnel)
    if user.has_perm("reports.view_contribution"):
        board.sections.append("executive")
        board.data["executive"], tables = _cached_executive_view(user, today)
        for name, table in tables.items():
            board.chart(f"chart-{name}", table)
    return board
