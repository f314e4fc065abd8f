"""Product and stock imports through the upload page and the job page (all or nothing)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from inventory.models import Product, Stock
from jobs.models import Job
from tests.factories.inventory import ProductFactory, StockFactory

pytestmark = pytest.mark.django_db

PRODUCT_HEADER = "名称,型号,等级/批次,单位,单价（元）,备注\n"


def _upload(client, url_name: str, content: bytes, name: str, capture) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse(url_name), {"file": SimpleUploadedFile(name, content)}, follow=True
        )
    assert response.status_code == 200
    return Job.objects.latest("pk")


def _confirm(client, job: Job, capture) -> Job:
    with capture(execute=True):
        client.post(reverse("jobs:confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_clean_product_file_is_written_after_confirmation(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    existing = ProductFactory(name="海龙笔记本电脑", model="i60", batch="2688 9966", price=1)
    content = (
        PRODUCT_HEADER
        + "海龙笔记本电脑,i60,2688 9966,台,9800,\n幸福牌收音机,天语007,7878 006A,台,36,\n"
    ).encode()

    job = _upload(
        admin_client,
        "inventory:product-import",
        content,
        "p.csv",
        django_capture_on_commit_callbacks,
    )
    assert job.status == Job.Status.CHECKED
    assert Product.objects.count() == 1  # nothing before confirmation
    job = _confirm(admin_client, job, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE
    assert Product.objects.count() == 2
    existing.refresh_from_db()
    assert existing.price == 9800  # the same product is updated, not duplicated


def test_a_file_with_bad_rows_writes_nothing_and_reports_each_row(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    StockFactory()
    known = ProductFactory(name="海龙笔记本电脑", model="i61", batch="")
    content = (
        "产品名称,型号,等级/批次,仓库,货位,件数\n"
        "海龙笔记本电脑,i61,,北京-马甸库,EA-A6,8\n"  # row 2 fine
        "不存在的产品,X1,,北京-马甸库,EA-A7,8\n"  # row 3 unknown product
        "海龙笔记本电脑,i61,,北京-马甸库,EA-A8,-3\n"  # row 4 negative count
        "海龙笔记本电脑,i61,,,EA-A9,2\n"  # row 5 missing warehouse
    ).encode()

    job = _upload(
        admin_client, "inventory:stock-import", content, "s.csv", django_capture_on_commit_callbacks
    )
    page = admin_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    confirm = _confirm(admin_client, job, django_capture_on_commit_callbacks)

    rows = {(issue["row"], issue["level"]) for issue in job.errors}
    assert rows == {(3, "error"), (4, "error"), (5, "error")}
    assert "Unknown product" in page
    assert "negative" in page
    assert confirm.status == Job.Status.CHECKED  # confirmation refused
    assert Stock.objects.count() == 1
    assert not Stock.objects.filter(product=known).exists()


def test_non_numeric_price_and_missing_column_are_reported(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    bad_price = _upload(
        admin_client,
        "inventory:product-import",
        (PRODUCT_HEADER + "A,B,,台,九十,\n").encode(),
        "p.csv",
        django_capture_on_commit_callbacks,
    )
    no_model = _upload(
        admin_client,
        "inventory:product-import",
        "名称,单价\nA,1\n".encode(),
        "p.csv",
        django_capture_on_commit_callbacks,
    )

    assert [issue["row"] for issue in bad_price.errors] == [2]
    assert "not a number" in bad_price.errors[0]["message"]
    assert no_model.errors[0]["row"] == 1
    assert "Missing column" in no_model.errors[0]["message"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(("encoding", "prefix"), [("gbk", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_gbk_and_utf8_with_bom_are_read_correctly(
    admin_client, django_capture_on_commit_callbacks, encoding, prefix
) -> None:
    content = prefix + (PRODUCT_HEADER + "幸福牌电视机,818 FFT,2388 EA03,台,7500,代生产\n").encode(
        encoding
    )

    job = _upload(
        admin_client,
        "inventory:product-import",
        content,
        "p.csv",
        django_capture_on_commit_callbacks,
    )
    _confirm(admin_client, job, django_capture_on_commit_callbacks)

    product = Product.objects.get()
    assert (product.name, product.memo) == ("幸福牌电视机", "代生产")


def test_five_thousand_stock_rows_from_xlsx(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    product = ProductFactory(name="海龙笔记本电脑", model="i60", batch="2688 9966")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Product name", "Model", "Grade/batch", "Warehouse", "Location", "Count", "Safety level"]
    )
    for index in range(5000):
        sheet.append(
            [
                product.name,
                product.model,
                product.batch,
                "北京-西直门库",
                f"L{index}",
                index % 50,
                10,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = _upload(
        admin_client,
        "inventory:stock-import",
        buffer.getvalue(),
        "s.xlsx",
        django_capture_on_commit_callbacks,
    )
    job = _confirm(admin_client, job, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE
    assert job.written == 5000
    assert Stock.objects.filter(product=product).count() == 5000
    assert Stock.objects.filter(count__lt=10).count() == 1000


def test_the_template_can_be_downloaded(admin_client) -> None:
    response = admin_client.get(reverse("jobs:import-template", args=["stock", "csv"]))
    assert response.status_code == 200
    assert "Warehouse" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_stock_values_longer_than_their_fields_are_refused(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    ProductFactory(name="海龙笔记本电脑", model="i61", batch="")
    warehouse = "库" * (Stock._meta.get_field("warehouse").max_length + 1)
    content = f"产品名称,型号,等级/批次,仓库,货位,件数\n海龙笔记本电脑,i61,,{warehouse},EA-A6,8\n"
    job = _upload(
        admin_client,
        "inventory:stock-import",
        content.encode(),
        "s.csv",
        django_capture_on_commit_callbacks,
    )
    assert [(issue["row"], issue["level"]) for issue in job.errors] == [(2, "error")]
    assert "Longer than 50 characters." in job.errors[0]["message"]
    assert not Stock.objects.exists()
