from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import BooleanSelect, StyledForm
from inventory.models import DictItem, Product, Stock
from inventory.selectors import dict_items, dictionary_choices


class DictChoiceIterator(BaseChoiceIterator):
    """The options of a `DictChoiceField`: the empty label, then the cached entries."""

    def __init__(self, field: "DictChoiceField") -> None:
        self.field = field

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from dictionary_choices(self.field.dict_type)


class DictChoiceField(django_filters.fields.ModelChoiceField):
    iterator = DictChoiceIterator

    def __init__(self, *args: Any, dict_type: str, **kwargs: Any) -> None:
        self.dict_type = dict_type
        super().__init__(*args, **kwargs)


class DictChoiceFilter(django_filters.ModelChoiceFilter):
    """A dictionary entry (a region, a customer level, a service type) by id: the select offers
    the cached dictionary (`dictionary_choices`: no query to render it), the value is checked
    against the table."""

    field_class = DictChoiceField

    def __init__(self, *args: Any, dict_type: str, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", dict_items(dict_type))
        super().__init__(*args, dict_type=dict_type, **kwargs)


class DictItemFilter(django_filters.FilterSet):
    type = django_filters.CharFilter(label=_("Type"), lookup_expr="icontains", max_length=50)
    item = django_filters.CharFilter(label=_("Item"), lookup_expr="icontains", max_length=50)
    value = django_filters.CharFilter(label=_("Value"), lookup_expr="icontains", max_length=50)
    o = django_filters.OrderingFilter(
        fields=[("id", "id"), ("type", "type"), ("item", "item"), ("value", "value")]
    )

    class Meta:
        model = DictItem
        fields = ["type", "item", "value"]
        form = StyledForm


class ProductFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label=pgettext_lazy("product", "Name"), lookup_expr="icontains", max_length=200
    )
    model = django_filters.CharFilter(label=_("Model"), lookup_expr="icontains", max_length=100)
    batch = django_filters.CharFilter(
        label=_("Grade/batch"), lookup_expr="icontains", max_length=100
    )
    o = django_filters.OrderingFilter(
        fields=[("id", "id"), ("name", "name"), ("model", "model"), ("price", "price")]
    )

    class Meta:
        model = Product
        fields = ["name", "model", "batch"]
        form = StyledForm


class StockFilter(django_filters.FilterSet):
    product = django_filters.CharFilter(label=_("Product"), method="filter_product", max_length=200)
    warehouse = django_filters.CharFilter(
        label=_("Warehouse"), lookup_expr="icontains", max_length=50
    )
    low = django_filters.BooleanFilter(
        label=_("Below safety level"),
        method="filter_low",
        widget=BooleanSelect(),
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("product__name", "product"),
            ("warehouse", "warehouse"),
            ("count", "count"),
        ]
    )

    class Meta:
        model = Stock
        fields = ["product", "warehouse", "low"]
        form = StyledForm

    def filter_product(self, queryset: QuerySet[Stock], name: str, value: str) -> QuerySet[Stock]:
        return queryset.filter(
            Q(product__name__icontains=value)
            | Q(product__model__icontains=value)
            | Q(product__batch__icontains=value)
        )

    def filter_low(
        self, queryset: QuerySet[Stock], name: str, value: bool | None
    ) -> QuerySet[Stock]:
        if value is None:
            return queryset
        below = Q(count__lt=F("safety_level"))
        return queryset.filter(below) if value else queryset.exclude(below)
