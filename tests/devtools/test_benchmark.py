"""The benchmark harness measures what it claims (the benchmark itself is not a test)."""

import pytest

from devtools import benchmark
from devtools.benchmark import Measurement, Page, Result
from tests.factories.sales import CustomerFactory


def test_percentile_picks_the_nearest_rank() -> None:
    values = [float(value) for value in range(1, 101)]
    assert benchmark.percentile(values, 0.5) == 51
    assert benchmark.percentile(values, 0.95) == 95
    assert benchmark.percentile([7.0], 0.95) == 7


def test_measure_counts_queries_and_sizes_through_the_middleware(manager) -> None:
    CustomerFactory.create_batch(3, manager=manager)
    page = Page("customers: list", "sales:customer-list", "list", ("manager",))

    result = benchmark.measure(page, "manager", manager, repeat=2)

    assert result.status == 200
    assert 3 <= result.queries <= benchmark.MAX_QUERIES
    assert result.size_bytes > 1000
    assert result.median_ms > 0
    assert result.wall_median_ms >= result.median_ms * 0.5  # wall time includes the CPU time
    assert result.median_ms >= result.app_median_ms > 0


@pytest.mark.django_db
def test_the_database_servers_cpu_time_is_counted_where_it_can_be_read() -> None:
    from django.db import connection

    clock = benchmark.DatabaseClock()
    if connection.vendor != "postgresql":  # SQLite's work is this process's own
        assert (clock.path, clock.ms()) == (None, 0)
        return
    assert clock.path is not None  # the server runs on this machine (CI's and the bench's)
    before = clock.ms()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")  # ~0.3 s of CPU
    assert clock.ms() - before > 50


@pytest.mark.django_db
def test_pages_are_reported_as_multiples_of_the_app_shell_measured_in_the_same_run(
    manager, settings
) -> None:
    settings.ROOT_URLCONF = "devtools.urls"
    CustomerFactory.create_batch(3, manager=manager)
    page = Page("customers: list", "sales:customer-list", "list", ("manager",))

    results = benchmark.run_pages([page], {"manager": manager}, repeat=3, log=lambda line: None)

    bare, shell, listed = results
    assert (bare.page, shell.page) == (benchmark.BARE.label, benchmark.SHELL.label)
    assert bare.status == shell.status == 200
    assert bare.size_bytes < shell.size_bytes < listed.size_bytes
    # The render cost: this process's CPU time, the database's left out.
    assert listed.shell_multiple == round(listed.app_median_ms / shell.app_median_ms, 2)
    assert bare.shell_multiple is None


def test_budgets_name_the_page_that_misses_them() -> None:
    slow = Measurement(
        "customers: list", "manager", "list", "/customers/", 200, 13, 45.0, 90.0, 20.0, 40.0, 1
    )
    report = Measurement(
        "loss report", "executive", "report", "/reports/loss/", 200, 40, 250, 400, 900, 900, 1
    )
    slow.failures = benchmark.budget_failures(slow)
    report.failures = benchmark.budget_failures(report)
    result = Result(started="now", database="test", counts={}, pages=[slow, report])

    assert slow.failures == [
        "13 queries > 12",
        "CPU median 45.0 ms > 30 ms",
        "CPU p95 90.0 ms > 80 ms",
    ]
    assert report.failures == []  # reports: 300 ms CPU median (wall is not judged), no query budget
    assert result.failures == [f"customers: list as manager: {', '.join(slow.failures)}"]
    assert "1 budget(s) missed" in result.as_markdown()


def test_a_page_with_its_own_budget_has_its_p95_budget_in_proportion() -> None:
    board = Measurement("pipeline board", "supervisor", "detail", "/", 200, 9, 55.0, 120.0, 1, 1, 1)
    capped = Measurement("calendar", "manager", "detail", "/", 200, 5, 70.0, 210.0, 1, 1, 1)

    assert benchmark.budget_failures(board, budget_ms=60) == []  # p95 budget: 160 ms
    assert benchmark.budget_failures(capped, budget_ms=75) == ["CPU p95 210.0 ms > 200 ms"]
    # A smaller budget keeps the p95 budget of every page.
    assert benchmark.budget_failures(board, budget_ms=15) == [
        "CPU median 55.0 ms > 15 ms",
        "CPU p95 120.0 ms > 80 ms",
    ]


