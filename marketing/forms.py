import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm, StyledModelForm
from inventory.models import DictItem, DictType, Product
from marketing.models import Campaign, CampaignLog, PlanItem, SalesChance, Stage
from marketing.permissions import chance_campaigns, visible_chances
from marketing.selectors import campaign_kinds
from marketing.services import (
    CAMPAIGN_BUDGET_NEGATIVE,
    CAMPAIGN_COST_NEGATIVE,
    CAMPAIGN_DATES,
    QUOTE_LINE_FIELDS,
    assignable_users,
)
from sales.forms import CUSTOMER_SEARCH_ATTRS, chosen_customer
from sales.models import Customer
from sales.permissions import visible_groups


class ChanceForm(StyledModelForm):
    class Meta:
        model = SalesChance
        fields = [
            "source",
            "customer_name",
            "rate",
            "title",
            "contact",
            "contact_phone",
            "description",
            "expected_amount",
            "expected_close_date",
            "probability",
            "campaign",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_close_date": DateInput,
            "rate": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = chance_campaigns(  # type: ignore[attr-defined]
            user, current=self.instance.campaign_id
        ).order_by("-start_date", "-id")

    def clean_rate(self) -> int:
        rate: int = self.cleaned_data["rate"]
        if not 0 <= rate <= 100:
            raise forms.ValidationError(_("The success rate is between 0 and 100."))
        return rate

    def clean_expected_amount(self) -> Any:
        amount = self.cleaned_data.get("expected_amount")
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount


class AssignForm(StyledForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()  # type: ignore[attr-defined]


class PlanItemForm(StyledModelForm):
    class Meta:
        model = PlanItem
        fields = ["date", "todo"]
        widgets = {"date": DateInput}


class ExecuteForm(StyledForm):
    result = forms.CharField(label=_("Result"), max_length=500)


def reasons(type_: str) -> Any:
    return DictItem.objects.filter(type=type_).order_by("id")


class _ReasonForm(StyledForm):
    def cleaned_reason(self) -> DictItem | None:
        """The chosen reason, or None when none (or an unknown one) was chosen: the service
        decides whether one is required."""
        self.is_valid()
        reason: DictItem | None = getattr(self, "cleaned_data", {}).get("reason")
        return reason


class FailForm(_ReasonForm):
    reason = forms.ModelChoiceField(label=_("Reason lost"), queryset=DictItem.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons(DictType.CHANCE_LOST_REASON)  # type: ignore[attr-defined]


class WinForm(_ReasonForm):
    reason = forms.ModelChoiceField(
        label=_("Reason won"), queryset=DictItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons(DictType.CHANCE_WON_REASON)  # type: ignore[attr-defined]


PERIODS = [
    ("", _("Any time")),
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
]


class BoardFilterForm(StyledForm):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    period = forms.ChoiceField(label=_("Expected close"), choices=PERIODS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users().order_by("username")  # type: ignore[attr-defined]

    def period_range(
        self, today: datetime.date
    ) -> tuple[datetime.date | None, datetime.date | None]:
        period = self.cleaned_data.get("period") if self.is_valid() else ""
        if period == "month":
            start = today.replace(day=1)
            following = (start + datetime.timedelta(days=32)).replace(day=1)
            return start, following - datetime.timedelta(days=1)
        if period == "quarter":
            first = (today.month - 1) // 3 * 3 + 1
            start = datetime.date(today.year, first, 1)
            following = (start + datetime.timedelta(days=95)).replace(day=1)
            return start, following - datetime.timedelta(days=1)
        if period == "year":
            return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        return None, None

    def filters(self, today: datetime.date) -> dict[str, Any]:
        start, end = self.period_range(today)
        owner = self.cleaned_data.get("owner") if self.is_valid() else None
        return {"owner": owner, "start": start, "end": end}


class StageForm(StyledModelForm):
    class Meta:
        model = Stage
        fields = ["name", "order", "probability", "is_active"]
        widgets = {"probability": forms.NumberInput(attrs={"min": 0, "max": 100})}

    def clean_probability(self) -> int:
        probability: int = self.cleaned_data["probability"]
        if not 0 <= probability <= 100:
            raise forms.ValidationError(_("The probability is between 0 and 100."))
        return probability


# Campaigns --------------------------------------------------------------------------------------


class CampaignForm(StyledModelForm):
    """A campaign's fields; the target group among those `user` may use."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "kind",
            "start_date",
            "end_date",
            "budget",
            "target_group",
            "description",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "budget": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = campaign_kinds()  # type: ignore[attr-defined]
        self.fields["target_group"].queryset = visible_groups(user).order_by("name")  # type: ignore[attr-defined]

    def clean_budget(self) -> Any:
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(CAMPAIGN_BUDGET_NEGATIVE)
        return budget

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", CAMPAIGN_DATES)
        return data


class CampaignLogForm(StyledModelForm):
    class Meta:
        model = CampaignLog
        fields = ["date", "note", "cost"]
        widgets = {
            "date": DateInput,
            "cost": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    def clean_cost(self) -> Any:
        cost = self.cleaned_data.get("cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(CAMPAIGN_COST_NEGATIVE)
        return cost


# Quotes -----------------------------------------------------------------------------------------


class QuoteForm(StyledForm):
    """A quote's own fields; its lines are `QuoteLineFormSet`."""

    customer = forms.CharField(
        label=_("Customer"),
        max_length=100,
        help_text=_("Type part of the customer's name or number and pick it from the list."),
    )
    opportunity = forms.IntegerField(
        label=_("Opportunity no."),
        required=False,
        min_value=1,
        help_text=_("Optional: the sales opportunity this quote belongs to."),
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    terms = forms.CharField(
        label=_("Terms"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Payment, delivery and warranty terms, as printed on the quote."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].widget.attrs.update(CUSTOMER_SEARCH_ATTRS)

    def clean_customer(self) -> Customer:
        return chosen_customer(self.user, self.cleaned_data["customer"])

    def clean_opportunity(self) -> SalesChance | None:
        pk = self.cleaned_data.get("opportunity")
        if pk is None:
            return None
        chance = visible_chances(self.user).filter(pk=pk).first()
        if chance is None:
            raise forms.ValidationError(_("Choose one of your opportunities (its number)."))
        return chance

    def clean_valid_until(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["valid_until"]
        if date < timezone.localdate():
            raise forms.ValidationError(_("The quote's validity has passed; choose a later date."))
        return date


PERCENT: dict[str, Any] = {"min_value": Decimal(0), "max_value": Decimal(100), "decimal_places": 2}


class QuoteLineForm(StyledForm):
    """One line; the unit and the price default to the product's when left empty."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=10_000_000, widget=forms.NumberInput
    )
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the product's price."),
    )
    discount = forms.DecimalField(
        label=_("Discount (%)"), max_digits=5, initial=Decimal(0), required=False, **PERCENT
    )
    tax_rate = forms.DecimalField(label=_("Tax rate (%)"), max_digits=5, **PERCENT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.all()  # type: ignore[attr-defined]
        self.fields["tax_rate"].initial = settings.QUOTE_DEFAULT_TAX_RATE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        product = data.get("product")
        if product is not None and data.get("unit_price") is None and product.price is None:
            self.add_error("unit_price", _("The product has no price; enter one."))
        if data.get("discount") is None:
            data["discount"] = Decimal(0)
        return data


class BaseQuoteLineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [
            (product.pk, f"{product.name} {product.model} {product.batch}".strip())
            for product in Product.objects.order_by("name", "model", "id")
        ]
        for form in self.forms:  # the products are read once for all the lines
            form.fields["product"].choices = choices

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(_("A quote needs at least one line."))

    def lines(self) -> list[dict[str, Any]]:
        """The lines kept (not removed, not left empty), in order, for the services."""
        return [
            {name: form.cleaned_data[name] for name in LINE_FIELDS}
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("product")
        ]


LINE_FIELDS = QUOTE_LINE_FIELDS
MAX_QUOTE_LINES = 100
QuoteLineFormSet = cast(
    type[BaseQuoteLineFormSet],
    forms.formset_factory(
        QuoteLineForm,
        formset=BaseQuoteLineFormSet,
        extra=0,
        can_delete=True,
        max_num=MAX_QUOTE_LINES,
        validate_max=True,
    ),
)


class QuoteStepForm(StyledForm):
    """An approval, a refusal or the customer's answer, with an optional (or required) comment."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, comment_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required
