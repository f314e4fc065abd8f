"""`manage.py bench`: measure every page against DESIGN.md §9's budgets (run by `make bench`).

Needs the volume data set (`manage.py seed_volume`) on PostgreSQL. Prints a table, writes
`bench-results/bench.json` and `bench-results/bench.md`, and exits 1 naming every page or check
that missed its budget. It also runs on SQLite (the embedded default) with the same data, to
compare pages (`--only … --skip-load`): the budgets are PostgreSQL's.
"""

import argparse
import datetime
import functools
import io
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from devtools import benchmark
from devtools.benchmark import Check, Page, Result
from reports.registry import REPORTS, build_report
from sales.models import Customer, CustomerGroup, CustomerTag
from sales.permissions import visible_customers
from tasks.selectors import CALENDAR_LIMIT

BENCH_USERS = {  # role in the benchmark → (username, role slug)
    "manager": ("vol_manager01", "manager"),  # the largest book of the volume data
    "supervisor": ("bench_supervisor", "supervisor"),
    "executive": ("bench_executive", "executive"),
    "admin": ("bench_admin", "admin"),
}


@functools.cache
def _biggest_customer(user: User) -> Customer:
    customer = visible_customers(user).annotate(n=Count("orders")).order_by("-n", "pk").first()
    if customer is None:
        raise CommandError(f"{user} sees no customer; run seed_volume first.")
    return customer


def _customer(user: User) -> dict[str, Any]:
    return {"number": _biggest_customer(user).number}


HISTORY_ENTRIES = 1_000  # the budget's history length (DESIGN §9: a record page with 1,000 entries)


def _customer_with_history(user: User) -> dict[str, Any]:
    """The biggest customer, given HISTORY_ENTRIES change-history rows (each a new phone number)
    when it has fewer: the volume seed writes without history."""
    customer = _biggest_customer(user)
    history = customer.history.model
    missing = HISTORY_ENTRIES - history.objects.filter(id=customer.pk).count()
    if missing > 0:
        start = timezone.now() - datetime.timedelta(days=missing)
        fields = {f.attname: getattr(customer, f.attname) for f in history.tracked_fields}
        history.objects.bulk_create(
            history(
                **{**fields, "phone": f"010-{index:06d}"},
                history_date=start + datetime.timedelta(days=index),
                history_type="~" if index else "+",
                history_user_id=customer.manager_id,
                history_via="user",
            )
            for index in range(missing)
        )
    return {"number": customer.number}


def _duplicate_pair(user: User) -> dict[str, Any]:
    from sales.selectors import duplicate_pair_customers, duplicate_pairs

    rows = list(duplicate_pairs(user=user, by="name")[:1])
    if not rows:
        raise CommandError("The volume data has no possible duplicates.")
    ((customer, older),) = duplicate_pair_customers(user=user, rows=rows)
    return {"number": older.number, "other": customer.number}


def _order(user: User) -> dict[str, Any]:
    customer = _biggest_customer(user)
    return {"number": customer.number, "pk": customer.orders.order_by("-date").first().pk}  # type: ignore[union-attr]


def _export_kwargs(user: User, *, slug: str, fmt: str) -> dict[str, Any]:
    return {"slug": slug, "fmt": fmt}


def _first(queryset: Any) -> int:
    found = queryset.order_by("-pk").values_list("pk", flat=True).first()
    if found is None:
        raise CommandError(f"Nothing to benchmark in {queryset.model.__name__}; run seed_volume.")
    return int(found)


def _chance(user: User) -> dict[str, Any]:
    from marketing.selectors import development_list

    return {"pk": _first(development_list(user))}


def _ticket(user: User) -> dict[str, Any]:
    from service.selectors import ticket_list

    return {"pk": _first(ticket_list(user))}


PANEL_ATTACHMENTS = 30  # the attachments the customer's panel lists in the bench


def _customer_with_attachments(user: User) -> dict[str, Any]:
    """The biggest customer, given PANEL_ATTACHMENTS attachment rows when it has fewer (rows
    only: the panel lists them and reads no file)."""
    from documents.models import Attachment

    customer = _biggest_customer(user)
    found = Attachment.objects.filter(kind="customer", object_id=customer.pk).count()
    Attachment.objects.bulk_create(
        Attachment(
            kind="customer",
            object_id=customer.pk,
            file=f"attachments/bench/{n}.pdf",
            name=f"合同{n}.pdf",
            content_type="application/pdf",
            size=1024 * n,
            uploader=user,
        )
        for n in range(found, PANEL_ATTACHMENTS)
    )
    return {"kind": "customer", "object_id": customer.pk}


