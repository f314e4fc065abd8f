import pytest
from django.urls import reverse

from accounts.models import Right, Role, RoleRight
from accounts.rights import RIGHTS, RIGHTS_BY_CODE
from accounts.services import rights_sync
from tests.factories import UserFactory, role


def _menu_rights(client) -> list[str]:
    import re

    return re.findall(r'data-right="([^"]+)"', client.get(reverse("home")).content.decode())


@pytest.mark.django_db
def test_sync_mirrors_the_registry_with_legacy_codes():
    assert list(Right.objects.values_list("code", flat=True)) == [r.code for r in RIGHTS]
    assert Right.objects.get(code="marketing.view_chance").legacy_code == "L0101"
    assert Right.objects.get(code="marketing.view_chance").parent.code == "menu.marketing"
    assert Right.objects.get(code="accounts.manage_roles").legacy_code == "L0602"


@pytest.mark.django_db
def test_sync_seeds_the_default_grants_of_the_four_roles():
    grants = {
        slug: set(role(slug).rights.exclude(kind="folder").values_list("code", flat=True))
        for slug in ("admin", "supervisor", "manager", "executive")
    }
    for slug, codes in grants.items():
        expected = {r.code for r in RIGHTS if slug in r.default_roles}
        assert codes == expected, slug
    assert "marketing.assign_chance" in grants["supervisor"]
    assert "marketing.assign_chance" not in grants["manager"]
    assert "sales.view_all_customers" in grants["executive"]
    assert "accounts.manage_users" in grants["admin"]


@pytest.mark.django_db
def test_sync_twice_changes_nothing_and_keeps_admin_edits():
    supervisor_role = role("supervisor")
    RoleRight.objects.filter(role=supervisor_role, right__code="reports.view_loss").delete()
    before = set(RoleRight.objects.values_list("role_id", "right_id"))
    rights_sync()
    rights_sync()
    assert set(RoleRight.objects.values_list("role_id", "right_id")) == before
    assert Right.objects.count() == len(RIGHTS)


@pytest.mark.django_db
def test_sync_grants_a_new_right_to_its_default_roles_only_once():
    right = Right.objects.get(code="reports.view_loss")
    right.delete()  # as if the right had just been added to the registry
    rights_sync()
    holders = set(Right.objects.get(code="reports.view_loss").roles.values_list("slug", flat=True))
    assert holders == set(RIGHTS_BY_CODE["reports.view_loss"].default_roles)


@pytest.mark.django_db
def test_sync_removes_rights_that_left_the_registry():
    Right.objects.create(code="old.gone", kind="page", label="Gone")
    rights_sync()
    assert not Right.objects.filter(code="old.gone").exists()


def test_has_perm_answers_from_the_role(manager, supervisor):
    assert manager.has_perm("sales.view_customer")
    assert not manager.has_perm("marketing.assign_chance")
    assert supervisor.has_perm("marketing.assign_chance")


def test_a_disabled_role_grants_nothing(manager):
    Role.objects.filter(pk=manager.role_id).update(is_active=False)
    manager.refresh_from_db()
    assert manager.get_all_permissions() == set()


def test_a_user_without_role_holds_no_rights(client, db):
    user = UserFactory(role=None)
    client.force_login(user)
    assert _menu_rights(client) == []
    assert "no rights yet" in client.get(reverse("home")).content.decode()


def test_removing_a_right_takes_menu_item_and_page_away_at_once(client, admin_user):
    client.force_login(admin_user)
    assert "accounts.view_rights" in _menu_rights(client)
    assert client.get(reverse("accounts:right-list")).status_code == 200

    RoleRight.objects.filter(role=admin_user.role, right__code="accounts.view_rights").delete()
    assert "accounts.view_rights" not in _menu_rights(client)
    assert client.get(reverse("accounts:right-list")).status_code == 403

    RoleRight.objects.create(
        role=admin_user.role, right=Right.objects.get(code="accounts.view_rights")
    )
    assert "accounts.view_rights" in _menu_rights(client)
    assert client.get(reverse("accounts:right-list")).status_code == 200


def test_rights_tree_saves_checked_rights_and_their_folders(client, admin_user):
    target = role("executive")
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:role-rights", args=[target.pk]),
        {"codes": ["reports.view_loss", "inventory.view_product"]},
    )
    assert response.status_code == 302
    assert set(target.rights.values_list("code", flat=True)) == {
        "reports.view_loss",
        "menu.reports",
        "inventory.view_product",
        "menu.base",
    }


