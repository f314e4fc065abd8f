from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
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
from sales.filters import ActivityFilter, CustomerFilter, LossFilter, filter_params
from sales.forms import (
    ActivityCommentForm,
    ActivityForm,
    BulkExportForm,
    BulkTagForm,
    ContactForm,
    CustomerCreateForm,
    CustomerForm,
    GroupForm,
    LossConfirmForm,
    LossPauseForm,
    ShareForm,
    TagForm,
    TagsForm,
    TransferForm,
)
from sales.importers import CustomerImporter, OrderImporter
from sales.models import Activity, Contact, Customer, CustomerGroup, CustomerLoss, Tag
from sales.permissions import (
    can_change_group,
    can_comment_activity,
    can_delete_customer,
    can_edit_customer,
    can_handle_loss,
    can_share_customer,
    can_share_group,
    can_tag_customer,
    shareable_customers,
    transferable_customers,
    visible_customers,
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        group = self.filterset.chosen_group()
        user = acting_user(self.request)
        context["group"] = group
        context["can_change_group"] = group is not None and can_change_group(user, group)
        return context


class CustomerExportView(PermissionRequiredMixin, View):
    """The filtered customer list (exactly the list's rows, all pages) as CSV or XLSX."""

    permission_required = ("sales.view_customer", "sales.export_customer")

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user = acting_user(request)
        filters = request.GET.copy()
        filters.pop("format", None)
        customers = selectors.customer_list(user=user, filters=filters)
        if not customers.is_valid():
            messages.error(request, _("Correct the filters before exporting."))
            return redirect(f"{reverse('sales:customer-list')}?{request.GET.urlencode()}")
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        if customers.qs.count() > settings.EXPORT_ASYNC_ROWS:
            job = job_services.export_start(
                user=user,
                exporter=exports.CustomerExporter,
                params=filter_params(customers.form.cleaned_data),
                fmt=fmt,
            )
            messages.info(request, _("The export is large; it is prepared in the background."))
            return redirect("jobs:detail", pk=job.pk)
        audit_record(
            action=AuditEvent.Action.EXPORT,
            actor=user,
            object_type="sales.customer",
            label=str(_("Customers")),
            details={
                "rows": customers.qs.count(),
                "filters": filter_params(customers.form.cleaned_data),
                "format": fmt,
            },
        )
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A merged customer's number leads to the survivor's page (if the user may see it).
            survivor = selectors.merged_customer_survivor(acting_user(request), kwargs["number"])
            if survivor is None:
                raise
            return HttpResponseRedirect(reverse("sales:customer-detail", args=[survivor]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        customer = selectors.customer_detail(user, kwargs["number"], page=True)
        can_share = can_share_customer(user, customer)
        return super().get_context_data(
            customer=customer,
            tags=customer.page_tags,  # type: ignore[attr-defined]
            lifecycle=customer.lifecycle,  # type: ignore[attr-defined]
            can_tag=can_tag_customer(user, customer),
            can_edit=can_edit_customer(user, customer),
            can_share=can_share,
            shares=services.customer_shares(customer) if can_share else [],
            contacts=list(customer.contacts.all()),
            activities=list(customer.activities.select_related("author")[:10]),
            orders=list(selectors.order_list(customer)[:10]),
            losses=list(customer.losses.all()),
            # Sections other modules contribute (service requests…), each with its own context.
            sections=customer_sections(user, customer),
            **kwargs,
        )


class CustomerCreateView(ServiceFormView):
    permission_required = "sales.change_customer"
    form_class = CustomerCreateForm
    template_name = "sales/customer_form.html"
    create_heading = gettext_lazy("New customer")

    def form_valid(self, form: CustomerCreateForm) -> HttpResponse:
        # Possible duplicates are shown first; "create anyway" continues.
        if not form.cleaned_data.pop("create_anyway", False):
            duplicates = selectors.similar_customers(
                user=acting_user(self.request),
                name=form.cleaned_data["name"],
                phone=form.cleaned_data.get("phone", ""),
            )
            if duplicates:
                return self.render_to_response(
                    self.get_context_data(form=form, duplicates=duplicates)
                )
        return super().form_valid(form)

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


class CustomerBulkTagView(_SelectedCustomersView):
    """Add tags to (or take them off) the ticked customers, after confirming."""

    permission_required = "sales.change_customer"
    form_class = BulkTagForm
    heading = gettext_lazy("Tag customers")

    def allowed(self) -> QuerySet[Customer]:
        return visible_customers(acting_user(self.request))

    def apply(self, customers: list[Customer], data: dict[str, Any]) -> str:
        remove = data["action"] == BulkTagForm.REMOVE
        count = services.customer_tags_bulk(
            actor=acting_user(self.request), customers=customers, tags=data["tags"], remove=remove
        )
        names = "、".join(tag.name for tag in data["tags"])
        if remove:
            return ngettext(
                "The tags %(tags)s were taken off %(count)d customer.",
                "The tags %(tags)s were taken off %(count)d customers.",
                count,
            ) % {"count": count, "tags": names}
        return ngettext(
            "%(count)d customer was tagged %(tags)s.",
            "%(count)d customers were tagged %(tags)s.",
            count,
        ) % {"count": count, "tags": names}


class CustomerBulkExportView(_SelectedCustomersView):
    """Confirm the export of the ticked customers: the list's export, filtered by them."""

    permission_required = ("sales.view_customer", "sales.export_customer")
    form_class = BulkExportForm
    heading = gettext_lazy("Export the ticked customers")
    template_name = "sales/customer_bulk_export.html"

    def allowed(self) -> QuerySet[Customer]:
        return visible_customers(acting_user(self.request))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        numbers = [customer.number for customer in self.selected()]
        params = {"customer": numbers, "format": form.cleaned_data["format"]}
        return redirect(f"{reverse('sales:customer-export')}?{urlencode(params, doseq=True)}")


class CustomerTagsView(ServiceFormView):
    """The tags of one customer: tick the ones it carries."""

    permission_required = "sales.view_customer"
    form_class = TagsForm
    template_name = "layouts/form.html"
    edit_heading = gettext_lazy("Tags of the customer")

    def get_object(self) -> Customer:
        user = acting_user(self.request)
        customer = selectors.customer_detail(user, self.kwargs["number"])
        if not can_tag_customer(user, customer):
            raise PermissionDenied
        return customer

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {"tags": selectors.customer_tags(self.object)}
        return kwargs

    def save(self, form: TagsForm) -> str:
        services.customer_tags_set(
            actor=acting_user(self.request), customer=self.object, tags=form.cleaned_data["tags"]
        )
        return _("The tags of “%(name)s” were saved.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return reverse("sales:customer-detail", args=[self.object.number])


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

    def get_initial(self) -> dict[str, Any]:
        if self.object is None:
            return {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        return super().get_initial()

    def save(self, form: ActivityForm) -> str:
        activity = self.object or Activity(customer=self.customer)
        services.activity_save(
            actor=acting_user(self.request), activity=activity, **form.cleaned_data
        )
        return _("Interaction “%(title)s” was saved.") % {"title": activity.title}


class ActivityListView(ListPageView):
    """Every interaction of every visible customer: by rep, by date range, by kind."""

    permission_required = "sales.view_customer"
    filterset_class = ActivityFilter
    template_name = "sales/activity_list.html"
    heading = gettext_lazy("Interactions")
    customer: Customer | None = None

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activity_rows(acting_user(self.request), self.customer)

    def get_deep_queryset(self) -> QuerySet[Activity]:
        return selectors.activity_rows(acting_user(self.request), self.customer, hashed=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(customer=self.customer, **kwargs)


class CustomerActivityListView(ActivityListView):
    """Every interaction of one customer, paged, filtered and sorted."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.customer = selectors.customer_detail(acting_user(request), kwargs["number"])
        return super().get(request, *args, **kwargs)


class ActivityDetailView(PermissionRequiredMixin, TemplateView):
    """One interaction with its superiors' comments (批复); a superior adds one here."""

    permission_required = "sales.view_customer"
    template_name = "sales/activity_detail.html"

    def _load(self) -> None:
        user = acting_user(self.request)
        self.customer = selectors.customer_detail(user, self.kwargs["number"])
        self.activity = selectors.activity_detail(user, self.customer, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        can_comment = can_comment_activity(user, self.activity)
        form = kwargs.pop("form", None) or (ActivityCommentForm() if can_comment else None)
        return super().get_context_data(
            customer=self.customer,
            activity=self.activity,
            comments=selectors.activity_comments(self.activity),
            can_comment=can_comment,
            can_edit=can_edit_customer(user, self.customer),
            form=form,
            **kwargs,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load()
        if not can_comment_activity(acting_user(request), self.activity):
            raise PermissionDenied
        form = ActivityCommentForm(request.POST)
        if form.is_valid():
            try:
                services.activity_comment_add(
                    actor=acting_user(request),
                    activity=self.activity,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your comment was added; the rep is notified."))
                return redirect(
                    "sales:activity-detail", number=self.customer.number, pk=self.activity.pk
                )
        return self.render_to_response(self.get_context_data(form=form))


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


# Tags -------------------------------------------------------------------------------------------


class TagListView(ListPageView):
    permission_required = "sales.manage_tags"
    heading = gettext_lazy("Tags")
    template_name = "sales/tag_list.html"
    paginate_by = None

    def get_queryset(self) -> QuerySet[Tag]:
        return selectors.tag_list()


class TagFormView(ServiceFormView):
    permission_required = "sales.manage_tags"
    form_class = TagForm
    template_name = "sales/tag_form.html"
    success_url_name = "sales:tag-list"
    create_heading = gettext_lazy("New tag")
    edit_heading = gettext_lazy("Edit tag")

    def get_object(self) -> Tag | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Tag, pk=self.kwargs["pk"])

    def save(self, form: TagForm) -> str:
        tag = services.tag_save(
            actor=acting_user(self.request),
            tag=self.object,
            name=form.cleaned_data["name"],
            colour=form.cleaned_data["colour"],
        )
        return _("Tag “%(name)s” was saved.") % {"name": tag.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(palette=Tag.PALETTE, **kwargs)


class TagDeleteView(ConfirmDeleteView):
    permission_required = "sales.manage_tags"
    success_url_name = "sales:tag-list"

    def get_object(self) -> Tag:
        return get_object_or_404(Tag, pk=self.kwargs["pk"])

    def delete(self) -> str:
        services.tag_delete(actor=acting_user(self.request), tag=self.object)
        return _("Tag “%(name)s” was deleted.") % {"name": self.object.name}


# Customer groups --------------------------------------------------------------------------------


class GroupListView(ListPageView):
    """The user's own and the shared groups; each member count loads on its own (htmx)."""

    permission_required = "sales.view_customergroup"
    heading = gettext_lazy("Customer groups")
    template_name = "sales/group_list.html"

    def get_queryset(self) -> QuerySet[CustomerGroup]:
        return selectors.group_list(acting_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = acting_user(self.request)
        context["changeable"] = {
            group.pk for group in context["object_list"] if can_change_group(user, group)
        }
        return context


class GroupCountView(PermissionRequiredMixin, TemplateView):
    """One group's member count for the viewer (an htmx fragment of the group list)."""

    permission_required = "sales.view_customergroup"
    template_name = "sales/_group_count.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        group = selectors.group_detail(user, kwargs["pk"])
        count = selectors.group_member_count(user=user, group=group)
        cap = settings.CRM_COUNT_CAP
        return super().get_context_data(
            group=group, count=min(count, cap), capped=count > cap, **kwargs
        )


class GroupFormView(ServiceFormView):
    """Save the customer list's current filter (the query string) as a group."""

    permission_required = "sales.view_customergroup"
    form_class = GroupForm
    template_name = "sales/group_form.html"
    create_heading = gettext_lazy("Save the filter as a customer group")
    edit_heading = gettext_lazy("Edit customer group")

    def get_object(self) -> CustomerGroup | None:
        if "pk" not in self.kwargs:
            return None
        user = acting_user(self.request)
        group = selectors.group_detail(user, self.kwargs["pk"])
        if not can_change_group(user, group):
            raise PermissionDenied
        return group

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["can_share"] = can_share_group(acting_user(self.request))
        kwargs["prefix"] = "group"  # the filter's own fields (name…) come beside the form's
        return kwargs

    def filters(self) -> dict[str, Any] | None:
        """The filter to save: the query string on a new group (validated by the service)."""
        if self.object is not None:
            return None
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return {
            key: source.getlist(key) if len(source.getlist(key)) > 1 else source.get(key)
            for key in source
            if key not in {"csrfmiddlewaretoken", "page", "per_page", "o"}
            and not key.startswith("group-")
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = (self.object.filters if self.object is not None else self.filters()) or {}
        listed = {
            key: value if isinstance(value, list) else [value] for key, value in filters.items()
        }
        hidden = (
            []
            if self.object is not None
            else [(key, item) for key, values in listed.items() for item in values]
        )
        return super().get_context_data(saved_filters=listed, hidden_filters=hidden, **kwargs)

    def save(self, form: GroupForm) -> str:
        self.group = services.group_save(
            actor=acting_user(self.request),
            group=self.object,
            name=form.cleaned_data["name"],
            shared=form.cleaned_data.get("shared", self.object.shared if self.object else False),
            filters=self.filters(),
        )
        return _("Customer group “%(name)s” was saved.") % {"name": self.group.name}

    def get_success_url(self) -> str:
        return f"{reverse('sales:customer-list')}?group={self.group.pk}"

    def get_back_url(self) -> str:
        return reverse("sales:group-list")


class GroupDeleteView(ConfirmDeleteView):
    permission_required = "sales.view_customergroup"
    success_url_name = "sales:group-list"

    def get_object(self) -> CustomerGroup:
        user = acting_user(self.request)
        group = selectors.group_detail(user, self.kwargs["pk"])
        if not can_change_group(user, group):
            raise PermissionDenied
        return group

    def delete(self) -> str:
        services.group_delete(actor=acting_user(self.request), group=self.object)
        return _("Customer group “%(name)s” was deleted.") % {"name": self.object.name}
