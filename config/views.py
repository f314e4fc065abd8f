"""The home page and the error pages of the composition root."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView

from core.views import acting_user
from reports.dashboards import dashboard


class HomeView(TemplateView):
    """The dashboard of the signed-in user: sections chosen by their rights."""

    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(board=dashboard(acting_user(self.request)), **kwargs)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page inside the layout when possible, and plainly when even that fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return HttpResponse(loader.get_template("500_plain.html").render(), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
