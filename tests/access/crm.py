from tests.access.matrix import ROLES, Case, allow

CASES = [
    Case("home", allow(*(name for name in ROLES if name != "anonymous"))),
]
