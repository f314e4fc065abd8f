import datetime
import html
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.generic import TemplateView, View

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.exports import csv_response, xlsx_response
from core.views import (
    ActionView,
    ConfirmDeleteView,
    ListPageView,
    ServiceFormView,
    acting_user,
    error_messages,
)
from jobs import services as job_services
from marketing import exports, pricing, selectors, services
from marketing.filters import CampaignFilter, ChanceFilter, DevelopmentFilter, QuoteFilter
from marketing.forms import (
    LINE_FIELDS,
    MAX_QUOTE_LINES,
    AssignForm,
    BoardFilterForm,
    CampaignForm,
    CampaignLogForm,
    ChanceForm,
    ExecuteForm,
    FailForm,
    PlanItemForm,
    QuoteForm,
    QuoteLineFormSet,
    QuoteStepForm,
    StageForm,
    WinForm,
)
from marketing.models import Campaign, PlanItem, Quote, SalesChance, Stage
from marketing.pdf import quote_pdf
from marketing.permissions import (
    ADD_QUOTE_RIGHT,
    BOARD_RIGHT,
    QUOTE_RIGHT,
    STAGES_RIGHT,
    can_answer_quote,
    can_approve_campaign,
    can_approve_quote,
    can_assign_chance,
    can_cancel_campaign,
    can_copy_quote,
    can_develop_chance,
    can_edit_campaign,
    can_edit_chance,
    can_edit_quote,
    can_finish_campaign,
    can_log_campaign,
    can_plan_chance,
    can_reassign_chance,
    can_send_quote,
    can_start_campaign,
    can_tag_chance,
)
from sales.filters import filter_params
from sales.forms import TagsForm
from sales.permissions import visible_customers, visible_groups
from sales.selectors import group_member_count, similar_customers

# Opportunities ----------------------------------------------------------------------------------


class ChanceListView(ListPageView):
    permission_required = "marketing.view_chance"
    filterset_class = ChanceFilter
    heading = gettext_lazy("Sales opportunities")
    template_name = "marketing/chance_list.html"

    def get_queryset(self) -> QuerySet[SalesChance]:
        return selectors.chance_rows(acting_user(self.request)).order_by("-id")


def _chance(request: HttpRequest, pk: int) -> SalesChance:
    return get_object_or_404(selectors.chance_list(acting_user(request)), pk=pk)


class ChanceFormView(ServiceFormView):
    permission_required = "marketing.view_chance"
    form_class = ChanceForm
    template_name = "marketing/chance_form.html"
    success_url_name = "marketing:chance-list"
    create_heading = gettext_lazy("New sales opportunity")
    edit_heading = gettext_lazy("Edit sales opportunity")

    def get_object(self) -> SalesChance | None:
        if "pk" not in self.kwargs:
            return None
        chance = _chance(self.request, self.kwargs["pk"])
        if not can_edit_chance(acting_user(self.request), chance):
            raise PermissionDenied(_("This opportunity can no longer be changed."))
        return chance

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": acting_user(self.request)}

    def save(self, form: ChanceForm) -> str:
        user = acting_user(self.request)
        data = {name: form.cleaned_data[name] for name in services.CHANCE_FIELDS}
        if self.object is None:
            chance = services.chance_create(actor=user, **data)
        else:
            chance = services.chance_update(actor=user, chance=self.object, **data)
        return _("Opportunity “%(title)s” was saved.") % {"title": chance.title}


class ChanceDeleteView(ConfirmDeleteView):
    permission_required = "marketing.view_chance"
    success_url_name = "marketing:chance-list"

    def get_object(self) -> SalesChance:
        chance = _chance(self.request, self.kwargs["pk"])
        if not can_edit_chance(acting_user(self.request), chance):
            raise PermissionDenied(_("This opportunity can no longer be deleted."))
        return chance

    def delete(self) -> str:
        services.chance_delete(actor=acting_user(self.request), chance=self.object)
        return _("Opportunity “%(title)s” was deleted.") % {"title": self.object.title}


class ChanceAssignView(ServiceFormView):
    """Assign an unassigned opportunity, or re-assign a developing one (`reassign=True`)."""

    permission_required = "marketing.assign_chance"
    form_class = AssignForm
    template_name = "marketing/chance_assign.html"
    success_url_name = "marketing:chance-list"
    reassign = False

    def get_object(self) -> SalesChance:
        chance = _chance(self.request, self.kwargs["pk"])
        allowed = can_reassign_chance if self.reassign else can_assign_chance
        if not allowed(acting_user(self.request), chance):
            raise PermissionDenied(_("This opportunity cannot be assigned now."))
        return chance

    def get_heading(self) -> str:
        return _("Re-assign opportunity") if self.reassign else _("Assign opportunity")

    def save(self, form: AssignForm) -> str:
        service = services.chance_reassign if self.reassign else services.chance_assign
        assignee = form.cleaned_data["assignee"]
        service(actor=acting_user(self.request), chance=self.object, assignee=assignee)
        return _("Opportunity “%(title)s” was assigned to %(user)s.") % {
            "title": self.object.title,
            "user": assignee,
        }

    def get_success_url(self) -> str:
        if self.reassign:
            return reverse("marketing:development-detail", args=[self.object.pk])
        return reverse(self.success_url_name)


