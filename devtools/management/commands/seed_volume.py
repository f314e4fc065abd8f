"""Generate the benchmark data set of DESIGN.md §9 (100,000 customers and everything around them).

Deterministic for a given --seed; --scale shrinks every count (0.01 gives a small, consistent set
for tests). Rows are written in batches with PostgreSQL's COPY (plain INSERTs elsewhere), with
primary keys assigned here so that the foreign keys can be written in the same pass; sequences
are reset at the end. Distributions are skewed like real books: a few large customers hold most
orders, a few managers hold many customers.
"""

import datetime
import itertools
import random
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Role, User
from inventory.models import DictItem, DictType, Product
from marketing import pricing
from marketing.models import (
    Campaign,
    CampaignLog,
    PlanItem,
    Quote,
    QuoteLine,
    SalesChance,
    Stage,
    StageChange,
)
from sales.models import (
    Activity,
    Contact,
    Customer,
    CustomerLoss,
    CustomerTag,
    LossMeasure,
    Order,
    OrderLine,
    Tag,
)
from sales.services import customer_numbers, refresh_order_amounts
from service.models import ServiceEvent, ServiceRequest
from tasks.models import Task

FULL_SIZE = {
    "customers": 100_000,
    "contacts": 300_000,
    "activities": 1_000_000,
    "orders": 200_000,
    "lines": 1_000_000,
    "chances": 50_000,
    "tickets": 100_000,
    "tasks": 500_000,
    "quotes": 100_000,
    "campaigns": 300,
}
# The benchmark's rep (vol_manager01) also has this many tasks in the current month, whatever
# the scale: the calendar's month budget is for a rep with 2,000 tasks in the month.
BUSY_MONTH_TASKS = 2_000
MANAGERS = 20
PRODUCTS = 200
VOLUME_PASSWORD = "volume1234"  # noqa: S105 - benchmark users only

CITIES = (
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "武汉",
    "西安",
    "天津",
    "重庆",
    "苏州",
    "青岛",
    "大连",
    "厦门",
    "长沙",
)
WORDS = (
    "华信",
    "明科",
    "天河",
    "聪海",
    "恒远",
    "金桥",
    "东方",
    "新世纪",
    "宏达",
    "博远",
    "瑞丰",
    "嘉禾",
    "海龙",
    "幸福",
    "长城",
    "远航",
    "星辰",
    "锦程",
)
TRADES = (
    "科技",
    "药业",
    "电子",
    "贸易",
    "物流",
    "软件",
    "机械",
    "食品",
    "建材",
    "化工",
    "文化",
    "传媒",
    "能源",
    "信息技术",
)
SUFFIXES = ("有限公司", "有限公司", "股份有限公司", "集团有限公司")
EN_WORDS = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Hooli",
    "Vandelay",
)
EN_TRADES = (
    "Trading",
    "Technologies",
    "Pharma",
    "Electronics",
    "Logistics",
    "Software",
    "Foods",
    "Media",
)
EN_SUFFIXES = ("Co., Ltd.", "Ltd.", "Inc.", "Group")
SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
)
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "平",
    "刚",
    "小明",
    "晓东",
    "建国",
)
EN_FIRST = (
    "James",
    "Mary",
    "John",
    "Linda",
    "Robert",
    "Susan",
    "Michael",
    "Karen",
    "David",
    "Lisa",
    "Daniel",
    "Emma",
)
EN_LAST = (
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Miller",
    "Wilson",
    "Moore",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
)
POSITIONS = (
    "总经理",
    "副总经理",
    "采购经理",
    "财务总监",
    "技术主管",
    "销售总监",
    "Purchasing manager",
)
PLACES = (
    "客户公司",
    "公司会议室",
    "电话",
    "视频会议",
    "展会",
    "餐厅",
    "Customer office",
    "Trade fair",
)
TOPICS = (
    "季度回访",
    "产品演示",
    "价格谈判",
    "签订合同",
    "售后回访",
    "需求调研",
    "Quarterly review",
    "Demo",
)
CAMPAIGN_NAMES = ("春季展会", "秋季新品发布", "行业研讨会", "邮件促销", "电话回访", "线上直播")
CAMPAIGN_NOTES = ("展位费", "宣传册印刷", "场地租金", "广告投放", "礼品采购", "讲师费用")
TODO = ("电话沟通需求", "上门拜访", "发送报价单", "安排产品演示", "商务谈判", "签约")
RESULTS = ("客户有采购意向", "需要再次跟进", "客户确认需求", "报价已发送", "客户要求降价")


