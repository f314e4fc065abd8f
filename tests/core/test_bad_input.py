"""Hostile input gets a clear 400 or a per-row error, never a server error or a formula."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exports import csv_rows, csv_safe
from core.imports import NUL_IN_ROW
from core.tabular import MAX_XLSX_UNPACKED_BYTES, TableError, read_table
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/customers/%00/",
        "/customers/%00/edit/",
        "/customers/%00/orders/",
        "/service/customers/?q=%00",
        "/customers/?name=%00",
        "/customers/export/?format=csv&name=%00",
        "/customers/export/?anything=%00",
        "/marketing/chances/?customer_name=a%00b",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_bad_request(client, supervisor, url) -> None:
    client.force_login(supervisor)
    assert client.get(url).status_code == 400


def test_a_nul_byte_in_a_form_field_is_a_bad_request_and_changes_nothing(
    client, supervisor, manager, other_manager
) -> None:
    customer = CustomerFactory(manager=manager)
    client.force_login(supervisor)
    response = client.post(
        reverse("sales:customer-transfer"),
        {"customer": "\x00", "customers": [customer.pk], "manager": other_manager.pk},
    )
    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.manager == manager


def test_a_nul_byte_in_a_form_field_name_is_a_bad_request(client, manager) -> None:
    client.force_login(manager)
    assert client.post(reverse("sales:customer-create"), {"na\x00me": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("瑞丰=1", "瑞丰=1"),
        (-5, -5),
        (12.5, 12.5),
    ],
)
def test_csv_cells_that_would_run_as_formulas_are_quoted(value, written) -> None:
    assert csv_safe(value) == written


def test_a_customer_named_like_a_formula_is_exported_as_text(client, supervisor) -> None:
    CustomerFactory(name="=1+1")
    client.force_login(supervisor)
    response = client.get(reverse("sales:customer-export"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'=1+1" in cells
    assert "=1+1" not in cells


def test_csv_rows_keep_numbers_as_numbers() -> None:
    lines = list(csv_rows(["a", "b"], [[-3, "-3"]]))
    assert lines[1] == "-3,'-3\r\n"


def _zip_bomb(unpacked: int) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"0" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
    buffer.seek(0)
    return buffer


def test_an_xlsx_that_unpacks_far_beyond_its_size_is_refused_before_reading() -> None:
    bomb = _zip_bomb(20 * 1024 * 1024)
    assert len(bomb.getvalue()) < 100 * 1024
    with pytest.raises(TableError, match=str(MAX_XLSX_UNPACKED_BYTES // (1024 * 1024))):
        read_table(bomb, "customers.xlsx")


def _workbook_with(sheet_xml: bytes | None = None, rows: int = 3) -> io.BytesIO:
    """A real workbook of `rows` rows; `sheet_xml` replaces its sheet's XML when given."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名称", "电话"])
    for n in range(rows):
        book.active.append([f"客户{n}", f"1380000{n:04d}"])
    good = io.BytesIO()
    book.save(good)
    if sheet_xml is None:
        good.seek(0)
        return good
    changed = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(changed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, sheet_xml if item.filename.endswith("sheet1.xml") else data)
    changed.seek(0)
    return changed


def test_an_xlsx_is_read_with_its_header_and_numbered_rows() -> None:
    table = read_table(_workbook_with(rows=3), "customers.xlsx")
    assert table.header == ["名称", "电话"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, ["客户0", "13800000000"]),
        (3, ["客户1", "13800000001"]),
        (4, ["客户2", "13800000002"]),
    ]


@pytest.mark.parametrize(
    "sheet_xml",
    [
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet/>',
    ],
    ids=["cut off", "a document type"],
)
def test_an_xlsx_whose_sheet_xml_is_damaged_is_refused_before_a_row_is_read(sheet_xml) -> None:
    with pytest.raises(TableError, match="not a valid XLSX"):
        read_table(_workbook_with(sheet_xml), "customers.xlsx")


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _cells(*refs: str) -> bytes:
    """A sheet holding one text cell at each reference, in rows of their own."""
    rows = "".join(
        f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}" t="inlineStr">'
        f"<is><t>名称</t></is></c></row>"
        for ref in refs
    )
    return f"<worksheet {_MAIN}><sheetData>{rows}</sheetData></worksheet>".encode()


@pytest.mark.parametrize(
    ("refs", "reach"),
    [(("A1", "XFD1048576"), "row 1048576 and column 16384"), (("A1", "XFD400"), "column 16384")],
    ids=["the last cell of a sheet", "a far column"],
)
def test_a_sheet_whose_cells_span_a_huge_area_is_refused_before_it_is_allocated(
    refs, reach
) -> None:
    """Two cells a tiny file can hold; calamine would allocate every cell between them (512 GB
    for the last cell of a sheet: the process aborts)."""
    with pytest.raises(TableError, match=reach):
        read_table(_workbook_with(_cells(*refs)), "customers.xlsx")


def test_a_panic_in_the_xlsx_reader_is_the_invalid_workbook_message(monkeypatch) -> None:
    """calamine is Rust: a panic reaches Python as a BaseException named PanicException."""
    import python_calamine

    class PanicException(BaseException):
        pass

    def panic(file):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panic)
    with pytest.raises(TableError, match="not a valid XLSX"):
        read_table(_workbook_with(), "customers.xlsx")


def test_a_sheet_with_far_rows_in_one_column_is_read() -> None:
    table = read_table(_workbook_with(_cells("A1", "A300000")), "customers.xlsx")
    assert table.header == ["名称"]
    assert [(row.number, row.values) for row in table.rows] == [(300000, ["名称"])]


def test_an_import_row_with_a_nul_byte_is_reported_and_nothing_is_written(
    client, supervisor, manager, django_capture_on_commit_callbacks
) -> None:
    from jobs.models import Job
    from sales.models import Customer

    header = "客户名称,客户经理（用户名）,地区,客户等级,地址,电话\n"
    body = (header + f"瑞丰\x00公司,{manager.username},北京,普通客户,地址,010-1\n").encode()
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("sales:customer-import"),
            {"file": SimpleUploadedFile("c.csv", body)},
        )
    job = Job.objects.latest("pk")
    assert [issue["message"] for issue in job.errors] == [str(NUL_IN_ROW)]
    assert not Customer.objects.filter(name__startswith="瑞丰").exists()


def test_a_report_csv_quotes_a_customer_named_like_a_formula(client, supervisor, manager) -> None:
    from tests.factories.sales import OrderLineFactory

    customer = CustomerFactory(name="@SUM(1)", manager=manager)
    OrderLineFactory(order__customer=customer)
    client.force_login(supervisor)
    response = client.get(reverse("reports:export", args=["contribution", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'@SUM(1)" in cells
    assert "@SUM(1)" not in cells
