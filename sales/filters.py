from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.selectors import users_named
from core.caching import cached, forget_with_write
from core.filters import TextContainsFilter
from core.forms import DateInput, StyledForm
from inventory.filters import DictChoiceFilter
from inventory.models import DictType
from sales.lifecycle import Lifecycle, lifecycle_expression
from sales.models import Activity, Customer, CustomerGroup, CustomerLoss, CustomerTag, Tag
from sales.permissions import visible_groups

TAGS_ANY, TAGS_ALL = "any", "all"
TAG_MODES = [(TAGS_ANY, _("Any of the tags")), (TAGS_ALL, _("All of the tags"))]
SELECTED_MAX = 500  # customers ticked in the list at once


ALL_TAGS_JOINED = 4  # "all of" up to this many tags: one semi-join per tag


def tagged(
    queryset: QuerySet[Any],
    *,
    through: type[Model],
    field: str,
    tags: list[Any],
    match_all: bool,
) -> QuerySet[Any]:
    """The rows of `queryset` carrying any (or all) of `tags`, read from the tag table
    `through` (whose foreign key to the row is `field`). "Any": one IN subquery listing the
    rows of the tags. "All": one IN subquery per tag, so that PostgreSQL joins each tag's
    rows to the rows left by the other filters (in the order of the page, or hashed for the
    count), instead of grouping the rows of every tag by row first (two popular tags and a
    name: 145 -> 47 ms for the page and its count); past `ALL_TAGS_JOINED` tags, the rows of
    the tags grouped by row, keeping those with every tag (HAVING COUNT = n). The customer and
    opportunity lists use it."""
    if not tags:
        return queryset
    ids = sorted({int(tag.pk if isinstance(tag, Model) else tag) for tag in tags})
    rows = through.objects.order_by()  # type: ignore[attr-defined]
    if not match_all or len(ids) == 1:
        return queryset.filter(pk__in=rows.filter(tag__in=ids).values(field))
    if len(ids) <= ALL_TAGS_JOINED:
        for pk in ids:
            queryset = queryset.filter(pk__in=rows.filter(tag=pk).values(field))
        return queryset
    grouped = rows.filter(tag__in=ids).values(field).annotate(n=Count("tag")).filter(n=len(ids))
    return queryset.filter(pk__in=grouped.values(field))


class SelectedField(forms.Field):
    """Customer numbers ticked in the list (`?customer=KH…&customer=…`, or comma-separated)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        numbers = [part.strip() for item in values for part in str(item).split(",")]
        numbers = [number for number in numbers if number]
        if len(numbers) > SELECTED_MAX:
            raise forms.ValidationError(
                _("Tick at most %(count)d customers.") % {"count": SELECTED_MAX}
            )
        if any(len(number) > 17 for number in numbers):
            raise forms.ValidationError(_("Enter valid customer numbers."))
        return numbers


class SelectedFilter(django_filters.Filter):
    field_class = SelectedField


class TagChoiceField(forms.MultipleChoiceField):
    """Tag ids, as repeated parameters or comma-separated (background export jobs)."""

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [part for item in values for part in str(item).split(",") if part]


def _once(read: Any) -> Any:
    """A choices callable that reads once per form (validation and rendering share it)."""
    cache: list[Any] = []

    def choices() -> list[Any]:
        if not cache:
            cache.append(read())
        return cache[0]

    return choices


TAG_CHOICES_KEY = "sales:tag-choices"
TAG_CHOICES_SECONDS = 300  # a bound on staleness for writes that bypass the signals


def tag_options() -> list[tuple[int, str]]:
    """(id, name) of every tag, by name, for the tag selects of the filter forms: one cache
    entry, read once and dropped whenever a tag is saved or deleted (`forget_tag_options`),
    like the dictionary's (`inventory.selectors.dictionary_choices`)."""
    return cached(
        TAG_CHOICES_KEY,
        TAG_CHOICES_SECONDS,
        lambda: list(Tag.objects.order_by("name").values_list("pk", "name")),
    )


def forget_tag_options(**kwargs: object) -> None:
    forget_with_write(TAG_CHOICES_KEY)


def tag_choices() -> Any:
    return _once(tag_options)


class TagFilter(django_filters.MultipleChoiceFilter):
    """Tags by id; the choices are read once per form."""

    field_class = TagChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", tag_choices())
        super().__init__(*args, **kwargs)