def _month_days() -> tuple[datetime.date, datetime.date]:
    """The days FullCalendar's month view asks for: six weeks from the Monday on or before
    the 1st of this month."""
    first = timezone.localdate().replace(day=1)
    start = first - datetime.timedelta(days=first.weekday())
    return start, start + datetime.timedelta(days=42)


def _month_range() -> str:
    """The month view's range as the calendar asks for it, with the site's offset."""
    start, end = _month_days()
    return f"start={start.isoformat()}T00:00:00%2B08:00&end={end.isoformat()}T00:00:00%2B08:00"


@functools.cache
def _rep_of_2000_tasks(user: User) -> str:
    """The month range and the rep whose month holds nearest `CALENDAR_TASKS` open and done
    tasks, for their supervisor (the largest book's month holds more than the calendar's cap
    of 5,000)."""
    from tasks.models import Task

    start, end = _month_days()
    counts = (
        Task.objects.filter(
            status__in=(Task.Status.OPEN, Task.Status.DONE),
            due_at__date__gte=start,
            due_at__date__lt=end,
        )
        .values("owner")
        .annotate(tasks=Count("pk"))
        .values_list("owner", "tasks")
    )
    owner = min(
        counts, key=lambda row: abs(row[1] - benchmark.CALENDAR_TASKS), default=(user.pk, 0)
    )[0]
    return f"{_month_range()}&user={owner}"


def _two_tags_and_a_group(user: User) -> str:
    """The two most used tags (customers holding both) and a group of the user's (customers
    named 华…, created when missing)."""
    tags = list(CustomerTag.objects.values("tag").annotate(n=Count("pk")).order_by("-n")[:2])
    group, _created = CustomerGroup.objects.get_or_create(
        owner=user, name="bench", defaults={"filters": {"name": "华"}}
    )
    chosen = "&".join(f"tags={row['tag']}" for row in tags)
    return f"{chosen}&tags_mode=all&group={group.pk}"


M, S, E, A = "manager", "supervisor", "executive", "admin"
ALL = (M, S, E)
LISTS = [  # (label, url name, roles, a filter)
    ("customers", "sales:customer-list", ALL, "name=华&level=2"),
    ("customer losses", "sales:loss-list", (M, S), "status=1"),
    ("opportunities", "marketing:chance-list", (M, S), "status=2"),
    ("development plans", "marketing:development-list", (M, S), "title=采购"),
    ("service archive", "service:archive-list", (M, S), "status=4"),
    ("service allocation", "service:allocate-list", (S,), "title=咨询"),
    ("service handling", "service:handle-list", (M,), "title=咨询"),
    ("service feedback", "service:feedback-list", (M,), "title=咨询"),
    ("products", "inventory:product-list", (M, A), "name=电脑"),
    ("stock", "inventory:stock-list", (M, A), "low=true"),
    ("dictionary", "inventory:dict-list", (A,), "type=地区"),
    ("users", "accounts:user-list", (A,), "username=vol"),
    ("my tasks", "tasks:list", (M, S), "tab=week"),
    ("interactions", "sales:activity-list", (M, S), "kind=visit"),
]
# Every list of the API (a test checks that none of the router's is missing).
API_LISTS = [  # (label, url name, roles)
    ("customers", "api:customer-list", ALL),
    ("contacts", "api:contact-list", ALL),
    ("interactions", "api:interaction-list", ALL),
    ("orders", "api:order-list", ALL),
    ("opportunities", "api:opportunity-list", (M, S)),
    ("plan items", "api:plan-item-list", (M, S)),
    ("tickets", "api:ticket-list", (M, S)),
    ("tasks", "api:task-list", (M, S)),
    ("products", "api:product-list", (M, A)),
    ("stock", "api:stock-list", (M, A)),
    ("dictionary", "api:dict-item-list", (A,)),
    ("quotes", "api:quote-list", ALL),
    ("campaigns", "api:campaign-list", ALL),
]
API_DETAILS = [  # (label, url name, roles, URL arguments)
    ("customer", "api:customer-detail", ALL, _customer),
    ("order", "api:order-detail", ALL, lambda user: {"pk": _order(user)["pk"]}),
    ("opportunity", "api:opportunity-detail", (M, S), _chance),
    ("ticket", "api:ticket-detail", (M, S), _ticket),
]
REPORT_QUERIES = {
    "contribution": f"year={timezone.localdate().year - 1}",
    "composition": "by=level",
    "service": f"year={timezone.localdate().year - 1}",
    "loss": "",
    "forecast": f"year={timezone.localdate().year}",
    "performance": f"year={timezone.localdate().year - 1}",
    "product-sales": f"year={timezone.localdate().year - 1}",
    "stage-funnel": f"year={timezone.localdate().year - 1}",
}

