import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import users_named
from core.forms import StyledForm
from inventory.selectors import customer_levels, regions
from sales.models import Customer, CustomerLoss


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
