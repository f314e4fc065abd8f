"""Totals over every group of a grouped query, computed in the query that reads a page of them.

A report that shows the largest few groups and the total of all of them would otherwise group
the rows twice (once for the total, once for the page); as a window over the groups,
`SUM(SUM(x)) OVER ()` and `COUNT(*) OVER ()`, the grouping runs once (PostgreSQL and SQLite).
"""

from typing import Any

from django.db.models import Field, Func, IntegerField, Window


class _GroupsTotal(Func):
    function = "SUM"
    window_compatible = True


class _GroupsCount(Func):
    template = "COUNT(*)"
    window_compatible = True
    output_field = IntegerField()


def groups_total(aggregate: Any, output_field: "Field[Any, Any]") -> Window:
    """Σ of a group's aggregate (an `F` of the aggregate's name) over every group."""
    return Window(_GroupsTotal(aggregate, output_field=output_field))


def groups_count() -> Window:
    """The number of groups."""
    return Window(_GroupsCount())
