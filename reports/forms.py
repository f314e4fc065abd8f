from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledModelForm
from reports.models import ReportSubscription
from reports.registry import REPORTS
from reports.selectors import recipients_choices
from reports.services import OTHERS_RIGHT
from sales.selectors import group_list

# Reports over customers that a customer group can scope (their form's `group` filter).
GROUP_REPORTS = ("composition", "contribution")
GROUP_NOT_FOR_REPORT = _("Only the contribution and composition reports take a customer group.")
GROUP_NOT_SHARED = _("Only a group shared with the team can scope other recipients' e-mails.")

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SubscriptionForm(StyledModelForm):
    report = forms.ChoiceField(label=_("Report"))
    filters = forms.CharField(
        label=_("Filters"),
        required=False,
        max_length=500,
        help_text=_("The report page's filters, e.g. year=2025&manager=xiaoming."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", "—"), *WEEKDAYS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    group: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Customer group"),
        queryset=None,  # the user's groups (`sales.selectors.group_list`)
        required=False,
        help_text=_(
            "Contribution and composition: only the group's members, among each recipient's "
            "own customers."
        ),
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = ReportSubscription
        fields = [
            "name",
            "report",
            "format",
            "recipients",
            "frequency",
            "weekday",
            "day_of_month",
            "send_time",
            "skip_if_empty",
            "is_active",
        ]
        widgets = {"send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [  # type: ignore[attr-defined]
            (slug, spec.title) for slug, spec in REPORTS.items() if user.has_perm(spec.permission)
        ]
        recipients = recipients_choices()
        if not user.has_perm(OTHERS_RIGHT):  # only oneself; the service refuses others too
            recipients = recipients.filter(pk=user.pk)
            if not self.instance.pk:
                self.fields["recipients"].initial = [user.pk]
        self.fields["recipients"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["day_of_month"].widget.attrs.update({"min": 1, "max": 31})
        self.user = user
        self.fields["group"].queryset = group_list(user)  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.params.get("group"):
            self.fields["group"].initial = self.instance.params["group"]
        if self.instance.pk:
            query = QueryDict(mutable=True)
            for key, value in self.instance.params.items():
                query[key] = value
            self.fields["filters"].initial = query.urlencode()

    def clean_day_of_month(self) -> int | None:
        day: int | None = self.cleaned_data.get("day_of_month")
        if day is not None and not 1 <= day <= 31:
            raise forms.ValidationError(_("A day of the month is from 1 to 31."))
        return day

    def clean_filters(self) -> dict[str, str]:
        query = QueryDict(self.cleaned_data.get("filters", ""))
        return {key: query[key] for key in query if key not in ("page", "per_page", "group")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group = data.pop("group", None)
        if group is None:
            return data
        if data.get("report") not in GROUP_REPORTS:
            self.add_error("group", GROUP_NOT_FOR_REPORT)
        elif not group.shared and any(u.pk != self.user.pk for u in data.get("recipients", [])):
            self.add_error("group", GROUP_NOT_SHARED)
        elif "filters" in data:
            data["filters"] = {**data["filters"], "group": str(group.pk)}
        return data