@pytest.mark.django_db(transaction=True)  # the live server's thread sees committed rows only
def test_load_run_counts_answers_by_status(live_server, manager) -> None:
    from devtools.management.commands.bench import _session_cookie

    host, port = live_server.url.removeprefix("http://").split(":")
    run = benchmark.run_load(
        host=host,
        port=int(port),
        cookie=_session_cookie(manager),
        paths=["/customers/", "/no-such-page/"],
        connections=1,
        seconds=2,
    )

    assert run["errors"] == [], run
    assert run["requests"] >= 2, run
    assert run["statuses"].keys() == {"200", "404"}, run
    assert run["non_2xx"] == run["statuses"]["404"]
    assert run["failures"]


def test_every_benchmark_page_names_a_url_of_the_site() -> None:
    from django.urls import NoReverseMatch, reverse

    from devtools.management.commands.bench import PAGES

    unknown = []
    for page in PAGES:
        try:
            reverse(page.url_name)
        except NoReverseMatch as error:  # arguments missing is fine; an unknown name is not
            if "not a valid view function" in str(error) or "not a registered namespace" in str(
                error
            ):
                unknown.append(page.url_name)
    assert unknown == []


def test_every_api_list_is_benched_at_100_per_page_with_its_query_budget() -> None:
    from api.urls import router
    from devtools.benchmark import API_LIST_QUERIES
    from devtools.management.commands.bench import PAGES

    lists = {
        f"api:{pattern.name}"
        for pattern in router.urls
        if getattr(pattern.callback, "actions", {}).get("get") == "list"
        and getattr(pattern.callback.cls, "pagination_class", None) is not None
    }
    benched = {
        page.url_name
        for page in PAGES
        if page.query == "page_size=100" and page.max_queries == API_LIST_QUERIES
    }
    assert lists
    assert lists - benched == set()


def test_a_page_can_have_its_own_query_budget() -> None:
    result = Measurement("api", "manager", "list", "/api/", 200, 9, 1, 1, 1, 1, 10)
    assert benchmark.budget_failures(result, max_queries=8) == ["9 queries > 8"]
    assert benchmark.budget_failures(result) == []


def test_a_page_slower_than_its_earlier_run_by_more_than_the_ratio_fails() -> None:
    def page(label: str, kind: str, cpu: float) -> Measurement:
        return Measurement(label, "manager", kind, "/x/", 200, 5, cpu, cpu, cpu, cpu, 1)  # type: ignore[arg-type]

    grown, steady, report, new = (
        page("customers: list", "list", 26.0),
        page("customer: detail", "detail", 11.9),
        page("loss report", "report", 90.0),
        page("quotes: list", "list", 20.0),
    )
    earlier = {
        "pages": [
            {"page": "customers: list", "role": "manager", "median_ms": 20.0},
            {"page": "customer: detail", "role": "manager", "median_ms": 10.0},
            {"page": "loss report", "role": "manager", "median_ms": 30.0},
        ]
    }
    benchmark.compare([grown, steady, report, new], earlier)
    assert (grown.compared, steady.compared, report.compared, new.compared) == (
        1.3,
        1.19,
        None,
        None,
    )
    assert grown.failures == ["1.30 × the earlier run's 20.0 ms > 1.2 ×"]
    assert steady.failures == report.failures == new.failures == []
    result = Result(started="now", database="test", counts={}, pages=[grown])
    assert "| 1.30 |" in result.as_markdown()


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_the_bench_tidies_a_table_after_a_rolled_back_import_on_either_database() -> None:
    from django.db import connection

    from devtools.management.commands.bench import _tidy, _written_by_customer_import
    from sales.models import Customer
    from tests.factories.sales import ContactFactory

    ContactFactory()  # SQLite keeps statistics of tables that hold rows
    tables = _written_by_customer_import()
    assert {Customer._meta.db_table, "cst_linkman", "cst_duplicate_key"} <= set(tables)
    _tidy(*tables)  # VACUUM (ANALYZE) on PostgreSQL, ANALYZE on SQLite
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                    " FROM pg_stat_user_tables WHERE relname = %s",
                    [table],
                )
            else:
                cursor.execute("SELECT count(*) > 0 FROM sqlite_stat1 WHERE tbl = %s", [table])
            assert cursor.fetchone()[0], table
