"""What a file is, read from its content (its first bytes, and for ZIP and OLE containers their
parts), never from its name or the browser's word. Only the types below are accepted."""

import codecs
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first is the usual one

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("application/pdf", ("pdf",))
PNG = FileType("image/png", ("png",))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"))
GIF = FileType("image/gif", ("gif",))
WEBP = FileType("image/webp", ("webp",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
DOC = FileType("application/msword", ("doc",))
XLS = FileType("application/vnd.ms-excel", ("xls",))
TEXT = FileType("text/plain", ("txt", "csv"))
CSV = FileType("text/csv", ("csv", "txt"))

ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS, TEXT)

# The main part of an Office Open XML package, as its [Content_Types].xml declares it.
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream names of a Word and an Excel compound file (UTF-16 in the directory).
_OLE_STREAMS = (("WordDocument".encode("utf-16-le"), DOC), ("Workbook".encode("utf-16-le"), XLS))
_OLE_BOOK = "Book".encode("utf-16-le")  # Excel 5/95
# Text a browser would run as a page (HTML, SVG, XML) is not plain text here.
_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe)", re.IGNORECASE)


def _head(file: IO[bytes], size: int) -> bytes:
    file.seek(0)
    return file.read(size)


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    file.seek(0)
    return iter(lambda: file.read(CHUNK), b"")


def _office(file: IO[bytes]) -> FileType | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None
            declared = package.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError):
        return None
    found = [kind for main, kind in _OOXML_MAIN.items() if main in declared]
    return found[0] if len(found) == 1 else None


def _compound(file: IO[bytes]) -> FileType | None:
    """A legacy Word or Excel file: an OLE compound file holding their main stream (other OLE
    files, such as installers, are refused)."""
    tail = b""
    for chunk in _chunks(file):
        window = tail + chunk
        for name, kind in _OLE_STREAMS:
            if name in window:
                return kind
        if _OLE_BOOK + b"\x00\x00" in window:
            return XLS
        tail = window[-64:]
    return None


def _text(file: IO[bytes]) -> FileType | None:
    """Valid UTF-8 (with or without BOM) or GB18030, without NUL bytes, and not markup."""
    head = _head(file, 1024)
    if _MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in _chunks(file):
                if b"\x00" in chunk:
                    return None
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return TEXT
    return None


def sniff(file: IO[bytes]) -> FileType | None:
    """The accepted type of `file`'s content, or None (unknown, or not accepted)."""
    head = _head(file, 16)
    found: FileType | None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith((b"GIF87a", b"GIF89a")):
        found = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = WEBP
    elif head.startswith(b"PK\x03\x04"):
        found = _office(file)
    elif head.startswith(_OLE):
        found = _compound(file)
    elif head:
        found = _text(file)
    else:
        found = None
    file.seek(0)
    return found


def content_type_for(found: FileType, extension: str) -> str:
    """The type the download announces: CSV for a text file named .csv."""
    if found is TEXT and extension == "csv":
        return CSV.content_type
    return found.content_type
