from django.urls import path

from sales import views

app_name = "sales"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customer-list"),
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("export/", views.CustomerExportView.as_view(), name="customer-export"),
    path("transfer/", views.CustomerTransferView.as_view(), name="customer-transfer"),
    path("share/", views.CustomerShareView.as_view(), name="customer-share"),
    path("import/", views.CustomerImportView.as_view(), name="customer-import"),
    path("import-orders/", views.OrderImportView.as_view(), name="order-import"),
    path("losses/", views.LossListView.as_view(), name="loss-list"),
    path("losses/<int:pk>/pause/", views.LossPauseView.as_view(), name="loss-pause"),
    path("losses/<int:pk>/confirm/", views.LossConfirmView.as_view(), name="loss-confirm"),
    path("interactions/", views.ActivityListView.as_view(), name="activity-list"),
    path("<str:number>/", views.CustomerDetailView.as_view(), name="customer-detail"),
    path("<str:number>/edit/", views.CustomerEditView.as_view(), name="customer-edit"),
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
]
