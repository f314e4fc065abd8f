from django.urls import path

from jobs import views as jobs

app_name = "jobs"

urlpatterns = [
    path("scheduled/", jobs.ScheduledJobListView.as_view(), name="scheduled"),
    path("scheduled/<slug:name>/run/", jobs.ScheduledJobRunView.as_view(), name="scheduled-run"),
    path("<int:pk>/", jobs.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/confirm/", jobs.JobConfirmView.as_view(), name="confirm"),
    path("<int:pk>/file/", jobs.JobResultView.as_view(), name="result"),
    path(
        "templates/<slug:name>.<str:fmt>", jobs.ImportTemplateView.as_view(), name="import-template"
    ),
]