class ChanceBulkAssignView(PermissionRequiredMixin, TemplateView):
    """Assign the ticked unassigned opportunities to one manager, after confirming; all or
    nothing (`services.chances_assign`)."""

    permission_required = "marketing.assign_chance"
    template_name = "marketing/chance_bulk_assign.html"

    def selected(self) -> list[SalesChance]:
        values = self.request.POST.getlist("chance") or self.request.GET.getlist("chance")
        ids = [int(value) for value in values[:200] if value.isdigit()]
        chances = list(selectors.chance_list(acting_user(self.request)).filter(pk__in=ids))
        if not chances:
            raise Http404(_("Tick the opportunities first."))
        return chances

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", AssignForm())
        return super().get_context_data(
            chances=self.selected(), heading=_("Assign opportunities"), **kwargs
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AssignForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        assignee = form.cleaned_data["assignee"]
        try:
            count = services.chances_assign(
                actor=acting_user(request), chances=self.selected(), assignee=assignee
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            ngettext(
                "%(count)d opportunity was assigned to %(user)s.",
                "%(count)d opportunities were assigned to %(user)s.",
                count,
            )
            % {"count": count, "user": assignee},
        )
        return redirect("marketing:chance-list")


class ChanceTagsView(ServiceFormView):
    """The tags of one opportunity, in any status."""

    permission_required = "marketing.view_chance"
    form_class = TagsForm
    template_name = "layouts/form.html"
    edit_heading = gettext_lazy("Tags of the opportunity")

    def get_object(self) -> SalesChance:
        chance = _chance(self.request, self.kwargs["pk"])
        if not can_tag_chance(acting_user(self.request), chance):
            raise PermissionDenied
        return chance

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {"tags": list(self.object.tags.all())}
        return kwargs

    def save(self, form: TagsForm) -> str:
        services.chance_tags_set(
            actor=acting_user(self.request), chance=self.object, tags=form.cleaned_data["tags"]
        )
        return _("The tags of “%(title)s” were saved.") % {"title": self.object.title}

    def get_success_url(self) -> str:
        return reverse("marketing:chance-list")


# Development ------------------------------------------------------------------------------------


class DevelopmentListView(ListPageView):
    permission_required = "marketing.view_plan"
    filterset_class = DevelopmentFilter
    heading = gettext_lazy("Customer development plans")
    template_name = "marketing/development_list.html"

    def get_queryset(self) -> QuerySet[SalesChance]:
        return selectors.development_list(acting_user(self.request)).order_by("-id")


class DevelopmentDetailView(PermissionRequiredMixin, TemplateView):
    """The opportunity and its plan: plan, execute, win or fail while developing; then read-only."""

    permission_required = "marketing.view_plan"
    template_name = "marketing/development_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        chance = get_object_or_404(
            selectors.chance_list(user).exclude(status=SalesChance.Status.UNASSIGNED),
            pk=kwargs["pk"],
        )
        return super().get_context_data(
            chance=chance,
            items=list(chance.plan_items.all()),
            assignments=list(
                chance.assignments.select_related("from_user", "to_user", "assigned_by")
            ),
            can_develop=can_develop_chance(user, chance),
            can_plan=can_plan_chance(user, chance),
            can_reassign=can_reassign_chance(user, chance),
            can_tag=can_tag_chance(user, chance),
            tags=list(chance.tags.order_by("name")),
            plan_form=PlanItemForm(),
            fail_form=FailForm(),
            win_form=WinForm(),
            **kwargs,
        )


class _DevelopmentAction(ActionView):
    permission_required = "marketing.view_plan"

    def chance(self) -> SalesChance:
        return get_object_or_404(
            selectors.development_list(acting_user(self.request)), pk=self.kwargs["pk"]
        )

    def item(self) -> PlanItem:
        return get_object_or_404(
            PlanItem.objects.select_related("chance"), pk=self.kwargs["item"], chance=self.chance()
        )

    def get_success_url(self) -> str:
        return reverse("marketing:development-detail", args=[self.kwargs["pk"]])


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
        )
    return dict(form.cleaned_data)


class PlanAddView(_DevelopmentAction):
    def perform(self) -> str:
        chance = self.chance()
        data = _valid(PlanItemForm(self.request.POST))
        services.plan_add(actor=acting_user(self.request), chance=chance, **data)
        return _("The plan item was added.")


class PlanUpdateView(_DevelopmentAction):
    def perform(self) -> str:
        item = self.item()
        data = _valid(PlanItemForm(self.request.POST))
        services.plan_update(actor=acting_user(self.request), item=item, **data)
        return _("The plan item was saved.")


class PlanDeleteView(_DevelopmentAction):
    def perform(self) -> str:
        services.plan_delete(actor=acting_user(self.request), item=self.item())
        return _("The plan item was deleted.")


class PlanExecuteView(_DevelopmentAction):
    def perform(self) -> str:
        item = self.item()
        data = _valid(ExecuteForm(self.request.POST))
        services.plan_execute(actor=acting_user(self.request), item=item, **data)
        return _("The result was recorded.")


