from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from accounts import selectors, views
from accounts.models import Role, User
from audit.views import HistoryView


def _user(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(selectors.user_list(), pk=pk)


def _role(request: HttpRequest, pk: int) -> Role:
    return get_object_or_404(Role, pk=pk)


app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.LanguageSwitchView.as_view(), name="set-language"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path("notifications/<int:pk>/", views.NotificationOpenView.as_view(), name="notification-open"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/password/", views.UserPasswordResetView.as_view(), name="user-password"),
    path("users/<int:pk>/toggle/", views.UserToggleView.as_view(), name="user-toggle"),
    path("users/<int:pk>/delete/", views.UserDeleteView.as_view(), name="user-delete"),
    path("roles/", views.RoleListView.as_view(), name="role-list"),
    path("roles/new/", views.RoleCreateView.as_view(), name="role-create"),
    path("roles/<int:pk>/edit/", views.RoleEditView.as_view(), name="role-edit"),
    path("roles/<int:pk>/rights/", views.RoleRightsView.as_view(), name="role-rights"),
    path("roles/<int:pk>/toggle/", views.RoleToggleView.as_view(), name="role-toggle"),
    path("roles/<int:pk>/delete/", views.RoleDeleteView.as_view(), name="role-delete"),
    path("login-attempts/", views.LoginAttemptListView.as_view(), name="login-attempt-list"),
    path("login-attempts/unlock/", views.LoginUnlockView.as_view(), name="login-unlock"),
    path("rights/", views.RightListView.as_view(), name="right-list"),
    path(
        "users/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="accounts.manage_users",
            lookup=_user,
            back=lambda user: reverse("accounts:user-edit", args=[user.pk]),
        ),
        name="user-history",
    ),
    path(
        "roles/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="accounts.manage_roles",
            lookup=_role,
            back=lambda role: reverse("accounts:role-edit", args=[role.pk]),
        ),
        name="role-history",
    ),
]

urlpatterns += [
    path("views/", views.SavedViewCreateView.as_view(), name="saved-view-create"),
    path(
        "views/<int:pk>/default/", views.SavedViewDefaultView.as_view(), name="saved-view-default"
    ),
    path("views/<int:pk>/share/", views.SavedViewShareView.as_view(), name="saved-view-share"),
    path("views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="saved-view-delete"),
]
