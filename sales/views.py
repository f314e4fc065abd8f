from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from core.exports import csv_response, xlsx_response
from core.views import (
    ActionView,
    ConfirmDeleteView,
    ListPageView,
    ServiceFormView,
    acting_user,
    paginate,
)
from jobs import services as job_services
from jobs.views import ImportUploadView
from sales import exports, selectors, services
from sales.filters import CustomerFilter, LossFilter
from sales.forms import (
    ActivityForm,
    ContactForm,
    CustomerForm,
    LossConfirmForm,
    LossPauseForm,
    ShareForm,
    TransferForm,
)
from sales.importers import CustomerImporter, OrderImporter
from sales.models import Activity, Contact, Customer, CustomerLoss
from sales.permissions import (
    can_delete_customer,
    can_edit_customer,
    can_handle_loss,
    can_share_customer,
    shareable_customers,
    transferable_customers,
)
from sales.sections import customer_sections

# Customers --------------------------------------------------------------------------------------


class CustomerListView(ListPageView):
    permission_required = "sales.view_customer"
    filterset_class = CustomerFilter
    template_name = "sales/customer_list.html"

    def get_filterset(self, filterset_class: Any) -> CustomerFilter:
        return selectors.customer_list(
            user=acting_user(self.request), filters=self.request.GET or None
        )


def _validated_filters(cleaned_data: dict[str, Any]) -> dict[str, str]:
    """The values the filter form accepted, as query-string values the job binds again: never
    a raw parameter the form does not know."""
    params = {}
    for name, value in cleaned_data.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = ",".join(str(item) for item in value)
        params[name] = str(value)
    return params


class CustomerExportView(PermissionRequiredMixin, View):
    """The filtered customer list (exactly the list's rows, all pages) as CSV or XLSX."""

    permission_required = ("sales.view_customer", "sales.export_customer")

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user = acting_user(request)
        filters = {key: value for key, value in request.GET.items() if key != "format"}
        customers = selectors.customer_list(user=user, filters=filters)
        if not customers.is_valid():
            messages.error(request, _("Correct the filters before exporting."))
            return redirect(f"{reverse('sales:customer-list')}?{request.GET.urlencode()}")
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        if customers.qs.count() > settings.EXPORT_ASYNC_ROWS:
            job = job_services.export_start(
                user=user,
                exporter=exports.CustomerExporter,
                params=_validated_filters(customers.form.cleaned_data),
                fmt=fmt,
            )
            messages.info(request, _("The export is large; it is prepared in the background."))
            return redirect("jobs:detail", pk=job.pk)
        rows = exports.customer_rows(customers.qs)
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"{_('customers')}-{stamp}"
        if fmt == "xlsx":
            return xlsx_response(
                f"{filename}.xlsx",
                title=_("Customers"),
                headers=exports.customer_headers(),
                rows=rows,
            )
        return csv_response(f"{filename}.csv", exports.customer_headers(), rows)


class CustomerDetailView(PermissionRequiredMixin, TemplateView):
    """The customer page: its fields, then its contacts, interactions, orders and losses."""

    permission_required = "sales.view_customer"
    template_name = "sales/customer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        customer = selectors.customer_detail(user, kwargs["number"])
        can_share = can_share_customer(user, customer)
        return super().get_context_data(
            customer=customer,
            can_edit=can_edit_customer(user, customer),
            can_share=can_share,
            shares=services.customer_shares(customer) if can_share else [],
            contacts=list(customer.contacts.all()),
            activities=list(customer.activities.all()[:10]),
            orders=list(selectors.order_list(customer)[:10]),
            losses=list(customer.losses.all()),
            # Sections other modules contribute (service requests…), each with its own context.
            sections=customer_sections(user, customer),
            **kwargs,
        )


class CustomerCreateView(ServiceFormView):
    permission_required = "sales.change_customer"
    form_class = CustomerForm
    template_name = "sales/customer_form.html"
    create_heading = gettext_lazy("New customer")

    def save(self, form: CustomerForm) -> str:
        user = acting_user(self.request)
        data = dict(form.cleaned_data)
        self.created = services.customer_create(
            actor=user, name=data.pop("name"), manager=user, **data
        )
        return _("Customer “%(name)s” was created.") % {"name": self.created.name}

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.created.number])

    def get_back_url(self) -> str:
        return reverse("sales:customer-list")


def _editable_customer(request: HttpRequest, number: str) -> Customer:
    """A customer the user may change: 404 outside their scope, 403 when only readable."""
    user = acting_user(request)
    customer = selectors.customer_detail(user, number)
    if not can_edit_customer(user, customer):
        raise PermissionDenied
    return customer