PAGES: list[Page] = [
    Page("home (dashboard)", "home", "dashboard", (*ALL, A)),
    *(
        page
        for label, name, roles, query in LISTS
        for page in (
            Page(f"{label}: list", name, "list", roles),
            Page(f"{label}: filtered", name, "list", roles, query=query),
            Page(f"{label}: deep page", name, "list", roles, query="page=400"),
        )
    ),
    Page("customers: sorted", "sales:customer-list", "list", ALL, query="o=-name"),
    Page(
        "customers: two tags (all) and a group",
        "sales:customer-list",
        "list",
        ALL,
        query=_two_tags_and_a_group,
    ),
    Page("customer groups: list", "sales:group-list", "list", ALL),
    Page("tags: list", "sales:tag-list", "list", (A,)),
    Page("customer: detail", "sales:customer-detail", "detail", ALL, kwargs=_customer),
    Page("customer: orders", "sales:order-list", "detail", ALL, kwargs=_customer),
    Page(
        "customer: change history (1,000 entries)",
        "sales:customer-history",
        "detail",
        ALL,
        kwargs=_customer_with_history,
    ),
    Page("customer: order detail", "sales:order-detail", "detail", ALL, kwargs=_order),
    Page("customer: timeline", "reports:customer-timeline", "detail", ALL, kwargs=_customer),
    Page(
        "customer: interactions",
        "sales:customer-activity-list",
        "list",
        ALL,
        kwargs=_customer,
    ),
    Page("my tasks: today", "tasks:list", "list", (M, S), query="tab=today"),
    Page("task calendar: month page", "reports:calendar", "detail", (M, S)),
    Page(
        "task calendar: month JSON, 2,000 tasks",
        "reports:calendar-events",
        "detail",
        (S,),
        query=_rep_of_2000_tasks,
        budget_ms=benchmark.CALENDAR_MS,
    ),
    Page(  # the largest book: the calendar's cap of tasks, at the budget's rate per task
        "task calendar: month JSON",
        "reports:calendar-events",
        "detail",
        (M,),
        query=_month_range(),
        budget_ms=benchmark.CALENDAR_MS * CALENDAR_LIMIT / benchmark.CALENDAR_TASKS,
    ),
    Page(
        "opportunity: development", "marketing:development-detail", "detail", (M, S), kwargs=_chance
    ),
    Page("service request: detail", "service:detail", "detail", (M, S), kwargs=_ticket),
    Page("pipeline board", "marketing:board", "detail", (S, M), budget_ms=benchmark.BOARD_MS),
    Page(
        "pipeline board: filtered",
        "marketing:board",
        "detail",
        (S,),
        query="period=year",
        budget_ms=benchmark.BOARD_MS,
    ),
    *(
        Page(
            f"report {slug}",
            spec.url_name,
            "report",
            (M, S, E),
            query=REPORT_QUERIES.get(slug, ""),
            budget_ms=benchmark.CONTRIBUTION_YEAR_MS if slug == "contribution" else None,
        )
        for slug, spec in REPORTS.items()
    ),
    *(
        Page(
            f"report {slug}: {fmt}",
            "reports:export",
            "export",
            (E,),
            kwargs=functools.partial(_export_kwargs, slug=slug, fmt=fmt),
            query=query,
        )
        for slug, query in REPORT_QUERIES.items()
        for fmt in ("xlsx", "pdf", "csv")
    ),
    # Global search (DESIGN.md §9): a 2-character Chinese name, the last 4 digits of a phone, a
    # number prefix: the live results the top bar asks for as the user types (the results page
    # adds the app shell's queries around the same search).
    *(
        Page(
            f"search: {label}",
            "search:search",
            "search",
            (M, S),
            query=f"q={query}",
            headers={"HX-Request": "true"},
        )
        for label, query in (("瑞丰", "瑞丰"), ("phone 4321", "4321"), ("KH prefix", "KH2612"))
    ),
    # The supervisor's possible duplicates (by name core, by phone digits, a deep page) and the
    # merge page of the first pair.
    Page("possible duplicates", "search:duplicates", "list", (S,)),
    Page("possible duplicates: by phone", "search:duplicates", "list", (S,), query="by=phone"),
    Page("possible duplicates: deep page", "search:duplicates", "list", (S,), query="page=150"),
    Page("merge page", "search:merge", "detail", (S,), kwargs=_duplicate_pair),
    # The API (DESIGN.md §9, issue 22): every list at 100 per page (≤ 8 queries), a few details
    # (≤ 15 ms), signed in by session like the pages.
    *(
        Page(
            f"api {label}: 100",
            name,
            "list",
            roles,
            query="page_size=100",
            max_queries=benchmark.API_LIST_QUERIES,
        )
        for label, name, roles in API_LISTS
    ),
    Page(
        "api customers: 100, filtered",
        "api:customer-list",
        "list",
        ALL,
        query="page_size=100&name=华",
        max_queries=benchmark.API_LIST_QUERIES,
    ),
    Page(
        "api customers: 100, two fields",
        "api:customer-list",
        "list",
        ALL,
        query="page_size=100&fields=number,name",
        max_queries=benchmark.API_LIST_QUERIES,
    ),
    *(
        Page(
            f"api {label}: detail",
            name,
            "detail",
            roles,
            kwargs=kwargs,
            budget_ms=benchmark.API_DETAIL_MS,
        )
        for label, name, roles, kwargs in API_DETAILS
    ),
    Page(
        "customers export: csv",
        "sales:customer-export",
        "export",
        (M,),
        query="format=csv&name=华信",
    ),
    Page(
        "customers export: xlsx",
        "sales:customer-export",
        "export",
        (M,),
        query="format=xlsx&name=华信",
    ),
    # The administration pages of this round (audit log, login attempts, stages) and the
    # personal settings pages (API tokens, task settings).
    Page("audit log", "audit:log", "list", (A,)),
    Page("login attempts", "accounts:login-attempt-list", "list", (A,)),
    Page("pipeline stages", "marketing:stage-list", "list", (A,)),
    Page("api tokens", "api:tokens", "list", (M,)),
    Page("task settings", "tasks:settings", "detail", (M,)),
    # A record's attachments panel (the htmx fragment the customer page loads): ≤ 12 queries.
    Page(
        "customer: attachments panel",
        "documents:panel",
        "list",
        ALL,
        kwargs=_customer_with_attachments,
        headers={"HX-Request": "true"},
    ),
]


