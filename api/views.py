"""The endpoints: the apps' selectors for reads, their services for writes."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from api import serializers as s
from api.base import ApiViewSet
from inventory.filters import DictItemFilter, ProductFilter, StockFilter
from inventory.models import DictItem, Product, Stock
from marketing import selectors as marketing_selectors
from marketing import services as marketing_services
from marketing.filters import CampaignFilter, ChanceFilter, QuoteFilter
from marketing.models import PlanItem
from reports.registry import REPORTS, build_report
from sales import selectors as sales_selectors
from sales import services as sales_services
from sales.filters import CustomerFilter
from sales.models import Activity, Contact, Order
from sales.permissions import can_edit_customer, customer_visibility
from service import selectors as service_selectors
from service import services as service_services
from service.filters import TicketFilter
from tasks import selectors as task_selectors
from tasks import services as task_services
from tasks.filters import TaskFilter

READ = ("list", "retrieve")


class _ReadMixin(mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


# Customers --------------------------------------------------------------------------------------


class CustomerViewSet(_ReadMixin, ApiViewSet):
    """Customers the user may see (`sales.permissions.visible_customers`)."""

    serializer_class = s.CustomerSerializer
    related = {"manager_name": "manager"}
    filterset_class = CustomerFilter
    lookup_field = "number"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = "sales.view_customer"
    action_rights = {"create": "sales.change_customer", "destroy": "sales.change_customer"}

    def get_queryset(self) -> Any:
        return sales_selectors.customer_list(user=self.actor, filters=None).qs

    def build_filterset(self, params: Any, queryset: Any) -> CustomerFilter:
        return sales_selectors.customer_list(user=self.actor, filters=params)

    def create(self, request: Any) -> Response:
        data = dict(self.body(s.CustomerSerializer))
        customer = sales_services.customer_create(
            actor=self.actor, name=data.pop("name"), manager=self.actor, **data
        )
        return self.out(customer, status=201)

    def _editable(self) -> Any:
        customer = self.get_object()
        if not can_edit_customer(self.actor, customer):
            raise PermissionDenied
        return customer

    def partial_update(self, request: Any, number: str) -> Response:
        customer = self._editable()
        data = self.body(s.CustomerSerializer, partial=True)
        customer = sales_services.customer_update(actor=self.actor, customer=customer, **data)
        return self.out(customer)

    def destroy(self, request: Any, number: str) -> Response:
        customer = self._editable()
        sales_services.customer_delete(actor=self.actor, customer=customer)
        return Response(status=204)


class _CustomerPartViewSet(_ReadMixin, ApiViewSet):
    """Contacts and interactions of the visible customers; writes where the customer is
    editable (403 when only readable), as the customer page allows."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = "sales.view_customer"
    update_serializer_class: Any

    def _editable(self) -> Any:
        part = self.get_object()
        if not can_edit_customer(self.actor, part.customer):
            raise PermissionDenied
        return part

    def _check_customer(self, customer: Any) -> None:
        if not can_edit_customer(self.actor, customer):
            raise PermissionDenied