class ChanceWinView(_DevelopmentAction):
    """Win the opportunity (creating its customer); when customers with a similar name exist
    (visible or not), a confirmation page lists them first: continue or cancel."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            reason = WinForm(request.POST).cleaned_reason()
            chance = self.chance()
            if not request.POST.get("create_anyway"):
                duplicates = similar_customers(user=acting_user(request), name=chance.customer_name)
                if duplicates:
                    return render(
                        request,
                        "marketing/chance_win_confirm.html",
                        {
                            "chance": chance,
                            "duplicates": duplicates,
                            "reason": reason,
                            "cancel_url": self.get_success_url(),
                        },
                    )
            customer = services.chance_win(actor=acting_user(request), chance=chance, reason=reason)
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
            return redirect(self.get_success_url())
        messages.success(
            request,
            _("Development succeeded: customer “%(name)s” was created.") % {"name": customer.name},
        )
        return redirect("sales:customer-detail", number=customer.number)


class ChanceFailView(_DevelopmentAction):
    def perform(self) -> str:
        chance = self.chance()
        reason = FailForm(self.request.POST).cleaned_reason()
        chance = services.chance_fail(actor=acting_user(self.request), chance=chance, reason=reason)
        return _("Development of “%(title)s” was stopped.") % {"title": chance.title}


# Board ------------------------------------------------------------------------------------------


class BoardCards:
    """The cards of a board render as plain rows of text, and what every card shares, computed
    once (the first render draws 140 cards; model instances, `{% url %}` and per-card
    translations cost more than the rest of the page): the translated labels, the URLs as
    prefixes, the right to move any card, and the options of the move list per stage. Each
    card's markup is written in Python (`card_html`): through the template's partial, the
    cards were most of the page's rendering."""

    def __init__(self, request: HttpRequest, user: User, stages: list[Stage]) -> None:
        self.csrf_input = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.user_pk = user.pk
        self.may_move_all = user.has_perm("marketing.assign_chance")
        options = [(str(stage.pk), stage.name) for stage in stages]
        options += [(selectors.WON, _("Won")), (selectors.LOST, _("Lost"))]
        self.options: dict[int | None, str] = {
            stage.pk: format_html_join(
                "", '<option value="{}">{}</option>', (o for o in options if o[0] != str(stage.pk))
            )
            for stage in stages
        }
        self.all_options = format_html_join("", '<option value="{}">{}</option>', options)
        # Translated and escaped once: as lazy strings each card translated them again.
        self.labels = {
            key: conditional_escape(label)
            for key, label in {
                "amount": _("Amount"),
                "close": _("Expected close"),
                "owner": _("Owner"),
                "days": _("Days here"),
                "move_to": _("Move to"),
                "move": _("Move"),
            }.items()
        }
        self.chance_list_url = reverse("marketing:chance-list") + "?customer_name="
        self.development_url = reverse("marketing:development-detail", args=[0]).removesuffix("0/")
        self.move_url = reverse("marketing:board-move", args=[0]).removesuffix("0/move/")

    def row(self, card: SalesChance) -> dict[str, Any]:
        key = str(card.pk)
        if card.status == SalesChance.Status.UNASSIGNED:
            link = self.chance_list_url + quote(card.customer_name)
        else:
            link = f"{self.development_url}{key}/"
        movable = card.status == SalesChance.Status.ASSIGNED and (
            self.may_move_all or card.assignee_id == self.user_pk
        )
        amount = card.expected_amount
        return {
            "key": key,
            "column": card.board_column,
            "link": link,
            "customer_name": card.customer_name,
            "title": card.title,
            "amount": floatformat(amount, "2g") if amount is not None else "—",
            "close": card.expected_close_date.isoformat() if card.expected_close_date else "—",
            "owner": str(card.assignee or card.creator),
            "days": str(card.days_in_column),
            "movable": movable,
            "move_url": f"{self.move_url}{key}/move/" if movable else "",
            "move_options": self.options.get(card.stage_id, self.all_options) if movable else "",
        }

    def rows(self, cards: Iterable[SalesChance]) -> list[dict[str, Any]]:
        rows = [self.row(card) for card in cards]
        for row in rows:
            row["html"] = self.card_html(row)
        return rows

    def card_html(self, card: dict[str, Any], *, error: str = "", moved_from: str = "") -> str:
        """A card's `<article>`, every value escaped. Written with `str.format` and the standard
        library's `html.escape` (what Django's `escape` calls): through `format_html` each of a
        card's fifteen values went through the lazy-string checks of `conditional_escape`, a
        third of the board's own time. The labels, options and token are escaped already."""
        esc = html.escape
        key = esc(card["key"])
        labels = self.labels
        movable = card["movable"]
        facts = (
            '<dl class="board-facts small mb-1"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>'
            '<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd data-testid="days-{}">{}</dd></dl>'
        ).format(
            labels["amount"],
            esc(card["amount"]),
            labels["close"],
            esc(card["close"]),
            labels["owner"],
            esc(card["owner"]),
            labels["days"],
            key,
            esc(card["days"]),
        )
        alert = (
            '<div class="alert alert-danger py-1 px-2 small mb-1" role="alert"'
            f' data-testid="card-error">{esc(str(error))}</div>'
            if error
            else ""
        )
        move = (
            (
                '<form class="board-move d-flex gap-1" method="post" action="{url}"'
                ' hx-post="{url}" hx-target="#card-{key}" hx-swap="outerHTML">{csrf}'
                '<input type="hidden" name="confirm" value="">'
                '<input type="hidden" name="reason" value="">'
                '<label class="visually-hidden" for="move-{key}">{move_to}</label>'
                '<select class="form-select form-select-sm" name="to" id="move-{key}"'
                ' data-testid="move-{key}">{options}</select>'
                '<button class="btn btn-sm btn-outline-primary" type="submit"'
                ' data-testid="move-submit-{key}">{move}</button></form>'
            ).format(
                url=esc(card["move_url"]),
                key=key,
                csrf=self.csrf_input,
                move_to=labels["move_to"],
                options=card["move_options"],
                move=labels["move"],
            )
            if movable
            else ""
        )
        return mark_safe(  # noqa: S308 - every value above is escaped or escaped HTML
            (
                '<article class="card board-card mb-2" id="card-{key}" data-testid="card-{key}"'
                ' data-column="{column}" data-moved-from="{moved_from}"{movable}'
                ' aria-labelledby="card-title-{key}"><div class="card-body p-2">'
                '<div class="fw-semibold" id="card-title-{key}"><a href="{link}">{name}</a></div>'
                '<div class="small text-body-secondary">{title}</div>{facts}{alert}{move}'
                "</div></article>"
            ).format(
                key=key,
                column=esc(card["column"]),
                moved_from=esc(moved_from),
                movable=' data-movable="1"' if movable else "",
                link=esc(card["link"]),
                name=esc(card["customer_name"]),
                title=esc(card["title"]),
                facts=facts,
                alert=alert,
                move=move,
            )
        )