class CustomerEditView(ServiceFormView):
    permission_required = "sales.view_customer"
    form_class = CustomerForm
    template_name = "sales/customer_form.html"
    edit_heading = gettext_lazy("Edit customer")

    def get_object(self) -> Customer:
        return _editable_customer(self.request, self.kwargs["number"])

    def save(self, form: CustomerForm) -> str:
        services.customer_update(
            actor=acting_user(self.request), customer=self.object, **form.cleaned_data
        )
        return _("Customer “%(name)s” was saved.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.object.number])


class CustomerDeleteView(ConfirmDeleteView):
    permission_required = "sales.change_customer"
    success_url_name = "sales:customer-list"

    def get_object(self) -> Customer:
        user = acting_user(self.request)
        customer = selectors.customer_detail(user, self.kwargs["number"])
        if not can_delete_customer(user, customer):
            raise PermissionDenied
        return customer

    def cancel_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.object.number])

    def delete(self) -> str:
        services.customer_delete(actor=acting_user(self.request), customer=self.object)
        return _("Customer “%(name)s” was deleted.") % {"name": self.object.name}


# Transfer and sharing ---------------------------------------------------------------------------


class _SelectedCustomersView(PermissionRequiredMixin, TemplateView):
    """A form applied to the customers ticked in the list (`?customer=<number>`…)."""

    form_class: type[Any]
    template_name = "sales/customer_bulk.html"
    heading: Any = ""

    def selected(self) -> list[Customer]:
        numbers = self.request.POST.getlist("customer") or self.request.GET.getlist("customer")
        customers = list(self.allowed().filter(number__in=numbers[:500]).order_by("number"))
        if not customers:
            raise Http404(_("Tick the customers first."))
        return customers

    def allowed(self) -> QuerySet[Customer]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.form_class())
        return super().get_context_data(customers=self.selected(), heading=self.heading, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            message = self.apply(self.selected(), form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, message)
        return redirect("sales:customer-list")

    def apply(self, customers: list[Customer], data: dict[str, Any]) -> str:
        raise NotImplementedError


class CustomerTransferView(_SelectedCustomersView):
    permission_required = "sales.transfer_customer"
    form_class = TransferForm
    heading = gettext_lazy("Transfer customers")

    def allowed(self) -> QuerySet[Customer]:
        return transferable_customers(acting_user(self.request))

    def apply(self, customers: list[Customer], data: dict[str, Any]) -> str:
        moved = services.customer_transfer(
            actor=acting_user(self.request),
            customers=customers,
            to_manager=data["to_manager"],
            note=data["note"],
        )
        return ngettext(
            "%(count)d customer was transferred to %(user)s.",
            "%(count)d customers were transferred to %(user)s.",
            moved,
        ) % {"count": moved, "user": data["to_manager"]}


class CustomerShareView(_SelectedCustomersView):
    permission_required = "sales.share_customer"
    form_class = ShareForm
    heading = gettext_lazy("Share customers")

    def allowed(self) -> QuerySet[Customer]:
        return shareable_customers(acting_user(self.request))

    def apply(self, customers: list[Customer], data: dict[str, Any]) -> str:
        shared = services.customer_share(
            actor=acting_user(self.request),
            customers=customers,
            user=data["user"],
            can_edit=data["can_edit"],
        )
        return ngettext(
            "%(count)d customer is now shared with %(user)s.",
            "%(count)d customers are now shared with %(user)s.",
            shared,
        ) % {"count": shared, "user": data["user"]}


class CustomerUnshareView(ActionView):
    permission_required = "sales.share_customer"

    def perform(self) -> str:
        user = acting_user(self.request)
        self.customer = selectors.customer_detail(user, self.kwargs["number"])
        if not can_share_customer(user, self.customer):
            raise PermissionDenied
        other = get_object_or_404(User, pk=self.kwargs["user_id"])
        services.customer_unshare(actor=user, customer=self.customer, user=other)
        return _("The share with %(user)s was taken back.") % {"user": other}

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.customer.number])


# Contacts and interactions ----------------------------------------------------------------------


class _CustomerPartFormView(ServiceFormView):
    """Create or edit a contact or an interaction of a customer the user may change."""

    permission_required = "sales.view_customer"
    model: type[Contact] | type[Activity]

    def get_object(self) -> Any:
        self.customer = _editable_customer(self.request, self.kwargs["number"])
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.model, pk=self.kwargs["pk"], customer=self.customer)

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.customer.number])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(customer=self.customer, **kwargs)


