from tests.access.matrix import Case, allow

EVERYONE = allow("admin", "supervisor", "manager", "other_manager", "executive")


class SearchWorld:
    pass


CASES = [
    Case("search:search", EVERYONE, query="?q=瑞丰"),
    Case("search:search", EVERYONE, label="empty"),
]
