from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import active_users_with_right
from core.forms import DateInput, DateTimeInput, StyledForm, StyledModelForm
from inventory.selectors import customer_levels, regions
from sales.models import Activity, Contact, Customer, CustomerGroup, Tag
from sales.permissions import VIEW_SHARE_RIGHT, customer_holders, visible_customers

# The seed marks these customer fields required (SEED_SPEC §6.3); fax and website are optional
# here, as few customers have a fax today.
CUSTOMER_REQUIRED = (
    "name",
    "region",
    "level",
    "satisfaction",
    "credit",
    "address",
    "zip_code",
    "phone",
    "legal_person",
    "bank",
    "bank_account",
)


# A customer search box (a text input over the `customer-options` list that static/js fills as
# the user types): the service request and quote forms.
CUSTOMER_SEARCH_ATTRS = {
    "list": "customer-options",
    "autocomplete": "off",
    "data-customer-search": "",
}
CUSTOMER_NOT_CHOSEN = _("Choose one of your customers from the list (by name or number).")


def chosen_customer(user: User, text: str) -> Customer:
    """The visible customer typed or picked in a customer search box: by number, else by a name
    that only one of the user's customers has."""
    text = text.strip()
    customers = visible_customers(user)
    customer = customers.filter(number=text).first()
    if customer is None:
        named = list(customers.filter(name=text)[:2])
        customer = named[0] if len(named) == 1 else None
    if customer is None:
        raise forms.ValidationError(CUSTOMER_NOT_CHOSEN)
    return customer


class CustomerForm(StyledModelForm):
    class Meta:
        model = Customer
        fields = [
            "name",
            "region",
            "level",
            "satisfaction",
            "credit",
            "address",
            "zip_code",
            "phone",
            "fax",
            "website",
            "licence_no",
            "legal_person",
            "registered_capital",
            "turnover",
            "bank",
            "bank_account",
            "local_tax_no",
            "national_tax_no",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions()  # type: ignore[attr-defined]
        self.fields["level"].queryset = customer_levels()  # type: ignore[attr-defined]
        for name in CUSTOMER_REQUIRED:
            self.fields[name].required = True
        self.fields["zip_code"].validators.append(
            RegexValidator(r"^\d{6}$", _("A post code has six digits."))
        )


class CustomerCreateForm(CustomerForm):
    """The new-customer form: once warned of possible duplicates, the user may create anyway."""

    create_anyway = forms.BooleanField(
        label=_("Create anyway: it is not one of the customers above"), required=False
    )


class ContactForm(StyledModelForm):
    class Meta:
        model = Contact
        fields = ["name", "gender", "position", "phone", "mobile", "email", "birthday", "memo"]
        widgets = {"gender": forms.RadioSelect, "birthday": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = True
        self.fields["phone"].required = True


class ActivityForm(StyledModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "occurred_at", "place", "title", "remark", "description"]
        widgets = {
            "occurred_at": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ActivityCommentForm(StyledForm):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferForm(StyledForm):
    to_manager = forms.ModelChoiceField(
        label=_("New customer manager"), queryset=User.objects.none(), empty_label=None
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_manager"].queryset = customer_holders()  # type: ignore[attr-defined]


class ShareForm(StyledForm):
    user = forms.ModelChoiceField(label=_("Share with"), queryset=User.objects.none())
    can_edit = forms.BooleanField(label=_("May also edit"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users_with_right(VIEW_SHARE_RIGHT)  # type: ignore[attr-defined]


class LossPauseForm(StyledForm):
    measure = forms.CharField(
        label=_("Additional retention measure"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LossConfirmForm(StyledForm):
    reason = forms.CharField(
        label=_("Loss reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class TagForm(StyledModelForm):
    class Meta:
        model = Tag
        fields = ["name", "colour"]


def _tag_choices() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TagsForm(StyledForm):
    """The tags of one record (customer or opportunity): the ticked ones are its tags."""

    tags = _tag_choices()


class BulkTagForm(TagsForm):
    ADD, REMOVE = "add", "remove"
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(ADD, _("Add the tags")), (REMOVE, _("Remove the tags"))],
        initial=ADD,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].required = True


class BulkExportForm(StyledForm):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv"
    )


class GroupForm(StyledModelForm):
    class Meta:
        model = CustomerGroup
        fields = ["name", "shared"]

    def __init__(self, *args: Any, can_share: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_share and not (self.instance and self.instance.shared):
            del self.fields["shared"]
