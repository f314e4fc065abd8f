from typing import Any

from django.views.generic import TemplateView

from core.textsearch import MAX_LENGTH
from core.views import acting_user
from search.selectors import LIVE_LIMIT, PAGE_LIMIT, global_search


class SearchView(TemplateView):
    """The results page (`?q=`); htmx (the top bar, as the user types) gets the results only."""

    template_name = "search/search.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "")[:MAX_LENGTH]
        live = bool(self.request.headers.get("HX-Request"))
        results = global_search(
            user=acting_user(self.request),
            query=query,
            limit=LIVE_LIMIT if live else PAGE_LIMIT,
        )
        return super().get_context_data(query=query, results=results, live=live, **kwargs)
