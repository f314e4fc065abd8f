import datetime
import hmac
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.views import ListPageView, ServiceFormView, acting_user, error_messages
from sales.models import Customer
from sales.permissions import can_edit_customer, visible_customers
from sales.selectors import customer_detail
from tasks import permissions, selectors, services
from tasks.filters import TaskFilter
from tasks.forms import ActivityWithNextStepForm, DigestForm, TaskForm, initial_for
from tasks.ical import render_feed
from tasks.models import Task, TaskSettings
from tasks.permissions import VIEW_RIGHT


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(selectors.task_detail_queryset(acting_user(request)), pk=pk)


class TaskListView(ListPageView):
    """My tasks: tabs today, overdue, this week, done; filters, sort, pages."""

    permission_required = VIEW_RIGHT
    filterset_class = TaskFilter
    heading = gettext_lazy("My tasks")
    template_name = "tasks/task_list.html"

    def get_queryset(self) -> QuerySet[Task]:
        return selectors.task_rows(acting_user(self.request))

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        return {
            **super().get_filterset_kwargs(filterset_class),
            "request_user": acting_user(self.request),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            tabs=TaskFilter.TABS, tab=self.request.GET.get("tab", ""), **kwargs
        )


class TaskCreateView(ServiceFormView):
    """A new task; `?customer=<number>` prefills the customer (the customer page's quick add)."""

    permission_required = VIEW_RIGHT
    form_class = TaskForm
    template_name = "tasks/task_form.html"
    create_heading = gettext_lazy("New task")
    customer: Customer | None = None

    def get_object(self) -> None:
        number = self.request.GET.get("customer", "")[:20]
        if number:
            self.customer = get_object_or_404(
                visible_customers(acting_user(self.request)), number=number
            )
        return

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": acting_user(self.request),
            "customer": self.customer,
        }

    def get_initial(self) -> dict[str, Any]:
        return {"customer": self.customer.number if self.customer else ""}

    def save(self, form: TaskForm) -> str:
        self.task = services.task_create(actor=acting_user(self.request), **form.service_data())
        return _("Task “%(title)s” was created.") % {"title": self.task.title}

    def get_success_url(self) -> str:
        return reverse("tasks:detail", args=[self.task.pk])

    def get_back_url(self) -> str:
        if self.customer is not None:
            return reverse("sales:customer-detail", args=[self.customer.number])
        return reverse("tasks:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(customer=self.customer, **kwargs)


class TaskEditView(ServiceFormView):
    permission_required = VIEW_RIGHT
    form_class = TaskForm
    template_name = "tasks/task_form.html"
    edit_heading = gettext_lazy("Edit task")

    def get_object(self) -> Task:
        task = _task_or_404(self.request, self.kwargs["pk"])
        if not permissions.can_edit_task(acting_user(self.request), task):
            raise PermissionDenied(
                _("Only open tasks you own, created or supervise can be edited.")
            )
        return task

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": acting_user(self.request),
            "customer": self.object.customer,
        }

    def get_initial(self) -> dict[str, Any]:
        return initial_for(self.object)

    def save(self, form: TaskForm) -> str:
        services.task_update(
            actor=acting_user(self.request), task=self.object, data=form.service_data()
        )
        return _("Task “%(title)s” was saved.") % {"title": form.cleaned_data["title"]}

    def get_success_url(self) -> str:
        return reverse("tasks:detail", args=[self.object.pk])


class TaskDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = VIEW_RIGHT
    template_name = "tasks/task_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        task = _task_or_404(self.request, kwargs["pk"])
        return super().get_context_data(
            task=task,
            can_edit=permissions.can_edit_task(user, task),
            can_reopen=permissions.can_reopen_task(user, task),
            **kwargs,
        )


class TaskCompleteView(PermissionRequiredMixin, View):
    """Mark done in one click: htmx gets the updated row, a plain form post a redirect."""

    permission_required = VIEW_RIGHT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = _task_or_404(request, pk)
        try:
            services.task_complete(actor=acting_user(request), task=task)
        except ValidationError as error:
            if request.headers.get("HX-Request"):
                return HttpResponse(" ".join(error_messages(error)), status=409)
            for text in error_messages(error):
                messages.error(request, text)
            return HttpResponseRedirect(reverse("tasks:detail", args=[pk]))
        if request.headers.get("HX-Request"):
            row = _task_or_404(request, pk)
            return TemplateResponse(request, "tasks/task_list.html#task-row", {"object": row})
        messages.success(request, _("Task “%(title)s” is done.") % {"title": task.title})
        back = request.POST.get("next", "")
        return HttpResponseRedirect(back if _safe(back) else reverse("tasks:list"))


