"""The home page's DOMContentLoaded, cold cache, from localhost (issue 25; DESIGN.md §9: ≤ 300 ms).

Builds the tree as the image does (scripts/vendor.sh, collectstatic with the manifest storage),
starts gunicorn with DEBUG=0, then opens the home page of a signed-in customer manager N times in
Chromium, each time in a new browser context (empty cache, no cookies but the session), and reads
`performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`. Prints every run and
the median; exits 1 when the median is over the budget.

    .venv/bin/python scripts/measure-dcl.py                      # a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python scripts/measure-dcl.py --user vol_manager01 --runs 21   # volume data

With DATABASE_URL the database is used as it is (migrated, e.g. by `make bench`); without it a
SQLite file is migrated in a temporary directory. The user is created (a customer manager) when
missing; the session is written into the database, so no password is needed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.config.production import build_like_the_image, free_port, production_env  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BUDGET_MS = 300
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
READ_TIMING = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {dcl: n.domContentLoadedEventEnd, ttfb: n.responseStart, html: n.responseEnd,
          interactive: n.domInteractive,
          scripts: performance.getEntriesByType('resource')
            .filter(r => r.initiatorType === 'script').map(r => r.name.split('/').pop())};
}"""
SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import Role, User
user = User.objects.filter(username={username!r}).first()
if user is None:
    user = User.objects.create(username={username!r}, first_name="DCL",
                               role=Role.objects.get(slug="manager"))
    user.set_unusable_password()
    user.save()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "accounts.backends.RoleBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def measure(site: str, session_key: str, runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _run in range(runs):
                context = browser.new_context(locale="zh-CN")  # cold: an empty cache
                context.add_cookies([{"name": "sessionid", "value": session_key, "url": site}])
                page = context.new_page()
                response = page.goto(f"{site}/", wait_until="load")
                if response is None or not response.ok or "/accounts/login/" in page.url:
                    raise SystemExit(f"the home page did not open signed in: {page.url}")
                figures.append(page.evaluate(READ_TIMING))
                context.close()
        finally:
            browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="measured page loads (cold each)")
    parser.add_argument("--user", default="dcl_manager", help="the customer manager signed in")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    options = parser.parse_args()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="crm-dcl-") as name:
        tmp = Path(name)
        app = build_like_the_image(tmp / "app")
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'dcl.sqlite3'}"
        port = free_port()
        env = production_env(
            tmp,
            PYTHONPATH=str(app),
            DATABASE_URL=database_url,
            STATICFILES_STORAGE=MANIFEST,
            ALLOWED_HOSTS="127.0.0.1",
        )

        def manage(*args: str) -> str:
            done = subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *args],
                cwd=app,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

        try:
            if database_url.startswith("sqlite"):
                manage("migrate", "--no-input", "-v", "0")
            manage("collectstatic", "--no-input", "-v", "0")
            session_key = manage("shell", "-c", SESSION.format(username=options.user))
            processes.append(
                subprocess.Popen(  # noqa: S603 - gunicorn from this environment
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(options.workers),
                    ],
                    cwd=app,
                    env=env,
                    stdout=(tmp / "web.log").open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )
            site = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while not _up(f"{site}/health/"):
                if time.monotonic() > deadline or processes[0].poll() is not None:
                    print((tmp / "web.log").read_text(), file=sys.stderr)
                    return 2
                time.sleep(0.3)
            # One load per worker first, not counted: lazy imports and the first queries.
            warm = measure(site, session_key, options.workers)
            figures = measure(site, session_key, options.runs)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=20)
    print(f"scripts loaded by the home page: {figures[0]['scripts']}")
    print(f"warm-up (not counted): {[round(run['dcl']) for run in warm]} ms")
    steps = (
        ("response start (TTFB)", "ttfb"),
        ("HTML received", "html"),
        ("DOM interactive", "interactive"),
        ("DOMContentLoaded", "dcl"),
    )
    for label, key in steps:
        values = [float(run[key]) for run in figures]
        print(
            f"{label:>22}: median {statistics.median(values):7.1f} ms  {[round(v) for v in values]}"
        )
    median = statistics.median(float(run["dcl"]) for run in figures)
    print(
        f"home page DOMContentLoaded, {len(figures)} cold loads: median {median:.1f} ms "
        f"(budget {BUDGET_MS} ms); load average {os.getloadavg()[0]:.1f}"
    )
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