class Command(BaseCommand):
    help = "Benchmark every page against the budgets of DESIGN.md §9."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
        parser.add_argument("--output", default="bench-results", help="Folder for the results.")
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")
        parser.add_argument("--skip-load", action="store_true", help="Skip the gunicorn load run.")
        parser.add_argument("--load-seconds", type=float, default=30)
        parser.add_argument("--load-connections", type=int, default=16)
        parser.add_argument("--part", default="", help=argparse.SUPPRESS)
        parser.add_argument(
            "--compare",
            default="",
            help="An earlier run's bench.json (scale 1): fail list and detail pages over 1.2 × it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["part"] == "export-xlsx":
            self.stdout.write(json.dumps(_export_in_this_process()))
            return
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("The benchmark runs on PostgreSQL or SQLite (set DATABASE_URL).")
        if Customer.objects.count() < 1000:
            raise CommandError("No volume data: run `manage.py seed_volume` first.")
        users = _bench_users()
        result = Result(
            started=timezone.localtime().isoformat(timespec="seconds"),
            database=_database_name(),
            counts=_counts(),
        )
        pages = [page for page in PAGES if options["only"] in page.label]
        self.stdout.write(
            f"{'page':<40} {'role':<11} {'CPU median':>15} {'wall median':>16} queries"
        )
        with override_settings(ROOT_URLCONF="devtools.urls"):
            result.pages = benchmark.run_pages(pages, users, options["repeat"], self.stdout.write)
        if options["compare"]:
            earlier = json.loads(Path(options["compare"]).read_text(encoding="utf-8"))
            benchmark.compare(result.pages, earlier)
        checks: list[tuple[str, Callable[[dict[str, User]], Check]]] = [
            ("contribution report, one year", _contribution_year),
            ("executive dashboard, cache cleared", _cold_dashboard),
            ("export of 100,000 customers", lambda users: _export_check()),
            ("board card move", _card_move),
            ("import of 10,000 customers (XLSX)", _import_10k),
            ("duplicate check on create", _duplicate_check),
            ("task reminder tick, 10,000 due", _reminder_tick),
        ]
        # With --only, the checks whose name contains it run too (`--only task`: the tick).
        result.checks = [
            self._timed(name, check, users)
            for name, check in checks
            if not options["only"] or options["only"] in name
        ]
        for check in result.checks:
            self.stdout.write(f"{check.name}: {check.figures} {check.failures or 'ok'}")
        if not options["only"] and not options["skip_load"]:
            result.load = _load(
                users, seconds=options["load_seconds"], connections=options["load_connections"]
            )
            for run in result.load:
                self.stdout.write(f"load {run['label']}: {run}")
        folder = Path(options["output"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bench.json").write_text(result.as_json(), encoding="utf-8")
        (folder / "bench.md").write_text(result.as_markdown(), encoding="utf-8")
        self.stdout.write(f"Results in {folder}/bench.md and bench.json")
        if result.failures:
            for failure in result.failures:
                self.stderr.write(f"Budget missed: {failure}")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("All budgets met."))

    def _timed(
        self, name: str, run: Callable[[dict[str, User]], Check], users: dict[str, User]
    ) -> Check:
        self.stdout.write(f"{name} …")
        return run(users)


def _database_name() -> str:
    """PostgreSQL (the budgets' database) or SQLite (the embedded default: DESIGN.md §9 wants
    every page there within 2× of its PostgreSQL time, measured with the same pages)."""
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}"


def _bench_users() -> dict[str, User]:
    users = {}
    for key, (username, slug) in BENCH_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, role=Role.objects.get(slug=slug), first_name=key
            )
        users[key] = user
    return users


