import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import active_users_with_right
from core.forms import DateInput, StyledForm
from sales.forms import ActivityForm
from sales.models import Contact, Customer
from sales.permissions import visible_customers
from tasks.models import Task
from tasks.permissions import ASSIGN_RIGHT, VIEW_RIGHT

UNITS = {
    "minutes": datetime.timedelta(minutes=1),
    "hours": datetime.timedelta(hours=1),
    "days": datetime.timedelta(days=1),
}


class TaskForm(StyledForm):
    """A task's fields; the owner is offered only to holders of the assign right, the contact
    only once the customer is known."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Task.Kind.choices, initial=Task.Kind.TODO)
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Required for a visit.")
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)
    due_time = forms.TimeField(
        label=_("Due time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Task.Priority.choices, coerce=int, initial=2
    )
    remind_value = forms.IntegerField(label=_("Remind me"), required=False, min_value=0)
    remind_unit = forms.ChoiceField(
        label=_("before the due time, in"),
        choices=[("minutes", _("minutes")), ("hours", _("hours")), ("days", _("days"))],
        initial="minutes",
    )
    customer = forms.CharField(
        label=_("Customer number"), max_length=20, required=False, help_text=_("Optional.")
    )
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=Contact.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, user: User, customer: Customer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_perm(ASSIGN_RIGHT):
            self.fields["owner"].queryset = active_users_with_right(VIEW_RIGHT)  # type: ignore[attr-defined]
            self.fields["owner"].initial = user.pk
        else:
            del self.fields["owner"]
        if customer is not None:
            self.fields["contact"].queryset = customer.contacts.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["contact"]

    def clean_customer(self) -> Customer | None:
        number = self.cleaned_data["customer"].strip()
        if not number:
            return None
        customer = visible_customers(self.user).filter(number=number).first()
        if customer is None:
            raise ValidationError(_("No customer of yours has this number."))
        return customer

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due_date, due_time = data.get("due_date"), data.get("due_time")
        if due_date is not None:
            if not data.get("all_day") and due_time is None:
                self.add_error("due_time", _("Give a time, or tick “All day”."))
            else:
                moment = datetime.datetime.combine(due_date, due_time or datetime.time())
                data["due_at"] = timezone.make_aware(moment)
        value = data.get("remind_value")
        data["remind_before"] = (
            None if value is None else value * UNITS[data.get("remind_unit") or "minutes"]
        )
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields in the service's terms."""
        data = self.cleaned_data
        result = {
            name: data[name]
            for name in (
                "title",
                "kind",
                "place",
                "all_day",
                "priority",
                "notes",
                "due_at",
                "remind_before",
                "customer",
            )
        }
        if "owner" in self.fields:
            result["owner"] = data["owner"]
        if "contact" in self.fields:
            result["contact"] = data["contact"]
        return result


def initial_for(task: Task) -> dict[str, Any]:
    """The form's initial values for editing a task."""
    due = timezone.localtime(task.due_at)
    initial: dict[str, Any] = {
        "title": task.title,
        "kind": task.kind,
        "place": task.place,
        "due_date": due.date(),
        "due_time": None if task.all_day else due.time(),
        "all_day": task.all_day,
        "priority": task.priority,
        "notes": task.notes,
        "owner": task.owner_id,
        "customer": task.customer.number if task.customer else "",
        "contact": task.contact_id,
    }
    if task.remind_before is not None:
        minutes = int(task.remind_before.total_seconds() // 60)
        unit = next(
            name
            for name, size in (("days", 1440), ("hours", 60), ("minutes", 1))
            if minutes % size == 0
        )
        initial["remind_value"] = minutes // {"days": 1440, "hours": 60, "minutes": 1}[unit]
        initial["remind_unit"] = unit
    return initial


class DigestForm(StyledForm):
    digest_enabled = forms.BooleanField(
        label=_("Send me a morning e-mail of today's and overdue tasks"), required=False
    )


class ActivityWithNextStepForm(ActivityForm):
    """The interaction form plus an optional next step, which becomes a task."""

    next_title = forms.CharField(
        label=_("Next step"),
        max_length=200,
        required=False,
        help_text=_("Optional: becomes one of your tasks for this customer."),
    )
    next_kind = forms.ChoiceField(
        label=_("Next step kind"),
        choices=Task.Kind.choices,
        initial=Task.Kind.CALL,
        required=False,
    )
    next_date = forms.DateField(label=_("Next step date"), widget=DateInput, required=False)
    next_time = forms.TimeField(
        label=_("Next step time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for an all-day task."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_title", "").strip() and data.get("next_date") is None:
            self.add_error("next_date", _("Give the date of the next step."))
        return data

    def activity_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ActivityForm.Meta.fields}

    def next_step_data(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        title = data.get("next_title", "").strip()
        if not title:
            return None
        moment = datetime.datetime.combine(
            data["next_date"], data.get("next_time") or datetime.time()
        )
        kind = data.get("next_kind") or Task.Kind.CALL
        place = data.get("place", "") if kind == Task.Kind.VISIT else ""
        return {
            "title": title,
            "kind": kind,
            "place": place,
            "due_at": timezone.make_aware(moment),
            "all_day": data.get("next_time") is None,
        }
