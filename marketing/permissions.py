"""Who may see and act on which sales opportunities."""

from django.db.models import Q, QuerySet

from accounts.models import User
from marketing.models import Campaign, Quote, SalesChance
from sales.models import Customer
from sales.permissions import customer_visibility

ASSIGN_RIGHT = "marketing.assign_chance"
VIEW_ALL_RIGHT = "marketing.view_all_chances"
CHANCE_RIGHT = "marketing.view_chance"
PLAN_RIGHT = "marketing.view_plan"  # the development page: plan and execute opportunities
BOARD_RIGHT = "marketing.view_board"
STAGES_RIGHT = "marketing.change_stage"


def visible_chances(user: User) -> QuerySet[SalesChance]:
    """Opportunities the user created or develops; all of them with the assign or view-all right."""
    chances = SalesChance.objects.all()
    if not user.is_authenticated or not user.is_active:
        return chances.none()
    if user.has_perm(ASSIGN_RIGHT) or user.has_perm(VIEW_ALL_RIGHT):
        return chances
    return chances.filter(Q(creator=user) | Q(assignee=user))


def visible_development(user: User) -> QuerySet[SalesChance]:
    """The development page's opportunities (assigned or closed): the assignee's own; all the
    visible ones with the assign right."""
    chances = visible_chances(user).exclude(status=SalesChance.Status.UNASSIGNED)
    if not user.is_authenticated or user.has_perm(ASSIGN_RIGHT):
        return chances
    return chances.filter(assignee=user)


def can_create_chance(user: User) -> bool:
    return user.is_active and user.has_perm(CHANCE_RIGHT)


def can_edit_chance(user: User, chance: SalesChance) -> bool:
    """Edit or delete: only while unassigned, by its creator or a holder of the assign right."""
    return chance.status == SalesChance.Status.UNASSIGNED and (
        chance.creator_id == user.pk or user.has_perm(ASSIGN_RIGHT)
    )


def can_assign_chance(user: User, chance: SalesChance) -> bool:
    return chance.status == SalesChance.Status.UNASSIGNED and user.has_perm(ASSIGN_RIGHT)


def can_reassign_chance(user: User, chance: SalesChance) -> bool:
    return chance.status == SalesChance.Status.ASSIGNED and user.has_perm(ASSIGN_RIGHT)


def can_plan_chance(user: User, chance: SalesChance) -> bool:
    """Write the development plan (add, edit, delete items) while the opportunity is
    developing: its assignee, and the supervisors (the assign right with the development page),
    whose duty is to plan the development of particular opportunities."""
    if chance.status != SalesChance.Status.ASSIGNED or not user.is_active:
        return False
    return chance.assignee_id == user.pk or (
        user.has_perm(ASSIGN_RIGHT) and user.has_perm(PLAN_RIGHT)
    )


def can_develop_chance(user: User, chance: SalesChance) -> bool:
    """Plan, execute, win or fail: the assignee, while the opportunity is developing."""
    return chance.status == SalesChance.Status.ASSIGNED and chance.assignee_id == user.pk


def can_move_chance(user: User, chance: SalesChance) -> bool:
    """Move between stages: the assignee or a holder of the assign right, while developing."""
    return chance.status == SalesChance.Status.ASSIGNED and (
        chance.assignee_id == user.pk or user.has_perm(ASSIGN_RIGHT)
    )


def can_change_stages(user: User) -> bool:
    return user.is_active and user.has_perm(STAGES_RIGHT)


def can_tag_chance(user: User, chance: SalesChance) -> bool:
    """Put tags on an opportunity or take them off, in any status: its creator, its assignee,
    and holders of the assign right."""
    return user.is_active and (
        chance.creator_id == user.pk or chance.assignee_id == user.pk or user.has_perm(ASSIGN_RIGHT)
    )


# Quotes -----------------------------------------------------------------------------------------

QUOTE_RIGHT = "marketing.view_quote"
ADD_QUOTE_RIGHT = "marketing.add_quote"
APPROVE_QUOTE_RIGHT = "marketing.approve_quote"


def visible_quotes(
    user: User, customer: Customer | None = None, *, hashed: bool = False
) -> QuerySet[Quote]:
    """Quotes of the customers the user may see (`sales.permissions.customer_visibility`);
    `customer`: only that customer's quotes. `hashed`: the rule in its form for thousands of
    rows."""
    quotes = Quote.objects.all()
    if not user.is_authenticated or not user.is_active:
        return quotes.none()
    if customer is not None:
        return quotes.filter(customer=customer).filter(customer_visibility(user, customer=customer))
    # The list is read newest first along its primary key: the rule on the joined customer.
    return quotes.filter(customer_visibility(user, per_row=not hashed, hashed=hashed))


