from django.urls import path

from reports import subscription_views as subscriptions
from reports import views
from reports.registry import REPORTS

app_name = "reports"

urlpatterns = [
    *(
        path(
            f"{spec.slug}/",
            views.ReportView.as_view(slug=spec.slug),
            name=spec.url_name.removeprefix(f"{app_name}:"),
        )
        for spec in REPORTS.values()
    ),
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
    path(
        "subscriptions/unsubscribe/<str:token>/",
        subscriptions.SubscriptionUnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path("<slug:slug>/print/", views.ReportPrintView.as_view(), name="print"),
    path("<slug:slug>/export.<str:fmt>", views.ReportExportView.as_view(), name="export"),
]
