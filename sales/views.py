from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.views.generic import TemplateView

from crm.views import ListPageView, acting_user
from sales import selectors
from sales.filters import CustomerFilter
from sales.models import Customer
from sales.permissions import can_edit_customer


class CustomerListView(ListPageView):
    permission_required = "sales.view_customer"
    filterset_class = CustomerFilter
    template_name = "sales/customer_list.html"

    def get_queryset(self) -> QuerySet[Customer]:
        return selectors.customer_list(acting_user(self.request)).order_by("-id")


class CustomerDetailView(PermissionRequiredMixin, TemplateView):
    """The customer page: its fields, then its contacts, interactions, orders and losses."""

    permission_required = "sales.view_customer"
    template_name = "sales/customer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        customer = selectors.customer_detail(user, kwargs["number"])
        return super().get_context_data(
            customer=customer,
            can_edit=can_edit_customer(user, customer),
            contacts=list(customer.contacts.all()),
            activities=list(customer.activities.all()[:10]),
            orders=list(selectors.order_list(customer)[:10]),
            losses=list(customer.losses.all()),
            **kwargs,
        )