def _board_filters(request: HttpRequest) -> tuple[BoardFilterForm, dict[str, Any]]:
    form = BoardFilterForm(request.GET or None)
    return form, form.filters(timezone.localdate()) if request.GET else {}


class BoardView(PermissionRequiredMixin, TemplateView):
    """The visible opportunities by column: unassigned, each active stage, won, lost."""

    permission_required = BOARD_RIGHT
    template_name = "marketing/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        form, filters = _board_filters(self.request)
        stages = selectors.active_stages()
        columns = selectors.board(user, stages=stages, **filters)
        board = BoardCards(self.request, user, stages)
        for column in columns:
            column.rows = board.rows(column.cards)
        return super().get_context_data(
            heading=_("Pipeline board"),
            filter_form=form,
            columns=columns,
            board=board,
            query=self.request.GET.urlencode(),
            lost_form=FailForm(),
            today=timezone.localdate(),
            **kwargs,
        )


class BoardColumnView(PermissionRequiredMixin, TemplateView):
    """The next cards of one column (htmx "load more")."""

    permission_required = BOARD_RIGHT
    template_name = "marketing/board.html#column_cards"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        _form, filters = _board_filters(self.request)
        key = kwargs["key"]
        if key not in selectors.CLOSED_COLUMNS and key != selectors.UNASSIGNED:
            get_object_or_404(Stage, pk=key if key.isdigit() else 0, is_active=True)
        before = self.request.GET.get("before", "")
        cards = selectors.board_column_page(
            user, key, before=int(before) if before.isdigit() else None, **filters
        )
        query = self.request.GET.copy()
        query.pop("before", None)
        board = BoardCards(self.request, user, selectors.active_stages())
        return super().get_context_data(
            column=selectors.BoardColumn(key, "", cards=cards, count=0, rows=board.rows(cards)),
            more=len(cards) == selectors.BOARD_PAGE,
            board=board,
            query=query.urlencode(),
            today=timezone.localdate(),
            **kwargs,
        )


class BoardMoveView(PermissionRequiredMixin, View):
    """Move a card: to a stage (`chance_move_stage`), to won (`chance_win`, asked first), to lost
    (`chance_fail`, with its reason). htmx gets the card back; other requests a redirect."""

    permission_required = BOARD_RIGHT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = acting_user(request)
        chance = selectors.board_card(user, kwargs["pk"])
        origin = selectors.card_column(chance)
        target = request.POST.get("to", "")
        error = ""
        try:
            self.move(user, chance, target)
        except ValidationError as refusal:
            error = " ".join(error_messages(refusal))
        if not request.headers.get("HX-Request"):
            if error:
                messages.error(request, error)
            else:
                messages.success(request, _("The opportunity was moved."))
            return redirect(reverse("marketing:board") + "?" + request.GET.urlencode())
        card = selectors.board_card(user, chance.pk)
        moved = selectors.card_column(card) != origin
        board = BoardCards(request, user, selectors.active_stages())
        return HttpResponse(
            board.card_html(board.row(card), error=error, moved_from=origin if moved else "")
        )

    def move(self, user: Any, chance: SalesChance, target: str) -> None:
        if target == selectors.WON:
            if self.request.POST.get("confirm") != "1":
                raise ValidationError(WIN_UNCONFIRMED)
            reason = WinForm(self.request.POST).cleaned_reason()
            # As on the development page: similar customers are shown before one more is
            # created; the board sends the user there (the card links to it) to decide.
            duplicates = similar_customers(user=user, name=chance.customer_name)
            if duplicates:
                raise ValidationError(win_duplicates_message(duplicates))
            services.chance_win(actor=user, chance=chance, reason=reason)
        elif target == selectors.LOST:
            reason = FailForm(self.request.POST).cleaned_reason()
            services.chance_fail(actor=user, chance=chance, reason=reason)
        elif target.isdigit():
            stage = Stage.objects.filter(pk=int(target)).first()
            if stage is None:
                raise ValidationError(services.STAGE_INACTIVE)
            services.chance_move_stage(actor=user, chance=chance, stage=stage)
        else:
            raise ValidationError(MOVE_TARGET_INVALID)


