from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts import selectors, services
from accounts.filters import RoleFilter, UserFilter
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
from accounts.models import Notification, Role, User
from accounts.rights import RIGHTS
from core.views import ActionView, ListPageView, error_messages


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
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
        messages.success(self.request, _("Your password was changed."))
        return response


class NotificationListView(ListView):
    """The user's notifications; opening the page marks the shown ones read."""

    template_name = "accounts/notification_list.html"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.notification_list(self.request.user)  # type: ignore[arg-type]

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = list(context["object_list"])
        context["object_list"] = context["notifications"] = shown
        services.notifications_mark_read(
            user=self.request.user,  # type: ignore[arg-type]
            ids=[n.pk for n in shown if not n.is_read],
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

    def get_queryset(self) -> Any:
        return selectors.user_list().order_by("id")


class UserCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_users"
    form_class = UserCreateForm
    template_name = "accounts/user_form.html"

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=self.request.user,  # type: ignore[arg-type]
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            _add_password_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("User “%(user)s” was created.") % {"user": user.username})
        return redirect("accounts:user-list")


def _add_password_errors(form: Any, error: ValidationError) -> None:
    """Password-strength errors come from the service without a field; show them on the field."""
    if hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        form.add_error("password1", error)


class UserEditView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_users"
    form_class = UserEditForm
    template_name = "accounts/user_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(selectors.user_list(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form: UserEditForm) -> HttpResponse:
        self.object.refresh_from_db()  # the form wrote to the instance; the service decides
        try:
            services.user_update(actor=self.request.user, user=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("User “%(user)s” was saved.") % {"user": self.object.username}
        )
        return redirect("accounts:user-list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)


class UserPasswordResetView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_users"
    form_class = PasswordResetForm
    template_name = "accounts/user_password.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            services.user_set_password(
                actor=self.request.user,  # type: ignore[arg-type]
                user=self.object,
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error("password1", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The password of “%(user)s” was reset.") % {"user": self.object.username},
        )
        return redirect("accounts:user-list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)


class UserToggleView(ActionView):
    permission_required = "accounts.manage_users"

    def perform(self) -> str:
        user = get_object_or_404(User, pk=self.kwargs["pk"])
        enable = not user.is_active
        services.user_set_active(actor=self.request.user, user=user, is_active=enable)  # type: ignore[arg-type]
        if enable:
            return _("User “%(user)s” was enabled.") % {"user": user.username}
        return _("User “%(user)s” was disabled.") % {"user": user.username}

    def get_success_url(self) -> str:
        return reverse("accounts:user-list")


class UserDeleteView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.manage_users"
    template_name = "accounts/user_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(selectors.user_list(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.user_delete(actor=request.user, user=self.object)  # type: ignore[arg-type]
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
            return self.render_to_response(self.get_context_data(refused=True))
        messages.success(
            request, _("User “%(user)s” was deleted.") % {"user": self.object.username}
        )
        return redirect("accounts:user-list")


# Roles ---------------------------------------------------------------------------------------


class RoleListView(ListPageView):
    permission_required = "accounts.manage_roles"
    filterset_class = RoleFilter
    template_name = "accounts/role_list.html"

    def get_queryset(self) -> Any:
        return selectors.role_list().order_by("id")


class RoleCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_roles"
    form_class = RoleForm
    template_name = "accounts/role_form.html"

    def form_valid(self, form: RoleForm) -> HttpResponse:
        try:
            role = services.role_create(actor=self.request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Role “%(role)s” was created. Now choose its rights.") % {"role": role.name},
        )
        return redirect("accounts:role-rights", pk=role.pk)


class RoleEditView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.manage_roles"
    form_class = RoleForm
    template_name = "accounts/role_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(Role, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form: RoleForm) -> HttpResponse:
        self.object.refresh_from_db()
        try:
            services.role_update(actor=self.request.user, role=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Role “%(role)s” was saved.") % {"role": self.object.name})
        return redirect("accounts:role-list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)


class RoleToggleView(ActionView):
    permission_required = "accounts.manage_roles"

    def perform(self) -> str:
        role = get_object_or_404(Role, pk=self.kwargs["pk"])
        enable = not role.is_active
        services.role_set_active(actor=self.request.user, role=role, is_active=enable)  # type: ignore[arg-type]
        if enable:
            return _("Role “%(role)s” was enabled.") % {"role": role.display_name}
        return _("Role “%(role)s” was disabled.") % {"role": role.display_name}

    def get_success_url(self) -> str:
        return reverse("accounts:role-list")


class RoleDeleteView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.manage_roles"
    template_name = "accounts/role_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(selectors.role_list(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.role_delete(actor=request.user, role=self.object)  # type: ignore[arg-type]
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
            return redirect("accounts:role-list")
        messages.success(
            request, _("Role “%(role)s” was deleted.") % {"role": self.object.display_name}
        )
        return redirect("accounts:role-list")


class RoleRightsView(PermissionRequiredMixin, FormView):
    """The rights of one role as a checkbox tree grouped by menu folder."""

    permission_required = "accounts.manage_roles"
    form_class = RoleRightsForm
    template_name = "accounts/role_rights.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = get_object_or_404(Role, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        choices = [(right.code, str(right.label)) for right in RIGHTS if right.kind != "folder"]
        return {**super().get_form_kwargs(), "choices": choices}

    def get_initial(self) -> dict[str, Any]:
        return {"codes": sorted(selectors.role_right_codes(self.object))}

    def form_valid(self, form: RoleRightsForm) -> HttpResponse:
        try:
            services.role_set_rights(
                actor=self.request.user,  # type: ignore[arg-type]
                role=self.object,
                codes=form.cleaned_data["codes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The rights of “%(role)s” were saved.") % {"role": self.object.display_name},
        )
        return redirect("accounts:role-list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(object=self.object, **kwargs)
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


class RightListView(PermissionRequiredMixin, ListView):
    permission_required = "accounts.view_rights"
    template_name = "accounts/right_list.html"

    def get_queryset(self) -> Any:
        return selectors.right_list()
