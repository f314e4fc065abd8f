from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import StyledForm, StyledFormMixin, StyledModelForm

LOGIN_INVALID = _("The username or password is incorrect. Both are case-sensitive.")


class LoginForm(StyledFormMixin, AuthenticationForm):
    # A disabled account answers like a wrong password (the backend refuses it after checking
    # the password, so the time taken is the same): the form never tells whether a password of
    # a disabled account was right.
    error_messages = {"invalid_login": LOGIN_INVALID, "inactive": LOGIN_INVALID}


class OwnPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class _NewPasswordMixin(forms.Form):
    """Two password fields that must match; strength is checked by the service."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Confirm password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second: str = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("The two passwords do not match."))
        return second


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Role) -> str:
        label = obj.display_name
        return label if obj.is_active else _("%(role)s (disabled)") % {"role": label}


class UserForm(StyledModelForm):
    role = RoleChoiceField(
        queryset=Role.objects.all(), required=False, empty_label=_("Not assigned"), label=_("Role")
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only; at most 150 characters.")}


class UserCreateForm(_NewPasswordMixin, UserForm):
    is_active = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    class Meta(UserForm.Meta):
        fields = [*UserForm.Meta.fields, "is_active"]

    def validate_unique(self) -> None:
        # Uniqueness (regardless of case) is the service's rule; it reports it on the field.
        pass


class UserEditForm(UserForm):
    def validate_unique(self) -> None:
        pass


class PasswordResetForm(_NewPasswordMixin, StyledForm):
    pass


class ProfileForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]


class RoleForm(StyledModelForm):
    class Meta:
        model = Role
        fields = ["name", "description"]

    def validate_unique(self) -> None:
        pass


class RoleRightsForm(StyledForm):
    codes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = choices  # type: ignore[attr-defined]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
