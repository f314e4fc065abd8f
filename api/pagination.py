from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor paging on the primary key (unique, so stable at any depth), newest first."""

    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
