"""Pages of the scheduled report e-mails (a user's own subscriptions and their run log)."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.views import ActionView, ConfirmDeleteView, ListPageView, ServiceFormView, acting_user
from reports import services
from reports.forms import SubscriptionForm
from reports.models import ReportSubscription

RIGHT = "reports.schedule_report"


def _own(request: Any, pk: int) -> ReportSubscription:
    return get_object_or_404(ReportSubscription, pk=pk, owner=acting_user(request))


class SubscriptionListView(ListPageView):
    permission_required = RIGHT
    template_name = "reports/subscription_list.html"
    paginate_by = 20
    heading = gettext_lazy("Report e-mails")

    def get_queryset(self) -> QuerySet[ReportSubscription]:
        return (
            ReportSubscription.objects.filter(owner=acting_user(self.request))
            .annotate(
                recipient_count=Count("recipients", distinct=True),
                last_run=Max("deliveries__run_at"),
            )
            .order_by("name", "id")
        )


class SubscriptionFormView(ServiceFormView):
    permission_required = RIGHT
    form_class = SubscriptionForm
    template_name = "layouts/form.html"
    success_url_name = "reports:subscription-list"
    create_heading = gettext_lazy("New report subscription")
    edit_heading = gettext_lazy("Edit report subscription")

    def get_object(self) -> ReportSubscription | None:
        return _own(self.request, self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": acting_user(self.request)}

    def get_initial(self) -> dict[str, Any]:
        return {
            "report": self.request.GET.get("report", ""),
            "filters": self.request.GET.get("filters", "")[:500],
        }

    def save(self, form: SubscriptionForm) -> str:
        data = dict(form.cleaned_data)
        recipients = data.pop("recipients")
        data["params"] = data.pop("filters")
        subscription = services.subscription_save(
            actor=acting_user(self.request),
            subscription=self.object or ReportSubscription(),
            recipients=recipients,
            **data,
        )
        return _("Subscription “%(name)s” was saved.") % {"name": subscription.name}


class SubscriptionDeleteView(ConfirmDeleteView):
    permission_required = RIGHT
    success_url_name = "reports:subscription-list"

    def get_object(self) -> ReportSubscription:
        return _own(self.request, self.kwargs["pk"])

    def delete(self) -> str:
        services.subscription_delete(actor=acting_user(self.request), subscription=self.object)
        return _("Subscription “%(name)s” was deleted.") % {"name": self.object.name}


class SubscriptionToggleView(ActionView):
    permission_required = RIGHT

    def perform(self) -> str:
        subscription = _own(self.request, self.kwargs["pk"])
        subscription = services.subscription_set_active(
            actor=acting_user(self.request),
            subscription=subscription,
            is_active=not subscription.is_active,
        )
        if subscription.is_active:
            return _("Subscription “%(name)s” was resumed.") % {"name": subscription.name}
        return _("Subscription “%(name)s” was paused.") % {"name": subscription.name}

    def get_success_url(self) -> str:
        return reverse("reports:subscription-list")


class SubscriptionSendView(ActionView):
    permission_required = RIGHT

    def perform(self) -> str:
        subscription = _own(self.request, self.kwargs["pk"])
        count = services.subscription_send_now(
            actor=acting_user(self.request), subscription=subscription
        )
        return _("%(count)d e-mail(s) are being sent.") % {"count": count}

    def get_success_url(self) -> str:
        return reverse("reports:subscription-log", args=[self.kwargs["pk"]])


class SubscriptionLogView(ListPageView):
    permission_required = RIGHT
    template_name = "reports/subscription_log.html"
    paginate_by = 20

    def get_queryset(self) -> Any:
        self.subscription = _own(self.request, self.kwargs["pk"])
        return self.subscription.deliveries.select_related("recipient").order_by(
            "-created_at", "-id"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(subscription=self.subscription, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SubscriptionUnsubscribeView(TemplateView):
    """The link in every report e-mail: asks, then takes the recipient off the subscription
    (POST). The signed token is the authority, so no login is needed."""

    template_name = "reports/subscription_unsubscribe.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            subscription, recipient = services.unsubscribe_target(kwargs["token"])
        except ValidationError as error:
            return self._invalid(error)
        return self.render_to_response(
            self.get_context_data(subscription=subscription, recipient=recipient)
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            subscription, recipient = services.subscription_unsubscribe(token=kwargs["token"])
        except ValidationError as error:
            return self._invalid(error)
        return self.render_to_response(
            self.get_context_data(subscription=subscription, recipient=recipient, done=True)
        )

    def _invalid(self, error: ValidationError) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(error=" ".join(error.messages)), status=400
        )
