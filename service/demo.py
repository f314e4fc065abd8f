"""Demo service requests for `seed_demo`, in every state (new, allocated, handled, archived, and
one returned after low satisfaction)."""

from accounts.models import User
from inventory.selectors import service_types
from sales.models import Customer
from service import services
from service.models import ServiceRequest

TICKETS = (  # summary, request
    ("咨询笔记本电脑价格", "客户询问海龙笔记本电脑 i61 的批量采购价格。"),
    ("电视机售后维修", "幸福牌电视机开机无图像，要求上门维修。"),
    ("建议增加送货时段", "客户建议周末也能送货。"),
    ("投诉送货延迟", "上批订单晚到三天，客户不满。"),
    ("咨询保修政策", "客户询问延长保修的费用。"),
    ("收音机退换货", "收到的收音机外壳破损，要求换货。"),
)


def seed(users: dict[str, User]) -> None:
    if ServiceRequest.objects.filter(title=TICKETS[0][0]).exists():
        return
    supervisor, manager = users["supervisor"], users["manager1"]
    customers = list(Customer.objects.filter(manager=manager).order_by("pk")[: len(TICKETS)])
    if len(customers) < len(TICKETS):
        return
    types = list(service_types())
    tickets = [
        services.request_create(
            actor=manager,
            type=types[index % len(types)],
            title=title,
            customer=customers[index],
            request=text,
        )
        for index, (title, text) in enumerate(TICKETS)
    ]
    # 0: new. 1: allocated. 2: handled. 3: archived. 4: returned once, then archived. 5: new.
    for ticket in tickets[1:5]:
        services.request_allocate(actor=supervisor, ticket=ticket, assignee=manager)
    for ticket in tickets[2:5]:
        services.request_handle(actor=manager, ticket=ticket, handling="已电话联系客户并解决。")
    services.request_feedback(actor=manager, ticket=tickets[3], result="客户满意", satisfaction=5)
    services.request_feedback(actor=manager, ticket=tickets[4], result="仍未解决", satisfaction=2)
    services.request_handle(actor=manager, ticket=tickets[4], handling="上门更换配件。")
    services.request_feedback(actor=manager, ticket=tickets[4], result="问题解决", satisfaction=4)
