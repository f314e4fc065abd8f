from django.urls import path

from service import views

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
]