def _counts() -> dict[str, int]:
    from marketing.models import SalesChance
    from sales.models import Activity, Contact, Order, OrderLine
    from service.models import ServiceRequest
    from tasks.models import Task

    return {
        "customers": Customer.objects.count(),
        "contacts": Contact.objects.count(),
        "orders": Order.objects.count(),
        "order lines": OrderLine.objects.count(),
        "opportunities": SalesChance.objects.count(),
        "tickets": ServiceRequest.objects.count(),
        "interactions": Activity.objects.count(),
        "tasks": Task.objects.count(),
    }


def _contribution_year(users: dict[str, User]) -> Check:
    """The report for last year as the executive (every customer), judged on CPU time."""
    name = "contribution report, one year"
    if "contribution" not in REPORTS:
        return Check(name, {}, ["the contribution report is not registered"])
    year = str(timezone.localdate().year - 1)
    cpu, wall, clock = [], [], benchmark.CpuClock()
    for _ in range(3):
        started, started_cpu = time.perf_counter(), sum(clock.read())
        build_report("contribution", user=users["executive"], params={"year": year})
        cpu.append(sum(clock.read()) - started_cpu)
        wall.append((time.perf_counter() - started) * 1000)
    median = round(sorted(cpu)[1], 1)
    failures = (
        [f"CPU {median} ms > {benchmark.CONTRIBUTION_YEAR_MS} ms"]
        if median > benchmark.CONTRIBUTION_YEAR_MS
        else []
    )
    return Check(name, {"median_ms": median, "wall_median_ms": round(sorted(wall)[1], 1)}, failures)


DUPLICATE_CHECK_MS = 20


def _duplicate_check(users: dict[str, User]) -> Check:
    """The check the new-customer form runs before creating: an existing customer's name and
    phone, as the manager (DESIGN.md §9: ≤ 20 ms)."""
    from sales.selectors import similar_customers

    existing = Customer.objects.exclude(phone="").order_by("pk").first()
    if existing is None:
        return Check("duplicate check on create", {}, ["no customer with a phone"])
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        similar_customers(user=users["manager"], name=existing.name, phone=existing.phone)
        timings.append((time.perf_counter() - started) * 1000)
    median = round(sorted(timings)[3], 1)
    failures = [f"{median} ms > {DUPLICATE_CHECK_MS} ms"] if median > DUPLICATE_CHECK_MS else []
    return Check("duplicate check on create", {"median_ms": median}, failures)


