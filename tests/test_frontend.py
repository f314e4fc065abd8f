"""Front-end weight (issue 25): the icons in use are in the icon subset, HTML is gzipped."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {"node_modules", ".venv", "static", ".git", "staticfiles", "tests", "media", "var"}
ICON = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")


def _sources():
    for path in ROOT.rglob("*"):
        if path.suffix in (".html", ".py") and not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def test_every_icon_in_use_is_in_the_icon_subset():
    css = (ROOT / "static" / "css" / "icons.css").read_text()
    used = {name for path in _sources() for name in ICON.findall(path.read_text())}
    assert {"bell", "list", "trash", "people"} <= used
    missing = sorted(name for name in used if f".bi-{name} {{" not in css)
    assert missing == [], "run `node scripts/build-icons.js`"


def test_no_page_loads_the_icon_font():
    assert "bootstrap-icons" not in (ROOT / "templates" / "base.html").read_text()


def test_html_is_gzipped_for_clients_that_accept_it(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert client.get("/accounts/login/").get("Content-Encoding") is None


SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[^>]*>")


def test_no_script_of_the_app_shell_or_the_chart_pages_holds_up_domcontentloaded():
    """DOMContentLoaded waits for every parser-blocking and deferred script, and the browser's
    first layout of a cold page (about 100 ms here) lands before it when the parser waits for
    one: every script of the shell and of the chart pages loads async (DESIGN §9: the home
    page's DOMContentLoaded ≤ 300 ms, `scripts/measure-dcl.py`)."""
    for name in ("base.html", "layouts/app.html", "home.html", "reports/report.html"):
        tags = SCRIPT.findall((ROOT / "templates" / name).read_text())
        assert tags, name
        assert [tag for tag in tags if " async" not in tag] == [], name


def test_the_vendored_htmx_starts_when_it_runs_after_domcontentloaded():
    # scripts/vendor.sh patches htmx's ready() (htmx#2329): an async htmx that runs between
    # DOMContentLoaded and "complete" would otherwise never start.
    htmx = (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").read_text()
    assert 'readyState!=="loading"' in htmx
    assert 'readyState==="complete"' not in htmx
