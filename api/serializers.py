"""What the API reads and writes. Writes validate here and are carried out by the services."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.base import ApiModelSerializer, StrictModelSerializer, StrictSerializer
from inventory.models import DictItem, DictType, Product, Stock
from inventory.selectors import customer_levels, regions, service_types
from marketing.models import Campaign, PlanItem, Quote, SalesChance
from marketing.services import CHANCE_FIELDS
from sales.models import Activity, Contact, Customer, CustomerGroup, Order, OrderLine
from service.models import ServiceRequest
from tasks.models import Task

MIN_YEAR = 1900
DATE_TOO_EARLY = _("Give a date from 1900 on.")


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


class VisibleCustomerField(serializers.SlugRelatedField):
    """A customer by number, among those the requesting user may see."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="number", **kwargs)

    def get_queryset(self) -> Any:
        from sales.permissions import visible_customers

        return visible_customers(self.context["request"].user)


# Customers, contacts, interactions, orders ------------------------------------------------------


class CustomerSerializer(StrictModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=regions(), allow_null=True, required=False)
    level = serializers.PrimaryKeyRelatedField(
        queryset=customer_levels(), allow_null=True, required=False
    )
    manager_name = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "number", "name", "region", "manager", "manager_name", "level", "satisfaction",
            "credit", "address", "zip_code", "phone", "fax", "website", "licence_no",
            "legal_person", "registered_capital", "turnover", "bank", "bank_account",
            "local_tax_no", "national_tax_no", "status", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["number", "manager", "status", "created_at", "updated_at"]

    def get_manager_name(self, customer: Customer) -> str:
        return _user_name(customer.manager)


class ContactSerializer(StrictModelSerializer):
    customer = VisibleCustomerField()

    class Meta:
        model = Contact
        fields = [
            "id", "customer", "name", "gender", "position", "phone", "mobile", "email",
            "birthday", "memo", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]


class ContactUpdateSerializer(ContactSerializer):
    customer = serializers.SlugRelatedField(slug_field="number", read_only=True)


class InteractionSerializer(StrictModelSerializer):
    customer = VisibleCustomerField()

    class Meta:
        model = Activity
        fields = [
            "id", "customer", "kind", "occurred_at", "place", "title", "description", "remark",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]


class InteractionUpdateSerializer(InteractionSerializer):
    customer = serializers.SlugRelatedField(slug_field="number", read_only=True)


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["id", "product", "count", "unit", "unit_price"]


class OrderSerializer(ApiModelSerializer):
    customer = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Order
        fields = ["id", "number", "customer", "date", "address", "status", "amount"]


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines"]


# Opportunities and plans ------------------------------------------------------------------------


class OpportunitySerializer(StrictModelSerializer):
    customer = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = SalesChance
        fields = [
            "id", *CHANCE_FIELDS, "creator", "assignee", "assigned_at", "status", "closed_at",
            "customer", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "creator", "assignee", "assigned_at", "status", "closed_at", "customer",
            "created_at", "updated_at",
        ]  # fmt: skip


class AssignSerializer(StrictSerializer):
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class PlanItemSerializer(StrictModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "chance", "date", "todo", "result", "executed_at", "created_at"]
        read_only_fields = ["id", "result", "executed_at", "created_at"]
        extra_kwargs = {"chance": {"queryset": SalesChance.objects.none()}}

    def get_fields(self) -> dict[str, Any]:
        from marketing.selectors import development_list

        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "chance" in fields and not fields["chance"].read_only:
            fields["chance"].queryset = development_list(request.user)
        return fields


class PlanItemUpdateSerializer(PlanItemSerializer):
    class Meta(PlanItemSerializer.Meta):
        read_only_fields = ["id", "chance", "result", "executed_at", "created_at"]
        extra_kwargs: dict[str, Any] = {}


class FailSerializer(StrictSerializer):
    """终止开发 needs its reason, an entry of the dictionary's lost reasons."""

    reason = serializers.PrimaryKeyRelatedField(
        queryset=DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON)
    )


class ResultSerializer(StrictSerializer):
    result = serializers.CharField(max_length=500)


# Service tickets --------------------------------------------------------------------------------


class TicketSerializer(StrictModelSerializer):
    customer = VisibleCustomerField()
    type = serializers.PrimaryKeyRelatedField(queryset=service_types())

    class Meta:
        model = ServiceRequest
        fields = [
            "id", "type", "title", "customer", "status", "request", "creator", "assignee",
            "allocated_at", "handling", "handler", "handled_at", "result", "satisfaction",
            "archived_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "creator", "assignee", "allocated_at", "handling", "handler",
            "handled_at", "result", "satisfaction", "archived_at", "created_at", "updated_at",
        ]  # fmt: skip


class HandleSerializer(StrictSerializer):
    handling = serializers.CharField(max_length=3000)


class FeedbackSerializer(StrictSerializer):
    result = serializers.CharField(max_length=500)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)


# Tasks ------------------------------------------------------------------------------------------