def test_rights_tree_rejects_unknown_codes_and_changes_nothing(client, admin_user):
    target = role("executive")
    before = set(target.rights.values_list("code", flat=True))
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:role-rights", args=[target.pk]), {"codes": ["bogus.right"]}
    )
    assert response.status_code == 200
    assert "bogus.right" in response.content.decode()
    assert set(target.rights.values_list("code", flat=True)) == before


def test_admin_cannot_remove_role_management_from_their_own_role(client, admin_user):
    client.force_login(admin_user)
    before = set(admin_user.role.rights.values_list("code", flat=True))
    response = client.post(
        reverse("accounts:role-rights", args=[admin_user.role_id]),
        {"codes": ["accounts.manage_users"]},
    )
    assert response.status_code == 200
    assert "own role" in response.content.decode()
    assert set(admin_user.role.rights.values_list("code", flat=True)) == before


def test_menu_shows_only_pages_that_exist(client, manager):
    """Rights whose page is not built yet (or whose URL is unknown) never become dead links."""
    client.force_login(manager)
    from config.navigation import build_menu

    menu = build_menu({"accounts.manage_users", "reports.no_such_page"}, "/")
    assert [item.code for folder in menu for item in folder.items] == ["accounts.manage_users"]


def test_the_menu_is_computed_once_per_rights_and_language_and_marks_the_current_page():
    from django.utils import translation

    from config import navigation

    navigation._entries.cache_clear()
    rights = {"accounts.manage_users", "sales.view_customer"}
    with translation.override("zh-hans"):
        first = navigation.build_menu(rights, "/customers/KH1/")
        again = navigation.build_menu(set(rights), "/accounts/users/")
    with translation.override("en"):
        english = navigation.build_menu(rights, "/")
    info = navigation._entries.cache_info()

    assert (info.misses, info.hits) == (2, 1)
    active = [item.code for folder in first for item in folder.items if item.active]
    assert active == ["sales.view_customer"]
    assert [item.code for f in again for item in f.items if item.active] == [
        "accounts.manage_users"
    ]
    # A request's marks never reach the next one's menu.
    assert not any(item.active for folder in english for item in folder.items)
    labels = {item.code: item.label for folder in english for item in folder.items}
    chinese = {item.code: item.label for folder in first for item in folder.items}
    assert labels.keys() == chinese.keys() == rights
    assert labels != chinese


def test_the_menu_written_in_python_is_the_templates_markup():
    """`render_menu` writes what the layout's loops used to write (whitespace aside), escaped."""
    import re

    from django.template import Context, Template

    from config.navigation import MenuFolder, MenuItem, render_menu

    menu = [
        MenuFolder("sales", "营销 & <管理>", "bi-people", [
            MenuItem("sales.a", "客户 \"信息\"", "/customers/?a=1&b=2", "提示 <b>", active=True),
            MenuItem("sales.b", "联系人", "/contacts/", ""),
        ]),
        MenuFolder("service", "服务", "bi-headset", [MenuItem("service.a", "创建", "/s/", "t")]),
    ]  # fmt: skip
    template = Template(
        "\n".join(
            [  # the loops of templates/layouts/app.html before `render_menu`
                '{% for folder in menu %}<li class="nav-item menu-folder">',
                '<a class="nav-link menu-folder-toggle" data-bs-toggle="collapse"',
                'href="#menu-{{ forloop.counter }}" role="button" aria-expanded="true">',
                '<i class="bi {{ folder.icon }}" aria-hidden="true"></i> {{ folder.label }}</a>',
                '<ul class="nav flex-column collapse show" id="menu-{{ forloop.counter }}">',
                '{% for item in folder.items %}<li class="nav-item">',
                '<a class="nav-link ps-5{% if item.active %} active{% endif %}"',
                'href="{{ item.url }}" title="{{ item.tip }}" data-right="{{ item.code }}">',
                "{{ item.label }}</a></li>{% endfor %}",
                "</ul></li>{% endfor %}",
            ]
        )
    )

    def squeeze(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", html)).replace("> ", ">").strip()

    assert squeeze(render_menu(menu)) == squeeze(template.render(Context({"menu": menu})))
    assert "&lt;管理&gt;" in render_menu(menu)
    assert 'class="nav-link ps-5 active"' in render_menu(menu)
