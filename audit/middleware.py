"""Every write of a request is authored by its user (change history, audit log)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import USER, history_actor


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def client_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with history_actor(
            getattr(request, "user", None),
            via=USER,
            address=client_address(request),
            user_agent=client_agent(request),
        ):
            return self.get_response(request)
