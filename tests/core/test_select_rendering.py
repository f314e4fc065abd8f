"""The widgets rendered in Python write exactly what Django's templates write."""

import datetime

import pytest
from django import forms

from core.forms import (
    FAST_WIDGETS,
    INPUTS,
    DateInput,
    PythonRenderedSelect,
    PythonRenderedSelectMultiple,
    StyledForm,
)
from tests.factories.inventory import region

CHOICES = [
    ("", "全部"),
    ("a&b", 'A "quoted" <tag>'),
    ("分组", [("1", "一"), ("2", "二 & 三")]),
    (3, "three"),
]


def _django(widget_class, name, value, attrs=None):
    return widget_class(choices=CHOICES, attrs=attrs).render(name, value)


@pytest.mark.parametrize(
    ("plain", "fast", "value"),
    [
        (forms.Select, PythonRenderedSelect, "a&b"),
        (forms.Select, PythonRenderedSelect, None),
        (forms.Select, PythonRenderedSelect, 3),
        (forms.SelectMultiple, PythonRenderedSelectMultiple, ["1", "2"]),
        (forms.SelectMultiple, PythonRenderedSelectMultiple, []),
    ],
)
def test_the_markup_is_djangos_to_the_character(plain, fast, value) -> None:
    attrs = {"class": "form-select x<y", "required": True, "disabled": False, "data-n": 5}
    assert _django(fast, "f", value, attrs) == _django(plain, "f", value, attrs)


@pytest.mark.django_db
def test_styled_forms_use_them_for_djangos_own_selects_only() -> None:
    class Own(forms.Select):
        pass

    class Form(StyledForm):
        one = forms.ModelChoiceField(queryset=region().__class__.objects.all())
        many = forms.MultipleChoiceField(choices=[("x", "X")])
        own = forms.ChoiceField(choices=[("x", "X")], widget=Own)

    form = Form(data={"one": region().pk})
    assert type(form.fields["one"].widget) is PythonRenderedSelect
    assert type(form.fields["many"].widget) is PythonRenderedSelectMultiple
    assert type(form.fields["own"].widget) is Own
    html = str(form["one"])
    assert "form-select" in html
    assert f'value="{region().pk}" selected' in html


@pytest.mark.parametrize("plain", INPUTS)
@pytest.mark.parametrize("value", [None, "", 'a&b "c" <d>', 42, datetime.date(2026, 12, 3)])
def test_inputs_are_djangos_to_the_character(plain, value) -> None:
    attrs = {"class": "form-control x<y", "required": True, "disabled": False, "maxlength": 17}
    fast = FAST_WIDGETS[plain]
    assert fast(attrs=attrs).render("f", value) == plain(attrs=attrs).render("f", value)


def test_our_date_input_renders_as_its_template_would() -> None:
    class TemplateDate(forms.DateInput):
        input_type = "date"

    value = datetime.date(2026, 12, 3)
    expected = TemplateDate(format="%Y-%m-%d").render("d", value, attrs={"id": "d"})
    assert DateInput().render("d", value, attrs={"id": "d"}) == expected
    assert 'value="2026-12-03"' in expected
