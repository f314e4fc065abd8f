from typing import Any, cast

from django import forms
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from sales.models import Customer
from search.services import MERGE_FIELDS

FIRST, SECOND = "first", "second"
DUPLICATE_KINDS = [("name", _("Similar name")), ("phone", _("Same phone"))]


class DuplicateFilterForm(StyledForm):
    by = forms.ChoiceField(label=_("Found by"), choices=DUPLICATE_KINDS, required=False)


def _shown(customer: Customer, field: str) -> str:
    value = getattr(customer, field)
    if value is None or value == "":
        return "—"
    display = getattr(customer, f"get_{field}_display", None)
    return str(display() if display is not None else value)


class MergeForm(StyledForm):
    """Which of the two customers survives, and, for each field where they differ, whose value
    the survivor keeps (a radio per field)."""

    def __init__(self, *args: Any, first: Customer, second: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customers = {FIRST: first, SECOND: second}
        self.fields["survivor"] = forms.ChoiceField(
            label=_("Surviving customer"),
            choices=[(side, f"{c.number} · {c.name}") for side, c in self.customers.items()],
            initial=FIRST,
            widget=forms.RadioSelect,
        )
        self.differing: list[str] = []
        for name in MERGE_FIELDS:
            model_field = cast(Field, Customer._meta.get_field(name))
            if getattr(first, model_field.attname) == getattr(second, model_field.attname):
                continue
            self.differing.append(name)
            empty_first = getattr(first, name) in (None, "")
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name,
                choices=[(side, _shown(c, name)) for side, c in self.customers.items()],
                initial=SECOND if empty_first else FIRST,
                widget=forms.RadioSelect,
            )

    def merge_arguments(self, take_other: str) -> dict[str, Any]:
        """The survivor, the other and the service's field choices (`take_other` for the fields
        whose chosen value is the other customer's)."""
        side = self.cleaned_data["survivor"]
        other_side = SECOND if side == FIRST else FIRST
        return {
            "survivor": self.customers[side],
            "other": self.customers[other_side],
            "choices": {
                name: take_other for name in self.differing if self.cleaned_data[name] != side
            },
        }
