import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginAttempt, Role, User
from core.forms import StyledForm

STATUS_CHOICES = [("1", _("Enabled")), ("0", _("Disabled"))]


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("Username"), method="filter_name", max_length=150)
    is_active = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All"), method="filter_active"
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Role"), queryset=Role.objects.all(), empty_label=_("All")
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("id", "id"),
            ("username", "username"),
            ("role__name", "role"),
            ("is_active", "status"),
        ],
    )

    class Meta:
        model = User
        fields = ["username", "is_active", "role"]
        form = StyledForm

    def filter_name(self, queryset, name, value):

        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class RoleFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Role name"), lookup_expr="icontains", max_length=50)
    description = django_filters.CharFilter(
        label=_("Description"), lookup_expr="icontains", max_length=200
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All"), method="filter_active"
    )
    o = django_filters.OrderingFilter(
        fields=[("id", "id"), ("name", "name"), ("user_count", "users"), ("is_active", "status")],
    )

    class Meta:
        model = Role
        fields = ["name", "description", "is_active"]
        form = StyledForm

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class LoginAttemptFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(
        label=_("Username"), lookup_expr="icontains", max_length=150
    )
    address = django_filters.CharFilter(label=_("Address"), lookup_expr="startswith", max_length=45)
    success = django_filters.ChoiceFilter(
        label=_("Result"),
        choices=[("1", _("Succeeded")), ("0", _("Failed"))],
        empty_label=_("All"),
        method="filter_success",
    )
    o = django_filters.OrderingFilter(
        fields=[("created_at", "time"), ("username", "username"), ("address", "address")],
    )

    class Meta:
        model = LoginAttempt
        fields = ["username", "address", "success"]
        form = StyledForm

    def filter_success(self, queryset, name, value):
        return queryset.filter(success=value == "1")
