from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors import users_named
from core.filters import TextContainsFilter
from core.forms import DateInput, StyledForm
from inventory.filters import DictChoiceFilter
from inventory.models import DictType
from marketing.models import Campaign, ChanceTag, Quote, SalesChance
from marketing.permissions import chance_campaigns
from sales.filters import TAG_MODES, TAGS_ALL, TagFilter, tag_choices, tagged


def _users(queryset: QuerySet[SalesChance], field: str, value: str) -> QuerySet[SalesChance]:
    return queryset.filter(**{f"{field}__in": users_named(value).values("pk")})


class ChanceFilter(django_filters.FilterSet):
    customer_name = TextContainsFilter(label=_("Customer name"), max_length=100)
    title = TextContainsFilter(label=_("Summary"), max_length=200)
    contact = TextContainsFilter(label=_("Contact"), max_length=50)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SalesChance.Status.choices, empty_label=_("All")
    )
    creator = django_filters.CharFilter(
        label=_("Created by"), method="filter_creator", max_length=150
    )
    assignee = django_filters.CharFilter(
        label=_("Assigned to"), method="filter_assignee", max_length=150
    )
    tags = TagFilter(
        label=_("Tags"),
        method="filter_tags",
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    tags_mode = django_filters.ChoiceFilter(
        label=_("Tag match"), choices=TAG_MODES, empty_label=None, method="filter_nothing"
    )
    # The campaign that produced it (among those an opportunity may name, for this user).
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=_("All")
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:  # before the form is built from the filters
            self.filters["campaign"].queryset = (
                chance_campaigns(user).only("pk", "name").order_by("-start_date")
            )  # the select shows the names only (hundreds of campaigns at the volume data)
        self.form.fields["tags"].choices = tag_choices()

    class Meta:
        model = SalesChance
        fields = [
            "customer_name",
            "title",
            "contact",
            "status",
            "creator",
            "assignee",
            "tags",
            "tags_mode",
        ]
        form = StyledForm

    def filter_tags(
        self, queryset: QuerySet[SalesChance], name: str, value: Any
    ) -> QuerySet[SalesChance]:
        match_all = self.form.cleaned_data.get("tags_mode") == TAGS_ALL
        return tagged(queryset, through=ChanceTag, field="chance", tags=value, match_all=match_all)

    def filter_nothing(
        self, queryset: QuerySet[SalesChance], name: str, value: Any
    ) -> QuerySet[SalesChance]:
        return queryset  # read by filter_tags

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


# Campaigns --------------------------------------------------------------------------------------


class CampaignFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains", max_length=100)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Campaign.Status.choices, empty_label=_("All")
    )
    kind = DictChoiceFilter(
        label=_("Campaign type"), dict_type=DictType.CAMPAIGN_KIND, empty_label=_("All")
    )
    owner = django_filters.CharFilter(label=_("Owner"), method="filter_owner", max_length=150)
    active_from = django_filters.DateFilter(
        label=_("Running on or after"),
        field_name="end_date",
        lookup_expr="gte",
        widget=DateInput,
    )
    active_until = django_filters.DateFilter(
        label=_("Running on or before"),
        field_name="start_date",
        lookup_expr="lte",
        widget=DateInput,
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("name", "name"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("budget", "budget"),
            ("actual_cost", "cost"),
            ("status", "status"),
        ]
    )

    class Meta:
        model = Campaign
        fields = ["name", "status", "kind", "owner", "active_from", "active_until"]
        form = StyledForm

    def filter_owner(
        self, queryset: QuerySet[Campaign], name: str, value: str
    ) -> QuerySet[Campaign]:
        return queryset.filter(owner__in=users_named(value).values("pk"))


class QuoteFilter(django_filters.FilterSet):
    """The quote list's filters and sort (page, export and API alike)."""

    number = django_filters.CharFilter(
        label=_("Quote no."), lookup_expr="istartswith", max_length=30
    )
    customer = django_filters.CharFilter(
        label=_("Customer"), method="filter_customer", max_length=100
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Quote.Status.choices, empty_label=_("All")
    )
    created_from = django_filters.DateFilter(
        label=_("Created from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput,
    )
    created_to = django_filters.DateFilter(
        label=_("Created until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput,
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("number", "number"),
            ("customer__name", "customer"),
            ("valid_until", "valid_until"),
            ("gross_amount", "amount"),
            ("status", "status"),
            ("created_at", "created"),
        ]
    )

    class Meta:
        model = Quote
        fields = ["number", "customer", "status", "created_from", "created_to"]
        form = StyledForm

    def filter_customer(self, queryset: QuerySet[Quote], name: str, value: str) -> QuerySet[Quote]:
        """By the customer's number (exact) or a part of its name."""
        value = value.strip()
        return queryset.filter(Q(customer__number=value) | Q(customer__name__icontains=value))
