"""Filters shared by the list pages."""

from typing import Any

import django_filters
from django.db.models import QuerySet

from core.textsearch import text_contains


class TextContainsFilter(django_filters.CharFilter):
    """Contains the text, full-width and letter case folded like the global search, for a column
    with a bigram index (`core.textsearch.text_contains`): the index answers the list's filter
    as it answers the search. `char_index`: the column has an index of its characters too,
    for a term of one character."""

    def __init__(self, *args: Any, char_index: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.char_index = char_index

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.filter(text_contains(self.field_name, value, char_index=self.char_index))
