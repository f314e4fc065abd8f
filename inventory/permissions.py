"""Who may change the base data (the lists are read by every module)."""

from accounts.models import User

DICTIONARY_RIGHT = "inventory.change_dictitem"
PRODUCT_RIGHT = "inventory.change_product"


def can_change_dictionary(user: User) -> bool:
    """Create, edit and delete dictionary entries (regions, levels, service types…)."""
    return user.is_active and user.has_perm(DICTIONARY_RIGHT)


def can_change_products(user: User) -> bool:
    """Create, edit, delete and import products and stock."""
    return user.is_active and user.has_perm(PRODUCT_RIGHT)
