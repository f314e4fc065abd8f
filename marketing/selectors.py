"""Reads of the marketing module; visibility comes from `marketing.permissions`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from accounts.models import User
from marketing.models import PlanItem, SalesChance
from marketing.permissions import visible_chances, visible_development


def chance_list(user: User) -> QuerySet[SalesChance]:
    return visible_chances(user).select_related("creator", "assignee")


def development_list(user: User) -> QuerySet[SalesChance]:
    """The opportunities under development or closed, as `visible_development` decides."""
    return visible_development(user).select_related("creator", "assignee")


@dataclass(frozen=True)
class PipelineSummary:
    unassigned: int
    developing: int
    won: int
    failed: int
    developing_amount: Decimal  # Σ expected amount of the developing opportunities
    weighted_amount: Decimal  # Σ success rate × expected amount of the developing ones

    @property
    def stages(self) -> list[tuple[str, int]]:
        return [
            (str(SalesChance.Status.UNASSIGNED.label), self.unassigned),
            (str(SalesChance.Status.ASSIGNED.label), self.developing),
            (str(SalesChance.Status.SUCCEEDED.label), self.won),
        ]


def pipeline_summary(user: User) -> PipelineSummary:
    """Counts per status and the probability-weighted forecast, in one query."""
    developing = Q(status=SalesChance.Status.ASSIGNED)
    weighted = ExpressionWrapper(
        F("rate") * F("expected_amount") / Decimal(100),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    row = visible_chances(user).aggregate(
        unassigned=Count("pk", filter=Q(status=SalesChance.Status.UNASSIGNED)),
        developing=Count("pk", filter=developing),
        won=Count("pk", filter=Q(status=SalesChance.Status.SUCCEEDED)),
        failed=Count("pk", filter=Q(status=SalesChance.Status.FAILED)),
        developing_amount=Sum("expected_amount", filter=developing),
        weighted_amount=Sum(weighted, filter=developing),
    )
    return PipelineSummary(
        unassigned=row["unassigned"],
        developing=row["developing"],
        won=row["won"],
        failed=row["failed"],
        developing_amount=Decimal(row["developing_amount"] or 0),
        weighted_amount=Decimal(row["weighted_amount"] or 0).quantize(Decimal("0.01")),
    )


# Dashboards -----------------------------------------------------------------------------------


def due_plan_items(user: User, today: datetime.date) -> QuerySet[PlanItem]:
    """The plan items without a result, dated up to `today`, of the visible opportunities the
    user develops, oldest first, with their opportunity."""
    return (
        PlanItem.objects.filter(
            chance__in=visible_chances(user),
            chance__assignee=user,
            chance__status=SalesChance.Status.ASSIGNED,
            result="",
            date__lte=today,
        )
        .select_related("chance")
        .order_by("date", "id")
    )


def unassigned_chances(user: User) -> QuerySet[SalesChance]:
    """The visible opportunities waiting to be assigned, oldest first, with their creator."""
    return (
        visible_chances(user)
        .filter(status=SalesChance.Status.UNASSIGNED)
        .select_related("creator")
        .order_by("created_at")
    )


def plan_items_between(
    user: User, developer: User, start: datetime.date, end: datetime.date, limit: int = 2000
) -> list[PlanItem]:
    """The plan items dated in [start, end) of the visible opportunities `developer` develops
    (assigned or closed), for the calendar; one query, with the opportunity's name."""
    return list(
        PlanItem.objects.filter(
            chance__in=visible_chances(user),
            chance__assignee=developer,
            date__gte=start,
            date__lt=end,
        )
        .select_related("chance")
        .only("pk", "date", "todo", "result", "chance__id", "chance__customer_name")
        .order_by("date", "id")[:limit]
    )
