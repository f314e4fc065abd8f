"""The reports the product offers, by slug: what the pages, exports and subscriptions build.

A report module registers a `ReportSpec`; everything that needs a report by name (the report
pages, the scheduled e-mails) goes through `build_report`, which applies the viewer's
visibility because each builder only reads through the apps' visibility functions.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from accounts.models import User
from reports.rendering import Report

Builder = Callable[[User, Mapping[str, str]], Report]


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    label: str | Promise
    permission: str  # "<app>.<right>" the viewer must hold
    build: Builder  # (viewer, the report's filter parameters) -> Report


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    REPORTS[spec.slug] = spec
    return spec


def build_report(slug: str, *, user: User, params: Mapping[str, str]) -> Report:
    """The report `slug` as `user` may see it; invalid filter values fall back to defaults."""
    spec = REPORTS[slug]
    if not user.is_active or not user.has_perm(spec.permission):
        raise PermissionDenied(spec.permission)
    return spec.build(user, params)
