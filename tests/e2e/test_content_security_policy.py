"""The Content-Security-Policy lets every page's own scripts run: charts, htmx and the print
button, with no violation reported in the browser."""

import pytest

from tests.e2e.conftest import login
from tests.factories import UserFactory, role
from tests.factories.accounts import PASSWORD
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_violations(page):
    page.violations = []
    page.expose_function("reportViolation", lambda text: page.violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )


def test_charts_htmx_and_print_run_under_the_policy(open_page):
    UserFactory(username="wangcai", role=role("supervisor"))
    CustomerFactory(manager=UserFactory(role=role("manager")), name="聪海信息科技有限公司")
    page = open_page()
    _watch_violations(page)
    login(page, "wangcai", PASSWORD)

    page.goto("/reports/composition/")
    page.wait_for_selector("[data-chart][data-rendered='1'] svg")

    page.goto("/customers/")  # the list's filters and the bell use htmx
    page.wait_for_load_state("networkidle")

    page.goto("/reports/composition/print/")
    page.evaluate("window.print = () => { document.body.dataset.printed = '1'; }")
    page.click("[data-print]")
    assert page.get_attribute("body", "data-printed") == "1"

    assert page.violations == []
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
