import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from accounts import saved_views, selectors, services
from accounts.filters import LoginAttemptFilter, RoleFilter, UserFilter
from accounts.forms import (
    LanguageForm,
    LoginForm,
    OwnPasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    RoleForm,
    RoleRightsForm,
    UserCreateForm,
    UserEditForm,
)
from accounts.models import Notification, Role, SavedView, User
from accounts.rights import RIGHTS
from audit.models import AuditEvent
from audit.services import audit_record
from core.views import (
    ActionView,
    ConfirmDeleteView,
    ListPageView,
    ServiceFormView,
    acting_user,
    error_messages,
)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` proxies, the
    address the outermost of them saw (counted from the right of X-Forwarded-For, since a
    client may put anything on its left)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The login form, locked for a while after too many failures (per username and per client
    address); every attempt is recorded for the admins' attempts page."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def _record(self, success: bool) -> None:
        services.login_attempt_record(
            username=self.request.POST.get("username", ""),
            address=client_address(self.request),
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
            success=success,
        )

    def _locked(self) -> bool:
        return selectors.login_is_locked(
            username=self.request.POST.get("username", ""), address=client_address(self.request)
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._locked():  # checked before the password, so the right one does not help
            self._record(success=False)
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, services.login_locked_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        self._record(success=False)
        if self._locked():
            form.errors.clear()
            form.add_error(None, services.login_locked_message())
        return super().form_invalid(form)

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        self._record(success=True)
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie("django_language", language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    pass


@method_decorator(login_not_required, name="dispatch")
class LanguageSwitchView(View):
    """Switch the interface language; a signed-in user's choice is kept in their profile."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LanguageForm(request.POST)
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        response = HttpResponseRedirect(target)
        if form.is_valid():
            language = form.cleaned_data["language"]
            if request.user.is_authenticated:
                services.user_set_language(user=request.user, language=language)
            response.set_cookie("django_language", language, samesite="Lax")
        return response


class ProfileView(FormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        user = services.user_update_profile(user=self.request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(self.request, _("Your profile was saved."))
        response = super().form_valid(form)
        if user.language:
            response.set_cookie("django_language", user.language, samesite="Lax")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.PASSWORD_CHANGE,
            actor=form.user,
            obj=form.user,
            details={"own": True},
        )
        messages.success(self.request, _("Your password was changed."))
        return response


class NotificationListView(ListPageView):
    """The user's notifications; opening the page marks the shown ones read."""

    permission_required = ()  # every signed-in user, their own notifications
    template_name = "accounts/notification_list.html"
    paginate_by = 20
    heading = gettext_lazy("Notifications")

    def get_queryset(self) -> Any:
        return selectors.notification_list(acting_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = list(context["object_list"])
        context["object_list"] = context["notifications"] = shown
        services.notifications_mark_read(
            user=acting_user(self.request), ids=[n.pk for n in shown if not n.is_read]
        )
        return context


class NotificationOpenView(View):
    """Follow a notification's link, marking it read."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notifications_mark_read(user=request.user, ids=[notification.pk])  # type: ignore[arg-type]
        link = notification.link
        if link and url_has_allowed_host_and_scheme(
            link, {request.get_host()}, request.is_secure()
        ):
            return redirect(link)
        return redirect("accounts:notification-list")


class NotificationReadAllView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        services.notifications_mark_read(user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("All notifications were marked as read."))
        return redirect("accounts:notification-list")


# Users ---------------------------------------------------------------------------------------


class UserListView(ListPageView):
    permission_required = "accounts.manage_users"
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    heading = gettext_lazy("Users")

    def get_queryset(self) -> Any:
        return selectors.user_list().order_by("id")


class UserCreateView(ServiceFormView):
    permission_required = "accounts.manage_users"
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    success_url_name = "accounts:user-list"

    def save(self, form: UserCreateForm) -> str:
        data = form.cleaned_data
        with _password_errors_on_the_field():
            user = services.user_create(
                actor=acting_user(self.request),
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                is_active=data["is_active"],
            )
        return _("User “%(user)s” was created.") % {"user": user.username}


@contextmanager
def _password_errors_on_the_field() -> Iterator[None]:
    """Password-strength errors come from the service without a field; show them on the field."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"password1": error.error_list}) from error


class UserEditView(ServiceFormView):
    permission_required = "accounts.manage_users"
    form_class = UserEditForm
    template_name = "accounts/user_form.html"
    success_url_name = "accounts:user-list"

    def get_object(self) -> User:
        return get_object_or_404(selectors.user_list(), pk=self.kwargs["pk"])

    def save(self, form: UserEditForm) -> str:
        self.object.refresh_from_db()  # the form wrote to the instance; the service decides
        services.user_update(actor=acting_user(self.request), user=self.object, **form.cleaned_data)
        return _("User “%(user)s” was saved.") % {"user": self.object.username}


class UserPasswordResetView(ServiceFormView):
    permission_required = "accounts.manage_users"
    form_class = PasswordResetForm
    template_name = "accounts/user_password.html"
    success_url_name = "accounts:user-list"

    def get_object(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        own = self.object.pk == self.request.user.pk
        return super().get_context_data(
            own=own, own_message=services.OWN_PASSWORD_VIA_CHANGE_FORM if own else "", **kwargs
        )

    def save(self, form: PasswordResetForm) -> str:
        with _password_errors_on_the_field():
            services.user_set_password(
                actor=acting_user(self.request),
                user=self.object,
                password=form.cleaned_data["password1"],
            )
        return _("The password of “%(user)s” was reset.") % {"user": self.object.username}


class UserToggleView(ActionView):
    permission_required = "accounts.manage_users"

    def perform(self) -> str:
        user = get_object_or_404(User, pk=self.kwargs["pk"])
        enable = not user.is_active
        services.user_set_active(actor=acting_user(self.request), user=user, is_active=enable)
        if enable:
            return _("User “%(user)s” was enabled.") % {"user": user.username}
        return _("User “%(user)s” was disabled.") % {"user": user.username}

    def get_success_url(self) -> str:
        return reverse("accounts:user-list")


class UserDeleteView(ConfirmDeleteView):
    permission_required = "accounts.manage_users"
    template_name = "accounts/user_confirm_delete.html"
    success_url_name = "accounts:user-list"

    def get_object(self) -> User:
        return get_object_or_404(selectors.user_list(), pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.user_delete(actor=acting_user(self.request), user=self.object)
        return _("User “%(user)s” was deleted.") % {"user": self.object.username}

    def refused(self, error: ValidationError) -> HttpResponse:
        """Business records refer to the user: say so on this page, which offers to disable."""
        for text in error_messages(error):
            messages.error(self.request, text)
        return self.render_to_response(self.get_context_data(refused=True))


# Roles ---------------------------------------------------------------------------------------


class RoleListView(ListPageView):
    permission_required = "accounts.manage_roles"
    filterset_class = RoleFilter
    template_name = "accounts/role_list.html"
    heading = gettext_lazy("Roles")

    def get_queryset(self) -> Any:
        return selectors.role_list().order_by("id")


class RoleCreateView(ServiceFormView):
    permission_required = "accounts.manage_roles"
    form_class = RoleForm
    template_name = "accounts/role_form.html"

    def save(self, form: RoleForm) -> str:
        self.created = services.role_create(actor=acting_user(self.request), **form.cleaned_data)
        return _("Role “%(role)s” was created. Now choose its rights.") % {
            "role": self.created.name
        }

    def get_success_url(self) -> str:
        return reverse("accounts:role-rights", args=[self.created.pk])

    def get_back_url(self) -> str:
        return reverse("accounts:role-list")


class RoleEditView(ServiceFormView):
    permission_required = "accounts.manage_roles"
    form_class = RoleForm
    template_name = "accounts/role_form.html"
    success_url_name = "accounts:role-list"

    def get_object(self) -> Role:
        return get_object_or_404(Role, pk=self.kwargs["pk"])

    def save(self, form: RoleForm) -> str:
        self.object.refresh_from_db()
        services.role_update(actor=acting_user(self.request), role=self.object, **form.cleaned_data)
        return _("Role “%(role)s” was saved.") % {"role": self.object.name}


class RoleToggleView(ActionView):
    permission_required = "accounts.manage_roles"

    def perform(self) -> str:
        role = get_object_or_404(Role, pk=self.kwargs["pk"])
        enable = not role.is_active
        services.role_set_active(actor=acting_user(self.request), role=role, is_active=enable)
        if enable:
            return _("Role “%(role)s” was enabled.") % {"role": role.display_name}
        return _("Role “%(role)s” was disabled.") % {"role": role.display_name}

    def get_success_url(self) -> str:
        return reverse("accounts:role-list")


class RoleDeleteView(ConfirmDeleteView):
    permission_required = "accounts.manage_roles"
    template_name = "accounts/role_confirm_delete.html"
    success_url_name = "accounts:role-list"

    def get_object(self) -> Role:
        return get_object_or_404(selectors.role_list(), pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.role_delete(actor=acting_user(self.request), role=self.object)
        return _("Role “%(role)s” was deleted.") % {"role": self.object.display_name}


class RoleRightsView(ServiceFormView):
    """The rights of one role as a checkbox tree grouped by menu folder."""

    permission_required = "accounts.manage_roles"
    form_class = RoleRightsForm
    template_name = "accounts/role_rights.html"
    success_url_name = "accounts:role-list"

    def get_object(self) -> Role:
        return get_object_or_404(Role, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        choices = [(right.code, str(right.label)) for right in RIGHTS if right.kind != "folder"]
        return {**super().get_form_kwargs(), "choices": choices}

    def get_initial(self) -> dict[str, Any]:
        return {"codes": sorted(selectors.role_right_codes(self.object))}

    def save(self, form: RoleRightsForm) -> str:
        services.role_set_rights(
            actor=acting_user(self.request), role=self.object, codes=form.cleaned_data["codes"]
        )
        return _("The rights of “%(role)s” were saved.") % {"role": self.object.display_name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        checked = set(form["codes"].value() or [])
        context["tree"] = [
            {
                "folder": folder,
                "rights": [
                    {"right": right, "checked": right.code in checked}
                    for right in RIGHTS
                    if right.parent == folder.code
                ],
            }
            for folder in RIGHTS
            if folder.kind == "folder"
        ]
        return context


class RightListView(ListPageView):
    """The rights registry in tree order (each folder, then its pages and actions): one page, as
    a page break would part rights from their folder."""

    permission_required = "accounts.view_rights"
    template_name = "accounts/right_list.html"
    paginate_by = None
    heading = gettext_lazy("Rights")

    def get_queryset(self) -> Any:
        return selectors.right_list()


# Login attempts ------------------------------------------------------------------------------


class LoginAttemptListView(ListPageView):
    permission_required = "accounts.view_loginattempt"
    filterset_class = LoginAttemptFilter
    template_name = "accounts/loginattempt_list.html"
    heading = gettext_lazy("Login attempts")

    def get_queryset(self) -> Any:
        return selectors.login_attempt_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = list(context["object_list"])
        context["object_list"] = shown
        context["locked_usernames"], context["locked_addresses"] = selectors.locked_logins()
        return context


class LoginUnlockView(ActionView):
    """Unlock a username or an address (POST from the attempts page, after a confirmation)."""

    permission_required = "accounts.manage_users"

    def perform(self) -> str:
        username = self.request.POST.get("username", "")[:150]
        address = self.request.POST.get("address", "")[:45]
        count = services.login_unlock(
            actor=acting_user(self.request), username=username, address=address
        )
        return _("“%(what)s” was unlocked (%(count)d failed attempts cleared).") % {
            "what": username or address,
            "count": count,
        }

    def get_success_url(self) -> str:
        return reverse("accounts:login-attempt-list")


# Saved views of the lists (issue 23.5) ----------------------------------------------------------


class _SavedViewAction(ActionView):
    """A POST from a list's "views" menu; back to the list (showing the view) afterwards."""

    permission_required = ()  # every signed-in user keeps views of the lists they open
    back = ""

    def view(self) -> SavedView:
        user = acting_user(self.request)
        return get_object_or_404(SavedView, pk=self.kwargs["pk"], user=user)

    def get_success_url(self) -> str:
        return self.back or reverse("home")


class SavedViewCreateView(_SavedViewAction):
    def perform(self) -> str:
        post = self.request.POST
        list_key = post.get("list_key", "")[:100]
        view = saved_views.saved_view_save(
            actor=acting_user(self.request),
            list_key=list_key,
            name=post.get("name", ""),
            query=post.get("query", ""),
            is_default=post.get("is_default") == "on",
        )
        self.back = f"{reverse(list_key)}?view={view.pk}"
        return _("The view “%(name)s” was saved.") % {"name": view.name}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answer = super().post(request, *args, **kwargs)
        if not self.back:  # refused: back to the list as it was
            list_key = request.POST.get("list_key", "")
            try:
                saved_views.allowed_params(list_key)
                self.back = reverse(list_key)
            except ValidationError:
                self.back = reverse("home")
            query = request.POST.get("query", "")
            if query and "\x00" not in query:
                self.back += f"?{query}"
            answer = HttpResponseRedirect(self.back)
        return answer


class SavedViewDefaultView(_SavedViewAction):
    def perform(self) -> str:
        view = saved_views.saved_view_make_default(
            actor=acting_user(self.request), view=self.view()
        )
        self.back = reverse(view.list_key)
        if view.is_default:
            return _("“%(name)s” opens first now.") % {"name": view.name}
        return _("“%(name)s” is no longer the default view.") % {"name": view.name}


class SavedViewShareView(_SavedViewAction):
    def perform(self) -> str:
        view = self.view()
        view = saved_views.saved_view_share(
            actor=acting_user(self.request), view=view, shared=not view.shared
        )
        self.back = f"{reverse(view.list_key)}?view={view.pk}"
        if view.shared:
            return _("The view “%(name)s” is shared with the team.") % {"name": view.name}
        return _("The view “%(name)s” is yours alone again.") % {"name": view.name}


class SavedViewDeleteView(_SavedViewAction):
    def perform(self) -> str:
        view = self.view()
        self.back = f"{reverse(view.list_key)}?view={saved_views.ALL}"
        saved_views.saved_view_delete(actor=acting_user(self.request), view=view)
        return _("The view “%(name)s” was deleted.") % {"name": view.name}
