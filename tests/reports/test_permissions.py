"""Who may read, export and schedule which report: the catalogue's rights, per role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import resolve, reverse

from accounts.models import RoleRight
from accounts.rights import RIGHTS, RIGHTS_BY_CODE
from reports import services
from reports.forms import SubscriptionForm
from reports.models import ReportSubscription
from reports.registry import REPORTS, build_report
from reports.services import (
    ONLY_OWNER_CHANGES,
    REPORT_NOT_READABLE,
    SCHEDULE_NOT_ALLOWED,
    SCHEDULE_RIGHT,
)

pytestmark = pytest.mark.django_db

READERS = ("supervisor", "manager", "executive")
SCHEDULERS = ("supervisor", "manager", "executive")  # managers subscribe themselves
ROLES = ("admin_user", "supervisor", "manager", "executive")


def _save(owner, report: str = "composition", subscription=None, **fields) -> ReportSubscription:
    return services.subscription_save(
        actor=owner,
        subscription=subscription or ReportSubscription(),
        recipients=[owner],
        **{
            "name": "周报",
            "report": report,
            "format": "xlsx",
            "frequency": "weekly",
            "weekday": 0,
            "send_time": datetime.time(8, 0),
            **fields,
        },
    )


def _revoke(user, code: str):
    RoleRight.objects.filter(role=user.role, right__code=code).delete()
    return type(user).objects.get(pk=user.pk)  # a fresh object: the rights are cached


def _offered(user) -> dict[str, str]:
    return dict(SubscriptionForm(user=user).fields["report"].choices)


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(message) for message in error.value.messages]


def test_every_report_is_a_page_right_of_the_reports_menu_with_its_url() -> None:
    for spec in REPORTS.values():
        right = RIGHTS_BY_CODE[spec.permission]
        assert right.kind == "page"
        assert right.parent == "menu.reports"
        assert right.url_name == spec.url_name
        match = resolve(reverse(spec.url_name))
        assert match.func.view_initkwargs == {"slug": spec.slug}
    menu_reports = {
        right.code
        for right in RIGHTS
        if right.parent == "menu.reports" and right.kind == "page" and right.code != SCHEDULE_RIGHT
    }
    assert menu_reports == {spec.permission for spec in REPORTS.values()}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_the_reports_its_rights_grant(request, role) -> None:
    user = request.getfixturevalue(role)
    for slug, spec in REPORTS.items():
        assert user.has_perm(spec.permission) == (role in READERS)
        if role in READERS:
            assert build_report(slug, user=user, params={}).slug == slug
        else:
            with pytest.raises(PermissionDenied):
                build_report(slug, user=user, params={})


def test_a_report_right_taken_away_closes_that_report_only(supervisor) -> None:
    supervisor = _revoke(supervisor, REPORTS["loss"].permission)
    with pytest.raises(PermissionDenied):
        build_report("loss", user=supervisor, params={})
    assert build_report("composition", user=supervisor, params={}).slug == "composition"


def test_a_disabled_user_reads_no_report(manager) -> None:
    manager.is_active = False
    manager.save()
    with pytest.raises(PermissionDenied):
        build_report("composition", user=manager, params={})


@pytest.mark.parametrize("role", ROLES)
def test_exporting_needs_the_export_right_besides_the_report_right(request, client, role) -> None:
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = reverse("reports:export", args=["composition", "csv"])
    assert user.has_perm("reports.export_report") == (role in READERS)
    assert client.get(url).status_code == (200 if role in READERS else 403)


def test_without_the_export_right_the_page_opens_but_the_download_does_not(client, manager) -> None:
    manager = _revoke(manager, "reports.export_report")
    client.force_login(manager)
    assert client.get(reverse(REPORTS["composition"].url_name)).status_code == 200
    export = reverse("reports:export", args=["composition", "csv"])
    assert client.get(export).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_holders_of_the_schedule_right_subscribe(request, role) -> None:
    user = request.getfixturevalue(role)
    assert user.has_perm(SCHEDULE_RIGHT) == (role in SCHEDULERS)
    if role in SCHEDULERS:
        assert _save(user).owner == user
    elif role in READERS:
        with pytest.raises(ValidationError) as error:
            _save(user)
        assert _messages(error) == [str(SCHEDULE_NOT_ALLOWED)]
    else:  # the admin may read no report, so cannot subscribe to one either
        with pytest.raises(ValidationError) as error:
            _save(user)
        assert _messages(error) == [str(REPORT_NOT_READABLE)]
    assert ReportSubscription.objects.filter(owner=user).exists() == (role in SCHEDULERS)


def test_the_subscription_form_offers_only_the_reports_the_user_reads(supervisor) -> None:
    assert list(_offered(supervisor)) == list(REPORTS)
    supervisor = _revoke(supervisor, REPORTS["loss"].permission)
    offered = _offered(supervisor)
    assert "loss" not in offered
    assert set(offered) == set(REPORTS) - {"loss"}
    with pytest.raises(ValidationError) as error:
        _save(supervisor, report="loss")
    assert _messages(error) == [str(REPORT_NOT_READABLE)]


def test_only_its_owner_changes_a_subscription(supervisor, executive) -> None:
    subscription = _save(supervisor)
    with pytest.raises(ValidationError) as error:
        _save(executive, subscription=subscription, name="别人的")
    assert _messages(error) == [str(ONLY_OWNER_CHANGES)]
    subscription.refresh_from_db()
    assert subscription.name == "周报"
