"""The customer timeline's pages (htmx fragments of the customer page's section)."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from core.views import acting_user
from reports.timeline import customer_timeline
from sales.selectors import customer_detail


class CustomerTimelineView(PermissionRequiredMixin, TemplateView):
    """One page of a visible customer's timeline (`?page=`, `?kind=` repeated); the first page
    is what the customer page's section loads, "more" appends the next one."""

    permission_required = "sales.view_customer"
    template_name = "reports/_timeline_page.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        customer = customer_detail(user, kwargs["number"])
        try:
            page = int(self.request.GET.get("page", "1"))
        except ValueError:
            page = 1
        kinds = tuple(self.request.GET.getlist("kind"))
        timeline = customer_timeline(user, customer, page=page, kinds=kinds)
        query = "".join(f"&kind={kind}" for kind in timeline.kinds)
        return super().get_context_data(
            customer=customer,
            timeline=timeline,
            more_query=f"page={timeline.number + 1}{query}",
            **kwargs,
        )
