"""The import machinery, exercised with a small importer of counters (core.Sequence rows)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.imports import (
    Column,
    Importer,
    RowInvalid,
    check_file,
    commit_file,
    parse_date,
    parse_decimal,
    parse_int,
    register,
    required,
)
from core.models import Sequence
from jobs.models import Job


@register
class CounterImporter(Importer):
    name = "test-counters"
    title = "Counters"
    permission = "accounts.manage_users"
    columns = (
        Column("key", "Key"),
        Column("value", "Value"),
        Column("note", "Note", required=False),
    )
    example_rows = (("orders", "10", ""),)

    def prepare(self) -> None:
        self.existing = set(Sequence.objects.values_list("key", flat=True))
        self.seen: set[str] = set()

    def parse(self, values: dict[str, str]) -> Sequence:
        problems: list[tuple[str, str]] = []
        key = required(values, "key", problems)
        try:
            value = parse_int(values["value"], minimum=0)
        except ValueError as error:
            problems.append(("value", str(error)))
        if key in self.existing or key in self.seen:
            problems.append(("key", f"“{key}” exists already."))
        if problems:
            raise RowInvalid(*problems)
        self.seen.add(key)
        if key.startswith("dup"):
            self.warn("key", "looks like a duplicate")
        return Sequence(key=key, value=value)

    def write(self, items: list[Sequence]) -> int:
        return len(Sequence.objects.bulk_create(items))


def _csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def _check(data: io.BytesIO, name: str = "f.csv"):
    return check_file(CounterImporter(None), data, name)


@pytest.mark.django_db
def test_clean_csv_is_parsed_row_by_row():
    result = _check(_csv("key,value\na,1\nb,2\n"))
    assert result.total == 2
    assert result.errors == []
    assert [(s.key, s.value) for s in result.items] == [("a", 1), ("b", 2)]


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_row_number():
    result = _check(_csv("key,value\na,1\n,2\nc,-3\nd,x\na,5\n"))
    assert [(i.row, i.column, i.message) for i in result.errors] == [
        (3, "Key", "This value is required."),
        (4, "Value", "“-3” is negative."),
        (5, "Value", "“x” is not a whole number."),
        (6, "Key", "“a” exists already."),
    ]


@pytest.mark.django_db
def test_headers_match_in_any_language_and_case():
    result = _check(_csv("KEY , Value*,Note\na,1,n\n"))
    assert result.errors == []


@pytest.mark.django_db
def test_missing_column_is_reported_on_the_header_row():
    result = _check(_csv("key,amount\na,1\n"))
    assert [(i.row, i.message) for i in result.errors] == [(1, "Missing column “Value”.")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("key,value\n北京,1\n上海,2\n".encode("gbk"), "gb18030"),
        (b"\xef\xbb\xbf" + "key,value\n北京,1\n上海,2\n".encode(), "utf-8"),
        ("key,value\r\n北京,1\r\n上海,2\r\n".encode(), "utf-8"),
    ],
    ids=["gbk", "utf8-bom", "utf8-crlf"],
)
def test_chinese_csv_in_gbk_or_utf8_with_bom_reads_correctly(data, encoding):
    result = _check(io.BytesIO(data))
    assert result.errors == []
    assert [s.key for s in result.items] == ["北京", "上海"]


@pytest.mark.django_db
def test_a_row_in_neither_utf8_nor_gbk_is_reported_as_bad_encoding():
    data = "key,value\n北京,1\n".encode() + b"\xff\xfe\xfa,2\n" + "上海,3\n".encode()
    result = _check(io.BytesIO(data))
    assert [(i.row, i.message) for i in result.errors] == [
        (3, "Bad encoding: the row is neither UTF-8 nor GBK text.")
    ]


@pytest.mark.django_db
def test_xlsx_cells_are_read_as_typed_values():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Key", "Value"])
    sheet.append(["a", 12.0])
    sheet.append([None, None])
    sheet.append(["b", 7])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = _check(buffer, "f.xlsx")
    assert result.errors == []
    assert [(s.key, s.value) for s in result.items] == [("a", 12), ("b", 7)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name"), [(b"not a zip", "f.xlsx"), (b"x", "f.pdf"), (b"", "f.csv")]
)
def test_unreadable_files_give_a_clear_message(data, name):
    result = _check(io.BytesIO(data), name)
    assert len(result.errors) == 1
    assert result.errors[0].row == 1


@pytest.mark.django_db
def test_commit_writes_nothing_when_one_row_is_bad():
    result, written = commit_file(CounterImporter(None), _csv("key,value\na,1\nb,oops\n"), "f.csv")
    assert written == 0
    assert not Sequence.objects.exists()
    assert len(result.errors) == 1


@pytest.mark.django_db
def test_warnings_do_not_block_the_import():
    result, written = commit_file(CounterImporter(None), _csv("key,value\ndup1,1\n"), "f.csv")
    assert written == 1
    assert [(i.level, i.message) for i in result.issues] == [("warning", "looks like a duplicate")]


def test_parsers_give_clear_messages():
    assert parse_decimal("1,234.50") == pytest.approx(1234.5)
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal("abc")
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        parse_decimal("1.234")
    with pytest.raises(ValueError, match="negative"):
        parse_decimal("-1")
    assert str(parse_date("2026/02/03")) == "2026-02-03"
    with pytest.raises(ValueError, match="not a date"):
        parse_date("03.02.26x")


def test_five_thousand_rows_check_and_commit(db):
    rows = "".join(f"k{n},{n}\n" for n in range(5000))
    result, written = commit_file(CounterImporter(None), _csv("key,value\n" + rows), "f.csv")
    assert (result.total, written, Sequence.objects.count()) == (5000, 5000, 5000)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _start(admin_user, content: bytes, name: str = "counters.csv") -> Job:
    from jobs.services import import_start

    return import_start(
        user=admin_user, importer=CounterImporter, upload=SimpleUploadedFile(name, content)
    )


def test_job_checks_then_commits_after_confirmation(
    admin_client, admin_user, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(admin_user, b"key,value\na,1\nb,2\n")
    job.refresh_from_db()
    assert (job.status, job.total, job.errors) == (Job.Status.CHECKED, 2, [])
    assert not Sequence.objects.exists()
    page = admin_client.get(reverse("jobs:detail", args=[job.pk]))
    assert "2 rows are ready to be imported" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("jobs:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.written) == (Job.Status.DONE, 2)
    assert Sequence.objects.count() == 2
    assert admin_user.notifications.filter(text__contains="2 rows written").exists()

    # Confirming again does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("jobs:confirm", args=[job.pk]), follow=True)
    assert "not waiting for confirmation" in response.content.decode()
    assert Sequence.objects.count() == 2


def test_job_with_bad_rows_lists_them_and_refuses_to_commit(
    admin_client, admin_user, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(admin_user, b"key,value\na,x\n,1\n")
    job.refresh_from_db()
    page = admin_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The file has 2 problems" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("jobs:confirm", args=[job.pk]))
    assert not Sequence.objects.exists()
    errors = load_workbook(
        io.BytesIO(admin_client.get(reverse("jobs:result", args=[job.pk])).getvalue())
    )
    rows = list(errors.active.iter_rows(values_only=True))
    assert rows[0] == ("Row", "Column", "Problem", "Level")
    assert [row[0] for row in rows[1:]] == [2, 3]


def test_another_users_job_is_not_found(client, manager, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = _start(admin_user, b"key,value\n")
    client.force_login(manager)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:confirm", args=[job.pk])).status_code == 404


def test_upload_rejects_other_file_types(admin_user, settings, tmp_path):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        _start(admin_user, b"x", "notes.pdf")
    assert not Job.objects.exists()


def test_template_download_has_the_header_and_examples(admin_client):
    response = admin_client.get(reverse("jobs:import-template", args=["test-counters", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffKey*,Value*,Note\r\norders,10,")
    xlsx = admin_client.get(reverse("jobs:import-template", args=["test-counters", "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["Key*", "Value*", "Note"]
    assert (
        admin_client.get(reverse("jobs:import-template", args=["test-counters", "pdf"])).status_code
        == 404
    )
    assert (
        admin_client.get(reverse("jobs:import-template", args=["nope", "csv"])).status_code == 404
    )