WIN_UNCONFIRMED = gettext_lazy("Confirm that development succeeded.")
WIN_DUPLICATES = gettext_lazy(
    "Customers with a similar name exist already: %(names)s. Open the opportunity to review them "
    "before winning it."
)
HIDDEN_DUPLICATES = ngettext_lazy(
    "%(count)d customer you cannot see", "%(count)d customers you cannot see", "count"
)


def win_duplicates_message(duplicates: list[Any]) -> str:
    """The board's refusal to win while similar customers exist: the visible ones by name, the
    others only counted (their names are not the user's to read)."""
    names = [str(d.customer.name) for d in duplicates if d.visible]
    hidden = sum(1 for d in duplicates if not d.visible)
    if hidden:
        names.append(str(HIDDEN_DUPLICATES % {"count": hidden}))
    return str(WIN_DUPLICATES) % {"names": "、".join(names)}


MOVE_TARGET_INVALID = gettext_lazy("Opportunities can be moved to a stage, to won or to lost.")


# Stages -----------------------------------------------------------------------------------------


class StageListView(PermissionRequiredMixin, TemplateView):
    permission_required = STAGES_RIGHT
    template_name = "marketing/stage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            heading=_("Opportunity stages"), stages=list(selectors.stage_list()), **kwargs
        )


# Quotes -----------------------------------------------------------------------------------------


class QuoteListView(ListPageView):
    permission_required = QUOTE_RIGHT
    filterset_class = QuoteFilter
    heading = gettext_lazy("Quotes")
    template_name = "marketing/quote_list.html"

    def get_filterset(self, filterset_class: Any) -> QuoteFilter:
        return selectors.quote_list(
            user=acting_user(self.request), filters=self.request.GET or None
        )

    def get_deep_queryset(self) -> QuerySet[Quote]:
        return selectors.quote_queryset(acting_user(self.request), hashed=True)


class QuoteExportView(PermissionRequiredMixin, View):
    """The filtered quote list (all its pages) as CSV or XLSX; a large one in the background."""

    permission_required = QUOTE_RIGHT

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user = acting_user(request)
        filters = request.GET.copy()
        filters.pop("format", None)
        quotes = selectors.quote_list(user=user, filters=filters)
        if not quotes.is_valid():
            messages.error(request, _("Correct the filters before exporting."))
            return redirect(f"{reverse('marketing:quote-list')}?{request.GET.urlencode()}")
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        params = filter_params(quotes.form.cleaned_data)
        if quotes.qs.count() > settings.EXPORT_ASYNC_ROWS:
            job = job_services.export_start(
                user=user, exporter=exports.QuoteExporter, params=params, fmt=fmt
            )
            messages.info(request, _("The export is large; it is prepared in the background."))
            return redirect("jobs:detail", pk=job.pk)
        audit_record(
            action=AuditEvent.Action.EXPORT,
            actor=user,
            object_type="marketing.quote",
            label=str(_("Quotes")),
            details={"rows": quotes.qs.count(), "filters": params, "format": fmt},
        )
        rows = selectors.quote_export_rows(quotes.qs)
        filename = f"{_('quotes')}-{timezone.localdate():%Y%m%d}"
        headers = selectors.quote_export_headers()
        if fmt == "xlsx":
            return xlsx_response(f"{filename}.xlsx", title=_("Quotes"), headers=headers, rows=rows)
        return csv_response(f"{filename}.csv", headers, rows)


class QuoteCustomerSearchView(PermissionRequiredMixin, View):
    """Customers the user may see whose name or number contains `q` (the quote form's list)."""

    permission_required = ADD_QUOTE_RIGHT

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "").strip()[:100]
        customers = visible_customers(acting_user(request))
        if query:
            customers = customers.filter(Q(name__icontains=query) | Q(number__icontains=query))
        rows = customers.order_by("name").values("number", "name")[:20]
        return JsonResponse({"results": list(rows)})


def _quote(request: HttpRequest, pk: int) -> Quote:
    return selectors.quote_detail(acting_user(request), pk)


