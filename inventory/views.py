from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import ConfirmDeleteView, ListPageView, ServiceFormView, acting_user
from inventory import services
from inventory.filters import DictItemFilter, ProductFilter, StockFilter
from inventory.forms import DictItemForm, ProductForm, StockForm
from inventory.importers import ProductImporter, StockImporter
from inventory.models import DictItem, Product, Stock
from jobs.views import ImportUploadView

# Dictionary -------------------------------------------------------------------------------------


class DictItemListView(ListPageView):
    permission_required = "inventory.change_dictitem"
    filterset_class = DictItemFilter
    heading = gettext_lazy("Data dictionary")
    template_name = "inventory/dictitem_list.html"

    def get_queryset(self) -> QuerySet[DictItem]:
        return DictItem.objects.order_by("type", "id")


def _editable_entry(pk: int) -> DictItem:
    """Fixed entries (customer levels…) have no edit or delete page: 403, even for a forged POST."""
    entry = get_object_or_404(DictItem, pk=pk)
    if not entry.is_editable:
        raise PermissionDenied(_("This dictionary entry is fixed."))
    return entry


def _types() -> list[str]:
    return list(DictItem.objects.order_by("type").values_list("type", flat=True).distinct())


class DictItemFormView(ServiceFormView):
    permission_required = "inventory.change_dictitem"
    form_class = DictItemForm
    template_name = "inventory/dictitem_form.html"
    success_url_name = "inventory:dict-list"
    create_heading = gettext_lazy("New dictionary entry")
    edit_heading = gettext_lazy("Edit dictionary entry")

    def get_object(self) -> DictItem | None:
        if "pk" not in self.kwargs:
            return None
        return _editable_entry(self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(types=_types(), **kwargs)

    def save(self, form: DictItemForm) -> str:
        actor = acting_user(self.request)
        if self.object is None:
            entry = services.dict_item_create(actor=actor, **form.cleaned_data)
            return _("Dictionary entry “%(item)s” was created.") % {"item": entry.item}
        self.object.refresh_from_db()
        entry = services.dict_item_update(actor=actor, entry=self.object, **form.cleaned_data)
        return _("Dictionary entry “%(item)s” was saved.") % {"item": entry.item}


class DictItemDeleteView(ConfirmDeleteView):
    permission_required = "inventory.change_dictitem"
    success_url_name = "inventory:dict-list"

    def get_object(self) -> DictItem:
        return _editable_entry(self.kwargs["pk"])

    def delete(self) -> str:
        services.dict_item_delete(actor=acting_user(self.request), entry=self.object)
        return _("Dictionary entry “%(item)s” was deleted.") % {"item": self.object.item}


# Products ---------------------------------------------------------------------------------------


class ProductListView(ListPageView):
    permission_required = "inventory.view_product"
    filterset_class = ProductFilter
    heading = gettext_lazy("Products")
    template_name = "inventory/product_list.html"

    def get_queryset(self) -> QuerySet[Product]:
        return Product.objects.order_by("id")


class ProductFormView(ServiceFormView):
    permission_required = "inventory.change_product"
    form_class = ProductForm
    template_name = "inventory/product_form.html"
    success_url_name = "inventory:product-list"
    create_heading = gettext_lazy("New product")
    edit_heading = gettext_lazy("Edit product")

    def get_object(self) -> Product | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Product, pk=self.kwargs["pk"])

    def save(self, form: ProductForm) -> str:
        product = services.product_save(
            actor=acting_user(self.request), product=form.instance, **form.cleaned_data
        )
        return _("Product “%(product)s” was saved.") % {"product": product.label}


class ProductDeleteView(ConfirmDeleteView):
    permission_required = "inventory.change_product"
    success_url_name = "inventory:product-list"

    def get_object(self) -> Product:
        return get_object_or_404(Product, pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.product_delete(actor=acting_user(self.request), product=self.object)
        return _("Product “%(product)s” was deleted.") % {"product": self.object.label}


class ProductImportView(ImportUploadView):
    importer = ProductImporter
    back_url_name = "inventory:product-list"


# Stock ------------------------------------------------------------------------------------------


class StockListView(ListPageView):
    permission_required = "inventory.view_stock"
    filterset_class = StockFilter
    heading = gettext_lazy("Stock")
    template_name = "inventory/stock_list.html"

    def get_queryset(self) -> QuerySet[Stock]:
        return (
            Stock.objects.select_related("product")
            .annotate(shortfall=F("safety_level") - F("count"))
            .order_by("id")
        )


class StockFormView(ServiceFormView):
    permission_required = "inventory.change_product"
    form_class = StockForm
    template_name = "inventory/stock_form.html"
    success_url_name = "inventory:stock-list"
    create_heading = gettext_lazy("New stock row")
    edit_heading = gettext_lazy("Edit stock row")

    def get_object(self) -> Stock | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Stock.objects.select_related("product"), pk=self.kwargs["pk"])

    def save(self, form: StockForm) -> str:
        stock = services.stock_save(
            actor=acting_user(self.request), stock=form.instance, **form.cleaned_data
        )
        return _("Stock of “%(product)s” was saved.") % {"product": stock.product.label}


class StockDeleteView(ConfirmDeleteView):
    permission_required = "inventory.change_product"
    success_url_name = "inventory:stock-list"

    def get_object(self) -> Stock:
        return get_object_or_404(Stock.objects.select_related("product"), pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.stock_delete(actor=acting_user(self.request), stock=self.object)
        return _("The stock row was deleted.")


class StockImportView(ImportUploadView):
    importer = StockImporter
    back_url_name = "inventory:stock-list"
