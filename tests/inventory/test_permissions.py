"""Each rule of `inventory.permissions`, asked directly, for each seeded role."""

import pytest

from inventory import permissions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "dictionary", "products"),
    [
        ("admin_user", True, True),
        ("supervisor", False, False),
        ("manager", False, False),  # reads products and stock, changes neither
        ("executive", False, False),
    ],
)
def test_base_data_rights(request, who, dictionary, products) -> None:
    user = request.getfixturevalue(who)
    assert permissions.can_change_dictionary(user) is dictionary
    assert permissions.can_change_products(user) is products


def test_a_disabled_admin_changes_nothing(admin_user) -> None:
    admin_user.is_active = False
    assert not permissions.can_change_dictionary(admin_user)
    assert not permissions.can_change_products(admin_user)
