from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.views import (
    ActionView,
    ConfirmDeleteView,
    ListPageView,
    ServiceFormView,
    acting_user,
    error_messages,
)
from marketing import selectors, services
from marketing.filters import ChanceFilter, DevelopmentFilter
from marketing.forms import AssignForm, ChanceForm, ExecuteForm, PlanItemForm
from marketing.models import PlanItem, SalesChance
from marketing.permissions import (
    can_assign_chance,
    can_develop_chance,
    can_edit_chance,
    can_plan_chance,
    can_reassign_chance,
)

# Opportunities ----------------------------------------------------------------------------------


class ChanceListView(ListPageView):
    permission_required = "marketing.view_chance"
    filterset_class = ChanceFilter
    heading = gettext_lazy("Sales opportunities")
    template_name = "marketing/chance_list.html"

    def get_queryset(self) -> QuerySet[SalesChance]:
        return selectors.chance_list(acting_user(self.request)).order_by("-id")


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
            plan_form=PlanItemForm(),
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
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            customer = services.chance_win(actor=acting_user(request), chance=self.chance())
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
        chance = services.chance_fail(actor=acting_user(self.request), chance=self.chance())
        return _("Development of “%(title)s” was stopped.") % {"title": chance.title}
