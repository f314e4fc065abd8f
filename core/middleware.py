"""Request checks every page shares."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

NUL_IN_REQUEST = "The request contains a NUL character."


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    queries = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        queries.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in queries
        for key, values in query.lists()
    )


class RejectNulMiddleware:
    """Answer 400 to a NUL byte in the path, the query or a form field.

    No text column can store one (PostgreSQL refuses it), so without this check such input
    reached the database and came back as a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            raise SuspiciousOperation(NUL_IN_REQUEST)
        return self.get_response(request)
