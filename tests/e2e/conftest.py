"""Browser tests: Playwright driving the system's Chromium against pytest-django's live server."""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves (factories, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("Chromium is required (E2E_REQUIRED is set) but was not found")
        pytest.skip("Chromium is not installed; .ci/run installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[..., object]]:
    """Open a fresh browser context (own cookies, language) and return its page.

    Console errors are collected on `page.console_errors`; tests assert it is empty where the
    page's scripts matter.
    """
    contexts = []

    def _open(locale: str = "en-US", bypass_csp: bool = False) -> object:
        # bypass_csp: for tests that inject their own scripts (axe-core), which the site's
        # Content-Security-Policy rightly refuses.
        context = browser.new_context(
            locale=locale, base_url=live_server.url, bypass_csp=bypass_csp
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
