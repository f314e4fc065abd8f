"""Reads of the permissions module."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import LoginAttempt, Notification, Right, Role, User


def user_list() -> QuerySet[User]:
    """All users with their role, for the admin's user list."""
    return User.objects.select_related("role")


def active_users_with_right(code: str) -> QuerySet[User]:
    """Enabled users whose enabled role holds a right, e.g. the managers one can assign to."""
    return (
        User.objects.filter(is_active=True, role__is_active=True, role__rights__code=code)
        .select_related("role")
        .order_by("username")
    )


def users_named(text: str) -> QuerySet[User]:
    """Users whose username or name contains `text` (the lists' "customer manager" filters)."""
    return User.objects.filter(Q(username__icontains=text) | Q(first_name__icontains=text))


def user_names(ids: Iterable[int | None]) -> dict[int | None, str]:
    """Each user's full name, else username, by id (in one query): the reports group people
    by user, never by first name, which two users may share or one may lack."""
    wanted = {pk for pk in ids if pk is not None}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=wanted)}


def role_list() -> QuerySet[Role]:
    """All roles with the number of users holding each."""
    return Role.objects.annotate(user_count=Count("users"))


def right_list() -> QuerySet[Right]:
    """Every right in registry order, with its parent."""
    return Right.objects.select_related("parent")


def role_right_codes(role: Role) -> set[str]:
    return set(role.rights.values_list("code", flat=True))


def notification_list(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()


def login_attempt_list() -> QuerySet[LoginAttempt]:
    """Every login attempt, newest first, for the admins' attempts page."""
    return LoginAttempt.objects.order_by("-created_at", "-id")


def _recent_failures() -> QuerySet[LoginAttempt]:
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginAttempt.objects.filter(success=False, created_at__gte=since)


def login_is_locked(*, username: str, address: str | None) -> bool:
    """Are the username or the address locked: `LOGIN_FAILURE_LIMIT` uncleared failures within
    the last `LOGIN_LOCKOUT_MINUTES`?"""
    limit = settings.LOGIN_FAILURE_LIMIT
    failures = _recent_failures()
    by_name = failures.filter(username=username.strip().lower()[:150], username_cleared=False)
    if by_name[:limit].count() >= limit:
        return True
    if address is None:
        return False
    by_address = failures.filter(address=address, address_cleared=False)
    return by_address[:limit].count() >= limit


def locked_logins() -> tuple[set[str], set[str]]:
    """The usernames and the addresses locked now."""
    limit = settings.LOGIN_FAILURE_LIMIT
    failures = _recent_failures().order_by()
    names = (
        failures.filter(username_cleared=False)
        .values("username")
        .annotate(n=Count("id"))
        .filter(n__gte=limit)
    )
    addresses = (
        failures.filter(address_cleared=False)
        .exclude(address=None)
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gte=limit)
    )
    return {row["username"] for row in names}, {str(row["address"]) for row in addresses}
