"""Reads of the marketing module; visibility comes from `marketing.permissions`."""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.textsearch import ranked_matches
from inventory.models import DictItem, DictType
from marketing.filters import QuoteFilter
from marketing.models import (
    Campaign,
    CampaignLog,
    PlanItem,
    Quote,
    QuoteEvent,
    QuoteLine,
    SalesChance,
    Stage,
    StageChange,
)
from marketing.permissions import (
    visible_campaigns,
    visible_chances,
    visible_development,
    visible_quotes,
)


def chance_list(user: User) -> QuerySet[SalesChance]:
    return visible_chances(user).select_related("creator", "assignee")


def chance_rows(user: User) -> QuerySet[SalesChance]:
    """The opportunity list's rows: `chance_list` with each row's tags (one more query)."""
    return chance_list(user).prefetch_related("tags")


OPEN_STATUSES = (SalesChance.Status.UNASSIGNED, SalesChance.Status.ASSIGNED)


def open_chance_of_customer() -> Exists:
    """A condition on customer rows: the customer has an open opportunity (unassigned or
    developing) under its name. An opportunity names its prospective customer
    (`customer_name`) and links to a customer record only when it is won, so an open one is the
    customer's when it carries the customer's exact name (`sales.lifecycle`)."""
    return Exists(
        SalesChance.objects.filter(status__in=OPEN_STATUSES, customer_name=OuterRef("name"))
    )


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
    """Counts per status and the probability-weighted forecast, in two queries: the counts from
    the index on the status, the sums from the developing ones' covering index (one query over
    every row summed numbers for all of them: 27-33 -> 16 + 8 ms at scale 2)."""
    chances = visible_chances(user).order_by()
    counts = dict(chances.values_list("status").annotate(count=Count("*")))
    sums = chances.filter(status=SalesChance.Status.ASSIGNED).aggregate(
        amount=Sum("expected_amount"),
        weighted=Sum(
            ExpressionWrapper(
                F("rate") * F("expected_amount"),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            )
        ),
    )
    return PipelineSummary(
        unassigned=counts.get(SalesChance.Status.UNASSIGNED, 0),
        developing=counts.get(SalesChance.Status.ASSIGNED, 0),
        won=counts.get(SalesChance.Status.SUCCEEDED, 0),
        failed=counts.get(SalesChance.Status.FAILED, 0),
        developing_amount=Decimal(sums["amount"] or 0),
        weighted_amount=(Decimal(sums["weighted"] or 0) / 100).quantize(Decimal("0.01")),
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


# Stages and the board ---------------------------------------------------------------------------


def stage_list() -> QuerySet[Stage]:
    return Stage.objects.order_by("order", "id")


def active_stages() -> list[Stage]:
    return list(Stage.objects.filter(is_active=True).order_by("order", "id"))


UNASSIGNED, WON, LOST = "unassigned", "won", "lost"
CLOSED_COLUMNS = {WON: SalesChance.Status.SUCCEEDED, LOST: SalesChance.Status.FAILED}
BOARD_PAGE = 20


@dataclass
class BoardColumn:
    key: str  # a stage's id, or unassigned / won / lost
    title: str
    stage: Stage | None = None
    count: int = 0
    cards: list[SalesChance] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the cards as the page draws them

    @property
    def more(self) -> bool:
        return self.count > len(self.cards)

    @property
    def last_id(self) -> int | None:
        return self.cards[-1].pk if self.cards else None


def column_filter(key: str) -> Q:
    """The opportunities of a board column."""
    if key == UNASSIGNED:
        return Q(status=SalesChance.Status.UNASSIGNED)
    if key in CLOSED_COLUMNS:
        return Q(status=CLOSED_COLUMNS[key])
    return Q(status=SalesChance.Status.ASSIGNED, stage_id=int(key))


def board_chances(
    user: User,
    *,
    owner: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[SalesChance]:
    """The visible opportunities, optionally of one owner (assignee, or creator while
    unassigned) and with an expected close date in [start, end]."""
    chances = visible_chances(user)
    if owner is not None:
        chances = chances.filter(Q(assignee=owner) | Q(assignee__isnull=True, creator=owner))
    if start is not None:
        chances = chances.filter(expected_close_date__gte=start)
    if end is not None:
        chances = chances.filter(expected_close_date__lte=end)
    return chances


# What a card shows (`marketing.views.BoardCards.row`): the first render reads 140 cards with
# their owners, and whole rows (every date of the opportunity and of both users) took a fifth
# of the page's own time to turn into model instances.
_OWNER_FIELDS = ("first_name", "last_name", "username")
CARD_FIELDS = (
    *("status", "stage", "assignee", "creator", "customer_name", "title", "expected_amount"),
    *("expected_close_date", "stage_changed_at", "closed_at", "created_at"),
    *(f"{owner}__{field}" for owner in ("assignee", "creator") for field in _OWNER_FIELDS),
)


def _card_rows(chances: QuerySet[SalesChance]) -> QuerySet[SalesChance]:
    return chances.select_related("assignee", "creator").only(*CARD_FIELDS).order_by("-id")


def _cards(ids: Iterable[int]) -> list[SalesChance]:
    return list(_card_rows(SalesChance.objects.filter(pk__in=list(ids))))


def _first_ids(chances: QuerySet[SalesChance], keys: list[str], size: int) -> list[int]:
    """The ids of the first `size` cards of every column, in one query: a UNION of the columns'
    sliced queries where the database allows it, else a ROW_NUMBER window."""
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [
            chances.filter(column_filter(key)).order_by("-id").values_list("pk", flat=True)[:size]
            for key in keys
        ]
        return list(parts[0].union(*parts[1:], all=True)) if parts else []
    column = Case(
        When(status=SalesChance.Status.ASSIGNED, then=F("stage_id")),
        default=-F("status"),
        output_field=IntegerField(),
    )
    ranked = chances.annotate(
        rank=Window(RowNumber(), partition_by=[column], order_by=F("id").desc())
    ).filter(rank__lte=size)
    return list(ranked.values_list("pk", flat=True))


def board(
    user: User, *, stages: list[Stage], size: int = BOARD_PAGE, **filters: Any
) -> list[BoardColumn]:
    """The board: unassigned, each active stage, won and lost, with their counts and first
    cards (newest first). Three queries whatever the size: counts, card ids, cards."""

    columns = [
        BoardColumn(UNASSIGNED, _("Unassigned")),
        *(BoardColumn(str(stage.pk), stage.name, stage) for stage in stages),
        BoardColumn(WON, _("Won")),
        BoardColumn(LOST, _("Lost")),
    ]
    chances = board_chances(user, **filters)
    counts = chances.aggregate(
        **{
            f"c{index}": Count("pk", filter=column_filter(col.key))
            for index, col in enumerate(columns)
        }
    )
    for index, col in enumerate(columns):
        col.count = counts[f"c{index}"]
    by_key = {col.key: col for col in columns}
    for card in _cards(_first_ids(chances, [col.key for col in columns if col.count], size)):
        key = card_column(card)
        if key in by_key:
            by_key[key].cards.append(card)
    return columns


def card_column(chance: SalesChance) -> str:
    return chance.board_column


def board_column_page(
    user: User, key: str, *, before: int | None, size: int = BOARD_PAGE, **filters: Any
) -> list[SalesChance]:
    """The next cards of one column after the card `before` (keyset paging: fast at any depth)."""
    chances = board_chances(user, **filters).filter(column_filter(key))
    if before is not None:
        chances = chances.filter(pk__lt=before)
    return list(_card_rows(chances)[:size])


def board_card(user: User, pk: int) -> SalesChance:

    return get_object_or_404(
        visible_chances(user).select_related("assignee", "creator", "stage"), pk=pk
    )


# Forecast and performance -----------------------------------------------------------------------

MONEY = DecimalField(max_digits=18, decimal_places=2)


def forecast_months(
    user: User,
    *,
    start: datetime.date,
    end: datetime.date,
    owner: User | None = None,
) -> list[dict[str, Any]]:
    """Per month and rep, from the visible opportunities: `expected` = Σ expected amount × win
    probability (the opportunity's own, else its stage's) of those developing with an expected
    close date in [start, end]; `pipeline` = the same unweighted; `won` = Σ expected amount of
    those won (closed) in the period. Rows: month (first day), rep id and name, the three sums."""
    chances = visible_chances(user)
    if owner is not None:
        chances = chances.filter(assignee=owner)
    weighted = ExpressionWrapper(
        F("expected_amount") * Coalesce(F("probability"), F("stage__probability")) / Decimal(100),
        output_field=MONEY,
    )
    rep = ("assignee", "assignee__username", "assignee__first_name")
    open_rows = (
        chances.filter(
            status=SalesChance.Status.ASSIGNED,
            expected_close_date__gte=start,
            expected_close_date__lte=end,
        )
        .annotate(month=TruncMonth("expected_close_date"))
        .values("month", *rep)
        .annotate(expected=Sum(weighted), pipeline=Sum("expected_amount"))
        .order_by()
    )
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    start_at = datetime.datetime.combine(start, datetime.time.min)

    won_rows = (
        chances.filter(
            status=SalesChance.Status.SUCCEEDED,
            closed_at__gte=timezone.make_aware(start_at),
            closed_at__lt=timezone.make_aware(end_at),
        )
        .annotate(month=TruncMonth("closed_at"))
        .values("month", *rep)
        .annotate(won=Sum("expected_amount"))
        .order_by()
    )
    merged: dict[tuple[datetime.date, int], dict[str, Any]] = {}

    def row(source: dict[str, Any]) -> dict[str, Any]:
        month = source["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        key = (month, source["assignee"])
        return merged.setdefault(
            key,
            {
                "month": month,
                "rep_id": source["assignee"],
                "rep": source["assignee__first_name"] or source["assignee__username"] or "",
                "expected": Decimal(0),
                "pipeline": Decimal(0),
                "won": Decimal(0),
            },
        )

    for source in open_rows:
        target = row(source)
        target["expected"] += Decimal(source["expected"] or 0)
        target["pipeline"] += Decimal(source["pipeline"] or 0)
    for source in won_rows:
        row(source)["won"] += Decimal(source["won"] or 0)
    return sorted(merged.values(), key=lambda r: (r["month"], r["rep"], r["rep_id"] or 0))


def rep_chance_stats(
    user: User, *, start: datetime.date | None, end: datetime.date | None
) -> dict[int, dict[str, Any]]:
    """Per rep (assignee id): opportunities won and lost (closed in the period) and the average
    cycle time in days from assignment to close of the won ones."""

    chances = visible_chances(user).filter(
        status__in=[SalesChance.Status.SUCCEEDED, SalesChance.Status.FAILED]
    )
    if start is not None:
        chances = chances.filter(
            closed_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        )
    if end is not None:
        day_after = end + datetime.timedelta(days=1)
        chances = chances.filter(
            closed_at__lt=timezone.make_aware(
                datetime.datetime.combine(day_after, datetime.time.min)
            )
        )
    cycle = ExpressionWrapper(F("closed_at") - F("assigned_at"), output_field=DurationField())
    won = Q(status=SalesChance.Status.SUCCEEDED)
    rows = (
        chances.values("assignee")
        .annotate(
            won=Count("pk", filter=won),
            lost=Count("pk", filter=Q(status=SalesChance.Status.FAILED)),
            cycle=Avg(cycle, filter=won),
        )
        .order_by()
    )
    return {
        row["assignee"]: {
            "won": row["won"],
            "lost": row["lost"],
            "cycle_days": row["cycle"].total_seconds() / 86400 if row["cycle"] else None,
        }
        for row in rows
    }


def stage_funnel(
    user: User, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Per stage (in order): how many visible opportunities entered it (in the period) and how
    many of those moved on, to a later stage or won."""

    changes = StageChange.objects.filter(chance__in=visible_chances(user))
    if start is not None:
        changes = changes.filter(
            created_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        )
    if end is not None:
        day_after = end + datetime.timedelta(days=1)
        changes = changes.filter(
            created_at__lt=timezone.make_aware(
                datetime.datetime.combine(day_after, datetime.time.min)
            )
        )
    stages = list(stage_list())
    entered = dict(
        changes.filter(to_stage__isnull=False)
        .values("to_stage")
        .annotate(n=Count("chance", distinct=True))
        .order_by()
        .values_list("to_stage", "n")
    )
    forward = changes.filter(from_stage__isnull=False).filter(
        Q(status=SalesChance.Status.SUCCEEDED)
        | Q(to_stage__order__gt=F("from_stage__order"))
        | (Q(to_stage__order=F("from_stage__order")) & Q(to_stage__gt=F("from_stage")))
    )
    moved = dict(
        forward.values("from_stage")
        .annotate(n=Count("chance", distinct=True))
        .order_by()
        .values_list("from_stage", "n")
    )
    return [
        {
            "stage": stage.name,
            "probability": stage.probability,
            "entered": entered.get(stage.pk, 0),
            "moved_on": moved.get(stage.pk, 0),
        }
        for stage in stages
        if stage.is_active or entered.get(stage.pk)
    ]


def chance_search(*, user: User, term: str, limit: int) -> list[SalesChance]:
    """Visible opportunities by customer name, summary or contact, best first (global search)."""
    chances = visible_chances(user).only("customer_name", "title", "contact", "status")
    fields = ("customer_name", "title", "contact")
    return list(ranked_matches(chances, term, fields=fields, limit=limit))


def plan_items_between(
    user: User, developer: User, start: datetime.date, end: datetime.date, limit: int = 2000
) -> list[tuple[Any, ...]]:
    """The plan items dated in [start, end) of the visible opportunities `developer` develops
    (assigned or closed), for the calendar; one query, rows of (pk, date, to-do, result,
    opportunity pk, opportunity's customer name)."""
    return list(
        PlanItem.objects.filter(
            chance__in=visible_chances(user),
            chance__assignee=developer,
            date__gte=start,
            date__lt=end,
        )
        .order_by("date", "id")
        .values_list("pk", "date", "todo", "result", "chance_id", "chance__customer_name")[:limit]
    )


# Campaigns --------------------------------------------------------------------------------------


def _campaign_cost() -> Any:
    """A campaign row's actual cost: Σ of its log entries' costs (0 without entries)."""
    costs = (
        CampaignLog.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(total=Sum("cost"))
        .values("total")
    )
    return Coalesce(Subquery(costs, output_field=MONEY), Decimal(0), output_field=MONEY)


def campaign_list(user: User) -> QuerySet[Campaign]:
    """The visible campaigns with their type, owner, target group and actual cost."""
    return (
        visible_campaigns(user)
        .select_related("kind", "owner", "target_group", "approver")
        .annotate(actual_cost=_campaign_cost())
    )


def campaign_chances(user: User, campaign: Campaign) -> QuerySet[SalesChance]:
    """The opportunities from `campaign` that `user` may see, newest first."""
    return (
        visible_chances(user)
        .filter(campaign=campaign)
        .select_related("assignee", "creator")
        .order_by("-id")
    )


@dataclass(frozen=True)
class CampaignResult:
    """What a campaign brought, among the opportunities the viewer may see: `responses` the
    opportunities naming it, `won` those won, `won_amount` Σ their expected amounts; `cost`
    Σ of its log costs; `roi` (won amount − cost) / cost, None when it cost nothing."""

    responses: int
    won: int
    won_amount: Decimal
    cost: Decimal

    @property
    def roi(self) -> Decimal | None:
        return campaign_roi(self.won_amount, self.cost)


def campaign_roi(won_amount: Decimal, cost: Decimal) -> Decimal | None:
    """(won amount − actual cost) / actual cost to 4 places (a fraction: 0.25 is 25 %), None
    when the campaign cost nothing."""
    if not cost:
        return None
    return ((won_amount - cost) / cost).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _chance_counts(user: User, **where: Any) -> Any:
    """A campaign row's number of visible opportunities naming it (with `where`)."""
    chances: Any = visible_chances(user).filter(campaign=OuterRef("pk"), **where).order_by()
    counts = chances.values("campaign").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _chance_amounts(user: User, **where: Any) -> Any:
    """A campaign row's Σ expected amount of the visible opportunities naming it (`where`)."""
    chances: Any = visible_chances(user).filter(campaign=OuterRef("pk"), **where).order_by()
    sums = chances.values("campaign").annotate(n=Sum("expected_amount")).values("n")
    return Coalesce(Subquery(sums, output_field=MONEY), Decimal(0), output_field=MONEY)


def campaign_results(
    user: User,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kind: DictItem | None = None,
    status: int | None = None,
) -> QuerySet[Any]:
    """The visible campaigns that ran in [start, end] (their dates overlap it), of a type and
    status, each with `responses`, `won`, `won_amount` (as `CampaignResult` defines them) and
    `actual_cost`: one query, by subqueries (no join multiplies the rows)."""
    won = SalesChance.Status.SUCCEEDED
    campaigns: Any = campaign_list(user).annotate(
        responses=_chance_counts(user),
        won=_chance_counts(user, status=won),
        won_amount=_chance_amounts(user, status=won),
    )
    if start is not None:
        campaigns = campaigns.filter(end_date__gte=start)
    if end is not None:
        campaigns = campaigns.filter(start_date__lte=end)
    if kind is not None:
        campaigns = campaigns.filter(kind=kind)
    if status is not None:
        campaigns = campaigns.filter(status=status)
    return campaigns.order_by("start_date", "id")


def campaign_result(user: User, campaign: Campaign) -> CampaignResult:
    """One campaign's `CampaignResult` for `user` (the detail page), in one query."""
    row = campaign_results(user).filter(pk=campaign.pk).first()
    if row is None:
        return CampaignResult(responses=0, won=0, won_amount=Decimal(0), cost=Decimal(0))
    return CampaignResult(
        responses=row.responses,
        won=row.won,
        won_amount=Decimal(row.won_amount or 0),
        cost=Decimal(row.actual_cost or 0),
    )


def campaign_report_rows(
    user: User,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kind: DictItem | None = None,
    status: int | None = None,
) -> list[dict[str, Any]]:
    """The campaign report's rows (`campaign_results` as plain values, with the ROI)."""
    rows = []
    for campaign in campaign_results(user, start=start, end=end, kind=kind, status=status):
        won_amount, cost = Decimal(campaign.won_amount or 0), Decimal(campaign.actual_cost or 0)
        rows.append(
            {
                "name": campaign.name,
                "kind": campaign.kind.item,
                "dates": f"{campaign.start_date} – {campaign.end_date}",
                "status": campaign.get_status_display(),
                "budget": campaign.budget,
                "cost": cost,
                "responses": campaign.responses,
                "won": campaign.won,
                "won_amount": won_amount,
                "roi": campaign_roi(won_amount, cost),
            }
        )
    return rows


def campaign_status_choices() -> list[tuple[int, Any]]:
    return list(Campaign.Status.choices)


def campaign_kinds() -> QuerySet[DictItem]:
    return DictItem.objects.filter(type=DictType.CAMPAIGN_KIND).order_by("id")


# Quotes -----------------------------------------------------------------------------------------


def _quotes(user: User, *, hashed: bool = False) -> QuerySet[Quote]:
    return visible_quotes(user, hashed=hashed).select_related("customer", "creator")


def quote_list(*, user: User, filters: Mapping[str, Any] | None) -> QuoteFilter:
    """The quote list as its page, its download and the API show it: the visible quotes,
    filtered and sorted by `filters` (the query string), newest first unless sorted. The result
    is the bound filter set (`.qs` when `is_valid()` or unbound, `.form`)."""
    return QuoteFilter(filters, queryset=_quotes(user).order_by("-id"))


def quote_queryset(user: User, *, hashed: bool = False) -> QuerySet[Quote]:
    """The visible quotes with their customer and creator (the API's base), newest first.
    `hashed`: `visible_quotes`' (a deep page's ids)."""
    return _quotes(user, hashed=hashed).order_by("-id")


def quote_detail(user: User, pk: int) -> Quote:
    """One visible quote with its people, lines (and products) and steps; 404 outside scope."""
    quotes = _quotes(user).select_related("approver", "opportunity", "order", "original")
    return get_object_or_404(
        quotes.prefetch_related(
            Prefetch("lines", QuoteLine.objects.select_related("product")),
            Prefetch("events", QuoteEvent.objects.select_related("actor")),
        ),
        pk=pk,
    )


CUSTOMER_QUOTES_SHOWN = 10


def customer_quotes(user: User, customer: Any) -> list[Quote]:
    """The newest quotes of one customer for its page (one query)."""
    return list(
        visible_quotes(user, customer)
        .select_related("creator", "order")
        .order_by("-id")[:CUSTOMER_QUOTES_SHOWN]
    )


def quote_export_headers() -> list[str]:
    return [
        _("Quote no."),
        _("Version"),
        _("Customer no."),
        _("Customer"),
        _("Status"),
        _("Valid until"),
        _("Currency"),
        _("Amount without tax"),
        _("Tax"),
        _("Amount with tax"),
        _("Largest discount (%)"),
        _("Created by"),
        _("Created"),
    ]


def quote_export_rows(quotes: QuerySet[Quote]) -> Iterator[tuple[Any, ...]]:
    """One tuple per quote, read in chunks (constant memory, no per-row queries)."""
    statuses: dict[Any, Any] = dict(Quote.Status.choices)
    rows = quotes.values_list(
        "number",
        "version",
        "customer__number",
        "customer__name",
        "status",
        "valid_until",
        "currency",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "max_discount",
        "creator__first_name",
        "creator__username",
        "created_at",
    ).iterator(chunk_size=5000)
    for row in rows:
        *head, first_name, username, created = row
        head[4] = str(statuses.get(head[4], head[4]))
        yield (*head, first_name or username, created)
