from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm
from tasks.models import Task
from tasks.periods import day_bounds, overdue_condition


class TaskFilter(django_filters.FilterSet):
    """The "My tasks" filters: a tab (today, overdue, this week, done), then the columns."""

    TABS = (
        ("open", _("Open")),
        ("today", _("Today")),
        ("overdue", _("Overdue")),
        ("week", _("This week")),
        ("done", _("Done")),
    )
    WHOSE = (("mine", _("Mine")), ("delegated", _("Created by me for others")))

    tab = django_filters.ChoiceFilter(
        label=_("Show"), choices=TABS, method="filter_tab", empty_label=_("All")
    )
    whose = django_filters.ChoiceFilter(
        label=_("Whose"), choices=WHOSE, method="filter_whose", empty_label=_("All I can see")
    )
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Task.Status.choices, empty_label=_("All")
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Task.Priority.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Task.Kind.choices, empty_label=_("All")
    )
    due_from = django_filters.DateFilter(
        label=_("Due from"), field_name="due_at", lookup_expr="date__gte", widget=DateInput
    )
    due_to = django_filters.DateFilter(
        label=_("Due until"), field_name="due_at", lookup_expr="date__lte", widget=DateInput
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("due_at", "due"),
            ("priority", "priority"),
            ("title", "title"),
            ("status", "status"),
            ("customer__name", "customer"),
        ]
    )

    class Meta:
        model = Task
        fields = ["tab", "whose", "title", "status", "priority", "kind", "due_from", "due_to"]
        form = StyledForm

    def __init__(self, *args: Any, request_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_user = request_user

    def filter_tab(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        today, tomorrow, week_end = day_bounds()
        open_tasks = queryset.filter(status=Task.Status.OPEN)
        if value == "open":
            return open_tasks
        if value == "today":
            return open_tasks.filter(due_at__gte=today, due_at__lt=tomorrow)
        if value == "overdue":
            return queryset.filter(overdue_condition())
        if value == "week":
            return open_tasks.filter(due_at__gte=today, due_at__lt=week_end)
        if value == "done":
            return queryset.filter(status=Task.Status.DONE)
        return queryset

    def filter_whose(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        user = self.request_user
        if value == "mine":
            return queryset.filter(owner=user)
        if value == "delegated":
            return queryset.filter(Q(creator=user) & ~Q(owner=user))
        return queryset
