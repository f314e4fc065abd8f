"""Sales performance per rep: orders and their amount (of the rep's customers), opportunities
won and lost, the conversion rate and the average cycle from assignment to won."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_list
from marketing.selectors import rep_chance_stats
from reports.builders.periods import PeriodForm, applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table
from sales.selectors import manager_order_totals


class PerformanceForm(PeriodForm):
    pass


def build_performance(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(PerformanceForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    orders = manager_order_totals(user, start=start, end=end)
    chances = rep_chance_stats(user, start=start, end=end)
    ids = [pk for pk in {*orders, *chances} if pk is not None]
    names = {u.pk: str(u) for u in user_list().filter(pk__in=ids)}
    rows = []
    for pk in ids:
        order = orders.get(pk, {"orders": 0, "amount": Decimal(0)})
        stats = chances.get(pk, {"won": 0, "lost": 0, "cycle_days": None})
        closed = stats["won"] + stats["lost"]
        rows.append(
            {
                "rep": names.get(pk, ""),
                "orders": order["orders"],
                "amount": order["amount"],
                "won": stats["won"],
                "lost": stats["lost"],
                "conversion": stats["won"] / closed if closed else None,
                "cycle": round(stats["cycle_days"], 1) if stats["cycle_days"] is not None else None,
            }
        )
    rows.sort(key=lambda r: (-r["amount"], r["rep"]))
    won = sum(r["won"] for r in rows)
    closed = won + sum(r["lost"] for r in rows)
    table = Table(
        title=_("Sales performance per rep"),
        columns=[
            Column("rep", _("Customer manager")),
            Column("orders", _("Orders"), "int"),
            Column("amount", _("Order amount (CNY)"), "money"),
            Column("won", _("Opportunities won"), "int"),
            Column("lost", _("Opportunities lost"), "int"),
            Column("conversion", _("Conversion rate"), "percent"),
            Column("cycle", _("Average days to win"), "decimal"),
        ],
        rows=rows,
        totals={
            "rep": _("Total"),
            "orders": sum(r["orders"] for r in rows),
            "amount": sum((r["amount"] for r in rows), Decimal(0)),
            "won": won,
            "lost": closed - won,
            "conversion": won / closed if closed else None,
        },
        chart=Chart("bar", "rep", ("amount",)),
    )
    return Report(
        slug="performance",
        title=str(_("Sales performance")),
        filters=applied_filters(form, {"year": period}),
        tables=[table],
    )
