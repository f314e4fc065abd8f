from django.urls import path

from reports import calendar_views, timeline_views, views
from reports import subscription_views as subscriptions
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
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/events/", calendar_views.CalendarEventsView.as_view(), name="calendar-events"),
    path(
        "customers/<str:number>/timeline/",
        timeline_views.CustomerTimelineView.as_view(),
        name="customer-timeline",
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
