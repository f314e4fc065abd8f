"""Bad input is a 4xx JSON answer with the field messages, never a server error (every write
with every kind of bad body: test_bad_input.py)."""

import json

import pytest
from django.urls import reverse

from api.base import UNKNOWN_FIELD
from core.middleware import NUL_IN_REQUEST
from marketing import services as marketing_services
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _send(client, method: str, url: str, body: str, content_type: str = "application/json"):
    return getattr(client, method)(url, data=body, content_type=content_type)


def test_a_malformed_body_says_so(manager_api) -> None:
    response = _send(manager_api, "post", reverse("api:customer-list"), '{"name": ')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_nul_in_a_json_string_is_refused(manager_api) -> None:
    body = json.dumps({"name": "a\x00b"})
    response = _send(manager_api, "post", reverse("api:customer-list"), body)
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_IN_REQUEST}
    nested = json.dumps({"name": "x", "address": ["\x00"]})
    assert _send(manager_api, "post", reverse("api:customer-list"), nested).status_code == 400
    key = json.dumps({"na\x00me": "x"})
    assert _send(manager_api, "post", reverse("api:customer-list"), key).status_code == 400


def test_a_nul_in_the_query_is_refused_in_json(manager_api) -> None:
    response = manager_api.get(reverse("api:customer-list") + "?name=%00")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad Request"}


def test_unknown_and_read_only_fields_are_refused(manager_api) -> None:
    response = manager_api.post(
        reverse("api:customer-list"),
        {"name": "新公司", "nmae": "x", "number": "KH1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"nmae": [str(UNKNOWN_FIELD)], "number": [str(UNKNOWN_FIELD)]}


def test_wrong_types_have_field_messages(manager_api) -> None:
    response = manager_api.post(
        reverse("api:customer-list"),
        {"name": ["a"], "credit": "many", "region": "north"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "credit", "region"}


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%00",
        "cD1hYmM=",  # p=abc
        "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",  # p=999…, past any key
        "bz0tMSZwPTE=",  # o=-1&p=1
        "cj14eHg=",  # r=xxx
    ],
)
def test_a_bad_cursor_is_a_4xx_on_every_list(manager_api, cursor) -> None:
    from tests.api.test_lists import LISTS

    for name in LISTS:
        response = manager_api.get(reverse(name) + f"?cursor={cursor}")
        assert response.status_code in (400, 404), name
        assert response["Content-Type"] == "application/json"


def test_invalid_filters_have_field_messages(manager_api) -> None:
    response = manager_api.get(reverse("api:customer-list") + "?status=9&region=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "region"}


def test_a_service_refusal_is_a_400_with_its_message(supervisor_api, supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    response = supervisor_api.post(
        reverse("api:opportunity-assign", args=[chance.pk]), {"assignee": manager.pk}, format="json"
    )
    assert response.status_code == 400
    expected = marketing_services.STATUS_CHANGED % {"status": chance.get_status_display()}
    assert response.json() == {"non_field_errors": [str(expected)]}


def test_a_service_field_error_keeps_its_field(manager_api, manager) -> None:
    customer = CustomerFactory(manager=manager)
    response = manager_api.patch(
        reverse("api:customer-detail", args=[customer.number]), {"name": ""}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


def test_huge_integers_are_refused(manager_api) -> None:
    response = manager_api.post(
        reverse("api:customer-list"), {"name": "x", "turnover": 10**30}, format="json"
    )
    assert response.status_code == 400
    assert "turnover" in response.json()


def test_a_due_date_before_1900_is_refused(manager_api) -> None:
    """Found by the fuzz run: such a time was stored and written back with a seconds offset."""
    from api.serializers import DATE_TOO_EARLY

    response = manager_api.post(
        reverse("api:task-list"), {"title": "x", "due_at": "1391-07-28T07:57:01Z"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"due_at": [str(DATE_TOO_EARLY)]}
