"""The API matrix: every endpoint × role, with the statuses of the pages' rules.

Anonymous callers get 401 from the API (a JSON answer, not a login redirect); outside one's
scope is 404, a missing right 403, a refused transition 400, as on the pages. POST, PATCH and
DELETE cases send JSON (`tests/test_access_matrix.py`).
"""

from functools import cached_property
from typing import Any

from tests.access.matrix import ROLES, Case, allow

UNAUTHENTICATED = 401


def api(*roles: str, ok: int = 200, denied: int = 403, **overrides: int) -> dict[str, int]:
    return allow(*roles, ok=ok, denied=denied, anonymous=UNAUTHENTICATED, **overrides)


class ApiWorld:
    users: dict[str, Any]

    @cached_property
    def api_token(self) -> Any:
        from api.services import token_create

        return token_create(actor=self.users["manager"], name="script")[0]


CUSTOMER_READERS = ("supervisor", "manager", "other_manager", "executive")
# manager1's customer: view-all holders read it, other_manager is outside (404).
ONE_CUSTOMER = api("supervisor", "manager", "executive", other_manager=404)
# Changing it: its manager only; readers without the edit rule get 403.
CHANGE = api("manager", other_manager=404)
DELETED = api("manager", ok=204, other_manager=404)
PLANNERS = ("supervisor", "manager", "other_manager")
OWN_CHANCE = api("supervisor", "manager", other_manager=404)
# Development writes: the assignee; a supervisor sees it but the service refuses (400).
DEVELOP = api("manager", supervisor=400, other_manager=404)
TICKETS = ("supervisor", "manager", "other_manager")
TASKS = ("supervisor", "manager", "other_manager")
OWN_TASK = api("supervisor", "manager", other_manager=404)
INVENTORY = ("admin", "manager", "other_manager")
REPORT_READERS = ("supervisor", "manager", "other_manager", "executive")
EVERYONE = ROLES[1:]


def _number(w: Any) -> dict[str, Any]:
    return {"number": w.customer.number}


def _pk(name: str) -> Any:
    return lambda w: {"pk": getattr(w, name).pk}


def _new_contact(w: Any) -> dict[str, Any]:
    return {"customer": w.customer.number, "name": "李四", "position": "经理"}


def _new_interaction(w: Any) -> dict[str, Any]:
    return {
        "customer": w.customer.number,
        "occurred_at": "2026-11-30T10:00:00+08:00",
        "place": "公司",
        "title": "拜访",
    }


def _lost_reason(w: Any) -> dict[str, Any]:
    from inventory.models import DictItem, DictType

    return {"reason": DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).first().pk}


def _new_chance(w: Any) -> dict[str, Any]:
    return {"customer_name": "新客户", "title": "采购", "rate": 50, "description": "意向"}


def _new_ticket(w: Any) -> dict[str, Any]:
    return {
        "type": w.ticket.type_id,
        "title": "咨询",
        "customer": w.customer.number,
        "request": "客户咨询",
    }


def _manager(w: Any) -> dict[str, Any]:
    return {"assignee": w.users["manager"].pk}


def _other(w: Any) -> dict[str, Any]:
    return {"assignee": w.users["other_manager"].pk}