def _cold_dashboard(users: dict[str, User]) -> Check:
    """The executive's charts are cached for five minutes; the page list measures the cached
    page, this the first view after the cache has expired (judged on CPU time)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(users["executive"])
    cpu, wall, clock = [], [], benchmark.CpuClock()
    for _ in range(3):
        cache.clear()
        started, started_cpu = time.perf_counter(), sum(clock.read())
        status = client.get(reverse("home")).status_code
        cpu.append(sum(clock.read()) - started_cpu)
        wall.append((time.perf_counter() - started) * 1000)
    median = round(sorted(cpu)[1], 1)
    failures = [f"status {status}"] if status != 200 else []
    if median > benchmark.REPORT_MS:
        failures.append(f"CPU {median} ms > {benchmark.REPORT_MS} ms")
    figures = {"median_ms": median, "wall_median_ms": round(sorted(wall)[1], 1)}
    return Check("executive dashboard, cache cleared", figures, failures)


def _card_move(users: dict[str, User]) -> Check:
    """A card moved to the next stage through the board's endpoint, as the supervisor; each move
    is rolled back, so the data set stays as seeded."""
    from django.test import Client

    from marketing.models import SalesChance, Stage

    stages = list(Stage.objects.filter(is_active=True).order_by("order", "id"))
    chance = SalesChance.objects.filter(status=2, stage=stages[0]).order_by("-id").first()
    failures: list[str] = []
    if chance is None or len(stages) < 2:
        return Check("board card move", {}, ["no developing opportunity in the first stage"])
    client = Client()
    client.force_login(users["supervisor"])
    url = reverse("marketing:board-move", args=[chance.pk])
    timings, statuses, clock = [], set(), benchmark.CpuClock()
    for _ in range(11):
        with transaction.atomic():
            started = sum(clock.read())
            answer = client.post(url, {"to": stages[1].pk}, headers={"HX-Request": "true"})
            timings.append(sum(clock.read()) - started)
            statuses.add(answer.status_code)
            transaction.set_rollback(True)
    median = round(sorted(timings)[len(timings) // 2], 1)
    if statuses != {200}:
        failures.append(f"status {sorted(statuses)}")
    if median > benchmark.CARD_MOVE_MS:
        failures.append(f"CPU median {median} ms > {benchmark.CARD_MOVE_MS} ms")
    return Check("board card move", {"median_ms": median}, failures)


# The 100,000-row export, in a child process so that its peak memory is its own. --------------


def _export_check() -> Check:
    name = "XLSX export of 100,000 customers"
    child = subprocess.run(
        [sys.executable, "manage.py", "bench", "--part", "export-xlsx"],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    if child.returncode:
        return Check(name, {}, [f"failed: {child.stderr.strip()[-300:]}"])
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    failures = []
    if figures["rows"] < 100_000:
        failures.append(f"only {figures['rows']} rows exported")
    if figures["seconds"] > benchmark.EXPORT_100K_SECONDS:
        failures.append(f"{figures['seconds']} s > {benchmark.EXPORT_100K_SECONDS} s")
    if figures["peak_mb"] > benchmark.EXPORT_100K_MB:
        failures.append(f"peak {figures['peak_mb']} MB > {benchmark.EXPORT_100K_MB} MB")
    return Check(name, figures, failures)


def _export_in_this_process() -> dict[str, float]:
    """All customers as the supervisor sees them, written by the background export's code."""
    import tempfile

    from core.exports import write_export
    from sales.exports import CustomerExporter

    exporter = CustomerExporter(_bench_users()["supervisor"], {})
    started = time.perf_counter()
    with tempfile.TemporaryFile() as spool:
        rows = write_export(exporter, "xlsx", spool, lambda done: None)
        size_mb = spool.tell() / 1024 / 1024
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
        "file_mb": round(size_mb, 1),
    }


# Import of 10,000 customers, rolled back so the data set stays as it was. --------------------


class _Rollback(Exception):  # noqa: N818
    pass


def _tidy(*tables: str) -> None:
    """After a rolled-back bulk write, each table it wrote: on PostgreSQL the rows are dead
    tuples that autovacuum would leave for a while (10 % of the table is under its threshold),
    and the next run would measure tables that no index-only scan can use; SQLite has nothing
    to reclaim, its statistics are read again."""
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