class QuoteFormView(PermissionRequiredMixin, TemplateView):
    """A new quote (`?customer=<number>`, `?opportunity=<no.>` preset) or a draft's edit page:
    the quote's fields and its lines ("Add a line" and "Recalculate" show the page again with the
    totals; a ticked "Remove" drops a line)."""

    permission_required = ADD_QUOTE_RIGHT
    template_name = "marketing/quote_form.html"
    object: Quote | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission():
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.object = _quote(request, kwargs["pk"])
            if not can_edit_quote(acting_user(request), self.object):
                raise PermissionDenied(_("Only a draft can be changed, by its creator."))
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        quote = self.object
        if quote is None:
            chance_pk = self.request.GET.get("opportunity", "")
            return {
                "customer": self.request.GET.get("customer", "")[:100],
                "opportunity": int(chance_pk) if chance_pk.isdigit() else None,
                "valid_until": timezone.localdate() + datetime.timedelta(days=30),
            }, [{"quantity": 1, "discount": Decimal(0)}]
        lines = [
            {name: getattr(line, name) for name in LINE_FIELDS}
            for line in quote.lines.select_related("product")
        ]
        return {
            "customer": quote.customer.number,
            "opportunity": quote.opportunity_id,
            "valid_until": quote.valid_until,
            "terms": quote.terms,
        }, lines

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        initial, lines = self.initial()
        form = QuoteForm(initial=initial, user=acting_user(request))
        formset = QuoteLineFormSet(initial=lines, prefix="lines")
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = acting_user(request)
        data = request.POST.copy()
        adding = "add_line" in data
        form = QuoteForm(data, user=user)
        formset = QuoteLineFormSet(data, prefix="lines")
        if adding or "recalculate" in data or not (form.is_valid() and formset.is_valid()):
            if adding and formset.total_form_count() < MAX_QUOTE_LINES:
                total = formset.total_form_count()
                # The new line holds only its defaults: unchanged, it is not checked (no
                # errors before it is filled in) and left out if it stays empty.
                data["lines-TOTAL_FORMS"] = str(total + 1)
                data[f"lines-{total}-discount"] = "0"
                data[f"lines-{total}-tax_rate"] = str(settings.QUOTE_DEFAULT_TAX_RATE)
                formset = QuoteLineFormSet(data, prefix="lines")
                form = QuoteForm(data, user=user)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        fields = {
            "valid_until": form.cleaned_data["valid_until"],
            "terms": form.cleaned_data["terms"],
            "opportunity": form.cleaned_data["opportunity"],
        }
        try:
            with transaction.atomic():
                if self.object is None:
                    quote = services.quote_create(
                        actor=user,
                        customer=form.cleaned_data["customer"],
                        lines=formset.lines(),
                        **fields,
                    )
                else:
                    quote = services.quote_update(
                        actor=user,
                        quote=self.object,
                        customer=form.cleaned_data["customer"],
                        lines=formset.lines(),
                        **fields,
                    )
        except ValidationError as error:
            if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Quote %(number)s was saved.") % {"number": quote.number})
        return redirect("marketing:quote-detail", pk=quote.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        formset = kwargs["formset"]
        shown = [
            pricing.LineInput(
                form.cleaned_data["quantity"],
                form.cleaned_data["unit_price"]
                if form.cleaned_data.get("unit_price") is not None
                else (form.cleaned_data["product"].price or Decimal(0)),
                form.cleaned_data.get("discount") or Decimal(0),
                form.cleaned_data["tax_rate"],
            )
            for form in formset.forms
            if formset.is_bound
            and form.is_valid()
            and form.cleaned_data.get("product")
            and not form.cleaned_data.get("DELETE")
        ]
        quote = self.object
        heading = (
            _("New quote")
            if quote is None
            else _("Edit quote %(number)s") % {"number": quote.number}
        )
        totals = pricing.totals(shown) if formset.is_bound else None
        if quote is not None and totals is None:
            totals = pricing.Totals(
                quote.net_amount, quote.tax_amount, quote.gross_amount, quote.max_discount
            )
        back = (
            reverse("marketing:quote-list")
            if quote is None
            else reverse("marketing:quote-detail", args=[quote.pk])
        )
        return super().get_context_data(
            heading=heading,
            back_url=back,
            object=quote,
            totals=totals,
            threshold=settings.QUOTE_APPROVAL_DISCOUNT,
            max_lines=MAX_QUOTE_LINES,
            **kwargs,
        )


class QuoteDetailView(PermissionRequiredMixin, TemplateView):
    """The quote: its lines, totals with and without tax, its steps and the actions its status
    and the user's rights allow."""

    permission_required = QUOTE_RIGHT
    template_name = "marketing/quote_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        quote = _quote(self.request, kwargs["pk"])
        return super().get_context_data(
            quote=quote,
            lines=list(quote.lines.all()),
            events=list(quote.events.all()),
            can_edit=can_edit_quote(user, quote),
            can_approve=can_approve_quote(user, quote),
            can_send=can_send_quote(user, quote),
            can_answer=can_answer_quote(user, quote),
            can_copy=can_copy_quote(user, quote),
            needs_approval=services.needs_approval(quote),
            threshold=settings.QUOTE_APPROVAL_DISCOUNT,
            **kwargs,
        )


class QuoteActionView(ActionView):
    """Submit, send or copy a quote (buttons of its page)."""

    permission_required = ADD_QUOTE_RIGHT
    step = ""

    def perform(self) -> str:
        user = acting_user(self.request)
        quote = _quote(self.request, self.kwargs["pk"])
        self.target = quote
        if self.step == "submit":
            quote = services.quote_submit(actor=user, quote=quote)
            if quote.status == Quote.Status.PENDING:
                return _("Quote %(number)s was submitted for approval.") % {"number": quote.number}
            return _("Quote %(number)s was approved: its discounts need no approval.") % {
                "number": quote.number
            }
        if self.step == "send":
            services.quote_send(actor=user, quote=quote)
            return _("Quote %(number)s is marked as sent to the customer.") % {
                "number": quote.number
            }
        self.target = services.quote_copy(actor=user, quote=quote)
        return _("Quote %(number)s was created as a new version; change it and submit it.") % {
            "number": self.target.number
        }

    def get_success_url(self) -> str:
        target = getattr(self, "target", None)
        if target is None:
            return reverse("marketing:quote-list")
        return reverse("marketing:quote-detail", args=[target.pk])


class QuoteStepView(ServiceFormView):
    """A step that is confirmed on its own page, with a comment: approve, refuse approval
    (comment required), the customer accepts (an order is created) or declines."""

    form_class = QuoteStepForm
    template_name = "marketing/quote_step.html"
    step = ""
    STEPS: dict[str, tuple[Any, Any, Any]] = {
        # Each step: the rule that allows it, the heading, what it does.
        "approve": (can_approve_quote, gettext_lazy("Approve quote"), gettext_lazy(
            "The quote may then be sent to the customer.")),
        "reject": (can_approve_quote, gettext_lazy("Refuse approval"), gettext_lazy(
            "The quote goes back to its creator as a draft; say what should change.")),
        "accept": (can_answer_quote, gettext_lazy("The customer accepts"), gettext_lazy(
            "An order with the quote's lines is created for the customer; this cannot be undone.")),
        "decline": (can_answer_quote, gettext_lazy("The customer declines"), gettext_lazy(
            "The quote is closed as rejected by the customer; a copy can start a new version.")),
    }  # fmt: skip

    def get_object(self) -> Quote:
        quote = _quote(self.request, self.kwargs["pk"])
        rule = self.STEPS[self.step][0]
        if not rule(acting_user(self.request), quote):
            raise PermissionDenied(_("This step is not possible for this quote now."))
        return quote

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "comment_required": self.step == "reject"}

    def get_heading(self) -> str:
        return f"{self.STEPS[self.step][1]}: {self.object.number}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            quote=self.object, step=self.step, explanation=self.STEPS[self.step][2], **kwargs
        )

    def save(self, form: QuoteStepForm) -> str:
        user, comment = acting_user(self.request), form.cleaned_data["comment"]
        number = self.object.number
        if self.step == "approve":
            services.quote_approve(actor=user, quote=self.object, comment=comment)
            return _("Quote %(number)s was approved.") % {"number": number}
        if self.step == "reject":
            services.quote_reject_approval(actor=user, quote=self.object, comment=comment)
            return _("Quote %(number)s was sent back to its creator.") % {"number": number}
        if self.step == "accept":
            quote = services.quote_accept(actor=user, quote=self.object, comment=comment)
            return _("Quote %(number)s was accepted; order %(order)s was created.") % {
                "number": number,
                "order": quote.order,
            }
        services.quote_decline(actor=user, quote=self.object, comment=comment)
        return _("Quote %(number)s was declined by the customer.") % {"number": number}

    def get_success_url(self) -> str:
        return reverse("marketing:quote-detail", args=[self.object.pk])


