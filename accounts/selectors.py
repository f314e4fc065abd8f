"""Reads of the permissions module."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from accounts.models import Notification, Right, Role, User


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