def _written_by_customer_import() -> list[str]:
    """The tables an import of customers writes: customers and contacts with their history
    rows, and the duplicate keys' counts."""
    from sales.models import Contact, DuplicateKey

    models = (Customer, Contact)
    return [model._meta.db_table for model in models] + [
        *(model.history.model._meta.db_table for model in models),
        DuplicateKey._meta.db_table,
    ]


def _import_10k(users: dict[str, User]) -> Check:
    from openpyxl import Workbook

    from core.imports import IMPORTERS, check_file, commit_file, get_importer, template_rows

    name = "import of 10,000 customers (XLSX)"
    if "customers" not in IMPORTERS:
        return Check(name, {}, ["no customer importer is registered"])
    importer_class = get_importer("customers")
    headers, examples = template_rows(importer_class)
    example = list(next(iter(examples)))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    keys = [column.key for column in importer_class.columns]
    example[keys.index("manager")] = users["manager"].username  # a manager of the volume data
    for index in range(10_000):
        row = list(example)
        row[keys.index("name")] = f"导入测试客户{index:05d}"
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    started, started_cpu = time.perf_counter(), time.process_time()
    written = 0
    errors = 0
    try:
        with transaction.atomic():
            buffer.seek(0)
            check = check_file(importer_class(users["admin"]), buffer, "bench.xlsx")
            errors = len(check.errors)
            buffer.seek(0)
            _result, written = commit_file(importer_class(users["admin"]), buffer, "bench.xlsx")
            raise _Rollback
    except _Rollback:
        pass
    seconds = round(time.perf_counter() - started, 1)
    cpu_seconds = round(time.process_time() - started_cpu, 1)
    _tidy(*_written_by_customer_import())
    failures = []
    if errors or written != 10_000:
        failures.append(f"{errors} errors, {written} rows written")
    if seconds > benchmark.IMPORT_10K_SECONDS:
        failures.append(f"{seconds} s > {benchmark.IMPORT_10K_SECONDS} s")
    if cpu_seconds > benchmark.IMPORT_10K_CPU_SECONDS:
        failures.append(f"CPU {cpu_seconds} s > {benchmark.IMPORT_10K_CPU_SECONDS} s")
    figures = {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": written}
    return Check(name, figures, failures)


# The reminder tick: 10,000 reminders due at once, rolled back. ------------------------------------

REMINDER_TICK_SECONDS = 30
REMINDERS = 10_000


def _reminder_tick(users: dict[str, User]) -> Check:
    """10,000 reminders due at once (spread over the volume managers): one tick notifies each
    owner and queues each e-mail in the outbox exactly once within 30 s, a second tick sends
    none. Rolled back afterwards."""
    from jobs.models import OutboxMail
    from tasks.models import Task
    from tasks.services import send_task_reminders

    name = "task reminder tick, 10,000 due"
    owners = list(
        User.objects.filter(username__startswith="vol_manager").values_list("pk", flat=True)
    )
    now = timezone.now()
    figures: dict[str, Any] = {}
    try:
        with (
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
            ),
            transaction.atomic(),
        ):
            Task.objects.bulk_create(
                Task(
                    title=f"提醒{index}",
                    owner_id=owners[index % len(owners)],
                    creator_id=owners[index % len(owners)],
                    due_at=now + datetime.timedelta(minutes=10),
                    remind_before=datetime.timedelta(minutes=30),
                    remind_at=now - datetime.timedelta(minutes=20),
                )
                for index in range(REMINDERS)
            )
            started, cpu = time.perf_counter(), time.process_time()
            sent = send_task_reminders(now=now)
            seconds = round(time.perf_counter() - started, 1)
            cpu_seconds = round(time.process_time() - cpu, 1)
            again = send_task_reminders(now=now)
            figures = {
                "seconds": seconds,
                "CPU seconds": cpu_seconds,
                "sent": sent,
                "sent again": again,
                "e-mails queued": OutboxMail.objects.filter(purpose="task-reminder").count(),
            }
            raise _Rollback
    except _Rollback:
        pass
    failures = []
    if figures["sent"] < REMINDERS:
        failures.append(f"only {figures['sent']} of {REMINDERS} reminders sent")
    if figures["sent again"]:
        failures.append(f"a second tick sent {figures['sent again']} again")
    if figures["seconds"] > REMINDER_TICK_SECONDS:
        failures.append(f"{figures['seconds']} s > {REMINDER_TICK_SECONDS} s")
    return Check(name, figures, failures)


# Load: gunicorn with two workers on 127.0.0.1. ------------------------------------------------

