from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from audit.views import HistoryView
from core.views import acting_user
from sales import selectors, views
from sales.models import Contact, Order


def _customer(request: HttpRequest, number: str) -> Any:
    return selectors.customer_detail(acting_user(request), number)


def _contact(request: HttpRequest, number: str, pk: int) -> Contact:
    return get_object_or_404(Contact, pk=pk, customer=_customer(request, number))


def _order(request: HttpRequest, number: str, pk: int) -> Order:
    return get_object_or_404(selectors.order_list(_customer(request, number)), pk=pk)


def _customer_page(obj: Any) -> str:
    return reverse("sales:customer-detail", args=[obj.customer.number])


app_name = "sales"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customer-list"),
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("export/", views.CustomerExportView.as_view(), name="customer-export"),
    path("transfer/", views.CustomerTransferView.as_view(), name="customer-transfer"),
    path("share/", views.CustomerShareView.as_view(), name="customer-share"),
    path("bulk/tag/", views.CustomerBulkTagView.as_view(), name="customer-bulk-tag"),
    path("bulk/export/", views.CustomerBulkExportView.as_view(), name="customer-bulk-export"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/new/", views.TagFormView.as_view(), name="tag-create"),
    path("tags/<int:pk>/edit/", views.TagFormView.as_view(), name="tag-edit"),
    path("tags/<int:pk>/delete/", views.TagDeleteView.as_view(), name="tag-delete"),
    path("groups/", views.GroupListView.as_view(), name="group-list"),
    path("groups/new/", views.GroupFormView.as_view(), name="group-create"),
    path("groups/<int:pk>/count/", views.GroupCountView.as_view(), name="group-count"),
    path("groups/<int:pk>/edit/", views.GroupFormView.as_view(), name="group-edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="group-delete"),
    path("import/", views.CustomerImportView.as_view(), name="customer-import"),
    path("import-orders/", views.OrderImportView.as_view(), name="order-import"),
    path("losses/", views.LossListView.as_view(), name="loss-list"),
    path("losses/<int:pk>/pause/", views.LossPauseView.as_view(), name="loss-pause"),
    path("losses/<int:pk>/confirm/", views.LossConfirmView.as_view(), name="loss-confirm"),
    path("interactions/", views.ActivityListView.as_view(), name="activity-list"),
    path("<str:number>/", views.CustomerDetailView.as_view(), name="customer-detail"),
    path("<str:number>/edit/", views.CustomerEditView.as_view(), name="customer-edit"),
    path("<str:number>/tags/", views.CustomerTagsView.as_view(), name="customer-tags"),
    path("<str:number>/delete/", views.CustomerDeleteView.as_view(), name="customer-delete"),
    path(
        "<str:number>/shares/<int:user_id>/revoke/",
        views.CustomerUnshareView.as_view(),
        name="customer-unshare",
    ),
    path("<str:number>/contacts/new/", views.ContactFormView.as_view(), name="contact-create"),
    path(
        "<str:number>/contacts/<int:pk>/edit/", views.ContactFormView.as_view(), name="contact-edit"
    ),
    path(
        "<str:number>/contacts/<int:pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact-delete",
    ),
    path(
        "<str:number>/interactions/",
        views.CustomerActivityListView.as_view(),
        name="customer-activity-list",
    ),
    path(
        "<str:number>/interactions/<int:pk>/",
        views.ActivityDetailView.as_view(),
        name="activity-detail",
    ),
    path(
        "<str:number>/interactions/new/", views.ActivityFormView.as_view(), name="activity-create"
    ),
    path(
        "<str:number>/interactions/<int:pk>/edit/",
        views.ActivityFormView.as_view(),
        name="activity-edit",
    ),
    path(
        "<str:number>/interactions/<int:pk>/delete/",
        views.ActivityDeleteView.as_view(),
        name="activity-delete",
    ),
    path("<str:number>/orders/", views.OrderListView.as_view(), name="order-list"),
    path("<str:number>/orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path(
        "<str:number>/history/",
        HistoryView.as_view(
            permission_required="sales.view_customer",
            lookup=_customer,
            back=lambda customer: reverse("sales:customer-detail", args=[customer.number]),
        ),
        name="customer-history",
    ),
    path(
        "<str:number>/contacts/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="sales.view_customer", lookup=_contact, back=_customer_page
        ),
        name="contact-history",
    ),
    path(
        "<str:number>/orders/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="sales.view_customer",
            lookup=_order,
            back=lambda order: reverse(
                "sales:order-detail", args=[order.customer.number, order.pk]
            ),
        ),
        name="order-history",
    ),
]
