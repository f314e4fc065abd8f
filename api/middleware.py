"""The API's answers are JSON even when a check before the view refuses the request."""

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

from api.context import mark_api

API_PREFIX = "/api/v1/"


class ApiRequestMiddleware:
    """For /api/v1/: mark the request as coming through the API (`request.via = "api"`, the
    history's hook) and turn an error page of an earlier check (a NUL byte, a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE…) into a JSON error. Sits before RejectNulMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        mark_api(request)
        response = self.get_response(request)
        if response.status_code >= HTTPStatus.BAD_REQUEST and not response.get(
            "Content-Type", ""
        ).startswith("application/json"):
            reason = HTTPStatus(response.status_code).phrase
            return JsonResponse({"detail": reason}, status=response.status_code)
        return response
