"""Real file signatures for the sniffer and the uploads (built here, no binary fixtures)."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
TEXT = "客户名单，第一批\n".encode()
GB_TEXT = "客户名单，第一批\n".encode("gb18030")
CSV = "名称,电话\n北京明科,010-1234\n".encode()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_MAINS = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def office(kind: str) -> bytes:
    """A minimal Office Open XML package of `kind` (docx, xlsx, pptx)."""
    part, main = _MAINS[kind]
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr(part, "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hi")
    return buffer.getvalue()


def compound(stream: str) -> bytes:
    """An OLE compound file whose directory names `stream` (WordDocument, Workbook …)."""
    return OLE + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