class QuotePdfView(PermissionRequiredMixin, View):
    """The printable quote (A4, in the reader's language, the CJK font of the reports)."""

    permission_required = QUOTE_RIGHT

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        quote = _quote(request, pk)
        response = HttpResponse(quote_pdf(quote), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
        return response


class StageFormView(ServiceFormView):
    permission_required = STAGES_RIGHT
    form_class = StageForm
    template_name = "layouts/form.html"
    success_url_name = "marketing:stage-list"
    create_heading = gettext_lazy("New stage")
    edit_heading = gettext_lazy("Edit stage")

    def get_object(self) -> Stage | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Stage, pk=self.kwargs["pk"])

    def save(self, form: StageForm) -> str:
        user = acting_user(self.request)
        data = {name: form.cleaned_data[name] for name in services.STAGE_FIELDS}
        if self.object is None:
            stage = services.stage_create(actor=user, **data)
        else:
            stage = services.stage_update(actor=user, stage=self.object, **data)
        return _("Stage “%(name)s” was saved.") % {"name": stage.name}


class StageDeleteView(ConfirmDeleteView):
    permission_required = STAGES_RIGHT
    success_url_name = "marketing:stage-list"

    def get_object(self) -> Stage:
        return get_object_or_404(Stage, pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.stage_delete(actor=acting_user(self.request), stage=self.object)
        return _("Stage “%(name)s” was deleted.") % {"name": self.object.name}


# Campaigns --------------------------------------------------------------------------------------

CAMPAIGN_RIGHT = "marketing.view_campaign"
CAMPAIGN_CHANCES_SHOWN = 20


def campaign_of(request: HttpRequest, pk: int) -> Campaign:
    """A visible campaign (with its actual cost), else 404."""
    return get_object_or_404(selectors.campaign_list(acting_user(request)), pk=pk)


class CampaignListView(ListPageView):
    permission_required = CAMPAIGN_RIGHT
    filterset_class = CampaignFilter
    heading = gettext_lazy("Campaigns")
    template_name = "marketing/campaign_list.html"

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(acting_user(self.request)).order_by("-start_date", "-id")


class CampaignFormView(ServiceFormView):
    """Propose a campaign, or change a planned one (its owner or a supervisor)."""

    permission_required = (CAMPAIGN_RIGHT, "marketing.add_campaign")
    form_class = CampaignForm
    template_name = "layouts/form.html"
    create_heading = gettext_lazy("New campaign")
    edit_heading = gettext_lazy("Edit campaign")

    def get_object(self) -> Campaign | None:
        if "pk" not in self.kwargs:
            return None
        campaign = campaign_of(self.request, self.kwargs["pk"])
        if not can_edit_campaign(acting_user(self.request), campaign):
            raise PermissionDenied(_("This campaign can no longer be changed."))
        return campaign

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": acting_user(self.request)}

    def save(self, form: CampaignForm) -> str:
        user = acting_user(self.request)
        data = {name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS}
        if self.object is None:
            self.object = services.campaign_create(actor=user, **data)
        else:
            self.object = services.campaign_update(actor=user, campaign=self.object, **data)
        return _("Campaign “%(name)s” was saved.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        if self.object is None:
            return reverse("marketing:campaign-list")
        return reverse("marketing:campaign-detail", args=[self.object.pk])


class CampaignDetailView(PermissionRequiredMixin, TemplateView):
    """A campaign: budget beside actual cost, its target group (members counted among the
    viewer's customers), the opportunities it brought and what was won, its log, and the
    steps the viewer may take."""

    permission_required = CAMPAIGN_RIGHT
    template_name = "marketing/campaign_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        campaign = campaign_of(self.request, kwargs["pk"])
        group = campaign.target_group
        group_visible = group is not None and visible_groups(user).filter(pk=group.pk).exists()
        chances = list(selectors.campaign_chances(user, campaign)[:CAMPAIGN_CHANCES_SHOWN])
        return super().get_context_data(
            campaign=campaign,
            result=selectors.campaign_result(user, campaign),
            group_visible=group_visible,
            member_count=(
                group_member_count(user=user, group=group)
                if group is not None and group_visible
                else None
            ),
            count_cap=settings.CRM_COUNT_CAP,
            chances=chances,
            more_chances=len(chances) == CAMPAIGN_CHANCES_SHOWN,
            logs=list(campaign.logs.select_related("author")),
            log_form=CampaignLogForm(initial={"date": timezone.localdate()}),
            can_edit=can_edit_campaign(user, campaign),
            can_approve=can_approve_campaign(user, campaign),
            can_start=can_start_campaign(user, campaign),
            can_finish=can_finish_campaign(user, campaign),
            can_cancel=can_cancel_campaign(user, campaign),
            can_log=can_log_campaign(user, campaign),
            **kwargs,
        )


class _CampaignAction(ActionView):
    permission_required = CAMPAIGN_RIGHT

    def campaign(self) -> Campaign:
        return campaign_of(self.request, self.kwargs["pk"])

    def get_success_url(self) -> str:
        return reverse("marketing:campaign-detail", args=[self.kwargs["pk"]])


class CampaignApproveView(_CampaignAction):
    permission_required = "marketing.approve_campaign"

    def perform(self) -> str:
        campaign = services.campaign_approve(
            actor=acting_user(self.request), campaign=self.campaign()
        )
        return _("Campaign “%(name)s” was approved.") % {"name": campaign.name}


class CampaignStartView(_CampaignAction):
    def perform(self) -> str:
        campaign = services.campaign_start(
            actor=acting_user(self.request), campaign=self.campaign()
        )
        return _("Campaign “%(name)s” is running.") % {"name": campaign.name}


class CampaignFinishView(_CampaignAction):
    def perform(self) -> str:
        campaign = services.campaign_finish(
            actor=acting_user(self.request), campaign=self.campaign()
        )
        return _("Campaign “%(name)s” was finished.") % {"name": campaign.name}


class CampaignCancelView(_CampaignAction):
    def perform(self) -> str:
        campaign = services.campaign_cancel(
            actor=acting_user(self.request), campaign=self.campaign()
        )
        return _("Campaign “%(name)s” was cancelled.") % {"name": campaign.name}


class CampaignLogAddView(_CampaignAction):
    def perform(self) -> str:
        campaign = self.campaign()
        data = _valid(CampaignLogForm(self.request.POST))
        services.campaign_log_add(actor=acting_user(self.request), campaign=campaign, **data)
        return _("The log entry was added.")
