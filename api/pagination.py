import re
from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

BIGINT = 2**63 - 1
INTEGER = re.compile(r"-?\d{1,19}")


class IdCursorPagination(CursorPagination):
    """Cursor paging on the primary key (unique, so stable at any depth), newest first. A
    cursor whose position is not a key is a 404 like any other invalid cursor."""

    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request: Request) -> Any:
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor is not None else None
        if position is not None and (
            not INTEGER.fullmatch(position) or abs(int(position)) > BIGINT
        ):
            raise NotFound(self.invalid_cursor_message)
        return cursor
