from django.urls import path

from tasks import views

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
]