CASES = [
    # Customers
    Case("api:customer-list", api(*CUSTOMER_READERS)),
    Case(
        "api:customer-list",
        api("manager", "other_manager", ok=201),
        method="post",
        data=lambda w: {"name": "新客户"},
        label="create",
    ),
    Case("api:customer-detail", ONE_CUSTOMER, kwargs=_number),
    Case(
        "api:customer-detail",
        CHANGE,
        kwargs=_number,
        method="patch",
        data=lambda w: {"phone": "010-1"},
        label="patch",
    ),
    Case("api:customer-detail", DELETED, kwargs=_number, method="delete", label="delete"),
    # Contacts and interactions: other_manager names a customer they cannot see (400).
    Case("api:contact-list", api(*CUSTOMER_READERS)),
    Case(
        "api:contact-list",
        api("manager", ok=201, other_manager=400),
        method="post",
        data=_new_contact,
        label="create",
    ),
    Case("api:contact-detail", ONE_CUSTOMER, kwargs=_pk("contact")),
    Case(
        "api:contact-detail",
        CHANGE,
        kwargs=_pk("contact"),
        method="patch",
        data=lambda w: {"mobile": "13900000000"},
        label="patch",
    ),
    Case("api:contact-detail", DELETED, kwargs=_pk("contact"), method="delete", label="delete"),
    Case("api:interaction-list", api(*CUSTOMER_READERS)),
    Case(
        "api:interaction-list",
        api("manager", ok=201, other_manager=400),
        method="post",
        data=_new_interaction,
        label="create",
    ),
    Case("api:interaction-detail", ONE_CUSTOMER, kwargs=_pk("activity")),
    Case(
        "api:interaction-detail",
        CHANGE,
        kwargs=_pk("activity"),
        method="patch",
        data=lambda w: {"remark": "好"},
        label="patch",
    ),
    Case(
        "api:interaction-detail", DELETED, kwargs=_pk("activity"), method="delete", label="delete"
    ),
    Case("api:order-list", api(*CUSTOMER_READERS)),
    Case("api:order-detail", ONE_CUSTOMER, kwargs=_pk("order")),
    # Opportunities
    Case("api:opportunity-list", api(*PLANNERS)),
    Case(
        "api:opportunity-list",
        api(*PLANNERS, ok=201),
        method="post",
        data=_new_chance,
        label="create",
    ),
    Case("api:opportunity-detail", OWN_CHANCE, kwargs=_pk("chance")),
    Case(
        "api:opportunity-detail",
        OWN_CHANCE,
        kwargs=_pk("chance"),
        method="patch",
        data=lambda w: {"rate": 70},
        label="patch",
    ),
    Case(
        "api:opportunity-detail",
        api("supervisor", "manager", ok=204, other_manager=404),
        kwargs=_pk("chance"),
        method="delete",
        label="delete",
    ),
    Case(
        "api:opportunity-assign",
        api("supervisor"),
        kwargs=_pk("chance"),
        method="post",
        data=_manager,
    ),
    Case(
        "api:opportunity-reassign",
        api("supervisor"),
        kwargs=_pk("developing"),
        method="post",
        data=_other,
    ),
    Case("api:opportunity-win", DEVELOP, kwargs=_pk("developing"), method="post"),
    Case(
        "api:opportunity-fail",
        DEVELOP,
        kwargs=_pk("developing"),
        method="post",
        data=_lost_reason,
    ),
    # Plan items (of the development page's opportunities)
    Case("api:plan-item-list", api(*PLANNERS)),
    Case(
        "api:plan-item-list",
        api("manager", "supervisor", ok=201, other_manager=400),  # seed 002: supervisors plan
        method="post",
        data=lambda w: {"chance": w.developing.pk, "date": "2026-12-10", "todo": "回访"},
        label="create",
    ),
    Case("api:plan-item-detail", OWN_CHANCE, kwargs=_pk("plan_item")),
    Case(
        "api:plan-item-detail",
        api("manager", "supervisor", other_manager=404),
        kwargs=_pk("plan_item"),
        method="patch",
        data=lambda w: {"todo": "再次回访"},
        label="patch",
    ),
    Case(
        "api:plan-item-detail",
        api("manager", "supervisor", ok=204, other_manager=404),
        kwargs=_pk("plan_item"),
        method="delete",
        label="delete",
    ),
    Case(
        "api:plan-item-execute",
        DEVELOP,
        kwargs=_pk("plan_item"),
        method="post",
        data=lambda w: {"result": "客户满意"},
    ),
    # Service tickets
    Case("api:ticket-list", api(*TICKETS)),
    Case(
        "api:ticket-list",
        api("manager", ok=201, other_manager=400),
        method="post",
        data=_new_ticket,
        label="create",
    ),
    Case(
        "api:ticket-detail", api("supervisor", "manager", other_manager=404), kwargs=_pk("ticket")
    ),
    Case(
        "api:ticket-detail",
        api("supervisor", ok=204),
        kwargs=_pk("ticket"),
        method="delete",
        label="delete",
    ),
    Case(
        "api:ticket-allocate", api("supervisor"), kwargs=_pk("ticket"), method="post", data=_manager
    ),
    Case(
        "api:ticket-handle",
        api("manager", other_manager=404),
        kwargs=_pk("allocated"),
        method="post",
        data=lambda w: {"handling": "已上门处理"},
    ),
    Case(
        "api:ticket-feedback",
        api("manager", other_manager=404),
        kwargs=_pk("handled"),
        method="post",
        data=lambda w: {"result": "满意", "satisfaction": 5},
    ),
    # Tasks
    Case("api:task-list", api(*TASKS)),
    Case(
        "api:task-list",
        api(*TASKS, ok=201),
        method="post",
        data=lambda w: {"title": "打电话", "due_at": "2026-12-03T10:00:00+08:00"},
        label="create",
    ),
    Case("api:task-detail", OWN_TASK, kwargs=_pk("task")),
    Case(
        "api:task-detail",
        OWN_TASK,
        kwargs=_pk("task"),
        method="patch",
        data=lambda w: {"title": "打两次电话"},
        label="patch",
    ),
    Case("api:task-complete", OWN_TASK, kwargs=_pk("task"), method="post"),
    Case("api:task-cancel", OWN_TASK, kwargs=_pk("task"), method="post"),
    Case("api:task-reopen", OWN_TASK, kwargs=_pk("done_task"), method="post"),
    # Inventory, read only
    Case("api:product-list", api(*INVENTORY)),
    Case("api:product-detail", api(*INVENTORY), kwargs=_pk("product")),
    Case("api:stock-list", api(*INVENTORY)),
    Case("api:stock-detail", api(*INVENTORY), kwargs=_pk("stock")),
    Case("api:dict-item-list", api("admin")),
    Case("api:dict-item-detail", api("admin"), kwargs=_pk("dict_entry")),
    # Reports
    Case("api:report-list", api(*EVERYONE)),
    *(
        Case(
            "api:report-detail",
            api(*REPORT_READERS),
            kwargs=lambda w, s=slug: {"slug": s},
            label=slug,
        )
        for slug in ("contribution", "composition", "service", "loss")
    ),
    Case(
        "api:report-detail",
        api(*EVERYONE, ok=404),
        kwargs=lambda w: {"slug": "unknown"},
        label="unknown",
    ),
    # The description, the documentation page and the token pages
    Case("api:schema", api(*EVERYONE)),
    Case("api:docs", allow(*EVERYONE)),
    Case("api:tokens", allow(*EVERYONE)),
    Case(
        "api:tokens",
        allow(*EVERYONE),
        method="post",
        data=lambda w: {"name": "script"},
        label="create",
    ),
    Case("api:tokens-admin", allow("admin")),
    Case(
        "api:token-revoke",
        allow("manager", "admin", ok=302, denied=404),
        kwargs=_pk("api_token"),
        method="post",
    ),
]
