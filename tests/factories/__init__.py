"""Factories for test data; one module per app, re-exported here."""

from tests.factories.accounts import NotificationFactory, RoleFactory, UserFactory, role

__all__ = ["NotificationFactory", "RoleFactory", "UserFactory", "role"]
