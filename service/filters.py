import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import TextContainsFilter
from core.forms import DateInput, StyledForm
from inventory.filters import DictChoiceFilter
from inventory.models import DictType
from service.models import ServiceRequest


class TicketFilter(django_filters.FilterSet):
    """The seed's common filter form of the four service lists."""

    customer = TextContainsFilter(label=_("Customer"), field_name="customer__name", max_length=100)
    title = TextContainsFilter(label=_("Summary"), max_length=200)
    type = DictChoiceFilter(
        label=_("Service type"), dict_type=DictType.SERVICE_TYPE, empty_label=_("All")
    )
    created_from = django_filters.DateFilter(
        label=_("Created from"), field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )
    created_to = django_filters.DateFilter(
        label=_("Created until"), field_name="created_at", lookup_expr="date__lte", widget=DateInput
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("customer__name", "customer"),
            ("title", "title"),
            ("created_at", "created"),
            ("status", "status"),
        ]
    )

    class Meta:
        model = ServiceRequest
        fields = ["customer", "title", "type", "created_from", "created_to"]
        form = StyledForm


class ArchiveFilter(TicketFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ServiceRequest.Status.choices, empty_label=_("All")
    )

    class Meta(TicketFilter.Meta):
        fields = [*TicketFilter.Meta.fields, "status"]
