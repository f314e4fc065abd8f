from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from audit.views import HistoryView
from core.views import acting_user
from tasks import selectors, views
from tasks.models import Task
from tasks.permissions import VIEW_RIGHT


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(selectors.task_detail_queryset(acting_user(request)), pk=pk)


app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("new/", views.TaskCreateView.as_view(), name="create"),
    path("settings/", views.TaskSettingsView.as_view(), name="settings"),
    path("ical/<str:token>.ics", views.TaskFeedView.as_view(), name="feed"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.TaskEditView.as_view(), name="edit"),
    path("<int:pk>/done/", views.TaskCompleteView.as_view(), name="complete"),
    path("<int:pk>/cancel/", views.TaskCancelView.as_view(), name="cancel"),
    path("<int:pk>/move/", views.TaskMoveView.as_view(), name="move"),
    path(
        "interactions/<str:number>/new/",
        views.ActivityWithNextStepView.as_view(),
        name="activity-create",
    ),
    path("<int:pk>/reopen/", views.TaskReopenView.as_view(), name="reopen"),
    path(
        "<int:pk>/history/",
        HistoryView.as_view(
            permission_required=VIEW_RIGHT,
            lookup=_task,
            back=lambda task: reverse("tasks:detail", args=[task.pk]),
        ),
        name="history",
    ),
]
