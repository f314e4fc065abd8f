"""The quote list as a file in the background (a large export); the rows are the selector's."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.services import language_of
from core.exports import Exporter, register_exporter
from marketing.models import Quote


@register_exporter
class QuoteExporter(Exporter):
    """The quote list, filtered as on the page."""

    name = "quotes"
    title = gettext_lazy("Quotes")
    permission = "marketing.view_quote"

    def queryset(self) -> QuerySet[Quote]:
        from marketing.selectors import quote_list

        quotes = quote_list(user=self.user, filters=self.params)
        return quotes.qs if quotes.is_valid() else quotes.queryset.none()

    def headers(self) -> list[str]:
        from marketing.selectors import quote_export_headers

        with translation.override(language_of(self.user)):
            return quote_export_headers()

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterator[tuple[Any, ...]]:
        from marketing.selectors import quote_export_rows

        return quote_export_rows(self.queryset())
