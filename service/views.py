from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.views import ActionView, ConfirmDeleteView, ListPageView, ServiceFormView, acting_user
from sales.permissions import visible_customers
from service import selectors, services
from service.filters import ArchiveFilter, TicketFilter
from service.forms import AllocateForm, FeedbackForm, HandleForm, TicketForm
from service.models import ServiceRequest
from service.permissions import (
    can_allocate_service_request,
    can_give_feedback,
    can_handle_service_request,
)


class TicketCreateView(ServiceFormView):
    permission_required = "service.add_servicerequest"
    form_class = TicketForm
    template_name = "service/ticket_form.html"
    success_url_name = "service:archive-list"
    create_heading = gettext_lazy("Create service")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": acting_user(self.request)}

    def get_initial(self) -> dict[str, Any]:
        return {"customer": self.request.GET.get("customer", "")[:100]}

    def save(self, form: TicketForm) -> str:
        self.ticket = services.request_create(actor=acting_user(self.request), **form.cleaned_data)
        return _("Service request “%(title)s” was created.") % {"title": self.ticket.title}

    def get_success_url(self) -> str:
        return reverse("service:detail", args=[self.ticket.pk])

    def get_back_url(self) -> str:
        return reverse("service:archive-list")


class CustomerSearchView(PermissionRequiredMixin, View):
    """Customers the user may see whose name or number contains `q` (the create form's list)."""

    permission_required = "service.add_servicerequest"

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "").strip()[:100]
        customers = visible_customers(acting_user(request))
        if query:
            customers = customers.filter(Q(name__icontains=query) | Q(number__icontains=query))
        rows = customers.order_by("name").values("number", "name")[:20]
        return JsonResponse({"results": list(rows)})


class _QueueView(ListPageView):
    filterset_class = TicketFilter
    overdue_field = "created_at"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            overdue_before=selectors.overdue_before(), overdue_field=self.overdue_field, **kwargs
        )


class AllocateListView(_QueueView):
    permission_required = "service.allocate_servicerequest"
    heading = gettext_lazy("Allocate service")
    template_name = "service/allocate_list.html"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.allocate_queue(acting_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(allocate_form=AllocateForm(), **kwargs)


class AllocateView(ActionView):
    permission_required = "service.allocate_servicerequest"

    def perform(self) -> str:
        user = acting_user(self.request)
        ticket = selectors.ticket_detail(user, self.kwargs["pk"])
        form = AllocateForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose whom to allocate the request to."))
        services.request_allocate(actor=user, ticket=ticket, assignee=form.cleaned_data["assignee"])
        return _("“%(title)s” was allocated to %(user)s.") % {
            "title": ticket.title,
            "user": form.cleaned_data["assignee"],
        }

    def get_success_url(self) -> str:
        return reverse("service:allocate-list")


class TicketDeleteView(ConfirmDeleteView):
    permission_required = "service.allocate_servicerequest"
    success_url_name = "service:allocate-list"

    def get_object(self) -> ServiceRequest:
        ticket = selectors.ticket_detail(acting_user(self.request), self.kwargs["pk"])
        if not can_allocate_service_request(acting_user(self.request), ticket):
            raise PermissionDenied(_("Only new service requests can be deleted."))
        return ticket

    def delete(self) -> str:
        services.request_delete(actor=acting_user(self.request), ticket=self.object)
        return _("Service request “%(title)s” was deleted.") % {"title": self.object.title}


class HandleListView(_QueueView):
    permission_required = "service.handle_servicerequest"
    heading = gettext_lazy("Handle service")
    template_name = "service/handle_list.html"
    overdue_field = "allocated_at"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.handle_queue(acting_user(self.request))


class FeedbackListView(_QueueView):
    permission_required = "service.feedback_servicerequest"
    heading = gettext_lazy("Service feedback")
    template_name = "service/feedback_list.html"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.feedback_queue(acting_user(self.request))


class ArchiveListView(ListPageView):
    permission_required = "service.view_servicerequest"
    filterset_class = ArchiveFilter
    heading = gettext_lazy("Service archive")
    template_name = "service/archive_list.html"

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.ticket_list(acting_user(self.request)).order_by("-id")


def _history(ticket: ServiceRequest) -> list[Any]:
    return list(ticket.events.select_related("user", "target_user"))


class TicketDetailView(PermissionRequiredMixin, TemplateView):
    """Read-only: every field, the durations, and the whole history."""

    permission_required = "service.view_servicerequest"
    template_name = "service/ticket_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        ticket = selectors.ticket_detail(user, kwargs["pk"])
        return super().get_context_data(
            ticket=ticket,
            events=_history(ticket),
            can_handle=can_handle_service_request(user, ticket),
            can_give_feedback=can_give_feedback(user, ticket),
            **kwargs,
        )


class _StepView(ServiceFormView):
    """Handle or give feedback: the ticket read-only, its history, and the step's form."""

    template_name = "service/ticket_step.html"
    allowed: Any

    def get_object(self) -> ServiceRequest:
        user = acting_user(self.request)
        ticket = selectors.ticket_detail(user, self.kwargs["pk"])
        if not type(self).allowed(user, ticket):
            raise PermissionDenied(_("This service request is not waiting for you."))
        return ticket

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(ticket=self.object, events=_history(self.object), **kwargs)


class HandleView(_StepView):
    permission_required = "service.handle_servicerequest"
    form_class = HandleForm
    success_url_name = "service:handle-list"
    edit_heading = gettext_lazy("Handle service")
    allowed = staticmethod(can_handle_service_request)

    def save(self, form: HandleForm) -> str:
        services.request_handle(
            actor=acting_user(self.request), ticket=self.object, **form.cleaned_data
        )
        return _("“%(title)s” was handled.") % {"title": self.object.title}


class FeedbackView(_StepView):
    permission_required = "service.feedback_servicerequest"
    form_class = FeedbackForm
    success_url_name = "service:feedback-list"
    edit_heading = gettext_lazy("Service feedback")
    allowed = staticmethod(can_give_feedback)

    def save(self, form: FeedbackForm) -> str:
        ticket = services.request_feedback(
            actor=acting_user(self.request), ticket=self.object, **form.cleaned_data
        )
        if ticket.status == ServiceRequest.Status.ARCHIVED:
            return _("Feedback saved; “%(title)s” was archived.") % {"title": ticket.title}
        return _("Feedback saved; “%(title)s” went back to %(user)s for handling.") % {
            "title": ticket.title,
            "user": ticket.assignee,
        }
