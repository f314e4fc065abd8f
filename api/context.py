"""Marks a request as the API's: `request.via = "api"` and `request.api_token` (the token used,
or None for a session). The change history's author comes from `audit.context.history_actor`,
which the API's base view enters once the request is authenticated (`api.base`)."""

from django.http import HttpRequest

API = "api"


def mark_api(request: HttpRequest, token: object | None = None) -> None:
    request.via = API  # type: ignore[attr-defined]
    request.api_token = token  # type: ignore[attr-defined]
