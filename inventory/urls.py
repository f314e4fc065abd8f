from django.urls import path

from inventory import views

app_name = "inventory"

urlpatterns = [
    path("dictionary/", views.DictItemListView.as_view(), name="dict-list"),
    path("dictionary/new/", views.DictItemFormView.as_view(), name="dict-create"),
    path("dictionary/<int:pk>/edit/", views.DictItemFormView.as_view(), name="dict-edit"),
    path("dictionary/<int:pk>/delete/", views.DictItemDeleteView.as_view(), name="dict-delete"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/new/", views.ProductFormView.as_view(), name="product-create"),
    path("products/import/", views.ProductImportView.as_view(), name="product-import"),
    path("products/<int:pk>/edit/", views.ProductFormView.as_view(), name="product-edit"),
    path("products/<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product-delete"),
    path("stock/", views.StockListView.as_view(), name="stock-list"),
    path("stock/new/", views.StockFormView.as_view(), name="stock-create"),
    path("stock/import/", views.StockImportView.as_view(), name="stock-import"),
    path("stock/<int:pk>/edit/", views.StockFormView.as_view(), name="stock-edit"),
    path("stock/<int:pk>/delete/", views.StockDeleteView.as_view(), name="stock-delete"),
]