class Writer:
    """Bulk-writes rows given as tuples in the order of `fields`; COPY on PostgreSQL."""

    def __init__(self, batch: int) -> None:
        self.batch = batch
        self.counts: dict[str, int] = {}

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        table = model._meta.db_table
        columns = [_column(model, name) for name in fields]
        count = 0
        for chunk in _chunks(rows, self.batch):
            if connection.vendor == "postgresql":
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                with connection.cursor() as cursor:
                    raw = cursor.cursor
                    with raw.copy(
                        f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
                    ) as copy:
                        for row in chunk:
                            copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                # Table and column names come from model metadata, never from input.
                sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({placeholders})"  # noqa: S608
                with connection.cursor() as cursor:
                    cursor.executemany(
                        sql, [tuple(_adapt(value) for value in row) for row in chunk]
                    )
            count += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + count
        return count


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.timedelta):  # DurationField: microseconds outside PostgreSQL
        return value // datetime.timedelta(microseconds=1)
    return value


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterable[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise CommandError(f"{model.__name__}.{name} is not a column.")
    return field.column


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1


class Command(BaseCommand):
    help = "Generate the benchmark data set (DESIGN.md §9); use --scale 0.01 for a small one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the full size.")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--batch", type=int, default=20_000, help="Rows per COPY/INSERT batch.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when customers already exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be between 0 and 10.")
        if options["if_empty"] and Customer.objects.exists():
            self.stdout.write("Customers exist already; nothing generated (--if-empty).")
            return
        self.rng = random.Random(options["seed"])
        self.sizes = {key: max(1, round(value * scale)) for key, value in FULL_SIZE.items()}
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=3 * 365)
        self.writer = Writer(options["batch"])
        started = time.monotonic()
        with transaction.atomic():
            self._base()
            self._customers()
            self._tags()
            self._contacts()
            self._activities()
            self._orders()
            self._losses()
            self._quotes()
            self._chances()
            self._tickets()
            self._tasks()
            self._campaigns()
            self._reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # As autovacuum would, so index-only scans find fresh visibility maps. VACUUM
                # cannot run in a transaction (the test suite's).
                in_transaction = connection.in_atomic_block
                cursor.execute("ANALYZE" if in_transaction else "VACUUM (ANALYZE)")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # SQLite's planner has no statistics until then
        elapsed = time.monotonic() - started
        for table, count in self.writer.counts.items():
            self.stdout.write(f"  {table:<24} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Volume data written in {elapsed:.1f} s."))

    # Reference data ------------------------------------------------------------------------

    def _base(self) -> None:
        manager_role = Role.objects.get(slug="manager")
        password = make_password(VOLUME_PASSWORD)  # hashed once: hashing is slow on purpose
        self.managers = []
        for index in range(1, MANAGERS + 1):
            user, _created = User.objects.get_or_create(
                username=f"vol_manager{index:02d}",
                defaults={
                    "role": manager_role,
                    "first_name": self._person(),
                    "email": f"vol{index}@example.com",
                    "password": password,
                },
            )
            self.managers.append(user.pk)
        # A few managers carry most of the book.
        self.manager_weights = list(
            itertools.accumulate(1 / (rank**0.7) for rank in range(1, MANAGERS + 1))
        )
        self.regions = list(
            DictItem.objects.filter(type=DictType.REGION).values_list("pk", flat=True)
        )
        self.levels = list(
            DictItem.objects.filter(type=DictType.CUSTOMER_LEVEL)
            .order_by("value")
            .values_list("pk", flat=True)
        )
        self.service_types = list(
            DictItem.objects.filter(type=DictType.SERVICE_TYPE).values_list("pk", flat=True)
        )
        if not (self.regions and self.levels and self.service_types):
            raise CommandError("The data dictionary is empty; run migrate first.")
        existing = Product.objects.count()
        first = _next_id(Product)
        rows = []
        for offset in range(max(0, PRODUCTS - existing)):
            rows.append(
                (
                    first + offset,
                    f"{self.rng.choice(WORDS)}{self.rng.choice(('笔记本电脑', '打印机', '服务器', '显示器', '路由器', '投影仪'))}",
                    f"V{first + offset:04d}",
                    f"B{self.rng.randint(1000, 9999)}",
                    "台",
                    Decimal(self.rng.randrange(300, 30000)).quantize(Decimal("0.01")),
                    "",
                    self.now,
                    self.now,
                )
            )
        self.writer.write(
            Product,
            ["id", "name", "model", "batch", "unit", "price", "memo", "created_at", "updated_at"],
            rows,
        )
        self.products = list(Product.objects.values_list("pk", "price", "unit"))
        self.product_weights = list(
            itertools.accumulate(1 / (rank**0.8) for rank in range(1, len(self.products) + 1))
        )

    # Customers and what hangs off them ----------------------------------------------------

    def _company(self) -> str:
        if self.rng.random() < 0.8:
            return f"{self.rng.choice(CITIES)}{self.rng.choice(WORDS)}{self.rng.choice(TRADES)}{self.rng.choice(SUFFIXES)}"
        return f"{self.rng.choice(EN_WORDS)} {self.rng.choice(EN_TRADES)} {self.rng.choice(EN_SUFFIXES)}"

    def _person(self) -> str:
        if self.rng.random() < 0.85:
            return f"{self.rng.choice(SURNAMES)}{self.rng.choice(GIVEN)}"
        return f"{self.rng.choice(EN_FIRST)} {self.rng.choice(EN_LAST)}"

    def _moment(self, start: datetime.date, end: datetime.date | None = None) -> datetime.datetime:
        end = end or self.today
        span = max(0, (end - start).days)
        day = start + datetime.timedelta(days=self.rng.randint(0, span))
        moment = datetime.datetime.combine(
            day, datetime.time(self.rng.randint(8, 19), self.rng.randint(0, 59))
        )
        return min(timezone.make_aware(moment), self.now)

    def _customers(self) -> None:
        count = self.sizes["customers"]
        first = _next_id(Customer)
        numbers = customer_numbers(count)
        self.customer_ids = list(range(first, first + count))
        self.customer_manager: dict[int, int] = {}
        self.customer_created: dict[int, datetime.datetime] = {}
        rows = []
        for offset, pk in enumerate(self.customer_ids):
            manager = self.rng.choices(self.managers, cum_weights=self.manager_weights)[0]
            created = self._moment(self.start - datetime.timedelta(days=365))
            self.customer_manager[pk] = manager
            self.customer_created[pk] = created
            rows.append(
                (
                    pk,
                    numbers[offset],
                    self._company(),
                    self.rng.choice(self.regions),
                    manager,
                    self.rng.choices(self.levels, weights=(50, 25, 12, 8, 5))[0],
                    self.rng.randint(1, 5),
                    self.rng.randint(1, 5),
                    f"{self.rng.choice(CITIES)}市{self.rng.choice(WORDS)}路{self.rng.randint(1, 999)}号",
                    f"{self.rng.randint(100000, 999999)}",
                    f"0{self.rng.randint(10, 999)}-{self.rng.randint(10000000, 99999999)}",
                    "",
                    f"www.example{pk}.com",
                    "",
                    self._person(),
                    self.rng.randint(10, 50000),
                    self.rng.randint(50, 900000),
                    "中国银行",
                    f"6222{self.rng.randint(10**11, 10**12 - 1)}",
                    "",
                    "",
                    Customer.Status.NORMAL,
                    created,
                    created,
                )
            )
        fields = [
            "id",
            "number",
            "name",
            "region",
            "manager",
            "level",
            "satisfaction",
            "credit",
            "address",
            "zip_code",
            "phone",
            "fax",
            "website",
            "licence_no",
            "legal_person",
            "registered_capital",
            "turnover",
            "bank",
            "bank_account",
            "local_tax_no",
            "national_tax_no",
            "status",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Customer, fields, rows)
        # Order weights: a Pareto-like tail, in a shuffled order so size does not follow the id.
        ranks = list(range(1, count + 1))
        self.rng.shuffle(ranks)
        self.customer_weights = list(itertools.accumulate(1 / (rank**1.05) for rank in ranks))

    def _tags(self) -> None:
        """Eight tags; each customer carries none to three of them (the first ones more often)."""
        names = ("重点客户", "展会", "老客户", "政府", "教育", "渠道", "大客户", "待回访")
        colours = [choice.value for choice in Tag.Colour]
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"colour": colours[i % len(colours)]})[0]
            for i, name in enumerate(names)
        ]
        weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(tags))))

        def rows() -> Iterable[tuple[Any, ...]]:
            for pk in self.customer_ids:
                chosen = self.rng.choices(tags, cum_weights=weights, k=self.rng.randint(0, 3))
                for tag in {tag.pk for tag in chosen}:
                    yield (pk, tag)

        self.writer.write(CustomerTag, ["customer", "tag"], rows())

    def _contacts(self) -> None:
        count = self.sizes["contacts"]
        week = [self.today + datetime.timedelta(days=d) for d in range(7)]

        first = _next_id(Contact)

        def rows() -> Iterable[tuple[Any, ...]]:
            for pk in range(first, first + count):
                customer = self.rng.choice(self.customer_ids)
                if self.rng.random() < 0.02:
                    day = self.rng.choice(week)
                    birthday = (
                        day.replace(year=self.rng.randint(1960, 1995))
                        if not (day.month == 2 and day.day == 29)
                        else None
                    )
                elif self.rng.random() < 0.7:
                    birthday = datetime.date(
                        self.rng.randint(1960, 1998),
                        self.rng.randint(1, 12),
                        self.rng.randint(1, 28),
                    )
                else:
                    birthday = None
                created = self.customer_created[customer]
                yield (
                    pk,
                    customer,
                    self._person(),
                    self.rng.choice("MF"),
                    self.rng.choice(POSITIONS),
                    f"0{self.rng.randint(10, 999)}-{self.rng.randint(10000000, 99999999)}",
                    f"13{self.rng.randint(100000000, 999999999)}",
                    f"contact{pk}@example.com",
                    birthday,
                    "",
                    created,
                    created,
                )

        fields = [
            "id",
            "customer",
            "name",
            "gender",
            "position",
            "phone",
            "mobile",
            "email",
            "birthday",
            "memo",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Contact, fields, rows())

    def _activities(self) -> None:
        count = self.sizes["activities"]
        kinds = [kind.value for kind in Activity.Kind]

        def rows() -> Iterable[tuple[Any, ...]]:
            first = _next_id(Activity)
            for pk in range(first, first + count):
                customer = self.rng.choices(self.customer_ids, cum_weights=self.customer_weights)[0]
                moment = self._moment(self.start)
                yield (
                    pk,
                    customer,
                    self.rng.choice(kinds),
                    moment,
                    self.customer_manager[customer],
                    self.rng.choice(PLACES),
                    self.rng.choice(TOPICS),
                    "",
                    "",
                    moment,
                    moment,
                )

        fields = [
            "id",
            "customer",
            "kind",
            "occurred_at",
            "author",
            "place",
            "title",
            "description",
            "remark",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Activity, fields, rows())

    def _tasks(self) -> None:
        """Tasks over the managers (as their books are weighted), half linked to one of the
        owner's customers; past ones mostly done, reminders of the past already sent (the tick
        must not find 100,000s of them due). vol_manager01 also gets a busy month."""
        count = self.sizes["tasks"]
        by_manager: dict[int, list[int]] = {}
        for customer, manager in self.customer_manager.items():
            by_manager.setdefault(manager, []).append(customer)
        busy = self.managers[0]
        month_start = self.today.replace(day=1)
        next_month = (month_start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        month_days = (next_month - month_start).days
        kinds = ("todo", "call", "call", "visit")
        lead = datetime.timedelta(minutes=30)

        def task(pk: int, owner: int, due: datetime.datetime) -> tuple[Any, ...]:
            kind = self.rng.choice(kinds)
            mine = by_manager.get(owner)
            customer = self.rng.choice(mine) if mine and self.rng.random() < 0.5 else None
            past = due < self.now
            done = past and self.rng.random() < 0.8
            remind = self.rng.random() < 0.4
            # Reminders of the past, and of the next day, are recorded as sent: the data stays
            # quiet for the first ticks after it is written (and its tests, minutes later).
            reminded = remind and due - lead < self.now + datetime.timedelta(days=1)
            return (
                pk,
                f"{self.rng.choice(TOPICS)}{pk % 1000}",
                "",
                kind,
                self.rng.choice(PLACES) if kind == "visit" else "",
                due,
                False,
                lead if remind else None,
                due - lead if remind else None,
                min(due - lead, self.now) if reminded else None,
                self.rng.choice((1, 2, 2, 3)),
                Task.Status.DONE if done else Task.Status.OPEN,
                due if done else None,
                owner,
                owner,
                customer,
                due - datetime.timedelta(days=3),
                due - datetime.timedelta(days=3),
            )

        def rows() -> Iterable[tuple[Any, ...]]:
            first = _next_id(Task)
            span = (self.today + datetime.timedelta(days=90) - self.start).days
            for offset in range(count):
                owner = self.rng.choices(self.managers, cum_weights=self.manager_weights)[0]
                day = self.start + datetime.timedelta(days=self.rng.randint(0, span))
                moment = datetime.datetime.combine(
                    day, datetime.time(self.rng.randint(8, 19), self.rng.choice((0, 15, 30, 45)))
                )
                yield task(first + offset, owner, timezone.make_aware(moment))
            for offset in range(BUSY_MONTH_TASKS):
                day = month_start + datetime.timedelta(days=offset % month_days)
                moment = datetime.datetime.combine(
                    day, datetime.time(8 + offset % 10, self.rng.choice((0, 15, 30, 45)))
                )
                yield task(first + count + offset, busy, timezone.make_aware(moment))

        fields = [
            "id",
            "title",
            "notes",
            "kind",
            "place",
            "due_at",
            "all_day",
            "remind_before",
            "remind_at",
            "reminded_at",
            "priority",
            "status",
            "completed_at",
            "owner",
            "creator",
            "customer",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Task, fields, rows())

    def _orders(self) -> None:
        orders = self.sizes["orders"]
        lines = self.sizes["lines"]
        first_order = _next_id(Order)
        self.last_order: dict[int, datetime.date] = {}
        customers = self.rng.choices(self.customer_ids, cum_weights=self.customer_weights, k=orders)
        order_rows = []
        for offset, customer in enumerate(customers):
            pk = first_order + offset
            moment = self._moment(max(self.start, self.customer_created[customer].date()))
            day = moment.date()
            if day > self.last_order.get(customer, datetime.date.min):
                self.last_order[customer] = day
            status = (
                Order.Status.PAID
                if day < self.today - datetime.timedelta(days=60) or self.rng.random() < 0.5
                else self.rng.randint(1, 5)
            )
            order_rows.append(
                (
                    pk,
                    f"SO{pk:09d}",
                    customer,
                    day,
                    f"{self.rng.choice(CITIES)}市{self.rng.choice(WORDS)}路{self.rng.randint(1, 999)}号",
                    status,
                    Decimal(0),  # the sum of the lines, stored once they are written
                    moment,
                    moment,
                )
            )
        self.writer.write(
            Order,
            [
                "id",
                "number",
                "customer",
                "date",
                "address",
                "status",
                "amount",
                "created_at",
                "updated_at",
            ],
            order_rows,
        )

        # Every order has a line; the rest are spread with a skew towards large orders.
        extra = max(0, lines - orders)
        order_ids = [row[0] for row in order_rows]
        weights = list(itertools.accumulate(self.rng.paretovariate(1.5) for _ in order_ids))
        owners = itertools.chain(
            order_ids, self.rng.choices(order_ids, cum_weights=weights, k=extra)
        )

        def line_rows() -> Iterable[tuple[Any, ...]]:
            first = _next_id(OrderLine)
            for pk, order in enumerate(owners, first):
                product, price, unit = self.rng.choices(
                    self.products, cum_weights=self.product_weights
                )[0]
                unit_price = (
                    Decimal(price or 1000) * Decimal(self.rng.choice((0.9, 0.95, 1, 1, 1.05)))
                ).quantize(Decimal("0.01"))
                yield (pk, order, product, self.rng.randint(1, 20), unit or "台", unit_price)

        self.writer.write(
            OrderLine, ["id", "order", "product", "count", "unit", "unit_price"], line_rows()
        )
        refresh_order_amounts(Order.objects.filter(pk__gte=first_order), created=True)

    def _losses(self) -> None:
        """Loss records following the rule: every normal customer whose last order (or, without
        orders, whose creation) is more than six months old has one, mostly open warnings."""
        limit = self.today - datetime.timedelta(days=182)
        first = _next_id(CustomerLoss)
        rows: list[tuple[Any, ...]] = []
        measures: list[tuple[int, datetime.datetime]] = []
        lost: list[int] = []
        pk = first
        for customer in self.customer_ids:
            last = self.last_order.get(customer)
            since = last or self.customer_created[customer].date()
            if since >= limit:
                continue
            detected = self._moment(since + datetime.timedelta(days=183))
            roll = self.rng.random()
            if roll < 0.15:
                status, confirmed, reason = (
                    CustomerLoss.Status.CONFIRMED,
                    detected + datetime.timedelta(days=self.rng.randint(1, 60)),
                    self.rng.choice(
                        ("转向竞争对手", "经营不善", "价格原因", "Moved to a competitor")
                    ),
                )
                confirmed = min(confirmed, self.now)
                lost.append(customer)
            elif roll < 0.35:
                status, confirmed, reason = CustomerLoss.Status.PAUSED, None, ""
                measures.append((pk, detected))
            else:
                status, confirmed, reason = CustomerLoss.Status.WARNING, None, ""
            rows.append(
                (
                    pk,
                    customer,
                    self.customer_manager.get(customer),
                    last,
                    status,
                    reason,
                    confirmed,
                    None,
                    detected,
                    detected,
                )
            )
            pk += 1
        self.writer.write(
            CustomerLoss,
            [
                "id",
                "customer",
                "manager",
                "last_order_date",
                "status",
                "reason",
                "confirmed_at",
                "recovered_at",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        first_measure = _next_id(LossMeasure)
        self.writer.write(
            LossMeasure,
            ["id", "loss", "text", "created_by", "created_at"],
            (
                (
                    first_measure + i,
                    loss,
                    "电话回访，给予价格优惠",
                    self.customer_manager[rows[loss - first][1]],
                    at,
                )
                for i, (loss, at) in enumerate(measures)
            ),
        )
        for chunk in _chunks(((c,) for c in lost), 5000):
            Customer.objects.filter(pk__in=[c for (c,) in chunk]).update(
                status=Customer.Status.LOST
            )

    # Opportunities and service -------------------------------------------------------------

    def _chances(self) -> None:
        count = self.sizes["chances"]
        first = _next_id(SalesChance)
        creators = self.managers
        won_customers = iter(
            self.rng.sample(self.customer_ids, k=min(len(self.customer_ids), count))
        )
        rows: list[tuple[Any, ...]] = []
        plans: list[tuple[Any, ...]] = []
        stages = list(Stage.objects.filter(is_active=True).order_by("order", "id"))
        moves: list[tuple[Any, ...]] = []  # the stage history: entered, moved on, closed
        for pk in range(first, first + count):
            created = self._moment(self.start)
            status = self.rng.choices((1, 2, 3, 4), weights=(15, 35, 30, 20))[0]
            assignee = self.rng.choice(self.managers) if status > 1 else None
            assigned: datetime.datetime | None = None
            closed: datetime.datetime | None = None
            if assignee:
                assigned = min(created + datetime.timedelta(days=self.rng.randint(0, 10)), self.now)
                if status > 2:
                    closed = min(
                        assigned + datetime.timedelta(days=self.rng.randint(5, 90)), self.now
                    )
            customer = next(won_customers) if status == 3 else None
            amount = Decimal(self.rng.randrange(5_000, 2_000_000)).quantize(Decimal("0.01"))
            stage_id, stage_at = None, None
            if assigned and stages:
                reached = self.rng.randrange(len(stages))
                end = closed or self.now
                gap = (end - assigned) / (reached + 2)
                previous = None
                for index in range(reached + 1):
                    at = assigned + gap * index
                    moves.append((pk, previous, stages[index].pk, 2, assignee, at))
                    previous = stages[index].pk
                stage_id, stage_at = previous, assigned + gap * reached
                if closed:
                    moves.append((pk, previous, None, status, assignee, closed))
                    stage_id, stage_at = None, closed
            rows.append(
                (
                    pk,
                    self.rng.choice(("展会", "网站", "老客户介绍", "电话营销", "Referral")),
                    self._company(),
                    f"{self.rng.choice(TOPICS)}机会",
                    self.rng.randrange(10, 100, 10),
                    self._person(),
                    f"13{self.rng.randint(100000000, 999999999)}",
                    "客户有采购意向。",
                    amount,
                    (created + datetime.timedelta(days=90)).date(),
                    self.rng.choice(creators),
                    assignee,
                    assigned,
                    status,
                    closed,
                    customer,
                    stage_id,
                    stage_at,
                    created,
                    created,
                )
            )
            if assigned:
                for step in range(self.rng.randint(1, 4)):
                    day = (assigned + datetime.timedelta(days=7 * step)).date()
                    done = status > 2 or day < self.today
                    plans.append(
                        (
                            pk,
                            day,
                            self.rng.choice(TODO),
                            self.rng.choice(RESULTS) if done else "",
                            assigned if done else None,
                            assigned,
                            assigned,
                        )
                    )
        fields = [
            "id",
            "source",
            "customer_name",
            "title",
            "rate",
            "contact",
            "contact_phone",
            "description",
            "expected_amount",
            "expected_close_date",
            "creator",
            "assignee",
            "assigned_at",
            "status",
            "closed_at",
            "customer",
            "stage",
            "stage_changed_at",
            "created_at",
            "updated_at",
        ]
        self.writer.write(SalesChance, fields, rows)
        first_move = _next_id(StageChange)
        self.writer.write(
            StageChange,
            ["id", "chance", "from_stage", "to_stage", "status", "changed_by", "created_at"],
            ((first_move + i, *move) for i, move in enumerate(moves)),
        )
        first_plan = _next_id(PlanItem)
        self.writer.write(
            PlanItem,
            ["id", "chance", "date", "todo", "result", "executed_at", "created_at", "updated_at"],
            ((first_plan + i, *plan) for i, plan in enumerate(plans)),
        )

    def _campaigns(self) -> None:
        """Campaigns over the three years in every status, two to five log entries each for
        the started ones, and one opportunity in ten naming one of the started campaigns."""
        count = self.sizes["campaigns"]
        first = _next_id(Campaign)
        kinds = list(
            DictItem.objects.filter(type=DictType.CAMPAIGN_KIND).values_list("pk", flat=True)
        )
        rows: list[tuple[Any, ...]] = []
        logs: list[tuple[Any, ...]] = []
        started: list[int] = []
        for pk in range(first, first + count):
            start = self.start + datetime.timedelta(days=self.rng.randrange(3 * 365))
            end = start + datetime.timedelta(days=self.rng.randint(1, 60))
            status = self.rng.choices((1, 2, 3, 4, 5), weights=(10, 10, 20, 50, 10))[0]
            owner = self.rng.choice(self.managers)
            # Approved by someone other than its owner (the volume data has no supervisor).
            approver = self.managers[(self.managers.index(owner) + 1) % len(self.managers)]
            approved = status in (2, 3, 4)
            created = self._moment(start - datetime.timedelta(days=30), start)
            rows.append(
                (
                    pk,
                    f"{self.rng.choice(CAMPAIGN_NAMES)}{pk}",
                    self.rng.choice(kinds),
                    start,
                    end,
                    owner,
                    Decimal(self.rng.randrange(1_000, 200_000)).quantize(Decimal("0.01")),
                    "",
                    status,
                    approver if approved else None,
                    created if approved else None,
                    created,
                    created,
                )
            )
            if status in (3, 4):
                started.append(pk)
                for _ in range(self.rng.randint(2, 5)):
                    day = start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))
                    cost = Decimal(self.rng.randrange(100, 50_000)).quantize(Decimal("0.01"))
                    logs.append((pk, day, self.rng.choice(CAMPAIGN_NOTES), cost, owner, created))
        fields = [
            "id",
            "name",
            "kind",
            "start_date",
            "end_date",
            "owner",
            "budget",
            "description",
            "status",
            "approver",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        self.writer.write(Campaign, fields, rows)
        first_log = _next_id(CampaignLog)
        self.writer.write(
            CampaignLog,
            ["id", "campaign", "date", "note", "cost", "author", "created_at"],
            ((first_log + i, *log) for i, log in enumerate(logs)),
        )
        if not started:
            return
        chances = list(SalesChance.objects.order_by("pk").values_list("pk", flat=True)[::10])
        by_campaign: dict[int, list[int]] = {}
        for chance in chances:
            by_campaign.setdefault(self.rng.choice(started), []).append(chance)
        for campaign, ids in by_campaign.items():
            SalesChance.objects.filter(pk__in=ids).update(campaign_id=campaign)

    def _tickets(self) -> None:
        count = self.sizes["tickets"]
        first = _next_id(ServiceRequest)
        first_event = _next_id(ServiceEvent)
        rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        kinds = ServiceEvent.Kind
        for pk in range(first, first + count):
            customer = self.rng.choices(self.customer_ids, cum_weights=self.customer_weights)[0]
            creator = self.customer_manager[customer]
            created = self._moment(self.start)
            status = self.rng.choices((1, 2, 3, 4), weights=(8, 12, 10, 70))[0]
            assignee = self.rng.choice(self.managers) if status > 1 else None
            allocated = (
                min(created + datetime.timedelta(hours=self.rng.randint(1, 72)), self.now)
                if assignee
                else None
            )
            handled = (
                min(allocated + datetime.timedelta(hours=self.rng.randint(1, 120)), self.now)
                if allocated and status > 2
                else None
            )
            archived = (
                min(handled + datetime.timedelta(hours=self.rng.randint(1, 72)), self.now)
                if handled and status > 3
                else None
            )
            satisfaction = (
                self.rng.choices((3, 4, 5), weights=(20, 45, 35))[0] if archived else None
            )
            rows.append(
                (
                    pk,
                    self.rng.choice(self.service_types),
                    f"{self.rng.choice(('咨询', '投诉', '建议'))}：{self.rng.choice(TOPICS)}",
                    customer,
                    status,
                    "客户来电提出服务请求。",
                    creator,
                    assignee,
                    allocated,
                    "已电话解决。" if handled else "",
                    assignee if handled else None,
                    handled,
                    "客户满意" if archived else "",
                    satisfaction,
                    archived,
                    created,
                    archived or handled or allocated or created,
                )
            )
            events.append((pk, kinds.CREATED, creator, None, "", None, created))
            if allocated:
                events.append(
                    (pk, kinds.ALLOCATED, self.managers[0], assignee, "", None, allocated)
                )
            if handled:
                events.append((pk, kinds.HANDLED, assignee, None, "已电话解决。", None, handled))
            if archived:
                events.append(
                    (pk, kinds.FEEDBACK, creator, None, "客户满意", satisfaction, archived)
                )
                events.append((pk, kinds.ARCHIVED, creator, None, "", None, archived))
        fields = [
            "id",
            "type",
            "title",
            "customer",
            "status",
            "request",
            "creator",
            "assignee",
            "allocated_at",
            "handling",
            "handler",
            "handled_at",
            "result",
            "satisfaction",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        self.writer.write(ServiceRequest, fields, rows)
        self.writer.write(
            ServiceEvent,
            ["id", "request", "kind", "user", "target_user", "text", "satisfaction", "created_at"],
            ((first_event + i, *event) for i, event in enumerate(events)),
        )

    def _reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(
            no_style(),
            [
                Product,
                Customer,
                Contact,
                Activity,
                Order,
                OrderLine,
                CustomerLoss,
                LossMeasure,
                SalesChance,
                PlanItem,
                StageChange,
                Campaign,
                CampaignLog,
                ServiceRequest,
                ServiceEvent,
                Task,
                Quote,
                QuoteLine,
            ],
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _quotes(self) -> None:
        """Quotes of the customers (by their weight), created by their managers, about three
        lines each, their totals computed by `marketing.pricing` as the services store them.
        No accepted ones: an accepted quote has its order, and the orders are the sales
        system's here."""
        count = self.sizes["quotes"]
        first, first_line = _next_id(Quote), _next_id(QuoteLine)
        statuses = [
            Quote.Status.DRAFT, Quote.Status.PENDING, Quote.Status.APPROVED, Quote.Status.SENT,
            Quote.Status.SENT, Quote.Status.REJECTED, Quote.Status.EXPIRED,
        ]  # fmt: skip
        customers = self.rng.choices(self.customer_ids, cum_weights=self.customer_weights, k=count)
        quote_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        for offset, customer in enumerate(customers):
            pk = first + offset
            moment = self._moment(max(self.start, self.customer_created[customer].date()))
            status = self.rng.choice(statuses)
            valid_until = moment.date() + datetime.timedelta(days=30)
            if status == Quote.Status.EXPIRED:
                valid_until = min(valid_until, self.today - datetime.timedelta(days=1))
            elif status != Quote.Status.REJECTED:
                valid_until = max(valid_until, self.today + datetime.timedelta(days=7))
            inputs = []
            for position in range(1, self.rng.choice((2, 3, 3, 4)) + 1):
                product, price, unit = self.rng.choices(
                    self.products, cum_weights=self.product_weights
                )[0]
                discount = Decimal(self.rng.choice((0, 0, 0, 5, 8, 10, 15, 20)))
                line = pricing.LineInput(
                    self.rng.randint(1, 20), Decimal(price or 1000), discount, Decimal(13)
                )
                inputs.append(line)
                line_rows.append(
                    (first_line + len(line_rows), pk, product, line.quantity, unit or "台",
                     line.unit_price, discount, line.tax_rate, position)
                )  # fmt: skip
            totals = pricing.totals(inputs)
            if status == Quote.Status.PENDING and totals.max_discount <= 10:
                status = Quote.Status.DRAFT
            approved = status in (Quote.Status.APPROVED, Quote.Status.SENT, Quote.Status.REJECTED,
                                  Quote.Status.EXPIRED)  # fmt: skip
            quote_rows.append(
                (pk, f"BJ{moment:%y%m%d}V{pk:07d}", 1, customer, self.customer_manager[customer],
                 status, valid_until, "", "CNY", totals.net, totals.tax, totals.gross,
                 totals.max_discount, moment if approved else None, moment, moment)
            )  # fmt: skip
        self.writer.write(
            Quote,
            ["id", "number", "version", "customer", "creator", "status", "valid_until", "terms",
             "currency", "net_amount", "tax_amount", "gross_amount", "max_discount",
             "approved_at", "created_at", "updated_at"],
            quote_rows,
        )  # fmt: skip
        self.writer.write(
            QuoteLine,
            ["id", "quote", "product", "quantity", "unit", "unit_price", "discount", "tax_rate",
             "position"],
            line_rows,
        )  # fmt: skip
