"""Demo opportunities for `seed_demo`, in every status (the seed's examples, SEED_SPEC §6.1–6.2)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from inventory.models import DictItem, DictType
from marketing import services
from marketing.models import SalesChance

CHANCES = (  # customer, summary, rate, contact, phone, amount
    ("睿智电子科技有限公司", "采购笔记本电脑 50 台", 70, "刘先生", "13729239239", "490000"),
    ("北京明科科技有限公司", "服务器升级项目", 50, "李经理", "13910000000", "320000"),
    ("幸福家电连锁", "电视机年度框架协议", 30, "王主任", "13600000001", "1500000"),
    ("云南天河烟草公司", "办公设备更新", 60, "赵科长", "13800000002", "210000"),
    ("上海恒远电子有限公司", "收音机渠道合作", 20, "钱总", "13500000003", "80000"),
    ("杭州瑞丰软件", "研发笔记本采购", 80, "孙经理", "13300000004", "640000"),
    ("南京嘉禾医疗", "医疗终端采购", 40, "周主任", "13200000005", "275000"),
)


def seed(users: dict[str, User]) -> None:
    if SalesChance.objects.filter(customer_name=CHANCES[0][0]).exists():
        return
    supervisor, manager1, manager2 = users["supervisor"], users["manager1"], users["manager2"]
    today = timezone.localdate()
    chances = [
        services.chance_create(
            actor=supervisor if index % 2 else manager1,
            source="展会" if index % 3 else "电话咨询",
            customer_name=name,
            title=title,
            rate=rate,
            contact=contact,
            contact_phone=phone,
            description="客户有明确采购意向，预算已批。",
            expected_amount=Decimal(amount),
            expected_close_date=today + datetime.timedelta(days=30 + index * 10),
        )
        for index, (name, title, rate, contact, phone, amount) in enumerate(CHANCES)
    ]
    # 0, 1: unassigned. 2, 3: developing with plans. 4: won. 5: failed. 6: developing by manager2.
    for index, manager in (
        (2, manager1),
        (3, manager1),
        (4, manager1),
        (5, manager1),
        (6, manager2),
    ):
        chances[index] = services.chance_assign(
            actor=supervisor, chance=chances[index], assignee=manager
        )
    manager = manager1
    for chance in chances[2:6]:
        first = services.plan_add(
            actor=manager,
            chance=chance,
            date=today - datetime.timedelta(days=7),
            todo="电话联系，了解需求",
        )
        services.plan_execute(actor=manager, item=first, result="客户确认预算和时间表")
        services.plan_add(actor=manager, chance=chance, date=today, todo="上门演示产品")
        services.plan_add(
            actor=manager, chance=chance, date=today + datetime.timedelta(days=3), todo="提交报价单"
        )
    services.chance_win(actor=manager1, chance=chances[4])
    lost = DictItem.objects.filter(type=DictType.CHANCE_LOST_REASON).order_by("id").first()
    services.chance_fail(actor=manager1, chance=chances[5], reason=lost)
    seed_campaigns(users, chances)


def seed_campaigns(users: dict[str, User], chances: list[SalesChance]) -> None:
    """A finished exhibition (its log, two opportunities from it, one won), a running e-mail
    campaign, an approved seminar and a planned online campaign waiting for approval."""
    supervisor, manager1, manager2 = users["supervisor"], users["manager1"], users["manager2"]
    today = timezone.localdate()
    kinds = {item.value: item for item in DictItem.objects.filter(type=DictType.CAMPAIGN_KIND)}

    def campaign(owner: User, name: str, kind: str, start: int, days: int, budget: str) -> Any:
        return services.campaign_create(
            actor=owner,
            name=name,
            kind=kinds[kind],
            start_date=today + datetime.timedelta(days=start),
            end_date=today + datetime.timedelta(days=start + days),
            budget=Decimal(budget),
            description="",
        )

    fair = campaign(manager1, "春季电子产品展会", "exhibition", -60, 3, "50000")
    mail = campaign(manager1, "老客户邮件回馈", "e-mail", -10, 30, "3000")
    seminar = campaign(manager2, "行业数字化研讨会", "seminar", 20, 1, "20000")
    campaign(manager2, "618 线上推广", "online", 40, 14, "15000")
    for started in (fair, mail, seminar):
        services.campaign_approve(actor=supervisor, campaign=started)
    for running in (fair, mail):
        services.campaign_start(actor=running.owner, campaign=running)
    for day, note, cost in ((-60, "展位费", "28000"), (-59, "宣传册印刷", "4200.50")):
        services.campaign_log_add(
            actor=manager1,
            campaign=fair,
            date=today + datetime.timedelta(days=day),
            note=note,
            cost=Decimal(cost),
        )
    services.campaign_log_add(
        actor=manager1, campaign=mail, date=today, note="邮件群发服务", cost=Decimal("800")
    )
    services.campaign_finish(actor=manager1, campaign=fair)
    # The won opportunity (4) and a developing one (2) came from the exhibition.
    SalesChance.objects.filter(pk__in=[chances[4].pk, chances[2].pk]).update(campaign=fair)
    SalesChance.objects.filter(pk=chances[0].pk).update(campaign=mail)


def seed_quotes(users: dict[str, User]) -> None:
    """A few quotes of manager1's customers: a draft, one waiting for approval (a 15 %
    discount), one sent, one accepted (its order created) and one declined."""
    from inventory.models import Product
    from marketing.models import Quote
    from sales.models import Customer

    if Quote.objects.exists():
        return
    manager, supervisor = users["manager1"], users["supervisor"]
    customers = list(Customer.objects.filter(manager=manager).order_by("id")[:5])
    products = list(Product.objects.exclude(price=None).order_by("id")[:4])
    if not customers or not products:
        return
    valid_until = timezone.localdate() + datetime.timedelta(days=30)

    def quote(index: int, discount: str) -> Quote:
        return services.quote_create(
            actor=manager,
            customer=customers[index % len(customers)],
            lines=[
                {
                    "product": product,
                    "quantity": 1 + (index + offset) % 5,
                    "discount": Decimal(discount) if offset == 0 else Decimal(0),
                }
                for offset, product in enumerate(products[: 2 + index % 3])
            ],
            valid_until=valid_until,
            terms="款到发货；含运费；质保一年。",
        )

    quote(0, "5")
    services.quote_submit(actor=manager, quote=quote(1, "15"))
    sent = services.quote_submit(actor=manager, quote=quote(2, "8"))
    services.quote_send(actor=manager, quote=sent)
    accepted = services.quote_submit(actor=manager, quote=quote(3, "20"))
    accepted = services.quote_approve(actor=supervisor, quote=accepted, comment="同意")
    accepted = services.quote_send(actor=manager, quote=accepted)
    services.quote_accept(actor=manager, quote=accepted)
    declined = services.quote_send(
        actor=manager, quote=services.quote_submit(actor=manager, quote=quote(4, "0"))
    )
    services.quote_decline(actor=manager, quote=declined, comment="预算暂缓")
