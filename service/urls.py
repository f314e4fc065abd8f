from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from audit.views import HistoryView
from core.views import acting_user
from service import selectors, views
from service.models import ServiceRequest


def _ticket(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(selectors.ticket_list(acting_user(request)), pk=pk)


app_name = "service"

urlpatterns = [
    path("new/", views.TicketCreateView.as_view(), name="create"),
    path("customers/", views.CustomerSearchView.as_view(), name="customer-search"),
    path("allocate/", views.AllocateListView.as_view(), name="allocate-list"),
    path("handle/", views.HandleListView.as_view(), name="handle-list"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback-list"),
    path("archive/", views.ArchiveListView.as_view(), name="archive-list"),
    path("<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/allocate/", views.AllocateView.as_view(), name="allocate"),
    path("<int:pk>/delete/", views.TicketDeleteView.as_view(), name="delete"),
    path("<int:pk>/handle/", views.HandleView.as_view(), name="handle"),
    path("<int:pk>/feedback/", views.FeedbackView.as_view(), name="feedback"),
    path(
        "<int:pk>/history/",
        HistoryView.as_view(
            permission_required="service.view_servicerequest",
            lookup=_ticket,
            back=lambda ticket: reverse("service:detail", args=[ticket.pk]),
        ),
        name="history",
    ),
]
