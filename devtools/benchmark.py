"""The benchmark behind `make bench`: every page, per role, against the volume data set.

Pages are requested through Django's full middleware stack (the test client, logged in as a
user of each role); each is measured `repeat` times after one warm-up request. The budgets are
judged on the CPU time of each request, which a busy machine does not inflate the way it
inflates wall time: this process's (`time.process_time`) plus the database server's for this
connection (`DatabaseClock`), so that a page whose SQL takes half a second cannot pass on a
cheap Python side. Wall time is reported beside it. Each page is also shown as a multiple of
the empty app-shell page measured in the same run (`SHELL`), on this process's CPU time (the
render cost). `Result.failures` names every page that misses a budget.
"""

import json
import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User

Kind = Literal["list", "detail", "report", "dashboard", "export", "floor", "search"]

# DESIGN.md §9.
MAX_QUERIES = 12  # list and detail pages
PAGE_MEDIAN_MS = 30  # CPU time
PAGE_P95_MS = 80
REPORT_MS = 300  # reports and dashboards (median CPU time)
CONTRIBUTION_YEAR_MS = 150  # CPU time, at scale 2 (the reports read the monthly summaries)
BOARD_MS = 60  # the pipeline board's first render (median CPU time; ≤ 12 queries like a page)
CARD_MOVE_MS = 30
CALENDAR_MS = 30  # the calendar month of a rep with CALENDAR_TASKS tasks (median CPU time)
CALENDAR_TASKS = 2000
EXPORT_100K_SECONDS = 15
EXPORT_100K_MB = 300
IMPORT_10K_SECONDS = 20  # wall time on an idle machine
IMPORT_10K_CPU_SECONDS = 10
SEARCH_MS = 50  # global search: median CPU time
SEARCH_QUERIES = 6
API_LIST_QUERIES = 8  # an API list at 100 per page (median CPU: PAGE_MEDIAN_MS)
API_DETAIL_MS = 15


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    kind: Kind
    roles: tuple[str, ...]
    kwargs: Callable[[User], dict[str, Any]] | None = None
    query: str | Callable[[User], str] = ""
    budget_ms: float | None = None  # a page's own median budget (the contribution report)
    headers: dict[str, str] = field(default_factory=dict)  # e.g. HX-Request: an htmx fragment
    max_queries: int | None = None  # a page's own query budget (API lists: 8)

    def url(self, user: User) -> str:
        query = self.query(user) if callable(self.query) else self.query
        return reverse(self.url_name, kwargs=self.kwargs(user) if self.kwargs else None) + (
            f"?{query}" if query else ""
        )


@dataclass
class Measurement:
    page: str
    role: str
    kind: Kind
    url: str
    status: int
    queries: int
    median_ms: float  # CPU time of the request in this process: what the budgets judge
    p95_ms: float
    wall_median_ms: float
    wall_p95_ms: float
    size_bytes: int
    app_median_ms: float = 0  # this process's CPU time alone
    db_median_ms: float = 0  # the database server's CPU time for the request
    shell_multiple: float | None = None  # this process's CPU median ÷ the app-shell page's
    # CPU median ÷ the same page's in an earlier run (`bench --compare`: scale 2 ÷ scale 1)
    compared: float | None = None
    failures: list[str] = field(default_factory=list)


SCALE_RATIO = 1.2  # DESIGN §9: every list and detail page at twice the data ≤ 1.2 × its time
COMPARED_KINDS = ("list", "detail")


