from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from core.forms import StyledForm
from inventory.models import DictItem
from inventory.selectors import service_types
from sales.forms import CUSTOMER_SEARCH_ATTRS, chosen_customer
from sales.models import Customer
from service.services import handlers

SATISFACTION_CHOICES = [(value, "★" * value + "☆" * (5 - value)) for value in range(1, 6)]


class TicketForm(StyledForm):
    type = forms.ModelChoiceField(label=_("Service type"), queryset=DictItem.objects.none())
    title = forms.CharField(label=_("Summary"), max_length=500)
    customer = forms.CharField(
        label=_("Customer"),
        max_length=100,
        help_text=_("Type part of the customer's name or number and pick it from the list."),
    )
    request = forms.CharField(
        label=_("Service request"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["type"].queryset = service_types()  # type: ignore[attr-defined]
        self.fields["customer"].widget.attrs.update(CUSTOMER_SEARCH_ATTRS)

    def clean_customer(self) -> Customer:
        return chosen_customer(self.user, self.cleaned_data["customer"])


class AllocateForm(StyledForm):
    assignee = forms.ModelChoiceField(label=_("Allocate to"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers()  # type: ignore[attr-defined]


class HandleForm(StyledForm):
    handling = forms.CharField(
        label=_("Service handling"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )


class FeedbackForm(StyledForm):
    result = forms.CharField(label=pgettext_lazy("service", "Result"), max_length=500)
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"), choices=SATISFACTION_CHOICES, coerce=int, widget=forms.RadioSelect
    )
