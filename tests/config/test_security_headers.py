"""Security headers on every page: CSP without inline scripts, referrer policy, nosniff."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in directives}


def test_pages_send_a_content_security_policy_without_inline_scripts(client, manager):
    client.force_login(manager)
    response = client.get(reverse("home"))
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'self'" in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_the_login_page_sends_the_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_an_inline_script_gets_the_nonce_of_the_policy(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines
    from django.template.context_processors import csp

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')
    request = rf.get("/")

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render(csp(request)))

    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_no_template_has_an_inline_event_handler_or_an_unnonced_inline_script():
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.IGNORECASE)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not handler.search(text), f"inline event handler in {path}"
        for match in script.finditer(text):
            assert "csp_nonce" in match.group(1), f"inline <script> without a nonce in {path}"


def test_the_print_button_works_without_an_inline_handler(client, manager):
    client.force_login(manager)
    page = client.get(reverse("reports:print", args=["composition"])).content.decode()
    assert "data-print" in page
    assert "js/print.js" in page
    assert "onclick" not in page
