import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm, StyledModelForm
from inventory.models import DictItem, DictType
from marketing.models import Campaign, CampaignLog, PlanItem, SalesChance, Stage
from marketing.permissions import LOGGABLE
from marketing.selectors import campaign_kinds
from marketing.services import (
    CAMPAIGN_BUDGET_NEGATIVE,
    CAMPAIGN_COST_NEGATIVE,
    CAMPAIGN_DATES,
    assignable_users,
)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = chance_campaign_choices(self.instance)  # type: ignore[attr-defined]

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


def chance_campaign_choices(chance: SalesChance | None) -> QuerySet[Campaign]:
    """The campaigns an opportunity may name: the running and finished ones, and its own."""
    current = chance.campaign_id if chance is not None else None
    return Campaign.objects.filter(Q(status__in=LOGGABLE) | Q(pk=current)).order_by(
        "-start_date", "-id"
    )
