import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors import users_named
from core.forms import StyledForm
from marketing.models import SalesChance


def _users(queryset: QuerySet[SalesChance], field: str, value: str) -> QuerySet[SalesChance]:
    return queryset.filter(**{f"{field}__in": users_named(value).values("pk")})


class ChanceFilter(django_filters.FilterSet):
    customer_name = django_filters.CharFilter(
        label=_("Customer name"), lookup_expr="icontains", max_length=100
    )
    title = django_filters.CharFilter(label=_("Summary"), lookup_expr="icontains", max_length=200)
    contact = django_filters.CharFilter(label=_("Contact"), lookup_expr="icontains", max_length=50)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SalesChance.Status.choices, empty_label=_("All")
    )
    creator = django_filters.CharFilter(
        label=_("Created by"), method="filter_creator", max_length=150
    )
    assignee = django_filters.CharFilter(
        label=_("Assigned to"), method="filter_assignee", max_length=150
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("customer_name", "customer_name"),
            ("title", "title"),
            ("rate", "rate"),
            ("expected_amount", "amount"),
            ("created_at", "created"),
            ("status", "status"),
        ]
    )

    class Meta:
        model = SalesChance
        fields = ["customer_name", "title", "contact", "status", "creator", "assignee"]
        form = StyledForm

    def filter_creator(
        self, queryset: QuerySet[SalesChance], name: str, value: str
    ) -> QuerySet[SalesChance]:
        return _users(queryset, "creator", value)

    def filter_assignee(
        self, queryset: QuerySet[SalesChance], name: str, value: str
    ) -> QuerySet[SalesChance]:
        return _users(queryset, "assignee", value)


class DevelopmentFilter(ChanceFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (SalesChance.Status.ASSIGNED.value, _("Developing")),
            ("closed", _("Archived")),
        ],
        empty_label=_("All"),
        method="filter_status",
    )

    class Meta(ChanceFilter.Meta):
        fields = ["customer_name", "title", "contact", "status"]

    def filter_status(
        self, queryset: QuerySet[SalesChance], name: str, value: str
    ) -> QuerySet[SalesChance]:
        if value == "closed":
            return queryset.filter(
                status__in=[SalesChance.Status.SUCCEEDED, SalesChance.Status.FAILED]
            )
        return queryset.filter(status=SalesChance.Status.ASSIGNED)
