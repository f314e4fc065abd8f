"""The select widgets rendered in Python write exactly what Django's templates write."""

import pytest
from django import forms

from core.forms import PythonRenderedSelect, PythonRenderedSelectMultiple, StyledForm
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


@pytest.mark.django_db
def test_model_choices_are_read_once_per_form_and_render_as_djangos(
    django_assert_num_queries,
) -> None:
    import django_filters
    from django.db.models import QuerySet

    from inventory.models import DictItem

    beijing, shanghai = region(), region("上海")
    two = DictItem.objects.filter(pk__in=[beijing.pk, shanghai.pk]).order_by("id")

    class Plain(forms.Form):
        one = forms.ModelChoiceField(queryset=two)

    class Styled(StyledForm):
        one = forms.ModelChoiceField(queryset=two)

    class Filters(django_filters.FilterSet):  # django-filter's own field and iterator
        one = django_filters.ModelChoiceFilter(queryset=two, empty_label="全部")

        class Meta:
            model = DictItem
            fields = ["one"]
            form = StyledForm

    form = Styled(initial={"one": shanghai.pk})
    with django_assert_num_queries(1):  # rendering twice, counting, testing: one read
        first, second = str(form["one"]), str(form["one"])
        choices = form.fields["one"].widget.choices
        assert len(choices) == 3
        assert choices
    assert first == second
    plain = str(Plain(initial={"one": shanghai.pk})["one"])
    assert first == plain.replace('name="one"', 'name="one" class="form-select"', 1)
    bound = Styled(data={"one": shanghai.pk})
    assert bound.is_valid()
    assert bound.cleaned_data["one"] == shanghai
    filtered = Filters({"one": str(beijing.pk)}, queryset=DictItem.objects.all())
    assert filtered.is_valid()  # validation reads the chosen row (one query) before
    with django_assert_num_queries(1):
        html = str(filtered.form["one"]) + str(filtered.form["one"])
    assert html.count("<option") == 6
    assert "全部" in html
    assert isinstance(filtered.form.fields["one"].queryset, QuerySet)
