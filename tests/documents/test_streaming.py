"""Uploads stream to a temporary file and are cut off past the limit (documents.uploads)."""

import tracemalloc
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from documents.models import Attachment
from documents.views import AttachmentPanelView
from tests.documents import samples
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def _request(user, customer, files):
    """A POST whose body is built before the measurement starts (the test client would build
    it inside the call)."""
    body = encode_multipart(BOUNDARY, {"files": files})
    request = RequestFactory().generic(
        "POST",
        reverse("documents:panel", args=["customer", customer.pk]),
        data=body,
        content_type=MULTIPART_CONTENT,
        HTTP_HX_REQUEST="true",
    )
    request.user = user
    request._dont_enforce_csrf_checks = True
    return request


def _view(request, customer):
    return AttachmentPanelView.as_view()(request, kind="customer", object_id=customer.pk)


def _big_text(size: int) -> bytes:
    line = "客户,电话,地址\n".encode()
    text = line * (size // len(line))
    return text + b"x" * (size - len(text))


def test_a_10_mb_upload_does_not_grow_memory_with_the_file(manager, customer, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 11 * MB
    content = _big_text(10 * MB)
    request = _request(manager, customer, [upload("大名单.csv", content)])
    del content
    tracemalloc.start()
    try:
        response = _view(request, customer)
        response.render()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.size == 10 * MB
    assert peak < 3 * MB, f"peak {peak / MB:.1f} MB for a 10 MB upload"


def test_an_oversize_upload_is_refused_and_writes_nothing(manager, customer, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1 * MB
    request = _request(
        manager,
        customer,
        [upload("small.pdf", samples.PDF), upload("大文件.pdf", samples.PDF + b"0" * (2 * MB))],
    )
    response = _view(request, customer)
    response.render()
    html = response.content.decode()
    assert "“大文件.pdf” is larger than 1.0\xa0MB." in html
    assert "Nothing was uploaded." in html
    assert not Attachment.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    # The body was not read to its end: the upload stopped at the limit.
    assert request.META["wsgi.input"].read(1)


def test_too_many_files_stop_the_upload(manager, customer, settings) -> None:
    settings.ATTACHMENT_MAX_FILES = 2
    request = _request(manager, customer, [upload(f"{n}.pdf", samples.PDF) for n in range(3)])
    response = _view(request, customer)
    response.render()
    assert "Upload at most 2 files at a time." in response.content.decode()
    assert not Attachment.objects.exists()