def _safe(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


class _TransitionView(PermissionRequiredMixin, TemplateView):
    """Ask, then perform a transition on POST (cancel, reopen)."""

    permission_required = VIEW_RIGHT
    template_name = "tasks/task_confirm.html"
    allowed: Any
    question: Any = ""
    button: Any = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.has_permission():
            return self.handle_no_permission()
        self.task = _task_or_404(request, kwargs["pk"])
        if not type(self).allowed(acting_user(request), self.task):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            task=self.task, question=self.question, button=self.button, **kwargs
        )

    def perform(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            messages.success(request, self.perform())
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        return HttpResponseRedirect(reverse("tasks:detail", args=[self.task.pk]))


class TaskCancelView(_TransitionView):
    allowed = staticmethod(permissions.can_cancel_task)
    question = gettext_lazy("Cancel this task?")
    button = gettext_lazy("Cancel the task")

    def perform(self) -> str:
        services.task_cancel(actor=acting_user(self.request), task=self.task)
        return _("Task “%(title)s” was cancelled.") % {"title": self.task.title}


class TaskReopenView(_TransitionView):
    allowed = staticmethod(permissions.can_reopen_task)
    question = gettext_lazy("Reopen this task?")
    button = gettext_lazy("Reopen")

    def perform(self) -> str:
        services.task_reopen(actor=acting_user(self.request), task=self.task)
        return _("Task “%(title)s” was reopened.") % {"title": self.task.title}


class TaskSettingsView(PermissionRequiredMixin, TemplateView):
    """The user's own settings: the morning digest and the calendar feed's secret address."""

    permission_required = VIEW_RIGHT
    template_name = "tasks/settings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        task_settings = TaskSettings.objects.filter(user=user).first()
        enabled = task_settings.digest_enabled if task_settings else True
        context = {
            "digest_form": kwargs.pop("digest_form", None)
            or DigestForm(initial={"digest_enabled": enabled}),
            "has_feed": bool(task_settings and task_settings.feed_token_hash),
            "feed_created_at": task_settings.feed_token_created_at if task_settings else None,
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        if request.POST.get("action") == "regenerate":
            token = services.feed_token_regenerate(user=user)
            path = reverse("tasks:feed", args=[token])
            feed_url = request.build_absolute_uri(path)
            messages.success(
                request, _("Your calendar has a new address; the old one no longer works.")
            )
            return self.render_to_response(
                self.get_context_data(
                    feed_url=feed_url, webcal_url="webcal://" + feed_url.split("://", 1)[1]
                )
            )
        form = DigestForm(request.POST)
        if form.is_valid():
            services.task_settings_update(
                user=user, digest_enabled=form.cleaned_data["digest_enabled"]
            )
            messages.success(request, _("Your settings were saved."))
        return HttpResponseRedirect(reverse("tasks:settings"))


@method_decorator(login_not_required, name="dispatch")
class TaskFeedView(View):
    """The personal calendar feed: no login, the secret token is the key. An unknown or
    revoked token, or a user who lost the right, is a 404."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        digest = services.feed_token_digest(token[:200])
        task_settings = (
            TaskSettings.objects.select_related("user").filter(feed_token_hash=digest).first()
        )
        if task_settings is None or not hmac.compare_digest(
            task_settings.feed_token_hash or "", digest
        ):
            raise Http404
        user = task_settings.user
        if not user.is_active or not user.has_perm(VIEW_RIGHT):
            raise Http404
        body = render_feed(selectors.feed_tasks(user), host=request.get_host().split(":")[0])
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="tasks.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


class ActivityWithNextStepView(ServiceFormView):
    """Log an interaction of a customer and, optionally, its next step as a task (the
    customer page's "New interaction" for users with the tasks right)."""

    permission_required = (VIEW_RIGHT, "sales.view_customer")
    form_class = ActivityWithNextStepForm
    template_name = "sales/part_form.html"
    create_heading = gettext_lazy("New interaction")

    def get_object(self) -> None:
        user = acting_user(self.request)
        self.customer = customer_detail(user, self.kwargs["number"])
        if not can_edit_customer(user, self.customer):
            raise PermissionDenied
        return

    def get_initial(self) -> dict[str, Any]:
        return {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}

    def save(self, form: ActivityWithNextStepForm) -> str:
        activity, task = services.activity_log_with_next_step(
            actor=acting_user(self.request),
            customer=self.customer,
            activity=form.activity_data(),
            next_step=form.next_step_data(),
        )
        if task is None:
            return _("Interaction “%(title)s” was saved.") % {"title": activity.title}
        return _("Interaction “%(title)s” was saved; its next step is one of your tasks.") % {
            "title": activity.title
        }

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.customer.number])

    def get_back_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(customer=self.customer, **kwargs)


MOVE_BAD_START = gettext_lazy("Give the new start as an ISO date or date-time.")


class TaskMoveView(PermissionRequiredMixin, View):
    """The calendar's drag to reschedule: `start` (ISO date or date-time) and `all_day`; the
    same rules as editing (`task_update`). JSON: 200 with the task, 400 for a malformed start,
    409 when the rules refuse, 404 outside the user's scope."""

    permission_required = VIEW_RIGHT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = _task_or_404(request, pk)
        all_day = request.POST.get("all_day") in ("1", "true")
        try:
            start = datetime.datetime.fromisoformat(request.POST.get("start", "")[:40])
        except ValueError:
            return JsonResponse({"error": str(MOVE_BAD_START)}, status=400)
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        try:
            task = services.task_update(
                actor=acting_user(request), task=task, data={"due_at": start, "all_day": all_day}
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error_messages(error))}, status=409)
        return JsonResponse(
            {"id": task.pk, "start": task.due_at.isoformat(), "all_day": task.all_day}
        )
