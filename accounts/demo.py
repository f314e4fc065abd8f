"""Demo users for `manage.py seed_demo`: one per seeded role, all with the same password."""

from accounts.models import Role, User
from accounts.rights import ADMIN, EXECUTIVE, MANAGER, SUPERVISOR

DEMO_PASSWORD = "demo1234"  # noqa: S105 - documented in the README for the demo data only

# (username, role slug, display name): the names of the original prototype's staff.
DEMO_USERS = (
    ("admin", ADMIN, "管理员"),
    ("supervisor", SUPERVISOR, "旺财"),
    ("manager1", MANAGER, "小明"),
    ("manager2", MANAGER, "孙小美"),
    ("executive", EXECUTIVE, "周洁轮"),
)


def seed() -> dict[str, User]:
    """Create the demo users when missing; leave existing ones (and their passwords) alone."""
    users = {}
    for username, slug, name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=Role.objects.filter(slug=slug).first(),
                first_name=name,
                email=f"{username}@example.com",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    return users
