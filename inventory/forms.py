from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledModelForm
from inventory.models import DictItem, Product, Stock


class DictItemForm(StyledModelForm):
    class Meta:
        model = DictItem
        fields = ["type", "item", "value", "is_editable"]
        widgets = {"type": forms.TextInput(attrs={"list": "dict-types", "autocomplete": "off"})}
        help_texts = {
            "type": _("Choose an existing type or type a new one."),
            "value": _("Stored in business records; unique within its type."),
            "is_editable": _("Entries that are not editable can never be changed or deleted."),
        }


class ProductForm(StyledModelForm):
    class Meta:
        model = Product
        fields = ["name", "model", "batch", "unit", "price", "memo"]

    def clean_price(self) -> Decimal | None:
        price: Decimal | None = self.cleaned_data.get("price")
        if price is not None and price < 0:
            raise forms.ValidationError(_("The price cannot be negative."))
        return price


class StockForm(StyledModelForm):
    class Meta:
        model = Stock
        fields = ["product", "warehouse", "location", "count", "safety_level", "memo"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name", "model", "batch")  # type: ignore[attr-defined]
