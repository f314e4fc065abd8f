"""What the report forms share: the period filter, its defaults, and the applied filters."""

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.forms import DateInput, StyledForm
from sales import selectors as sales_selectors

FIRST_YEAR = 2000


def _year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", str(gettext_lazy("All years")))] + [
        (str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
    ]


class PeriodForm(StyledForm):
    """A year, or a date range (which wins when given); an inverted range is an error."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), choices=(), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None, str]:
        """(first day, last day, label); open ends are None."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            label = f"{start or '…'} – {end or '…'}"
            return start, end, label
        if data.get("year"):
            year = data["year"]
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year)
        return None, None, _("All years")


def _local_midnight(day: datetime.date, days_after: int = 0) -> datetime.datetime | None:
    """Midnight in TIME_ZONE at the start of `day` plus `days_after` days; None when that lies
    beyond what a date-time can hold (0001-01-01 or 9999-12-31 in a filter)."""
    try:
        moment = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=days_after), datetime.time())
        )
        moment.astimezone(datetime.UTC)  # the database stores UTC
    except OverflowError:
        return None
    return moment


def moments(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """A date period as date-times: from local midnight of `start` to before local midnight
    after `end` (comparing the column itself, not its date, lets an index answer). An end past
    any date-time bounds nothing."""
    since = _local_midnight(start) if start else None
    until = _local_midnight(end, days_after=1) if end else None
    return since, until


PERIOD_KEYS = ("year", "date_from", "date_to")


def with_default_period(params: Mapping[str, Any]) -> dict[str, Any]:
    """Reports by period show the current year until the viewer chooses ("year=" is all years)."""
    values = {key: params.get(key) for key in params}
    if not any(key in values for key in PERIOD_KEYS):
        values["year"] = str(timezone.localdate().year)
    return values


def clean_params(form_class: type[StyledForm], params: Mapping[str, Any]) -> StyledForm:
    """The bound filter form; when its values are invalid, the defaults are used instead (the
    page shows the errors; a scheduled e-mail still gets a report)."""
    if issubclass(form_class, PeriodForm):
        params = with_default_period(params)
    form = form_class(params)
    if not form.is_valid():
        form = form_class({})
        form.is_valid()
    return form


def applied_filters(
    form: StyledForm, overrides: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The applied filters as (label, value) for the report's header, exports and e-mails."""
    shown = []
    for name, field in form.fields.items():
        if overrides and name in overrides:
            shown.append((str(field.label), str(overrides[name])))
            continue
        if name in ("date_from", "date_to"):
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices"):
            value = {str(k): v for k, v in field.choices}.get(str(value), value)
        shown.append((str(field.label), str(value)))
    return shown


def group_label(user: User, group_id: int | None) -> str:
    """How a report's header names its customer-group scope (customer-based reports): the
    group's name, or a dash when the user may not use that group (the report is then empty)."""
    group = sales_selectors.report_group(user, group_id)
    return group.name if group else "—"
