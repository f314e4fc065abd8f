import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import users_named
from core.forms import DateInput, StyledForm
from inventory.selectors import customer_levels, regions
from sales.models import Activity, Customer, CustomerLoss


class CustomerFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        label=_("Customer no."), lookup_expr="icontains", max_length=17
    )
    name = django_filters.CharFilter(
        label=pgettext_lazy("customer", "Name"), lookup_expr="icontains", max_length=100
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=regions(), empty_label=_("All")
    )
    manager = django_filters.CharFilter(
        label=_("Customer manager"), method="filter_manager", max_length=150
    )
    level = django_filters.ModelChoiceFilter(
        label=_("Customer level"), queryset=customer_levels(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Customer.Status if s != Customer.Status.DELETED],
        empty_label=_("All"),
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("number", "number"),
            ("name", "name"),
            ("region__id", "region"),
            ("manager__username", "manager"),
            ("level__value", "level"),
            ("status", "status"),
        ],
    )

    class Meta:
        model = Customer
        fields = ["number", "name", "region", "manager", "level", "status"]
        form = StyledForm

    def filter_manager(
        self, queryset: QuerySet[Customer], name: str, value: str
    ) -> QuerySet[Customer]:
        return queryset.filter(manager__in=users_named(value).values("pk"))


class LossFilter(django_filters.FilterSet):
    customer = django_filters.CharFilter(
        label=_("Customer"), field_name="customer__name", lookup_expr="icontains", max_length=100
    )
    manager = django_filters.CharFilter(
        label=_("Customer manager"), method="filter_manager", max_length=150
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CustomerLoss.Status.choices, empty_label=_("All")
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("customer__name", "customer"),
            ("last_order_date", "last_order"),
            ("confirmed_at", "confirmed"),
            ("status", "status"),
            ("created_at", "created"),
        ],
    )

    class Meta:
        model = CustomerLoss
        fields = ["customer", "manager", "status"]
        form = StyledForm

    def filter_manager(
        self, queryset: QuerySet[CustomerLoss], name: str, value: str
    ) -> QuerySet[CustomerLoss]:
        return queryset.filter(customer__manager__in=users_named(value).values("pk"))


class ActivityFilter(django_filters.FilterSet):
    """The interaction lists: of one customer, and across every visible customer (by rep, by
    date range, by kind)."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Activity.Kind.choices, empty_label=_("All")
    )
    title = django_filters.CharFilter(label=_("Summary"), lookup_expr="icontains", max_length=100)
    author = django_filters.CharFilter(label=_("Logged by"), method="filter_author", max_length=150)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("occurred_at", "at"),
            ("kind", "kind"),
            ("title", "title"),
            ("customer__name", "customer"),
            ("author__username", "author"),
        ]
    )

    class Meta:
        model = Activity
        fields = ["kind", "title", "author", "date_from", "date_to"]
        form = StyledForm

    def filter_author(
        self, queryset: QuerySet[Activity], name: str, value: str
    ) -> QuerySet[Activity]:
        return queryset.filter(author__in=users_named(value).values("pk"))
