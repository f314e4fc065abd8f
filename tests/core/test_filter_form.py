"""`{% filter_form %}`: the filter's fields with their labels and errors, the list's order and
page size kept, Search and Reset; every value escaped."""

import django_filters
import pytest
from django.test import RequestFactory

from core.forms import StyledForm
from core.templatetags.core import filter_form
from sales.models import Customer


class _Filter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Name <b>", lookup_expr="icontains", max_length=5)
    o = django_filters.OrderingFilter(fields=[("name", "name")])

    class Meta:
        model = Customer
        fields = ["name"]
        form = StyledForm


@pytest.mark.django_db
def test_fields_errors_and_the_kept_order_and_page_size() -> None:
    request = RequestFactory().get("/", {"name": 'x"<y>long', "o": "-name", "per_page": "50"})
    bound = _Filter(request.GET, queryset=Customer.objects.none())
    assert not bound.is_valid()
    html = filter_form({"request": request}, bound)
    assert 'data-testid="filter-form"' in html
    assert '<label class="form-label small mb-1" for="id_name">Name &lt;b&gt;</label>' in html
    assert 'value="x&quot;&lt;y&gt;long"' in html  # the typed value, escaped
    assert 'class="invalid-feedback d-block">Ensure this value has at most 5 characters' in html
    assert '<input type="hidden" name="o" value="-name">' in html
    assert '<input type="hidden" name="per_page" value="50">' in html
    assert "</i> Search</button>" in html
    assert '<a href="?view=all" class="btn btn-outline-secondary">Reset</a>' in html
