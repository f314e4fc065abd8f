from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("contribution/", views.ReportView.as_view(slug="contribution"), name="contribution"),
    path("composition/", views.ReportView.as_view(slug="composition"), name="composition"),
    path("service/", views.ReportView.as_view(slug="service"), name="service"),
    path("loss/", views.ReportView.as_view(slug="loss"), name="loss"),
    path("<slug:slug>/print/", views.ReportPrintView.as_view(), name="print"),
    path("<slug:slug>/export.<str:fmt>", views.ReportExportView.as_view(), name="export"),
]
