"""Demo tasks for `seed_demo`: a few per customer manager, overdue, today, this week and done,
one visit (外出登记) and one filed by the supervisor."""

import datetime

from django.utils import timezone

from accounts.models import User
from sales.models import Customer
from tasks import services
from tasks.models import Task

TASKS = (  # title, kind, place, days from today, hour, lead minutes, priority
    ("电话回访：确认上批订单到货", Task.Kind.CALL, "", -2, 10, None, Task.Priority.HIGH),
    ("整理本周客户联络小结", Task.Kind.TODO, "", 0, 17, 30, Task.Priority.NORMAL),
    ("拜访客户，介绍新款笔记本", Task.Kind.VISIT, "客户公司会议室", 1, 14, 60, Task.Priority.HIGH),
    ("寄送报价单", Task.Kind.TODO, "", 3, 9, 15, Task.Priority.LOW),
)


def seed(users: dict[str, User]) -> None:
    if Task.objects.filter(title=TASKS[0][0]).exists():
        return
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for username in ("manager1", "manager2"):
        manager = users[username]
        customers = list(Customer.objects.filter(manager=manager).order_by("pk")[: len(TASKS)])
        for index, (title, kind, place, days, hour, lead, priority) in enumerate(TASKS):
            services.task_create(
                actor=manager,
                title=title,
                kind=kind,
                place=place,
                priority=priority,
                due_at=(today + datetime.timedelta(days=days)).replace(hour=hour),
                remind_before=datetime.timedelta(minutes=lead) if lead else None,
                customer=customers[index] if index < len(customers) else None,
            )
        done = services.task_create(
            actor=manager,
            title="准备月度销售计划",
            due_at=today - datetime.timedelta(days=1),
        )
        services.task_complete(actor=manager, task=done)
    services.task_create(
        actor=users["supervisor"],
        owner=users["manager1"],
        title="跟进重点客户的续约意向",
        due_at=today + datetime.timedelta(days=2),
        all_day=True,
        priority=Task.Priority.HIGH,
        remind_before=datetime.timedelta(days=1),
    )
