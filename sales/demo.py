"""Demo customers for `seed_demo`: ~200 customers of both demo managers with contacts,
interactions, two years of orders, and loss records in every state. Deterministic; running it
again adds nothing when the demo customers exist."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from inventory.models import DictItem, DictType, Product
from sales import services
from sales.models import Activity, Contact, Customer, CustomerLoss, LossMeasure, Order, OrderLine

NAMES = (
    "聪海信息科技有限公司",
    "北京明科科技有限公司",
    "太阳药业",
    "云南天河烟草公司",
    "北京天桥信息技术有限公司",
    "上海恒远电子有限公司",
    "广州金桥贸易公司",
    "深圳宏达实业",
    "杭州瑞丰软件",
    "南京嘉禾医疗",
    "成都博远物流",
    "武汉东方机械",
)
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞")
CUSTOMERS = 200


def seed(users: dict[str, User]) -> None:
    if Customer.objects.filter(name__startswith=NAMES[0]).exists():
        return
    rng = random.Random(2026)
    managers = [users["manager1"], users["manager2"]]
    regions = list(DictItem.objects.filter(type=DictType.REGION))
    levels = list(DictItem.objects.filter(type=DictType.CUSTOMER_LEVEL).order_by("value"))
    products = list(Product.objects.all())
    today = timezone.localdate()
    numbers = services.customer_numbers(CUSTOMERS)
    customers = Customer.objects.bulk_create(
        Customer(
            number=numbers[index],
            name=NAMES[index]
            if index < len(NAMES)
            else f"{rng.choice(NAMES)[:4]}{index:03d}分公司",
            manager=managers[index % 2],
            region=rng.choice(regions),
            level=levels[min(4, int(rng.paretovariate(2.0)) - 1)],
            satisfaction=rng.randint(1, 5),
            credit=rng.randint(1, 5),
            address=f"{rng.choice(regions).item}市{rng.randint(1, 99)}号",
            zip_code=f"{rng.randint(100000, 999999)}",
            phone=f"010-{rng.randint(60000000, 69999999)}",
            legal_person=rng.choice(PEOPLE),
            bank="中国银行",
            bank_account=f"6222{rng.randint(10**11, 10**12 - 1)}",
        )
        for index in range(CUSTOMERS)
    )
    contacts = []
    for index, customer in enumerate(customers):
        for n in range(rng.randint(1, 3)):
            birthday = None
            if index < 8 and n == 0:  # some birthdays this week, for the reminders
                birthday = (today + datetime.timedelta(days=index % 7)).replace(year=1980)
            elif rng.random() < 0.5:
                birthday = datetime.date(
                    rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28)
                )
            contacts.append(
                Contact(
                    customer=customer,
                    name=rng.choice(PEOPLE),
                    gender=rng.choice("MF"),
                    position=rng.choice(("总经理", "采购经理", "财务主管", "技术总监")),
                    phone=f"010-{rng.randint(60000000, 69999999)}",
                    mobile=f"139{rng.randint(10000000, 99999999)}",
                    email=f"contact{index}_{n}@example.com",
                    birthday=birthday,
                )
            )
    Contact.objects.bulk_create(contacts)
    Activity.objects.bulk_create(
        Activity(
            customer=customer,
            occurred_at=timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=rng.randint(0, 700)),
                    datetime.time(rng.randint(9, 17), rng.choice((0, 30))),
                )
            ),
            kind=rng.choice(list(Activity.Kind)),
            author=customer.manager,
            place=rng.choice(("客户公司", "我公司会议室", "展会", "电话")),
            title=rng.choice(("年度拜访", "产品演示", "合同洽谈", "售后回访")),
            description="沟通了需求和下一步计划。",
        )
        for customer in customers
        for _ in range(rng.randint(0, 4))
    )
    # Orders over two years; the last 30 customers stop ordering 8 months ago or never order.
    orders, lines = [], []
    for index, customer in enumerate(customers):
        if index >= CUSTOMERS - 10:
            continue
        latest = today - datetime.timedelta(days=240 if index >= CUSTOMERS - 30 else 0)
        for n in range(min(40, max(1, int(rng.paretovariate(1.5) * 2)))):
            span = 90 if n == 0 else 700 - (today - latest).days  # the latest order is recent
            date = latest - datetime.timedelta(days=rng.randint(0, span))
            order = Order(
                number=f"D{customer.number[2:]}{n:03d}",
                customer=customer,
                date=date,
                address=customer.address,
                status=Order.Status.PAID if rng.random() < 0.8 else Order.Status.DELIVERING,
            )
            orders.append(order)
            for product in rng.sample(products, k=min(len(products), rng.randint(1, 3))):
                lines.append((order, product))
    Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=product,
            count=rng.randint(1, 20),
            unit=product.unit,
            unit_price=product.price or Decimal(100),
        )
        for order, product in lines
    )
    services.refresh_order_amounts(Order.objects.filter(customer__in=customers), created=True)
    services.detect_customer_loss(today=today)
    open_losses = list(CustomerLoss.objects.filter(customer__in=customers).order_by("pk"))
    for loss in open_losses[:5]:
        LossMeasure.objects.create(
            loss=loss, text="电话回访，提供九折优惠。", created_by=loss.customer.manager
        )
        loss.status = CustomerLoss.Status.PAUSED
        loss.save(update_fields=["status"])
    for loss in open_losses[5:8]:
        services.loss_confirm(actor=loss.customer.manager, loss=loss, reason="客户转向竞争对手。")