class ContactFormView(_CustomerPartFormView):
    model = Contact
    form_class = ContactForm
    template_name = "sales/part_form.html"
    create_heading = gettext_lazy("New contact")
    edit_heading = gettext_lazy("Edit contact")

    def save(self, form: ContactForm) -> str:
        actor = acting_user(self.request)
        data = dict(form.cleaned_data)
        if self.object is None:
            contact = services.contact_create(
                actor=actor, customer=self.customer, name=data.pop("name"), **data
            )
        else:
            contact = services.contact_update(actor=actor, contact=self.object, **data)
        return _("Contact “%(name)s” was saved.") % {"name": contact.name}


class ActivityFormView(_CustomerPartFormView):
    model = Activity
    form_class = ActivityForm
    template_name = "sales/part_form.html"
    create_heading = gettext_lazy("New interaction")
    edit_heading = gettext_lazy("Edit interaction")

    def save(self, form: ActivityForm) -> str:
        activity = self.object or Activity(customer=self.customer)
        services.activity_save(
            actor=acting_user(self.request), activity=activity, **form.cleaned_data
        )
        return _("Interaction “%(title)s” was saved.") % {"title": activity.title}


class _CustomerPartDeleteView(ConfirmDeleteView):
    permission_required = "sales.view_customer"
    model: type[Contact] | type[Activity]

    def get_object(self) -> Any:
        self.customer = _editable_customer(self.request, self.kwargs["number"])
        return get_object_or_404(self.model, pk=self.kwargs["pk"], customer=self.customer)

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.customer.number])


class ContactDeleteView(_CustomerPartDeleteView):
    model = Contact

    def delete(self) -> str:
        services.contact_delete(actor=acting_user(self.request), contact=self.object)
        return _("Contact “%(name)s” was deleted.") % {"name": self.object.name}


class ActivityDeleteView(_CustomerPartDeleteView):
    model = Activity

    def delete(self) -> str:
        services.activity_delete(actor=acting_user(self.request), activity=self.object)
        return _("Interaction “%(title)s” was deleted.") % {"title": self.object.title}


# Orders -----------------------------------------------------------------------------------------


class OrderListView(PermissionRequiredMixin, TemplateView):
    permission_required = "sales.view_customer"
    template_name = "sales/order_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        customer = selectors.customer_detail(acting_user(self.request), kwargs["number"])
        page = paginate(self.request, selectors.order_list(customer))
        return super().get_context_data(customer=customer, **page, **kwargs)


class OrderDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "sales.view_customer"
    template_name = "sales/order_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        customer = selectors.customer_detail(acting_user(self.request), kwargs["number"])
        order = get_object_or_404(selectors.order_list(customer), pk=kwargs["pk"])
        lines = list(order.lines.select_related("product"))
        return super().get_context_data(customer=customer, order=order, lines=lines, **kwargs)


# Customer loss ----------------------------------------------------------------------------------


class LossListView(ListPageView):
    permission_required = "sales.view_customerloss"
    filterset_class = LossFilter
    heading = gettext_lazy("Customer loss")
    template_name = "sales/loss_list.html"

    def get_queryset(self) -> QuerySet[CustomerLoss]:
        return selectors.loss_list(acting_user(self.request))


class _LossFormView(ServiceFormView):
    permission_required = "sales.handle_loss"
    template_name = "sales/loss_form.html"
    success_url_name = "sales:loss-list"

    def get_object(self) -> CustomerLoss:
        user = acting_user(self.request)
        loss = get_object_or_404(selectors.loss_list(user), pk=self.kwargs["pk"])
        if not can_handle_loss(user, loss):
            raise PermissionDenied(_("This loss record is closed."))
        return loss

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            loss=self.object, measures=list(self.object.measures.all()), **kwargs
        )


class LossPauseView(_LossFormView):
    form_class = LossPauseForm
    edit_heading = gettext_lazy("Pause the loss")

    def save(self, form: LossPauseForm) -> str:
        services.loss_pause(
            actor=acting_user(self.request), loss=self.object, measure=form.cleaned_data["measure"]
        )
        return _("The measure was added; the loss of “%(name)s” is paused.") % {
            "name": self.object.customer.name
        }


class LossConfirmView(_LossFormView):
    form_class = LossConfirmForm
    edit_heading = gettext_lazy("Confirm the loss")

    def save(self, form: LossConfirmForm) -> str:
        services.loss_confirm(
            actor=acting_user(self.request), loss=self.object, reason=form.cleaned_data["reason"]
        )
        return _("The loss of “%(name)s” is confirmed.") % {"name": self.object.customer.name}


# Imports ----------------------------------------------------------------------------------------


class CustomerImportView(ImportUploadView):
    importer = CustomerImporter
    back_url_name = "sales:customer-list"


class OrderImportView(ImportUploadView):
    importer = OrderImporter
    back_url_name = "sales:customer-list"
