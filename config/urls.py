from django.urls import include, path

from config import health
from config.views import HomeView

urlpatterns = [
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("jobs/", include("jobs.urls")),
    path("base/", include("inventory.urls")),
    path("customers/", include("sales.urls")),
    path("marketing/", include("marketing.urls")),
    path("service/", include("service.urls")),
    path("tasks/", include("tasks.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("search/", include("search.urls")),
    path("documents/", include("documents.urls")),
    path("api/", include("api.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
