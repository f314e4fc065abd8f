"""The benchmark's URLs: the whole site plus the two floor pages it measures every page against.

Only `manage.py bench` uses this URLconf; the site's own (`config.urls`) does not serve these.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import TemplateView


def bare(request: HttpRequest) -> HttpResponse:
    """An authenticated request that renders nothing: the cost of the middleware stack alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/bare/", bare, name="bench-bare"),
    path(
        "__bench__/shell/",
        TemplateView.as_view(template_name="devtools/shell.html"),
        name="bench-shell",
    ),
    path("", include("config.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
