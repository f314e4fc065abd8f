"""Imports from the sales system: customers with a first contact, and orders with their lines.

Both check the whole file first (every bad row with its number), then write everything in one
transaction with bulk inserts; the upload page and the job page come from `jobs.views`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history

from core.imports import (
    Column,
    Importer,
    RowInvalid,
    parse_date,
    parse_decimal,
    parse_int,
    register,
    required,
)
from inventory.models import DictItem, DictType, Product
from sales.models import Contact, Customer, Order, OrderLine
from sales.permissions import customer_holders
from sales.selectors import NAME_CORE_LENGTH, PHONE_DIGITS, name_core, phone_digits
from sales.services import (
    CRM_ORDER_PREFIX,
    customer_numbers,
    recover_losses,
    refresh_order_amounts,
)


def _length(model: Any, name: str) -> int:
    length = model._meta.get_field(name).max_length
    assert isinstance(length, int)  # noqa: S101 - a CharField's
    return length


# Longer values are refused (the columns the user types); contact position and phone are cut.
LIMITS = (
    ("name", _length(Customer, "name")),
    ("address", _length(Customer, "address")),
    ("phone", _length(Customer, "phone")),
    ("contact", _length(Contact, "name")),
)
ORDER_LIMITS = (("number", _length(Order, "number")), ("address", _length(Order, "address")))
POSITION_LENGTH = _length(Contact, "position")
PHONE_LENGTH = _length(Contact, "phone")
UNIT_LENGTH = _length(OrderLine, "unit")


@dataclass
class CustomerRow:
    customer: Customer
    contact: Contact | None


@register
class CustomerImporter(Importer):
    name = "customers"
    title = gettext_lazy("Import customers")
    permission = "sales.import_data"
    columns = (
        Column("name", pgettext_lazy("customer", "Customer name")),
        Column("manager", gettext_lazy("Customer manager (username)")),
        Column("region", gettext_lazy("Region"), required=False),
        Column("level", gettext_lazy("Customer level"), required=False),
        Column("address", gettext_lazy("Address"), required=False),
        Column("phone", gettext_lazy("Phone"), required=False),
        Column("contact", gettext_lazy("Contact"), required=False),
        Column("contact_position", gettext_lazy("Contact position"), required=False),
        Column("contact_phone", gettext_lazy("Contact phone"), required=False),
        Column("contact_email", gettext_lazy("Contact e-mail"), required=False),
    )
    example_rows = (
        (
            "聪海信息科技有限公司",
            "manager1",
            "北京",
            "战略合作伙伴",
            "北京海淀",
            "010-62988888",
            "张先生",
            "采购经理",
            "13900000000",
            "zhang@example.com",
        ),
    )

    def prepare(self) -> None:
        self.managers = {
            username.lower(): pk
            for pk, username in customer_holders().values_list("pk", "username")
        }
        items = DictItem.objects.filter(type__in=[DictType.REGION, DictType.CUSTOMER_LEVEL])
        self.choices: dict[str, dict[str, int]] = defaultdict(dict)
        for pk, type_, item, value in items.values_list("pk", "type", "item", "value"):
            self.choices[type_][item] = pk
            self.choices[type_][value] = pk
        live = Customer.objects.exclude(status=Customer.Status.DELETED)
        # The duplicate keys of the possible-duplicates page (`duplicate_pairs`): the name core
        # (normalised, company words left out) and the phone digits. The form's check
        # (`similar_customers`) finds every customer these keys find, and near names too.
        self.existing_names = {name_core(name) for name in live.values_list("name", flat=True)}
        self.existing_phones = {
            phone_digits(phone) for phone in live.exclude(phone="").values_list("phone", flat=True)
        }
        self.seen_names: set[str] = set()

    def _choice(
        self, type_: str, key: str, values: dict[str, str], problems: list[Any]
    ) -> int | None:
        text = values.get(key, "").strip()
        if not text:
            return None
        pk = self.choices[type_].get(text)
        if pk is None:
            problems.append((key, _("Unknown value “%(value)s”.") % {"value": text}))
        return pk

    def parse(self, values: dict[str, str]) -> CustomerRow:
        problems: list[tuple[str, str]] = []
        name = required(values, "name", problems)
        manager_name = required(values, "manager", problems)
        manager_id = self.managers.get(manager_name.lower())
        if manager_name and manager_id is None:
            problems.append(
                (
                    "manager",
                    _("“%(user)s” is not an active customer manager.") % {"user": manager_name},
                )
            )
        region = self._choice(DictType.REGION, "region", values, problems)
        level = self._choice(DictType.CUSTOMER_LEVEL, "level", values, problems)
        for key, limit in LIMITS:
            if len(values.get(key, "").strip()) > limit:
                problems.append((key, _("Longer than %(limit)d characters.") % {"limit": limit}))
        email = values.get("contact_email", "").strip()
        if email and "@" not in email:
            problems.append(
                ("contact_email", _("“%(value)s” is not an e-mail address.") % {"value": email})
            )
        if problems or manager_id is None:
            raise RowInvalid(*problems)
        core = name_core(name)
        if len(core) >= NAME_CORE_LENGTH and (
            core in self.existing_names or core in self.seen_names
        ):
            self.warn("name", _("A customer named “%(name)s” exists already.") % {"name": name})
        phone = phone_digits(values.get("phone", ""))
        if len(phone) >= PHONE_DIGITS and phone in self.existing_phones:
            self.warn("phone", _("A customer with this phone exists already."))
        self.seen_names.add(core)
        customer = Customer(
            name=name,
            manager_id=manager_id,
            region_id=region,
            level_id=level,
            address=values.get("address", "").strip(),
            phone=values.get("phone", "").strip(),
        )
        contact = None
        if values.get("contact", "").strip():
            contact = Contact(
                name=values["contact"].strip(),
                position=values.get("contact_position", "").strip()[:POSITION_LENGTH],
                phone=values.get("contact_phone", "").strip()[:PHONE_LENGTH],
                email=email,
            )
        return CustomerRow(customer, contact)

    def write(self, items: list[CustomerRow]) -> int:
        numbers = customer_numbers(len(items))
        for item, number in zip(items, numbers, strict=True):
            item.customer.number = number
        customers = bulk_create_with_history(
            [item.customer for item in items], Customer, batch_size=2000
        )
        contacts = []
        for item, customer in zip(items, customers, strict=True):
            if item.contact is not None:
                item.contact.customer = customer
                contacts.append(item.contact)
        bulk_create_with_history(contacts, Contact, batch_size=2000)
        return len(customers)


@dataclass
class ParsedOrder:
    number: str
    customer_id: int
    date: Any
    address: str
    status: int
    lines: list[OrderLine] = field(default_factory=list)


PAID_WORDS = {"paid", "已回款", "6"}


@register
class OrderImporter(Importer):
    """One row per order line; the order's own columns repeat on each of its lines."""

    name = "orders"
    title = gettext_lazy("Import orders")
    permission = "sales.import_data"
    columns = (
        Column("number", gettext_lazy("Order no.")),
        Column("customer", gettext_lazy("Customer no.")),
        Column("date", gettext_lazy("Date")),
        Column("address", gettext_lazy("Delivery address")),
        Column("paid", gettext_lazy("Paid"), required=False, help=gettext_lazy("paid / unpaid")),
        Column("product", gettext_lazy("Product name")),
        Column("model", gettext_lazy("Model")),
        Column("batch", gettext_lazy("Grade/batch"), required=False),
        Column("count", gettext_lazy("Count")),
        Column("unit", gettext_lazy("Unit"), required=False),
        Column("unit_price", gettext_lazy("Unit price (CNY)")),
    )
    example_rows = (
        (
            "D20260101001",
            "KH26010100001",
            "2026-01-01",
            "北京海淀",
            "paid",
            "海龙笔记本电脑",
            "i60",
            "2688 9966",
            "2",
            "台",
            "9800",
        ),
    )

    def prepare(self) -> None:
        self.orders: dict[str, ParsedOrder] = {}

    @staticmethod
    def _typed(
        values: dict[str, str], problems: list[tuple[str, str]]
    ) -> tuple[datetime.date | None, int | None, Decimal | None]:
        """The row's date, count and unit price, each None with a problem when unreadable."""
        date = count = price = None
        if values.get("date", "").strip():
            try:
                date = parse_date(values["date"])
            except ValueError as error:
                problems.append(("date", str(error)))
        else:
            problems.append(("date", _("This value is required.")))
        try:
            count = parse_int(values.get("count", ""), minimum=1)
        except ValueError as error:
            problems.append(("count", str(error)))
        try:
            price = parse_decimal(values.get("unit_price", ""))
        except ValueError as error:
            problems.append(("unit_price", str(error)))
        return date, count, price

    def _references(
        self, values: dict[str, str], customer_number: str, problems: list[tuple[str, str]]
    ) -> tuple[int | None, int | None]:
        """The ids of the row's customer and product, each None with a problem when unknown."""
        customer_id = self._customer(customer_number) if customer_number else None
        if customer_number and customer_id is None:
            problems.append(
                ("customer", _("Unknown customer “%(value)s”.") % {"value": customer_number})
            )
        product_name, model = values.get("product", "").strip(), values.get("model", "").strip()
        product_key = (product_name, model, values.get("batch", "").strip())
        product_id = self._product(product_key) if product_name and model else None
        if product_name and model and product_id is None:
            problems.append(
                (
                    "product",
                    _("Unknown product “%(product)s”.")
                    % {"product": "-".join(p for p in product_key if p)},
                )
            )
        return customer_id, product_id

    def parse(self, values: dict[str, str]) -> OrderLine | None:
        problems: list[tuple[str, str]] = []
        number = required(values, "number", problems)
        customer_number = required(values, "customer", problems)
        address = required(values, "address", problems)
        required(values, "product", problems)
        required(values, "model", problems)
        date, count, price = self._typed(values, problems)
        customer_id, product_id = self._references(values, customer_number, problems)
        for key, limit in ORDER_LIMITS:
            if len(values.get(key, "").strip()) > limit:
                problems.append((key, _("Longer than %(limit)d characters.") % {"limit": limit}))
        if number.upper().startswith(CRM_ORDER_PREFIX):
            problems.append(
                (
                    "number",
                    _(
                        "Order numbers starting with “%(prefix)s” are the CRM's own (orders "
                        "from accepted quotes); the sales system's orders cannot use them."
                    )
                    % {"prefix": CRM_ORDER_PREFIX},
                )
            )
        elif number and self._order_exists(number):
            problems.append(("number", _("Order “%(value)s” exists already.") % {"value": number}))
        status = (
            Order.Status.PAID
            if values.get("paid", "").strip().lower() in PAID_WORDS
            else Order.Status.DELIVERING
        )
        order = self.orders.get(number)
        if order is not None and (order.customer_id, order.date) != (customer_id, date):
            problems.append(
                (
                    "number",
                    _("The lines of order “%(value)s” name different customers or dates.")
                    % {"value": number},
                )
            )
        if problems:
            raise RowInvalid(*problems)
        if customer_id is None or product_id is None or count is None or price is None:
            raise RowInvalid()  # unreachable: each missing value added a problem above
        if order is None:
            order = self.orders[number] = ParsedOrder(number, customer_id, date, address, status)
        line = OrderLine(
            product_id=product_id,
            count=count,
            unit=values.get("unit", "").strip()[:UNIT_LENGTH],
            unit_price=price,
        )
        order.lines.append(line)
        return line

    def _customer(self, number: str) -> int | None:
        cache = self.__dict__.setdefault("_customers", {})
        if number not in cache:
            cache[number] = (
                Customer.objects.exclude(status=Customer.Status.DELETED)
                .filter(number=number)
                .values_list("pk", flat=True)
                .first()
            )
        return cache[number]

    def _product(self, key: tuple[str, str, str]) -> int | None:
        cache = self.__dict__.setdefault("_products", {})
        if key not in cache:
            name, model, batch = key
            cache[key] = (
                Product.objects.filter(Q(name=name) & Q(model=model) & Q(batch=batch))
                .values_list("pk", flat=True)
                .first()
            )
        return cache[key]

    def _order_exists(self, number: str) -> bool:
        cache = self.__dict__.setdefault("_existing", {})
        if number not in cache:
            cache[number] = Order.objects.filter(number=number).exists()
        return bool(cache[number])

    def write(self, items: list[OrderLine]) -> int:
        orders = list(self.orders.values())
        created = bulk_create_with_history(
            [
                Order(
                    number=o.number,
                    customer_id=o.customer_id,
                    date=o.date,
                    address=o.address,
                    status=o.status,
                )
                for o in orders
            ],
            Order,
            batch_size=2000,
        )
        lines = []
        for parsed, order in zip(orders, created, strict=True):
            for line in parsed.lines:
                line.order = order
                lines.append(line)
        OrderLine.objects.bulk_create(lines, batch_size=5000)
        refresh_order_amounts(
            Order.objects.filter(pk__in=[order.pk for order in created]), created=True
        )
        recover_losses(customer_ids={o.customer_id for o in orders})
        return len(lines)
