"""Where a write comes from, for the history.

Every request the API authenticates is marked before its view runs: the Django request gets
`request.via = "api"` (and `request.api_token`, the token used, or None for a session), and the
context variable `VIA` holds "api" while the view runs. The history recorder reads either one; it
sits in a lower layer, so it reads `getattr(request, "via", "web")` rather than importing this.
"""

from contextvars import ContextVar

from django.http import HttpRequest

API = "api"
VIA: ContextVar[str] = ContextVar("crm_via", default="web")


def mark_api(request: HttpRequest, token: object | None = None) -> None:
    request.via = API  # type: ignore[attr-defined]
    request.api_token = token  # type: ignore[attr-defined]