def filter_params(cleaned_data: dict[str, Any]) -> dict[str, Any]:
    """The values a filter form accepted, as query values to bind again (a customer group, a
    background export): never a raw parameter the form does not know. Lists stay lists."""
    params: dict[str, Any] = {}
    for name, value in cleaned_data.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, Model):
            value = value.pk
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            items = [str(item.pk if isinstance(item, Model) else item) for item in value]
            if items:  # an ordering is one comma-separated value ("-name,number")
                params[name] = ",".join(items) if name == "o" else items
        else:
            params[name] = str(value)
    return params


class CustomerFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        label=_("Customer no."), lookup_expr="icontains", max_length=17
    )
    name = TextContainsFilter(
        label=pgettext_lazy("customer", "Name"), max_length=100, char_index=True
    )
    region = DictChoiceFilter(label=_("Region"), dict_type=DictType.REGION, empty_label=_("All"))
    manager = django_filters.CharFilter(
        label=_("Customer manager"), method="filter_manager", max_length=150
    )
    level = DictChoiceFilter(
        label=_("Customer level"), dict_type=DictType.CUSTOMER_LEVEL, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Customer.Status if s != Customer.Status.DELETED],
        empty_label=_("All"),
    )
    lifecycle = django_filters.ChoiceFilter(
        label=_("Lifecycle"),
        choices=Lifecycle.choices,
        empty_label=_("All"),
        method="filter_lifecycle",
    )
    tags = TagFilter(
        label=_("Tags"),
        method="filter_tags",
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    tags_mode = django_filters.ChoiceFilter(
        label=_("Tag match"), choices=TAG_MODES, empty_label=None, method="filter_nothing"
    )
    group = django_filters.ChoiceFilter(
        label=_("Customer group"), choices=[], empty_label=_("All"), method="filter_group"
    )
    customer = SelectedFilter(method="filter_selected", label=_("Ticked customers"))
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
        fields = [
            "number",
            "name",
            "region",
            "manager",
            "level",
            "status",
            "lifecycle",
            "tags",
            "tags_mode",
            "group",
            "customer",
        ]
        form = StyledForm

    def __init__(
        self, data: Any = None, *args: Any, user: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.form.fields["tags"].choices = tag_choices()
        if user is not None:
            self.groups = _once(lambda: {group.pk: group for group in visible_groups(user)})
            self.form.fields["group"].choices = lambda: [
                ("", _("All")),
                *((pk, group.name) for pk, group in self.groups().items()),
            ]
        else:
            del self.form.fields["group"]
        self.form.fields["customer"].required = False

    def filter_manager(
        self, queryset: QuerySet[Customer], name: str, value: str
    ) -> QuerySet[Customer]:
        return queryset.filter(manager__in=users_named(value).values("pk"))

    def filter_lifecycle(
        self, queryset: QuerySet[Customer], name: str, value: str
    ) -> QuerySet[Customer]:
        return queryset.alias(lifecycle=lifecycle_expression()).filter(lifecycle=value)

    def filter_tags(
        self, queryset: QuerySet[Customer], name: str, value: Any
    ) -> QuerySet[Customer]:
        match_all = self.form.cleaned_data.get("tags_mode") == TAGS_ALL
        return tagged(
            queryset, through=CustomerTag, field="customer", tags=list(value), match_all=match_all
        )

    def chosen_group(self) -> CustomerGroup | None:
        """The group the list is filtered by (when valid), read with the choices."""
        if self.user is None or not self.is_bound or not self.is_valid():
            return None
        value = self.form.cleaned_data.get("group")
        return self.groups().get(int(value)) if value else None

    def filter_nothing(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # read by filter_tags

    def filter_selected(
        self, queryset: QuerySet[Customer], name: str, value: list[str]
    ) -> QuerySet[Customer]:
        return queryset.filter(number__in=value) if value else queryset

    def filter_group(
        self, queryset: QuerySet[Customer], name: str, value: str
    ) -> QuerySet[Customer]:
        """The group's saved filter, validated again, applied to the rows (the viewer's
        visible customers): a shared group never widens what the viewer sees."""
        group = self.groups()[int(value)]
        saved = group_filterset(group.filters, queryset=queryset, user=self.user)
        if not saved.is_valid():
            return queryset.none()
        return saved.qs


# A group's saved filter holds neither another group, a selection of rows nor an order.
GROUP_EXCLUDED = ("group", "customer", "o")


def group_filterset(
    filters: dict[str, Any], *, queryset: QuerySet[Customer], user: User | None
) -> CustomerFilter:
    """A customer group's saved filter bound to `queryset` (what the group's filter allows)."""
    data = {key: value for key, value in filters.items() if key not in GROUP_EXCLUDED}
    return CustomerFilter(data, queryset=queryset, user=None)


class LossFilter(django_filters.FilterSet):
    customer = TextContainsFilter(label=_("Customer"), field_name="customer__name", max_length=100)
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
