"""The home page per role: what a manager does today, a supervisor's queue, an executive's charts.

Sections are chosen by rights, never by role names; every query is an app's selector, which
applies that app's visibility and aggregates in the database.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from core.caching import cached
from marketing.selectors import due_plan_items, pipeline_summary, unassigned_chances
from reports.builders.forecast import forecast_tables
from reports.registry import REPORTS
from reports.rendering.echarts import echarts_option
from reports.rendering.report import Chart, Column, Table
from sales.selectors import (
    confirmed_loss_counts,
    customer_counts,
    monthly_order_amounts,
    open_loss_warnings,
    top_customers_by_amount,
    upcoming_birthdays,
)
from service.selectors import allocate_queue, handle_queue
from tasks.permissions import VIEW_RIGHT as TASKS_RIGHT
from tasks.selectors import open_task_counts, today_tasks

LIST_SIZE = 5


@dataclass
class Dashboard:
    sections: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def chart(self, chart_id: str, table: Table) -> None:
        if table.rows:
            self.charts.append((chart_id, echarts_option(table)))


def manager_day(user: User, today: datetime.date) -> dict[str, Any]:
    plans = due_plan_items(user, today)
    tickets = handle_queue(user)
    birthdays = upcoming_birthdays(user, today, days=7)
    warnings = open_loss_warnings(user)
    has_tasks = user.has_perm(TASKS_RIGHT)
    return {
        # The agenda: the user's own open tasks (counts link to the task list's tabs).
        "has_tasks": has_tasks,
        "task_counts": open_task_counts(user) if has_tasks else {},
        "tasks": today_tasks(user, limit=LIST_SIZE) if has_tasks else [],
        "plans": list(plans[:LIST_SIZE]),
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
    unassigned = unassigned_chances(user)
    new_tickets = allocate_queue(user)
    summary = pipeline_summary(user)
    return {
        "chances": list(unassigned[:LIST_SIZE]),
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
    monthly = monthly_order_amounts(user, _month_start(today, 23))
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
        columns=[
            Column("level", _("Customer level")),
            Column("count", pgettext("count", "Customers"), "int"),
        ],
        rows=[
            {"level": level or _("Not specified"), "count": count}
            for level, count in customer_counts(user, "level")
        ],
        chart=Chart("pie", "level", ("count",)),
    )
    losses = Table(
        title=_("Confirmed losses by year"),
        columns=[Column("year", _("Year")), Column("count", _("Lost customers"), "int")],
        rows=[
            {"year": str(year), "count": count}
            for year, count in confirmed_loss_counts(user, "year")
        ],
        chart=Chart("bar", "year", ("count",)),
    )
    top = top_customers_by_amount(user, datetime.date(today.year, 1, 1), limit=10)
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
    return cached(key, EXECUTIVE_CACHE_SECONDS, lambda: executive_view(user, today))


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
    if user.has_perm(REPORTS["contribution"].permission):
        board.sections.append("executive")
        board.data["executive"], tables = _cached_executive_view(user, today)
        for name, table in tables.items():
            board.chart(f"chart-{name}", table)
    add_forecast(board, user)
    return board


# Forecast -------------------------------------------------------------------------------------


def forecast_section(user: User, today: datetime.date) -> tuple[dict[str, Any], Table]:
    """This year's forecast by quarter for the team, the reps' totals and what was won."""
    by_quarter, by_rep = forecast_tables(user, year=today.year, grain="quarter")
    return {
        "year": today.year,
        "quarters": by_quarter.rows,
        "totals": by_quarter.totals,
        "reps": by_rep.rows[:LIST_SIZE],
    }, by_quarter


def add_forecast(board: Dashboard, user: User) -> None:
    """The forecast block for those who see the whole pipeline (supervisors, executives)."""
    if not user.has_perm(REPORTS["forecast"].permission) or not user.has_perm(
        "marketing.view_all_chances"
    ):
        return
    board.sections.append("forecast")
    board.data["forecast"], table = forecast_section(user, timezone.localdate())
    board.chart("chart-forecast", table)
