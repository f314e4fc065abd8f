from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<slug:kind>/<int:object_id>/", views.AttachmentPanelView.as_view(), name="panel"),
    path(
        "attachments/<int:pk>/download/",
        views.AttachmentDownloadView.as_view(),
        name="download",
    ),
    path("attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="delete"),
]
