from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm, StyledModelForm
from marketing.models import PlanItem, SalesChance
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