def can_create_quote(user: User) -> bool:
    return user.is_active and user.has_perm(ADD_QUOTE_RIGHT)


def can_change_quote(user: User, quote: Quote) -> bool:
    """Edit, submit, send, record the customer's answer: the quote's creator (while they may
    still write quotes) or a holder of the approve right."""
    return user.is_active and (
        (quote.creator_id == user.pk and user.has_perm(ADD_QUOTE_RIGHT))
        or user.has_perm(APPROVE_QUOTE_RIGHT)
    )


def can_edit_quote(user: User, quote: Quote) -> bool:
    return quote.status == Quote.Status.DRAFT and can_change_quote(user, quote)


def can_approve_quote(user: User, quote: Quote) -> bool:
    """Approve or refuse a quote pending approval: a holder of the approve right other than
    its creator (four eyes: a supervisor's own discounted quote goes to another approver)."""
    return (
        quote.status == Quote.Status.PENDING
        and user.is_active
        and user.has_perm(APPROVE_QUOTE_RIGHT)
        and quote.creator_id != user.pk
    )


def can_send_quote(user: User, quote: Quote) -> bool:
    return quote.status == Quote.Status.APPROVED and can_change_quote(user, quote)


def can_answer_quote(user: User, quote: Quote) -> bool:
    """Record the customer's acceptance or refusal of a sent quote."""
    return quote.status == Quote.Status.SENT and can_change_quote(user, quote)


def can_copy_quote(user: User, quote: Quote) -> bool:
    """Copy any visible quote, in any status, to a new draft version."""
    return can_create_quote(user)


# Campaigns --------------------------------------------------------------------------------------

CAMPAIGN_RIGHT = "marketing.view_campaign"
CAMPAIGN_ADD_RIGHT = "marketing.add_campaign"
CAMPAIGN_APPROVE_RIGHT = "marketing.approve_campaign"


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns are the team's: every holder of the view right sees all of them (their target
    group's members are still counted among the customers each viewer may see)."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(CAMPAIGN_RIGHT):
        return Campaign.objects.none()
    return Campaign.objects.all()


def can_create_campaign(user: User) -> bool:
    return user.is_active and user.has_perm(CAMPAIGN_RIGHT) and user.has_perm(CAMPAIGN_ADD_RIGHT)


def _runs_campaign(user: User, campaign: Campaign) -> bool:
    """Its owner (while they may still propose campaigns) and the approvers (supervisors)."""
    if not user.is_active:
        return False
    return user.has_perm(CAMPAIGN_APPROVE_RIGHT) or (
        campaign.owner_id == user.pk and user.has_perm(CAMPAIGN_ADD_RIGHT)
    )


def can_edit_campaign(user: User, campaign: Campaign) -> bool:
    """Edit while planned: its owner or an approver."""
    return campaign.status == Campaign.Status.PLANNED and _runs_campaign(user, campaign)


def can_approve_campaign(user: User, campaign: Campaign) -> bool:
    """Approve a planned campaign: a holder of the approve right who is not its owner (four
    eyes: a supervisor's own campaign is approved by another supervisor)."""
    return (
        campaign.status == Campaign.Status.PLANNED
        and user.is_active
        and user.has_perm(CAMPAIGN_APPROVE_RIGHT)
        and campaign.owner_id != user.pk
    )


def can_start_campaign(user: User, campaign: Campaign) -> bool:
    return campaign.status == Campaign.Status.APPROVED and _runs_campaign(user, campaign)


def can_finish_campaign(user: User, campaign: Campaign) -> bool:
    return campaign.status == Campaign.Status.RUNNING and _runs_campaign(user, campaign)


CANCELLABLE = (Campaign.Status.PLANNED, Campaign.Status.APPROVED, Campaign.Status.RUNNING)
LOGGABLE = (Campaign.Status.RUNNING, Campaign.Status.FINISHED)


def can_cancel_campaign(user: User, campaign: Campaign) -> bool:
    return campaign.status in CANCELLABLE and _runs_campaign(user, campaign)


def can_log_campaign(user: User, campaign: Campaign) -> bool:
    """Record what a running or finished campaign did and cost: its owner or an approver."""
    return campaign.status in LOGGABLE and _runs_campaign(user, campaign)


def chance_campaigns(user: User, *, current: int | None = None) -> QuerySet[Campaign]:
    """The campaigns `user` may name as an opportunity's source: those they see that are
    running or finished, and `current`, the one the opportunity already names (it stays valid
    when its campaign is cancelled later). The form's choices, the list's filter and the
    service's check all ask this."""
    allowed = visible_campaigns(user).filter(status__in=LOGGABLE)
    return allowed if current is None else allowed | Campaign.objects.filter(pk=current)