class TaskSerializer(StrictModelSerializer):
    customer = VisibleCustomerField(allow_null=True, required=False)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Task
        fields = [
            "id", "title", "notes", "kind", "place", "due_at", "all_day", "remind_before",
            "priority", "status", "completed_at", "owner", "creator", "customer", "contact",
            "is_overdue", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "completed_at", "creator", "created_at", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "owner": {"required": False},
            "contact": {"queryset": Contact.objects.none(), "required": False},
        }

    def validate_due_at(self, value: Any) -> Any:
        # Before 1900 the local time zone has offsets in seconds, which RFC 3339 cannot write.
        if value.year < MIN_YEAR:
            raise serializers.ValidationError(DATE_TOO_EARLY)
        return value

    def get_fields(self) -> dict[str, Any]:
        from accounts.models import User
        from sales.permissions import customer_visibility

        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            user = request.user
            fields["owner"].queryset = User.objects.filter(is_active=True)
            fields["contact"].queryset = Contact.objects.filter(customer_visibility(user))
        return fields


# Inventory --------------------------------------------------------------------------------------


class ProductSerializer(ApiModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "model", "batch", "unit", "price", "memo"]


class StockSerializer(ApiModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Stock
        fields = [
            "id", "product", "product_name", "warehouse", "location", "count", "safety_level",
            "memo",
        ]  # fmt: skip


class DictItemSerializer(ApiModelSerializer):
    class Meta:
        model = DictItem
        fields = ["id", "type", "item", "value", "is_editable"]


# Reports ----------------------------------------------------------------------------------------


class ReportEntrySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()


class TableSerializer(serializers.Serializer):
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    totals = serializers.DictField(allow_null=True)


class FilterSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    filters = FilterSerializer(many=True)
    tables = TableSerializer(many=True)
    generated_at = serializers.DateTimeField()

    def to_representation(self, report: Any) -> dict[str, Any]:
        return {
            "slug": report.slug,
            "title": str(report.title),
            "filters": [{"label": str(k), "value": str(v)} for k, v in report.filters],
            "tables": [
                {
                    "title": str(table.title),
                    "columns": [
                        {"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns
                    ],
                    "rows": [
                        {c.key: _plain(row.get(c.key)) for c in table.columns} for row in table.rows
                    ],
                    "totals": (
                        {key: _plain(value) for key, value in table.totals.items()}
                        if table.totals is not None
                        else None
                    ),
                }
                for table in report.tables
            ],
            "generated_at": serializers.DateTimeField().to_representation(report.generated_at),
        }


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


# Quotes -----------------------------------------------------------------------------------------


class QuoteLineSerializer(StrictSerializer):
    """A line as written (unit and price default to the product's) and as read (its amounts)."""

    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)
    unit = serializers.CharField(max_length=10, required=False, allow_blank=True)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    discount = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    net_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    tax_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    gross_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


QUOTE_READ_ONLY = [
    "id", "number", "version", "status", "currency", "net_amount", "tax_amount", "gross_amount",
    "max_discount", "creator", "approver", "approved_at", "order", "created_at", "updated_at",
]  # fmt: skip


class QuoteSerializer(StrictModelSerializer):
    customer = VisibleCustomerField()
    opportunity = serializers.PrimaryKeyRelatedField(
        queryset=SalesChance.objects.none(), allow_null=True, required=False
    )
    order = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = [*QUOTE_READ_ONLY[:4], "customer", "opportunity", "valid_until", "terms",
                  *QUOTE_READ_ONLY[4:]]  # fmt: skip
        read_only_fields = QUOTE_READ_ONLY

    def get_fields(self) -> dict[str, Any]:
        from marketing.permissions import visible_chances

        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "opportunity" in fields:
            fields["opportunity"].queryset = visible_chances(request.user)
        return fields


class QuoteDetailSerializer(QuoteSerializer):
    """A quote with its lines; on create and update the lines replace the quote's."""

    lines = QuoteLineSerializer(many=True, allow_empty=False)

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "lines"]


class QuoteStepSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class QuoteRefusalSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=1000)


class CampaignSerializer(StrictModelSerializer):
    """A campaign: written while planned; its actual cost is the sum of its log's costs."""

    kind = serializers.PrimaryKeyRelatedField(
        queryset=DictItem.objects.filter(type=DictType.CAMPAIGN_KIND)
    )
    target_group = serializers.PrimaryKeyRelatedField(
        queryset=CustomerGroup.objects.none(),  # the viewer's groups, set in get_fields
        allow_null=True,
        required=False,
    )
    actual_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, default=None
    )

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "kind", "status", "start_date", "end_date", "owner", "budget",
            "actual_cost", "target_group", "description", "approver", "approved_at",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "owner", "approver", "approved_at", "created_at", "updated_at",
        ]  # fmt: skip

    def get_fields(self) -> dict[str, Any]:
        from sales.permissions import visible_groups

        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "target_group" in fields:
            fields["target_group"].queryset = visible_groups(request.user)
        return fields