LOAD_PAGES = (("manager", "customer list", "sales:customer-list"),)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(datetime.timedelta(hours=1))
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _load(users: dict[str, User], *, seconds: float, connections: int) -> list[dict[str, Any]]:
    port = _free_port()
    environment = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    environment.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    server = subprocess.Popen(  # noqa: S603 - gunicorn from our own environment
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=environment,
    )
    runs = []
    try:
        _wait_for(port)
        for role, label, url_name in _load_pages():
            cookie = _session_cookie(users[role])
            run = benchmark.run_load(
                host="127.0.0.1",
                port=port,
                cookie=cookie,
                paths=[reverse(url_name)],
                connections=connections,
                seconds=seconds,
            )
            runs.append({"label": f"{label} ({role}, {connections} connections)", **run})
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return runs


def _load_pages() -> list[tuple[str, str, str]]:
    pages = list(LOAD_PAGES)
    if "contribution" in REPORTS:
        pages.append(("executive", "contribution report", REPORTS["contribution"].url_name))
    return pages


# Quotes ------------------------------------------------------------------------------------------

PDF_LINES = 20  # the budget's quote: 20 lines on its PDF (≤ 300 ms)


def _quote(user: User) -> dict[str, Any]:
    from marketing.permissions import visible_quotes

    return {"pk": _first(visible_quotes(user))}


def _quote_of_20_lines(user: User) -> dict[str, Any]:
    """A quote of the user's biggest customer with PDF_LINES lines, written when missing."""
    from inventory.models import Product
    from marketing.models import Quote
    from marketing.services import quote_create

    customer = _biggest_customer(user)
    found = (
        Quote.objects.filter(customer=customer, terms="bench").values_list("pk", flat=True).first()
    )
    if found is None:
        products = list(Product.objects.exclude(price=None).order_by("id")[:PDF_LINES])
        found = quote_create(
            actor=user,
            customer=customer,
            lines=[
                {"product": product, "quantity": index + 1, "discount": Decimal(index % 10)}
                for index, product in enumerate(products)
            ],
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            terms="bench",
        ).pk
    return {"pk": found}


PAGES += [
    Page("quotes: list", "marketing:quote-list", "list", ALL),
    Page("quotes: filtered", "marketing:quote-list", "list", ALL, query="status=4&o=-amount"),
    Page("quotes: deep page", "marketing:quote-list", "list", ALL, query="page=400"),
    Page("quote: detail", "marketing:quote-detail", "detail", ALL, kwargs=_quote),
    Page("quote: 20 lines", "marketing:quote-detail", "detail", (M, S), kwargs=_quote_of_20_lines),
    Page(
        "quote: 20-line PDF",
        "marketing:quote-pdf",
        "report",
        (M, S),
        kwargs=_quote_of_20_lines,
        budget_ms=benchmark.REPORT_MS,
    ),
    Page("api quotes: detail", "api:quote-detail", "detail", ALL, kwargs=_quote,
         budget_ms=benchmark.API_DETAIL_MS),
]  # fmt: skip


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError("gunicorn did not start within 30 seconds.")


# Campaigns (issue 23.1): the list (plain, filtered, sorted by cost, a deep page), a campaign's
# page, the campaign report's exports (its page joins PAGES through REPORTS, ≤ 300 ms).
def _campaign(user: User) -> dict[str, Any]:
    from marketing.selectors import campaign_list

    return {"pk": _first(campaign_list(user).filter(chances__isnull=False))}


REPORT_QUERIES["campaign"] = f"year={timezone.localdate().year - 1}"
PAGES += [
    Page("campaigns: list", "marketing:campaign-list", "list", ALL),
    Page("campaigns: filtered", "marketing:campaign-list", "list", ALL, query="status=4&kind="),
    Page("campaigns: sorted by cost", "marketing:campaign-list", "list", ALL, query="o=-cost"),
    Page("campaigns: deep page", "marketing:campaign-list", "list", ALL, query="page=20"),
    Page("campaign: detail", "marketing:campaign-detail", "detail", ALL, kwargs=_campaign),
    *(
        Page(
            f"report campaign: {fmt}",
            "reports:export",
            "export",
            (E,),
            kwargs=functools.partial(_export_kwargs, slug="campaign", fmt=fmt),
            query=REPORT_QUERIES["campaign"],
        )
        for fmt in ("xlsx", "pdf", "csv")
    ),
]
