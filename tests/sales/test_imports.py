"""Customer and order imports: all or nothing, every bad row reported, any encoding."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from jobs.models import Job
from sales.importers import CustomerImporter
from sales.models import Contact, Customer, CustomerLoss, Order
from tests.factories.inventory import ProductFactory
from tests.factories.sales import CustomerFactory, CustomerLossFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "客户名称,客户经理（用户名）,地区,客户等级,地址,电话,联系人,联系人职务,联系人电话,联系人邮箱\n"
)


def _label(key: str) -> str:
    return next(str(c.label) for c in CustomerImporter.columns if c.key == key)


def test_clean_customer_file_creates_customers_and_contacts(importer, manager) -> None:
    content = (
        HEADER
        + "聪海信息科技有限公司,manager1,北京,战略合作伙伴,北京海淀,010-1,张先生,经理,139,z@x.cn\n"
        + "太阳药业,MANAGER1,上海,2,上海浦东,021-1,,,,\n"
    ).encode()
    job = importer("sales:customer-import", content)

    assert job.status == Job.Status.DONE, job.errors
    customers = Customer.objects.order_by("name")
    assert [(c.name, c.manager, c.level.value) for c in customers] == [
        ("太阳药业", manager, "2"),
        ("聪海信息科技有限公司", manager, "5"),
    ]
    assert len({c.number for c in customers}) == 2
    assert Contact.objects.get().name == "张先生"


def test_dirty_customer_file_writes_nothing_and_lists_every_error(importer, other_manager) -> None:
    CustomerFactory(name="太阳药业")
    content = (
        HEADER
        + ",manager1,北京,1,,,,,,\n"  # 2: no name
        + "甲,nobody,北京,1,,,,,,\n"  # 3: unknown manager
        + "乙,manager2,火星,1,,,,,,\n"  # 4: unknown region
        + "丙,manager2,北京,9,,,,,,\n"  # 5: unknown level
        + "太阳药业,manager2,北京,1,,,,,,\n"  # 6: duplicate name: a warning only
        + "丁,manager2,北京,1,,,李,经理,1,not-an-email\n"  # 7: bad e-mail
    ).encode()
    job = importer("sales:customer-import", content)

    errors = sorted((i["row"], i["level"]) for i in job.errors)
    assert errors == [
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "warning"),
        (7, "error"),
    ]
    assert Customer.objects.count() == 1


def test_a_manager_of_a_disabled_role_holds_no_imported_customers(importer, manager) -> None:
    manager.role.is_active = False
    manager.role.save()
    job = importer("sales:customer-import", (HEADER + "甲公司,manager1,北京,1,,,,,,\n").encode())

    assert [(i["row"], i["column"], i["level"]) for i in job.errors] == [
        (2, _label("manager"), "error")
    ]
    assert not Customer.objects.exists()


def test_values_longer_than_their_fields_are_refused(importer, manager) -> None:
    too_long = "长" * (Customer._meta.get_field("name").max_length + 1)
    job = importer("sales:customer-import", (HEADER + f"{too_long},manager1,,,,,,,,\n").encode())
    assert [(i["row"], i["column"]) for i in job.errors] == [(2, _label("name"))]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(("encoding", "prefix"), [("gbk", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_gbk_and_bom_customer_files(importer, manager, encoding, prefix) -> None:
    content = prefix + (HEADER + "云南天河烟草公司,manager1,西部,1,昆明,0871-1,,,,\n").encode(
        encoding
    )
    job = importer("sales:customer-import", content)
    assert job.status == Job.Status.DONE
    assert Customer.objects.get().name == "云南天河烟草公司"


def test_ten_thousand_customers_from_xlsx(importer, manager) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Customer name", "Customer manager (username)", "Region", "Customer level", "Contact"]
    )
    for index in range(10_000):
        sheet.append([f"客户{index:05d}", "manager1", "北京", "1", f"联系人{index}"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = importer("sales:customer-import", buffer.getvalue(), "big.xlsx")

    assert job.status == Job.Status.DONE
    assert Customer.objects.filter(manager=manager).count() == 10_000
    assert Contact.objects.count() == 10_000
    assert Customer.objects.values("number").distinct().count() == 10_000


def test_orders_with_lines_are_imported_and_recover_losses(importer) -> None:
    customer = CustomerFactory()
    loss = CustomerLossFactory(customer=customer)
    product = ProductFactory(name="海龙笔记本电脑", model="i60", batch="2688 9966")
    header = "订单编号,客户编号,日期,送货地址,已回款,产品名称,型号,等级/批次,件数,单位,单价（元）\n"
    content = (
        header
        + f"D1,{customer.number},2026-11-01,北京,paid,海龙笔记本电脑,i60,2688 9966,2,台,9800\n"
        + f"D1,{customer.number},2026-11-01,北京,paid,海龙笔记本电脑,i60,2688 9966,1,台,100\n"
        + f"D2,{customer.number},2026-11-02,北京,unpaid,海龙笔记本电脑,i60,2688 9966,1,台,50\n"
    ).encode()

    job = importer("sales:order-import", content)

    assert job.status == Job.Status.DONE, job.errors
    first = Order.objects.get(number="D1")
    assert first.is_paid
    assert first.lines.count() == 2
    assert sum(line.amount for line in first.lines.all()) == Decimal(19700)
    assert not Order.objects.get(number="D2").is_paid
    assert product.order_lines.count() == 3
    loss.refresh_from_db()
    assert loss.status == CustomerLoss.Status.RECOVERED


def test_dirty_order_file_writes_nothing(importer) -> None:
    customer = CustomerFactory()
    ProductFactory(name="海龙笔记本电脑", model="i60", batch="")
    header = "订单编号,客户编号,日期,送货地址,产品名称,型号,件数,单价（元）\n"
    content = (
        header
        + f"D1,{customer.number},2026-11-01,北京,海龙笔记本电脑,i60,2,9800\n"
        + "D2,KH-NOPE,2026-11-01,北京,海龙笔记本电脑,i60,2,9800\n"  # 3: unknown customer
        + f"D3,{customer.number},昨天,北京,海龙笔记本电脑,i60,2,9800\n"  # 4: bad date
        + f"D4,{customer.number},2026-11-01,北京,不存在,i60,2,9800\n"  # 5: unknown product
        + f"D5,{customer.number},2026-11-01,北京,海龙笔记本电脑,i60,0,abc\n"  # 6: count, price
    ).encode()

    job = importer("sales:order-import", content)

    assert sorted({i["row"] for i in job.errors}) == [3, 4, 5, 6]
    assert len([i for i in job.errors if i["row"] == 6]) == 2
    assert not Order.objects.exists()


def test_the_import_warns_of_a_customer_with_the_same_name_core(importer, manager) -> None:
    # The keys of the possible-duplicates page: 太阳药业有限公司 and 太阳药业 share their core.
    CustomerFactory(name="太阳药业有限公司")
    content = (
        HEADER + "太阳药业,manager1,北京,1,,,,,,\n" + "月亮,manager1,北京,1,,,,,,\n"
    ).encode()
    job = importer("sales:customer-import", content)
    assert [(i["row"], i["level"]) for i in job.errors] == [(2, "warning")]


def test_the_order_import_refuses_the_crm_numbers_of_quote_orders(importer) -> None:
    customer = CustomerFactory()
    ProductFactory(name="海龙笔记本电脑", model="i60", batch="")
    header = "订单编号,客户编号,日期,送货地址,产品名称,型号,件数,单价（元）\n"
    content = (
        header
        + f"crm26120300001,{customer.number},2026-11-01,北京,海龙笔记本电脑,i60,2,9800\n"
        + f"D1,{customer.number},2026-11-01,北京,海龙笔记本电脑,i60,2,9800\n"
    ).encode()

    job = importer("sales:order-import", content)

    assert [issue["row"] for issue in job.errors] == [2], job.errors
    assert "CRM" in job.errors[0]["message"]
    assert "quotes" in job.errors[0]["message"]
    assert not Order.objects.exists()
