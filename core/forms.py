from typing import Any

import django_filters
from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's `attrs.html` in Python: ` name="value"`, a True value as its bare name, False
    left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PythonRenderedSelectMixin:
    """Writes the `<select>` the way Django's `select.html` and `select_option.html` templates
    do, character for character, without a template per option: on a list page's filter form
    (regions, levels, tags, groups…) the templates were a third of the page's CPU time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class PythonRenderedSelect(PythonRenderedSelectMixin, forms.Select):
    pass


class PythonRenderedSelectMultiple(PythonRenderedSelectMixin, forms.SelectMultiple):
    pass


class PythonRenderedInputMixin:
    """Writes an `<input>` the way Django's `input.html` and `attrs.html` do, without two
    templates per field (a list's filter form has up to a dozen inputs)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
        )


INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
)

# Widgets whose markup is Django's default templates', rendered in Python instead (exactly
# these classes: a subclass of our own may have its own template).
FAST_WIDGETS: dict[type, type] = {
    forms.Select: PythonRenderedSelect,
    forms.SelectMultiple: PythonRenderedSelectMultiple,
    **{
        widget: type(f"PythonRendered{widget.__name__}", (PythonRenderedInputMixin, widget), {})
        for widget in INPUTS
    },
}


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates need no per-field markup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if type(widget) in FAST_WIDGETS:  # exactly Django's, not a subclass of its own
                widget.__class__ = FAST_WIDGETS[type(widget)]
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class DateInput(PythonRenderedInputMixin, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(PythonRenderedInputMixin, forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BooleanSelect(django_filters.widgets.BooleanWidget):
    """django-filter's yes/no/any select, labelled in the reader's language: its own widget
    translates its labels once, at import time, in whatever language was active then."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]
