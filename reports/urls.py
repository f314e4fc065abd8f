from django.urls import path

from reports import subscription_views as subscriptions
from reports import views

app_name = "reports"

urlpatterns = [
    path("contribution/", views.ReportView.as_view(slug="contribution"), name="contribution"),
    path("composition/", views.ReportView.as_view(slug="composition"), name="composition"),
    path("service/", views.ReportView.as_view(slug="service"), name="service"),
    path("loss/", views.ReportView.as_view(slug="loss"), name="loss"),
    path("subscriptions/", subscriptions.SubscriptionListView.as_view(), name="subscription-list"),
    path(
        "subscriptions/new/",
        subscriptions.SubscriptionFormView.as_view(),
        name="subscription-create",
    ),
    path(
        "subscriptions/<int:pk>/edit/",
        subscriptions.SubscriptionFormView.as_view(),
        name="subscription-edit",
    ),
    path(
        "subscriptions/<int:pk>/delete/",
        subscriptions.SubscriptionDeleteView.as_view(),
        name="subscription-delete",
    ),
    path(
        "subscriptions/<int:pk>/toggle/",
        subscriptions.SubscriptionToggleView.as_view(),
        name="subscription-toggle",
    ),
    path(
        "subscriptions/<int:pk>/send/",
        subscriptions.SubscriptionSendView.as_view(),
        name="subscription-send",
    ),
    path(
        "subscriptions/<int:pk>/log/",
        subscriptions.SubscriptionLogView.as_view(),
        name="subscription-log",
    ),
    path("<slug:slug>/print/", views.ReportPrintView.as_view(), name="print"),
    path("<slug:slug>/export.<str:fmt>", views.ReportExportView.as_view(), name="export"),
]
