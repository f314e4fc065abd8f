import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm, StyledModelForm
from inventory.models import DictItem, DictType
from marketing.models import PlanItem, SalesChance, Stage
from marketing.services import assignable_users


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
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_close_date": DateInput,
            "rate": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

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
