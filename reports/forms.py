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
        return {key: query[key] for key in query if key not in ("page", "per_page")}
