"""The upload handler of the attachment upload: files are cut off while they stream.

Installed by the upload view only (`request.upload_handlers`), in front of Django's temporary
file handler, so an upload goes to a temporary file on disk (memory does not grow with it) and
stops at the first file past `ATTACHMENT_MAX_BYTES` or the file past `ATTACHMENT_MAX_FILES`:
the rest of the request is not read, the temporary files are deleted, and the view reports
the refusal (`refused`), naming the file."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes and the files; stops the upload past either limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = settings.ATTACHMENT_MAX_BYTES
        self.max_files = settings.ATTACHMENT_MAX_FILES
        self.files = 0
        self.received = 0
        self.refused: tuple[str, str] | None = None  # (reason, file name)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files += 1
        self.received = 0
        if self.files > self.max_files:
            self.refused = ("count", file_name)
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.refused = ("size", self.file_name or "")
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the temporary-file handler after this one keeps the file


def install(request: HttpRequest) -> LimitedUploadHandler:
    """Give `request` the attachment upload's handlers (before its body is read)."""
    limited = LimitedUploadHandler(request)
    request.upload_handlers = [limited, TemporaryFileUploadHandler(request)]
    return limited
