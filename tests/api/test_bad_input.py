"""Every write of the API (found in its router, so a new endpoint is covered without being
listed) refuses bad input with a 400 JSON answer and writes nothing: malformed JSON, the wrong
JSON type, a NUL character, unknown fields, a form or multipart body, text, a body too large."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from api.base import NO_BODY, NOT_JSON
from api.urls import router
from audit.models import AuditEvent
from core.middleware import NUL_IN_REQUEST
from tests.api.conftest import token_client
from tests.factories.marketing import PlanItemFactory, SalesChanceFactory
from tests.factories.sales import ActivityFactory, ContactFactory, CustomerFactory
from tests.factories.service import ServiceRequestFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "patch", "put"}


def _writes() -> list[tuple[str, str, str]]:
    """(route name, method, action) of every write the router serves."""
    found = []
    for pattern in router.urls:
        actions = getattr(pattern.callback, "actions", {})
        if "format" in str(pattern.pattern):
            continue
        for method, action in actions.items():
            if method in WRITE_METHODS:
                found.append((f"api:{pattern.name}", method, action))
    return sorted(found)


WRITES = _writes()
BODILESS = {
    "api:opportunity-win", "api:task-complete", "api:task-cancel", "api:task-reopen",
    "api:campaign-approve", "api:campaign-start", "api:campaign-finish", "api:campaign-cancel",
}  # fmt: skip


@pytest.fixture
def world(manager, supervisor) -> dict[str, tuple[str, dict]]:
    """Each write's caller (a role that may make it) and its URL arguments, on objects in the
    state the write expects: with a good body, each would succeed."""
    customer = CustomerFactory(manager=manager)
    developing = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    ticket = ServiceRequestFactory(customer=customer, creator=manager)
    allocated = ServiceRequestFactory(
        customer=customer, creator=manager, assignee=manager, status=2
    )
    handled = ServiceRequestFactory(
        customer=customer, creator=manager, assignee=manager, handler=manager, status=3
    )
    task = TaskFactory(owner=manager, creator=manager)
    done = TaskFactory(owner=manager, creator=manager, status=2, completed_at=timezone.now())
    m, s = "manager", "supervisor"
    return {
        "api:customer-list": (m, {}),
        "api:customer-detail": (m, {"number": customer.number}),
        "api:contact-list": (m, {}),
        "api:contact-detail": (m, {"pk": ContactFactory(customer=customer).pk}),
        "api:interaction-list": (m, {}),
        "api:interaction-detail": (m, {"pk": ActivityFactory(customer=customer).pk}),
        "api:opportunity-list": (m, {}),
        "api:opportunity-detail": (m, {"pk": SalesChanceFactory(creator=manager).pk}),
        "api:opportunity-assign": (s, {"pk": SalesChanceFactory(creator=manager).pk}),
        "api:opportunity-reassign": (s, {"pk": developing.pk}),
        "api:opportunity-win": (m, {"pk": developing.pk}),
        "api:opportunity-fail": (m, {"pk": developing.pk}),
        "api:plan-item-list": (m, {}),
        "api:plan-item-detail": (m, {"pk": PlanItemFactory(chance=developing).pk}),
        "api:plan-item-execute": (m, {"pk": PlanItemFactory(chance=developing).pk}),
        "api:ticket-list": (m, {}),
        "api:ticket-allocate": (s, {"pk": ticket.pk}),
        "api:ticket-handle": (m, {"pk": allocated.pk}),
        "api:ticket-feedback": (m, {"pk": handled.pk}),
        "api:task-list": (m, {}),
        "api:task-detail": (m, {"pk": task.pk}),
        "api:task-complete": (m, {"pk": task.pk}),
        "api:task-cancel": (m, {"pk": task.pk}),
        "api:task-reopen": (m, {"pk": done.pk}),
        **_quote_writes(manager),
        **_campaign_writes(manager),
    }


def _campaign_writes(manager) -> dict[str, tuple[str, dict]]:
    from tests.factories.marketing import CampaignFactory

    def campaign(status: int) -> dict:
        return {"pk": CampaignFactory(owner=manager, status=status).pk}

    m = "manager"
    return {
        "api:campaign-list": (m, {}),
        "api:campaign-detail": (m, campaign(1)),
        "api:campaign-approve": ("supervisor", campaign(1)),
        "api:campaign-start": (m, campaign(2)),
        "api:campaign-finish": (m, campaign(3)),
        "api:campaign-cancel": (m, campaign(1)),
    }


def _quote_writes(manager) -> dict[str, tuple[str, dict]]:
    from marketing.models import Quote
    from tests.factories.marketing import QuoteFactory, QuoteLineFactory

    def quote(status: int) -> dict:
        made = QuoteFactory(customer=CustomerFactory(manager=manager), status=status)
        QuoteLineFactory(quote=made)
        return {"pk": made.pk}

    status, m = Quote.Status, "manager"
    return {
        "api:quote-list": (m, {}),
        "api:quote-detail": (m, quote(status.DRAFT)),
        "api:quote-submit": (m, quote(status.DRAFT)),
        "api:quote-send": (m, quote(status.APPROVED)),
        "api:quote-accept": (m, quote(status.SENT)),
        "api:quote-decline": (m, quote(status.SENT)),
        "api:quote-approve": ("supervisor", quote(status.PENDING)),
        "api:quote-reject": ("supervisor", quote(status.PENDING)),
    }


def _history_rows() -> int:
    """Every change history row: a refused write leaves none."""
    from django.apps import apps

    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


BODIES = {
    "malformed": ('{"name": ', "application/json"),
    "list": ("[1, 2]", "application/json"),
    "string": ('"text"', "application/json"),
    "number": ("12", "application/json"),
    "nul": ('{"name": "a\\u0000b", "title": "\\u0000"}', "application/json"),
    "nul key": ('{"na\\u0000me": "x"}', "application/json"),
    "unknown": ('{"zzz": 1}', "application/json"),
    "wrong types": (
        '{"name": [1], "title": {"a": 1}, "assignee": "x", "date": 5, "customer": [],'
        ' "satisfaction": "many", "rate": "high", "handling": [], "result": {}, "due_at": 1}',
        "application/json",
    ),
    "form": ("name=x&title=y", "application/x-www-form-urlencoded"),
    "multipart": (
        '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--B--\r\n',
        "multipart/form-data; boundary=B",
    ),
    "text": ("name=x", "text/plain"),
    "xml": ("<name>x</name>", "application/xml"),
}


def test_every_write_is_covered(world) -> None:
    assert {name for name, _method, _action in WRITES} == set(world)


@pytest.mark.parametrize(("name", "method", "action"), WRITES, ids=lambda v: str(v))
@pytest.mark.parametrize("kind", list(BODIES))
def test_bad_bodies_are_a_400_in_json_and_write_nothing(
    world, request, name, method, action, kind
) -> None:
    role, kwargs = world[name]
    client = token_client(request.getfixturevalue(role))
    history, audit = _history_rows(), AuditEvent.objects.count()
    body, content_type = BODIES[kind]
    response = getattr(client, method)(
        reverse(name, kwargs=kwargs), data=body, content_type=content_type
    )
    assert response.status_code == 400, (kind, response.content)
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert (_history_rows(), AuditEvent.objects.count()) == (history, audit)


@pytest.mark.parametrize(("name", "method", "action"), WRITES, ids=lambda v: str(v))
def test_a_body_over_the_limit_is_a_400_in_json(world, request, settings, name, method, action):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    role, kwargs = world[name]
    client = token_client(request.getfixturevalue(role))
    body = json.dumps({"name": "x" * 2000})
    response = getattr(client, method)(
        reverse(name, kwargs=kwargs), data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_the_messages_say_what_is_wrong(manager_api) -> None:
    url = reverse("api:customer-list")
    form = manager_api.post(url, {"name": "x"})  # multipart, as a browser form sends
    assert (form.status_code, form.json()) == (400, {"detail": str(NOT_JSON)})
    text = manager_api.post(url, data="name=x", content_type="text/plain")
    assert (text.status_code, text.json()) == (400, {"detail": str(NOT_JSON)})
    nul = manager_api.post(url, data='{"name": "\\u0000"}', content_type="application/json")
    assert nul.json() == {"detail": NUL_IN_REQUEST}


def test_a_step_without_a_body_refuses_one_and_runs_without(manager) -> None:
    task = TaskFactory(owner=manager, creator=manager)
    client = token_client(manager)
    url = reverse("api:task-complete", args=[task.pk])
    refused = client.post(url, {"note": "done"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [str(NO_BODY)]})
    task.refresh_from_db()
    assert task.status == task.Status.OPEN
    assert client.post(url).status_code == 200
    assert {name for name, _m, _a in WRITES} >= BODILESS


@pytest.mark.parametrize(
    "query",
    ["page_size=abc", "page_size=-1", "page_size=99999999999999999999999", "cursor=%ff%fe"],
)
def test_bad_paging_parameters_are_never_a_server_error(manager_api, query) -> None:
    response = manager_api.get(reverse("api:customer-list") + f"?{query}")
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"
