"""Reads of the reports module."""

from django.db.models import QuerySet

from accounts.models import User


def recipients_choices() -> QuerySet[User]:
    """The users a report e-mail may go to: enabled, with an e-mail address."""
    return User.objects.filter(is_active=True).exclude(email="").order_by("username")
