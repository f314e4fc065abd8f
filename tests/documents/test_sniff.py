"""The type sniffer reads content, never names: real signatures, disguised files."""

import io

import pytest

from documents import sniff
from documents.names import clean_name, extension_of
from tests.documents import samples


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.PDF, sniff.PDF),
        (samples.PNG, sniff.PNG),
        (samples.JPEG, sniff.JPEG),
        (samples.GIF, sniff.GIF),
        (samples.WEBP, sniff.WEBP),
        (samples.office("docx"), sniff.DOCX),
        (samples.office("xlsx"), sniff.XLSX),
        (samples.office("pptx"), sniff.PPTX),
        (samples.compound("WordDocument"), sniff.DOC),
        (samples.compound("Workbook"), sniff.XLS),
        (samples.TEXT, sniff.TEXT),
        (samples.GB_TEXT, sniff.TEXT),
        (samples.CSV, sniff.TEXT),
        ("\ufeffBOM 开头".encode(), sniff.TEXT),
    ],
)
def test_accepted_types_are_recognised_by_their_content(content, expected) -> None:
    file = io.BytesIO(content)
    assert sniff.sniff(file) is expected
    assert file.tell() == 0  # left at the start for whoever reads it next


@pytest.mark.parametrize(
    "content",
    [
        samples.EXE,  # a Windows program
        samples.HTML,  # a page a browser would run
        b"  <svg onload='x'></svg>",
        b"<?xml version='1.0'?><a/>",
        samples.plain_zip(),  # a ZIP that is not an Office document
        b"PK\x03\x04 truncated",
        samples.compound("SummaryInformation"),  # an OLE file that is neither Word nor Excel
        b"text with a \x00 NUL byte",
        b"\xff\xfe\x00\x00 not text",
        b"",
    ],
)
def test_other_content_is_refused(content) -> None:
    assert sniff.sniff(io.BytesIO(content)) is None


def test_a_large_text_file_is_read_in_chunks_to_its_end() -> None:
    # Valid UTF-8 for two chunks, then a stray byte: the whole file is checked, not its head.
    content = "好".encode() * (sniff.CHUNK // 3 * 2) + b"\x00"
    assert sniff.sniff(io.BytesIO(content)) is None


def test_csv_is_announced_as_csv() -> None:
    assert sniff.content_type_for(sniff.TEXT, "csv") == "text/csv"
    assert sniff.content_type_for(sniff.TEXT, "txt") == "text/plain"
    assert sniff.content_type_for(sniff.PDF, "pdf") == "application/pdf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("合同.pdf", "合同.pdf"),
        ("C:\\Users\\rep\\报价单.xlsx", "报价单.xlsx"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("a\x00b\r\nc.txt", "abc.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # no right-to-left override
        ("...hidden.txt", "hidden.txt"),
        ("what?<is>this*.pdf", "what__is_this_.pdf"),
        ("  many   spaces .pdf ", "many spaces.pdf"),
        ("", "file"),
        ("/", "file"),
        ("\x00\x01", "file"),
    ],
)
def test_names_are_cleaned(raw, clean) -> None:
    assert clean_name(raw) == clean


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = clean_name("长" * 300 + ".docx")
    assert len(name) == 150
    assert name.endswith("长.docx")


def test_extension_of() -> None:
    assert extension_of("a.PDF") == "pdf"
    assert extension_of("noext") == ""
    assert extension_of(".pdf") == ""
