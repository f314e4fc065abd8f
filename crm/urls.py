from django.urls import include, path

from crm.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("jobs/", include("crm.job_urls")),
    path("base/", include("inventory.urls")),
    path("customers/", include("sales.urls")),
    path("marketing/", include("marketing.urls")),
    path("service/", include("service.urls")),
    path("reports/", include("reports.urls")),
]

handler400 = "crm.views.bad_request"
handler403 = "crm.views.permission_denied"
handler404 = "crm.views.page_not_found"
handler500 = "crm.views.server_error"