def compare(pages: list[Measurement], earlier: dict[str, Any]) -> None:
    """Set each list and detail page's ratio to the same page and role of an earlier run (its
    `bench.json`), and fail the pages whose CPU median grew by more than `SCALE_RATIO`. The
    ratio is taken of medians of at least 1 ms either way, so that noise at the floor does not
    decide."""
    before = {(row["page"], row["role"]): row["median_ms"] for row in earlier.get("pages", [])}
    for measurement in pages:
        old = before.get((measurement.page, measurement.role))
        if measurement.kind not in COMPARED_KINDS or not old:
            continue
        measurement.compared = round(max(measurement.median_ms, 1) / max(old, 1), 2)
        if measurement.compared > SCALE_RATIO:
            measurement.failures.append(
                f"{measurement.compared:.2f} × the earlier run's {old} ms > {SCALE_RATIO} ×"
            )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class QueryCounter:
    """Counts the SQL statements run while installed with `connection.execute_wrapper`."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.count += 1
        return execute(sql, *args)


def _fetch(client: Client, url: str, headers: dict[str, str] | None = None) -> tuple[int, int]:
    response = client.get(url, headers=headers)
    if getattr(response, "streaming", False):
        chunks: Iterable[bytes] = response.streaming_content  # type: ignore[attr-defined]
        size = sum(len(chunk) for chunk in chunks)
    else:
        size = len(response.content)
    return response.status_code, size


class DatabaseClock:
    """The CPU time the database server spends for this process's connection, in ms, where
    it runs on this machine: PostgreSQL's backend process (`/proc/<pid>/schedstat`, in
    nanoseconds) plus the parallel query workers it starts, which the server's main process
    collects when they end (its children's CPU time in `/proc/<pid>/stat`, in clock ticks of
    10 ms: a page's workers show as a whole number of ticks per request, so a median over
    repeated requests is close for pages whose workers work tens of ms and undercounts
    smaller amounts). Zero where the server cannot be read (a server elsewhere; SQLite, whose
    work is this process's own)."""

    TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")

    def __init__(self) -> None:
        self.backend: Path | None = None
        self.server: Path | None = None
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        proc = Path(f"/proc/{pid}")
        try:
            if (proc / "comm").read_text().startswith("postgres"):
                self.backend = proc / "schedstat"
                parent = Path(f"/proc/{_stat_fields(proc / 'stat')[3]}")
                if (parent / "comm").read_text().startswith("postgres"):
                    self.server = parent / "stat"
                self.ms()
        except OSError:
            self.backend = self.server = None

    @property
    def path(self) -> Path | None:
        return self.backend

    def ms(self) -> float:
        if self.backend is None:
            return 0.0
        spent = int(self.backend.read_text().split()[0]) / 1e6
        if self.server is not None:  # the children it has collected: cutime + cstime
            fields = _stat_fields(self.server)
            spent += (int(fields[15]) + int(fields[16])) * self.TICK_MS
        return spent


def _stat_fields(path: Path) -> list[str]:
    """The fields of `/proc/<pid>/stat` (the command name in parentheses may hold spaces)."""
    text = path.read_text()
    head, _, tail = text.rpartition(")")
    return [head.split(" (", 1)[0], head.split(" (", 1)[1], *tail.split()]


class CpuClock:
    """This process's CPU time plus the database server's for it (`DatabaseClock`), in ms."""

    def __init__(self) -> None:
        self.database = DatabaseClock()

    def read(self) -> tuple[float, float]:
        return time.process_time() * 1000, self.database.ms()


def measure(page: Page, role: str, user: User, repeat: int) -> Measurement:
    client = Client()
    client.force_login(user)
    url = page.url(user)
    _fetch(client, url, page.headers)  # warm-up: caches, prepared plans, lazy imports
    clock = CpuClock()  # after the warm-up: its connection is the one the requests use
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        status, size = _fetch(client, url, page.headers)
    app, database, wall = [], [], []
    for _ in range(repeat):
        started, (app_start, db_start) = time.perf_counter(), clock.read()
        _fetch(client, url, page.headers)
        app_end, db_end = clock.read()
        app.append(app_end - app_start)
        database.append(db_end - db_start)
        wall.append((time.perf_counter() - started) * 1000)
    cpu = [a + d for a, d in zip(app, database, strict=True)]
    result = Measurement(
        page=page.label,
        role=role,
        kind=page.kind,
        url=url,
        status=status,
        queries=counter.count,
        median_ms=round(statistics.median(cpu), 1),
        p95_ms=round(percentile(cpu, 0.95), 1),
        wall_median_ms=round(statistics.median(wall), 1),
        wall_p95_ms=round(percentile(wall, 0.95), 1),
        size_bytes=size,
        app_median_ms=round(statistics.median(app), 1),
        db_median_ms=round(statistics.median(database), 1),
    )
    result.failures = budget_failures(result, page.budget_ms, page.max_queries)
    return result


def budget_failures(
    result: Measurement, budget_ms: float | None = None, max_queries: int | None = None
) -> list[str]:
    failures = []
    report_ms = budget_ms or REPORT_MS
    if result.status != 200:
        failures.append(f"answered {result.status}")
    if result.kind in ("list", "detail"):
        query_budget = max_queries or MAX_QUERIES
        if result.queries > query_budget:
            failures.append(f"{result.queries} queries > {query_budget}")
        page_ms = budget_ms or PAGE_MEDIAN_MS
        if result.median_ms > page_ms:
            failures.append(f"CPU median {result.median_ms} ms > {page_ms:g} ms")
        # A page with a larger median budget (the board, the calendar's cap) has its p95
        # budget in the same proportion.
        p95_ms = max(PAGE_P95_MS, PAGE_P95_MS * page_ms / PAGE_MEDIAN_MS)
        if result.p95_ms > p95_ms:
            failures.append(f"CPU p95 {result.p95_ms} ms > {p95_ms:g} ms")
    elif result.kind == "search":
        if result.queries > SEARCH_QUERIES:
            failures.append(f"{result.queries} queries > {SEARCH_QUERIES}")
        if result.median_ms > SEARCH_MS:
            failures.append(f"CPU median {result.median_ms} ms > {SEARCH_MS} ms")
    elif result.kind in ("report", "dashboard") and result.median_ms > report_ms:
        failures.append(f"CPU median {result.median_ms} ms > {report_ms:g} ms")
    elif result.kind == "export" and result.median_ms > EXPORT_100K_SECONDS * 1000:
        failures.append(f"CPU median {result.median_ms} ms > {EXPORT_100K_SECONDS} s")
    return failures


@dataclass
class Check:
    """A single timed operation outside the page loop (report build, big export, import)."""

    name: str
    figures: dict[str, float]
    failures: list[str] = field(default_factory=list)


@dataclass
class Result:
    started: str
    database: str
    counts: dict[str, int]
    pages: list[Measurement] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    load: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        found = [f"{m.page} as {m.role}: {', '.join(m.failures)}" for m in self.pages if m.failures]
        found += [f"{c.name}: {', '.join(c.failures)}" for c in self.checks if c.failures]
        found += [
            f"load {run['label']}: {', '.join(run['failures'])}"
            for run in self.load
            if run["failures"]
        ]
        return found

    def as_json(self) -> str:
        data = asdict(self)
        data["failures"] = self.failures
        return json.dumps(data, indent=2, ensure_ascii=False)

    def as_markdown(self) -> str:
        lines = [
            f"# Benchmark {self.started}",
            "",
            f"Database: {self.database}; "
            + ", ".join(f"{name} {count:,}" for name, count in self.counts.items()),
            "",
            "Times in ms; budgets are judged on CPU time (this process's plus the database "
            "server's for the request: app and DB); × shell is the app's CPU median as a "
            "multiple of the empty app-shell page's; × earlier the CPU median as a multiple of "
            "the same page's in the run given to `--compare` (e.g. scale 2 ÷ scale 1).",
            "",
            "| page | role | kind | CPU median | app | DB | CPU p95 | wall median | wall p95 "
            "| × shell | × earlier | queries | size KB | status |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        lines += [
            f"| {m.page} | {m.role} | {m.kind} | {m.median_ms} | {m.app_median_ms} | "
            f"{m.db_median_ms} | {m.p95_ms} | {m.wall_median_ms} | {m.wall_p95_ms} | "
            f"{'' if m.shell_multiple is None else f'{m.shell_multiple:.2f}'} | "
            f"{'' if m.compared is None else f'{m.compared:.2f}'} | {m.queries} | "
            f"{m.size_bytes / 1024:.1f} | {'; '.join(m.failures) or 'ok'} |"
            for m in self.pages
        ]
        if self.checks:
            lines += ["", "| check | figures | status |", "|---|---|---|"]
            lines += [
                f"| {c.name} | {_figures(c.figures)} | {'; '.join(c.failures) or 'ok'} |"
                for c in self.checks
            ]
        if self.load:
            lines += [
                "",
                "| load | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | status |",
                "|---|---:|---:|---:|---:|---:|---:|---|",
            ]
            lines += [
                f"| {run['label']} | {run['requests']} | {run['per_second']} | {run['p50_ms']} | "
                f"{run['p95_ms']} | {run['p99_ms']} | {run['non_2xx']} | "
                f"{'; '.join(run['failures']) or 'ok'} |"
                for run in self.load
            ]
        failures = self.failures
        lines += ["", f"**{len(failures)} budget(s) missed.**" if failures else "All budgets met."]
        lines += [f"- {failure}" for failure in failures]
        return "\n".join(lines) + "\n"


def _figures(figures: dict[str, float]) -> str:
    return ", ".join(f"{key} {value}" for key, value in figures.items())


# The floor every page stands on, measured in the same run: a bare authenticated request (a
# view that renders nothing) and an empty page in the app shell (menu, notifications, rights).
BARE = Page("floor: bare authenticated request", "bench-bare", "floor", ("manager",))
SHELL = Page("floor: empty app-shell page", "bench-shell", "floor", ("manager",))


def run_pages(
    pages: Iterable[Page], users: dict[str, User], repeat: int, log: Callable[[str], object]
) -> list[Measurement]:
    """Measure the floor pages first, then every page, each with its multiple of the shell."""
    results: list[Measurement] = []
    shell: dict[str, float] = {}
    for page in (BARE, SHELL, *pages):
        for role in page.roles if page.kind != "floor" else tuple(users):
            measurement = measure(page, role, users[role], repeat)
            if page is SHELL:
                shell[role] = measurement.app_median_ms
            elif page is not BARE and shell.get(role):
                measurement.shell_multiple = round(measurement.app_median_ms / shell[role], 2)
            log(
                f"{page.label:<40} {role:<11} {measurement.median_ms:>8} ms CPU "
                f"(DB {measurement.db_median_ms:>5}) "
                f"{measurement.wall_median_ms:>8} ms wall {measurement.queries:>3} q"
                + (f" {measurement.shell_multiple:>5}× shell" if measurement.shell_multiple else "")
                + (f"  ✗ {', '.join(measurement.failures)}" if measurement.failures else "")
            )
            results.append(measurement)
    return results


# Load: gunicorn with real worker processes, driven by a bounded pool of connections ----------


def run_load(
    *, host: str, port: int, cookie: str, paths: list[str], connections: int, seconds: float
) -> dict[str, Any]:
    """Keep `connections` clients busy on `paths` (round robin) for `seconds`; one request at
    a time per client, so the load is bounded and the latency is what a user would see."""
    import http.client
    import threading

    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Host": host})
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except OSError as error:
                with lock:
                    errors.append(str(error))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    non_2xx = sum(count for status, count in statuses.items() if not 200 <= status < 300)
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / duration, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1) if latencies else 0,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else 0,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else 0,
        "non_2xx": non_2xx + len(errors),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "errors": errors[:5],
        "failures": [f"{non_2xx + len(errors)} non-2xx answers"] if non_2xx or errors else [],
    }
