"""Saved views of the list pages: validation, the default view, shared views, the menu and
its cost (one query per list page)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import saved_views
from accounts.models import SavedView
from tests.factories.marketing import CampaignFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "sales:customer-list"
CAMPAIGNS = "marketing:campaign-list"


def _save(user, query="status=3", name="进行中", list_key=CAMPAIGNS, **kwargs):
    return saved_views.saved_view_save(
        actor=user, list_key=list_key, name=name, query=query, **kwargs
    )


class TestValidation:
    def test_only_the_lists_filters_order_and_page_size(self, manager) -> None:
        view = _save(manager, query="status=3&o=-cost&per_page=50&page=4&view=all&name=")
        assert view.query == "status=3&o=-cost&per_page=50"  # page, view, empty values dropped
        with pytest.raises(ValidationError) as error:
            _save(manager, query="status=3&is_superuser=1", name="坏的")
        assert error.value.message_dict["query"] == [
            str(saved_views.PARAM_REFUSED % {"name": "is_superuser"})
        ]

    def test_nul_and_length_are_refused(self, manager) -> None:
        with pytest.raises(ValidationError) as error:
            _save(manager, query="name=a\x00b")
        assert error.value.message_dict["query"] == [str(saved_views.NUL_REFUSED)]
        with pytest.raises(ValidationError) as error:
            _save(manager, query="name=" + "x" * 1001)
        assert "query" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            _save(manager, name="a\x00")
        assert error.value.message_dict["name"] == [str(saved_views.NUL_REFUSED)]
        with pytest.raises(ValidationError) as error:
            _save(manager, name="名" * 51)
        assert "name" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            _save(manager, name="  ")
        assert error.value.message_dict["name"] == [str(saved_views.NAME_REQUIRED)]
        assert not SavedView.objects.exists()

    @pytest.mark.parametrize("list_key", ["marketing:campaign-detail", "home", "nope", "sales:x"])
    def test_only_list_pages_have_views(self, manager, list_key) -> None:
        with pytest.raises(ValidationError) as error:
            _save(manager, list_key=list_key)
        assert error.value.messages == [str(saved_views.UNKNOWN_LIST)]

    def test_the_same_name_replaces_and_the_number_is_capped(self, manager, monkeypatch) -> None:
        first = _save(manager, query="status=1")
        again = _save(manager, query="status=4")
        assert first.pk == again.pk
        assert SavedView.objects.get().query == "status=4"
        monkeypatch.setattr(saved_views, "VIEWS_PER_LIST", 2)
        _save(manager, name="二")
        with pytest.raises(ValidationError):
            _save(manager, name="三")


class TestDefaultAndSharing:
    def test_one_default_per_list_and_toggling_it_off(self, manager) -> None:
        first = _save(manager, name="一", is_default=True)
        second = _save(manager, name="二", is_default=True)
        first.refresh_from_db()
        assert (first.is_default, second.is_default) == (False, True)
        saved_views.saved_view_make_default(actor=manager, view=second)
        assert not SavedView.objects.filter(is_default=True).exists()

    def test_only_the_owner_changes_a_view(self, manager, other_manager) -> None:
        view = _save(manager)
        for service in (saved_views.saved_view_delete, saved_views.saved_view_make_default):
            with pytest.raises(ValidationError) as error:
                service(actor=other_manager, view=view)
            assert error.value.messages == [str(saved_views.NOT_YOURS)]

    def test_only_supervisors_share(self, manager, supervisor, other_manager) -> None:
        with pytest.raises(ValidationError) as error:
            saved_views.saved_view_share(actor=manager, view=_save(manager), shared=True)
        assert error.value.messages == [str(saved_views.SHARE_DENIED)]
        view = saved_views.saved_view_share(actor=supervisor, view=_save(supervisor), shared=True)
        assert view.shared
        with pytest.raises(ValidationError):
            saved_views.saved_view_share(actor=other_manager, view=view, shared=False)


class TestTheListPages:
    def test_the_default_view_applies_without_a_query(self, client, manager) -> None:
        running = CampaignFactory(status=3)
        CampaignFactory(status=1)
        _save(manager, query="status=3", is_default=True)
        client.force_login(manager)
        response = client.get(reverse(CAMPAIGNS))
        assert list(response.context["object_list"]) == [running]
        assert response.context["list_views"].active.name == "进行中"
        assert response.context["filter"].form["status"].value() == "3"
        everything = client.get(reverse(CAMPAIGNS) + "?view=all")
        assert len(everything.context["object_list"]) == 2
        assert everything.context["list_views"].active is None

    def test_the_default_is_per_user(self, client, manager, other_manager) -> None:
        CampaignFactory(status=3)
        CampaignFactory(status=1)
        _save(manager, query="status=3", is_default=True)
        client.force_login(other_manager)
        assert len(client.get(reverse(CAMPAIGNS)).context["object_list"]) == 2

    def test_open_one_view_and_page_through_it(self, client, manager, supervisor) -> None:
        for _ in range(3):
            CampaignFactory(status=3)
        CampaignFactory(status=1)
        shared = saved_views.saved_view_share(
            actor=supervisor, view=_save(supervisor, query="status=3&per_page=10"), shared=True
        )
        client.force_login(manager)
        response = client.get(reverse(CAMPAIGNS) + f"?view={shared.pk}&page=1")
        assert len(response.context["object_list"]) == 3
        assert response.context["list_views"].shared == [shared]
        private = _save(supervisor, name="私有", query="status=1")
        response = client.get(reverse(CAMPAIGNS) + f"?view={private.pk}")
        assert len(response.context["object_list"]) == 4  # not the manager's: ignored

    def test_the_menu_saves_the_list_as_shown(self, client, manager) -> None:
        client.force_login(manager)
        page = client.get(reverse(CUSTOMERS) + "?name=华&o=-name&page=2")
        assert page.context["list_views"].current_query == "name=%E5%8D%8E&o=-name"
        assert b'data-testid="saved-views"' in page.content
        response = client.post(
            reverse("accounts:saved-view-create"),
            {
                "list_key": CUSTOMERS,
                "name": "华字头",
                "query": page.context["list_views"].current_query,
                "is_default": "on",
            },
        )
        view = SavedView.objects.get()
        assert response.url == reverse(CUSTOMERS) + f"?view={view.pk}"
        assert (view.user, view.query, view.is_default) == (manager, "name=%E5%8D%8E&o=-name", True)

    def test_a_refused_save_goes_back_to_the_list(self, client, manager) -> None:
        client.force_login(manager)
        response = client.post(
            reverse("accounts:saved-view-create"),
            {"list_key": CUSTOMERS, "name": "", "query": "name=华"},
        )
        assert response.url == reverse(CUSTOMERS) + "?name=%E5%8D%8E"
        response = client.post(
            reverse("accounts:saved-view-create"), {"list_key": "home", "name": "x"}
        )
        assert response.url == reverse("home")
        assert not SavedView.objects.exists()

    def test_default_share_delete_through_the_menu(self, client, manager, supervisor) -> None:
        view = _save(supervisor)
        client.force_login(supervisor)
        client.post(reverse("accounts:saved-view-default", args=[view.pk]))
        client.post(reverse("accounts:saved-view-share", args=[view.pk]))
        view.refresh_from_db()
        assert (view.is_default, view.shared) == (True, True)
        client.post(reverse("accounts:saved-view-share", args=[view.pk]))
        view.refresh_from_db()
        assert not view.shared
        client.force_login(manager)
        assert client.post(reverse("accounts:saved-view-delete", args=[view.pk])).status_code == 404
        client.force_login(supervisor)
        response = client.post(reverse("accounts:saved-view-delete", args=[view.pk]))
        assert response.url == reverse(CAMPAIGNS) + "?view=all"
        assert not SavedView.objects.exists()

    def test_one_query_for_the_views(
        self, client, manager, django_assert_num_queries, django_assert_max_num_queries
    ) -> None:
        for index in range(5):
            _save(manager, name=f"视图{index}")
        client.force_login(manager)
        client.get(reverse(CAMPAIGNS))  # warm the session and the rights
        with django_assert_max_num_queries(12) as without:
            client.get(reverse(CAMPAIGNS) + "?view=all")
        SavedView.objects.all().delete()
        with django_assert_max_num_queries(12) as bare:
            client.get(reverse(CAMPAIGNS) + "?view=all")
        assert len(without.captured_queries) == len(bare.captured_queries)
        views = [q for q in without.captured_queries if "sys_saved_view" in q["sql"]]
        assert len(views) == 1


@pytest.mark.parametrize(
    ("who", "list_key", "query"),
    [
        ("admin_user", "accounts:user-list", "username=man"),
        ("supervisor", "marketing:chance-list", "status=1"),
        ("manager", "sales:customer-list", "name=华"),
        ("executive", "marketing:campaign-list", "status=3"),
    ],
)
def test_each_role_opens_its_main_list_with_its_default(
    request, client, who, list_key, query
) -> None:
    user = request.getfixturevalue(who)
    view = _save(user, list_key=list_key, query=query, name="默认", is_default=True)
    client.force_login(user)
    response = client.get(reverse(list_key))
    assert response.status_code == 200
    assert response.context["list_views"].active == view
    key, value = query.split("=")
    assert response.context["request"].GET[key] == value
    assert response.context["is_filtered"]
    # Sharing is the supervisors' alone.
    assert response.context["list_views"].may_share == (who == "supervisor")