class ContactViewSet(_CustomerPartViewSet):
    serializer_class = s.ContactSerializer
    related = {"customer": "customer"}
    update_serializer_class = s.ContactUpdateSerializer

    def get_queryset(self) -> Any:
        return (
            Contact.objects.filter(customer_visibility(self.actor, per_row=True))
            .select_related("customer")
            .order_by("-id")
        )

    def create(self, request: Any) -> Response:
        data = dict(self.body(s.ContactSerializer))
        customer = data.pop("customer")
        self._check_customer(customer)
        contact = sales_services.contact_create(
            actor=self.actor, customer=customer, name=data.pop("name"), **data
        )
        return self.out(contact, status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        contact = self._editable()
        data = self.body(s.ContactUpdateSerializer, partial=True)
        contact = sales_services.contact_update(actor=self.actor, contact=contact, **data)
        return self.out(contact)

    def destroy(self, request: Any, pk: str) -> Response:
        sales_services.contact_delete(actor=self.actor, contact=self._editable())
        return Response(status=204)


class InteractionViewSet(_CustomerPartViewSet):
    serializer_class = s.InteractionSerializer
    related = {"customer": "customer"}

    def get_queryset(self) -> Any:
        return (
            Activity.objects.filter(customer_visibility(self.actor, per_row=True))
            .select_related("customer")
            .order_by("-id")
        )

    def create(self, request: Any) -> Response:
        data = dict(self.body(s.InteractionSerializer))
        customer = data.pop("customer")
        self._check_customer(customer)
        activity = sales_services.activity_save(
            actor=self.actor, activity=Activity(customer=customer), **data
        )
        return self.out(activity, status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        activity = self._editable()
        data = self.body(s.InteractionUpdateSerializer, partial=True)
        activity = sales_services.activity_save(actor=self.actor, activity=activity, **data)
        return self.out(activity)

    def destroy(self, request: Any, pk: str) -> Response:
        sales_services.activity_delete(actor=self.actor, activity=self._editable())
        return Response(status=204)


class OrderViewSet(_ReadMixin, ApiViewSet):
    """Orders of the visible customers (read only: they come from the sales system)."""

    related = {"customer": "customer"}

    permission_required = "sales.view_customer"

    def get_serializer_class(self) -> Any:
        return s.OrderDetailSerializer if self.action == "retrieve" else s.OrderSerializer

    def get_queryset(self) -> Any:
        orders = Order.objects.filter(customer_visibility(self.actor, per_row=True)).select_related(
            "customer"
        )
        if self.action == "retrieve" and (self._sparse is None or "lines" in self._sparse):
            orders = orders.prefetch_related("lines")
        return orders.order_by("-id")


# Opportunities and plans ------------------------------------------------------------------------


class OpportunityViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.OpportunitySerializer
    related = {"customer": "customer"}
    filterset_class = ChanceFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = "marketing.view_chance"
    bodiless_actions = ("win",)
    action_rights = {
        "assign": "marketing.assign_chance",
        "reassign": "marketing.assign_chance",
        "win": "marketing.view_plan",
        "fail": "marketing.view_plan",
    }

    def get_queryset(self) -> Any:
        return marketing_selectors.chance_list(self.actor).select_related("customer")

    def create(self, request: Any) -> Response:
        chance = marketing_services.chance_create(
            actor=self.actor, **self.body(s.OpportunitySerializer)
        )
        return self.out(chance, status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        chance = self.get_object()
        data = self.body(s.OpportunitySerializer, partial=True)
        return self.out(marketing_services.chance_update(actor=self.actor, chance=chance, **data))

    def destroy(self, request: Any, pk: str) -> Response:
        marketing_services.chance_delete(actor=self.actor, chance=self.get_object())
        return Response(status=204)

    def _assignee(self) -> Any:
        pk = self.body(s.AssignSerializer)["assignee"]
        assignee = marketing_services.assignable_users().filter(pk=pk).first()
        if assignee is None:
            raise s.serializers.ValidationError(
                {"assignee": [str(marketing_services.NOT_ASSIGNABLE)]}
            )
        return assignee

    @extend_schema(request=s.AssignSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Any, pk: str) -> Response:
        """Assign an unassigned opportunity (status 1 → 2)."""
        chance = self.get_object()
        return self.out(
            marketing_services.chance_assign(
                actor=self.actor, chance=chance, assignee=self._assignee()
            )
        )

    @extend_schema(request=s.AssignSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Any, pk: str) -> Response:
        """Give a developing opportunity to another manager."""
        chance = self.get_object()
        return self.out(
            marketing_services.chance_reassign(
                actor=self.actor, chance=chance, assignee=self._assignee()
            )
        )

    @extend_schema(request=None, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def win(self, request: Any, pk: str) -> Response:
        """Succeed: status 3 and a new customer managed by the assignee."""
        chance = self.get_object()
        marketing_services.chance_win(actor=self.actor, chance=chance)
        return self.out(self.get_queryset().get(pk=chance.pk))

    @extend_schema(request=s.FailSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request: Any, pk: str) -> Response:
        """Fail: status 4, with the reason (a lost-reason entry of the dictionary)."""
        chance = self.get_object()
        reason = self.body(s.FailSerializer)["reason"]
        return self.out(
            marketing_services.chance_fail(actor=self.actor, chance=chance, reason=reason)
        )


class PlanItemViewSet(_ReadMixin, ApiViewSet):
    """Plan items of the opportunities on the user's development page."""

    serializer_class = s.PlanItemSerializer
    related: dict[str, str] = {}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = "marketing.view_plan"

    def get_queryset(self) -> Any:
        chances = marketing_selectors.development_list(self.actor)
        return PlanItem.objects.filter(chance__in=chances.values("pk")).order_by("-id")

    def create(self, request: Any) -> Response:
        data = self.body(s.PlanItemSerializer)
        item = marketing_services.plan_add(
            actor=self.actor, chance=data["chance"], date=data["date"], todo=data["todo"]
        )
        return self.out(item, status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        item = self.get_object()
        data = self.body(s.PlanItemUpdateSerializer, partial=True)
        item = marketing_services.plan_update(
            actor=self.actor,
            item=item,
            date=data.get("date", item.date),
            todo=data.get("todo", item.todo),
        )
        return self.out(item)

    def destroy(self, request: Any, pk: str) -> Response:
        marketing_services.plan_delete(actor=self.actor, item=self.get_object())
        return Response(status=204)

    @extend_schema(request=s.ResultSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request: Any, pk: str) -> Response:
        """Record what came of a plan item."""
        item = self.get_object()
        result = self.body(s.ResultSerializer)["result"]
        return self.out(marketing_services.plan_execute(actor=self.actor, item=item, result=result))


# Service tickets --------------------------------------------------------------------------------


class TicketViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.TicketSerializer
    related = {"customer": "customer"}
    filterset_class = TicketFilter
    http_method_names = ["get", "post", "delete", "head", "options"]
    permission_required = "service.view_servicerequest"
    action_rights = {
        "create": "service.add_servicerequest",
        "destroy": "service.allocate_servicerequest",
        "allocate": "service.allocate_servicerequest",
        "handle": "service.handle_servicerequest",
        "feedback": "service.feedback_servicerequest",
    }

    def get_queryset(self) -> Any:
        # One request (a detail or an action on it): its customer tested on that row alone.
        return service_selectors.ticket_list(self.actor, per_row=self.action != "list")

    def create(self, request: Any) -> Response:
        data = self.body(s.TicketSerializer)
        ticket = service_services.request_create(actor=self.actor, **data)
        return self.out(self.get_queryset().get(pk=ticket.pk), status=201)

    def destroy(self, request: Any, pk: str) -> Response:
        service_services.request_delete(actor=self.actor, ticket=self.get_object())
        return Response(status=204)

    @extend_schema(request=s.AssignSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request: Any, pk: str) -> Response:
        """Allocate a new ticket to a handler."""
        ticket = self.get_object()
        pk_ = self.body(s.AssignSerializer)["assignee"]
        assignee = service_services.handlers().filter(pk=pk_).first()
        if assignee is None:
            raise s.serializers.ValidationError({"assignee": [str(service_services.NOT_A_HANDLER)]})
        service_services.request_allocate(actor=self.actor, ticket=ticket, assignee=assignee)
        return self.out(self.get_queryset().get(pk=ticket.pk))

    @extend_schema(request=s.HandleSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Any, pk: str) -> Response:
        """The assignee records the handling."""
        ticket = self.get_object()
        data = self.body(s.HandleSerializer)
        service_services.request_handle(actor=self.actor, ticket=ticket, **data)
        return self.out(self.get_queryset().get(pk=ticket.pk))

    @extend_schema(request=s.FeedbackSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Any, pk: str) -> Response:
        """The customer's feedback: satisfaction ≥ 3 archives the ticket."""
        ticket = self.get_object()
        data = self.body(s.FeedbackSerializer)
        service_services.request_feedback(actor=self.actor, ticket=ticket, **data)
        return self.out(self.get_queryset().get(pk=ticket.pk))


# Tasks ------------------------------------------------------------------------------------------


class TaskViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.TaskSerializer
    related = {"customer": "customer"}
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = "tasks.view_task"
    bodiless_actions = ("complete", "cancel", "reopen")

    def get_queryset(self) -> Any:
        return task_selectors.task_rows(self.actor)

    def build_filterset(self, params: Any, queryset: Any) -> TaskFilter:
        return TaskFilter(params, queryset=queryset, request_user=self.actor)

    def create(self, request: Any) -> Response:
        task = task_services.task_create(actor=self.actor, **self.body(s.TaskSerializer))
        return self.out(self.get_queryset().get(pk=task.pk), status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        task = self.get_object()
        data = dict(self.body(s.TaskSerializer, partial=True))
        task_services.task_update(actor=self.actor, task=task, data=data)
        return self.out(self.get_queryset().get(pk=task.pk))

    def _transition(self, service: Any) -> Response:
        task = self.get_object()
        service(actor=self.actor, task=task)
        return self.out(self.get_queryset().get(pk=task.pk))

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Any, pk: str) -> Response:
        return self._transition(task_services.task_complete)

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Any, pk: str) -> Response:
        return self._transition(task_services.task_cancel)

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Any, pk: str) -> Response:
        return self._transition(task_services.task_reopen)


# Inventory (read) -------------------------------------------------------------------------------


class ProductViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilter
    permission_required = "inventory.view_product"
    queryset = Product.objects.all()


class StockViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.StockSerializer
    related = {"product_name": "product"}
    filterset_class = StockFilter
    permission_required = "inventory.view_stock"
    queryset = Stock.objects.select_related("product")


class DictionaryViewSet(_ReadMixin, ApiViewSet):
    serializer_class = s.DictItemSerializer
    filterset_class = DictItemFilter
    permission_required = "inventory.change_dictitem"  # the dictionary page's right
    queryset = DictItem.objects.all()


# Reports ----------------------------------------------------------------------------------------


class ReportViewSet(ApiViewSet):
    """The four reports, with the report pages' filters as query parameters."""

    lookup_field = "slug"
    lookup_value_regex = "[a-z]+"
    fields_param = False  # a report is its tables, not a record
    pagination_class = None
    filter_backends = []
    serializer_class = s.ReportSerializer

    def required_rights(self) -> tuple[str, ...]:
        if self.action == "retrieve":
            spec = REPORTS.get(self.kwargs.get("slug", ""))
            return (spec.permission,) if spec else ()
        return ()

    @extend_schema(responses=s.ReportEntrySerializer(many=True))
    def list(self, request: Any) -> Response:
        """The reports the user may read."""
        return Response(
            [
                {"slug": spec.slug, "title": str(spec.title)}
                for spec in REPORTS.values()
                if self.actor.has_perm(spec.permission)
            ]
        )

    def retrieve(self, request: Any, slug: str) -> Response:
        if slug not in REPORTS:
            raise Http404
        params = {key: value for key, value in request.query_params.items() if key != "format"}
        report = build_report(slug, user=self.actor, params=params)
        return Response(s.ReportSerializer(report).data)


# Quotes -----------------------------------------------------------------------------------------


class QuoteViewSet(_ReadMixin, ApiViewSet):
    """Quotes of the visible customers: drafts written and changed here, each step an action."""

    related = {"customer": "customer", "order": "order"}
    filterset_class = QuoteFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = "marketing.view_quote"
    bodiless_actions = ("submit", "send")
    action_rights = {
        "create": "marketing.add_quote",
        "partial_update": "marketing.add_quote",
        "submit": "marketing.add_quote",
        "send": "marketing.add_quote",
        "accept": "marketing.add_quote",
        "decline": "marketing.add_quote",
        "approve": "marketing.approve_quote",
        "reject": "marketing.approve_quote",
    }

    def get_serializer_class(self) -> Any:
        return s.QuoteSerializer if self.action == "list" else s.QuoteDetailSerializer

    def get_queryset(self) -> Any:
        quotes = marketing_selectors.quote_queryset(self.actor)
        if self.action != "list" and (self._sparse is None or "lines" in self._sparse):
            quotes = quotes.prefetch_related("lines")
        return quotes

    def build_filterset(self, params: Any, queryset: Any) -> QuoteFilter:
        return QuoteFilter(params, queryset=queryset)

    def create(self, request: Any) -> Response:
        data = dict(self.body(s.QuoteDetailSerializer))
        quote = marketing_services.quote_create(actor=self.actor, **data)
        return Response(self.get_serializer(self._reread(quote)).data, status=201)

    def _reread(self, quote: Any) -> Any:
        return (
            marketing_selectors.quote_queryset(self.actor)
            .prefetch_related("lines")
            .get(pk=quote.pk)
        )

    def partial_update(self, request: Any, pk: str) -> Response:
        quote = self.get_object()
        data = dict(self.body(s.QuoteDetailSerializer, partial=True))
        if "lines" not in data:
            data["lines"] = [
                {name: getattr(line, name) for name in marketing_services.QUOTE_LINE_FIELDS}
                for line in quote.lines.all()
            ]
        quote = marketing_services.quote_update(actor=self.actor, quote=quote, **data)
        return self.out(self._reread(quote))

    @extend_schema(request=None, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: str) -> Response:
        """Draft → pending approval (a discount above the limit) or approved."""
        quote = marketing_services.quote_submit(actor=self.actor, quote=self.get_object())
        return self.out(self._reread(quote))

    @extend_schema(request=s.QuoteStepSerializer, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Any, pk: str) -> Response:
        """Pending → approved, by an approver other than the creator."""
        comment = self.body(s.QuoteStepSerializer)["comment"]
        quote = marketing_services.quote_approve(
            actor=self.actor, quote=self.get_object(), comment=comment
        )
        return self.out(self._reread(quote))

    @extend_schema(request=s.QuoteRefusalSerializer, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Any, pk: str) -> Response:
        """Pending → back to draft, with the reason."""
        comment = self.body(s.QuoteRefusalSerializer)["comment"]
        quote = marketing_services.quote_reject_approval(
            actor=self.actor, quote=self.get_object(), comment=comment
        )
        return self.out(self._reread(quote))

    @extend_schema(request=None, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Any, pk: str) -> Response:
        """Approved → sent to the customer."""
        quote = marketing_services.quote_send(actor=self.actor, quote=self.get_object())
        return self.out(self._reread(quote))

    @extend_schema(request=s.QuoteStepSerializer, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Any, pk: str) -> Response:
        """Sent → accepted by the customer: the order (`CRM…`) is created."""
        comment = self.body(s.QuoteStepSerializer)["comment"]
        quote = marketing_services.quote_accept(
            actor=self.actor, quote=self.get_object(), comment=comment
        )
        return self.out(self._reread(quote))

    @extend_schema(request=s.QuoteStepSerializer, responses=s.QuoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Any, pk: str) -> Response:
        """Sent → rejected by the customer."""
        comment = self.body(s.QuoteStepSerializer)["comment"]
        quote = marketing_services.quote_decline(
            actor=self.actor, quote=self.get_object(), comment=comment
        )
        return self.out(self._reread(quote))


# Campaigns ------------------------------------------------------------------------------------


class CampaignViewSet(_ReadMixin, ApiViewSet):
    """Campaigns (`marketing.permissions.visible_campaigns`): proposed here while planned, then
    approved (by an approver other than the owner), started, finished or cancelled."""

    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilter
    related = {"kind": "kind", "target_group": "target_group"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = "marketing.view_campaign"
    bodiless_actions = ("approve", "start", "finish", "cancel")
    action_rights = {
        "create": "marketing.add_campaign",
        "partial_update": "marketing.add_campaign",
        "approve": "marketing.approve_campaign",
    }

    def get_queryset(self) -> Any:
        return marketing_selectors.campaign_list(self.actor).order_by("-id")

    def build_filterset(self, params: Any, queryset: Any) -> CampaignFilter:
        return CampaignFilter(params, queryset=queryset)

    def _reread(self, campaign: Any) -> Any:
        return self.get_queryset().get(pk=campaign.pk)

    def create(self, request: Any) -> Response:
        data = dict(self.body(s.CampaignSerializer))
        campaign = marketing_services.campaign_create(actor=self.actor, **data)
        return self.out(self._reread(campaign), status=201)

    def partial_update(self, request: Any, pk: str) -> Response:
        data = dict(self.body(s.CampaignSerializer, partial=True))
        campaign = marketing_services.campaign_update(
            actor=self.actor, campaign=self.get_object(), **data
        )
        return self.out(self._reread(campaign))

    def _step(self, service: Any) -> Response:
        return self.out(self._reread(service(actor=self.actor, campaign=self.get_object())))

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Any, pk: str) -> Response:
        """Planned → approved."""
        return self._step(marketing_services.campaign_approve)

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Any, pk: str) -> Response:
        """Approved → running."""
        return self._step(marketing_services.campaign_start)

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Any, pk: str) -> Response:
        """Running → finished."""
        return self._step(marketing_services.campaign_finish)

    @extend_schema(request=None, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Any, pk: str) -> Response:
        """Planned, approved or running → cancelled."""
        return self._step(marketing_services.campaign_cancel)
