"""Request checks every page shares."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

NUL_IN_REQUEST = "The request contains a NUL character."


def _reads_own_uploads(request: HttpRequest) -> bool:
    """A view with `handles_uploads = True` installs its own upload handlers, so its body must
    not be read before it runs; it checks its fields with `has_nul` itself."""
    if request.content_type != "multipart/form-data":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return bool(getattr(getattr(match.func, "view_class", None), "handles_uploads", False))


def has_nul(request: HttpRequest, *, body: bool = True) -> bool:
    """A NUL byte in the path, the query or (with `body`) a form field."""
    if "\x00" in request.path:
        return True
    queries = [request.GET]
    if (
        body
        and request.method == "POST"
        and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
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
        if has_nul(request, body=not _reads_own_uploads(request)):
            raise SuspiciousOperation(NUL_IN_REQUEST)
        return self.get_response(request)
