"""The panel, the upload through the view, the download and the deletion pages."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from documents import services
from documents.models import Attachment
from tests.documents import samples
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _panel(kind, record):
    return reverse("documents:panel", args=[kind, record.pk])


def _attach(actor, record, name="合同.pdf", content=samples.PDF, kind="customer"):
    return services.attachments_add(
        actor=actor, kind=kind, object_id=record.pk, files=[upload(name, content)]
    )[0]


def test_the_empty_panel_offers_the_upload(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.get(_panel("customer", customer), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="attachments-empty"' in html
    assert 'type="file" name="files" multiple' in html
    assert "<html" not in html  # the htmx panel is a fragment


def test_without_htmx_the_panel_is_a_page_with_a_way_back(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.get(_panel("customer", customer))
    html = response.content.decode()
    assert "<html" in html
    assert reverse("sales:customer-detail", args=[customer.number]) in html


def test_upload_through_the_panel(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.post(
        _panel("customer", customer),
        {"files": [upload("合同.pdf", samples.PDF), upload("报价.xlsx", samples.office("xlsx"))]},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 files were attached." in html
    assert "合同.pdf" in html
    assert "报价.xlsx" in html
    assert Attachment.objects.filter(object_id=customer.pk).count() == 2


def test_a_refused_upload_shows_its_errors_in_the_panel(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.post(
        _panel("customer", customer),
        {"files": [upload("ok.pdf", samples.PDF), upload("virus.pdf", samples.EXE)]},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful answers
    assert "“virus.pdf” is not a file type that can be attached" in html
    assert "Nothing was uploaded." in html
    assert not Attachment.objects.exists()
    # Without htmx the page says so with a 400.
    response = client.post(_panel("customer", customer), {"files": [upload("v.pdf", b"MZ")]})
    assert response.status_code == 400


def test_no_files_chosen(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.post(_panel("customer", customer), {}, **HTMX)
    assert "Choose at least one file." in response.content.decode()


def test_the_upload_checks_the_csrf_token(manager, customer) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(_panel("customer", customer), {"files": [upload("a.pdf", samples.PDF)]})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_nul_byte_in_a_field_of_the_upload_is_refused(client, manager, customer) -> None:
    client.force_login(manager)
    response = client.post(
        _panel("customer", customer), {"note": "a\x00b", "files": [upload("a.pdf", samples.PDF)]}
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_the_panel_lists_with_delete_buttons_for_the_allowed(
    client, manager, supervisor, executive, customer
) -> None:
    _attach(manager, customer)
    for user, deletes in ((manager, True), (supervisor, True), (executive, False)):
        client.force_login(user)
        html = client.get(_panel("customer", customer), **HTMX).content.decode()
        assert "合同.pdf" in html
        assert ('data-testid="attachment-delete"' in html) is deletes
        assert ('data-testid="attachment-form"' in html) is (user != executive)


def test_the_download_is_an_attachment_with_its_name_and_nosniff(client, manager, customer) -> None:
    attachment = _attach(manager, customer)
    client.force_login(manager)
    response = client.get(reverse("documents:download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('合同.pdf')}" in disposition


def test_another_reps_customer_attachment_is_not_found(client, manager, other_manager, customer):
    attachment = _attach(manager, customer)
    client.force_login(other_manager)
    assert client.get(reverse("documents:download", args=[attachment.pk])).status_code == 404
    assert client.get(_panel("customer", customer)).status_code == 404
    assert client.get(reverse("documents:delete", args=[attachment.pk])).status_code == 404


def test_without_the_right_the_download_is_forbidden(client, admin_user, manager, customer):
    attachment = _attach(manager, customer)
    client.force_login(admin_user)
    assert client.get(reverse("documents:download", args=[attachment.pk])).status_code == 403


def test_delete_asks_then_deletes_and_returns_to_the_record(client, manager, customer) -> None:
    attachment = _attach(manager, customer)
    client.force_login(manager)
    url = reverse("documents:delete", args=[attachment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "合同.pdf" in page.content.decode()
    assert Attachment.objects.exists()  # asking deletes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:customer-detail", args=[customer.number])
    assert not Attachment.objects.exists()
    page = client.get(response["Location"])
    assert "Attachment “合同.pdf” was deleted." in page.content.decode()


def test_delete_of_anothers_attachment_is_forbidden(client, manager, customer) -> None:
    from tests.factories import UserFactory, role

    attachment = _attach(manager, customer)
    colleague = UserFactory(role=role("manager"))
    customer.manager = colleague
    customer.save()
    client.force_login(colleague)
    assert client.get(reverse("documents:delete", args=[attachment.pk])).status_code == 403


def test_the_record_pages_include_the_panel(client, manager, customer, ticket) -> None:
    from tests.factories.marketing import QuoteFactory, SalesChanceFactory

    chance = SalesChanceFactory(creator=manager, assignee=manager, status=2)
    quote_ = QuoteFactory(customer=customer)
    client.force_login(manager)
    pages = {
        "quote": (reverse("marketing:quote-detail", args=[quote_.pk]), quote_),
        "customer": (reverse("sales:customer-detail", args=[customer.number]), customer),
        "chance": (reverse("marketing:development-detail", args=[chance.pk]), chance),
        "ticket": (reverse("service:detail", args=[ticket.pk]), ticket),
    }
    for kind, (url, record) in pages.items():
        html = client.get(url).content.decode()
        assert f'hx-get="{_panel(kind, record)}"' in html, kind
        assert "js/attachments.js" in html


def test_an_unassigned_opportunity_returns_to_its_attachments_page(client, manager, chance):
    attachment = _attach(manager, chance, kind="chance")
    client.force_login(manager)
    response = client.post(reverse("documents:delete", args=[attachment.pk]))
    assert response["Location"] == _panel("chance", chance)


def test_the_panel_reads_a_fixed_number_of_queries(
    client, manager, customer, django_assert_max_num_queries
) -> None:
    for n in range(3):
        _attach(manager, customer, name=f"{n}.pdf")
    client.force_login(manager)
    with django_assert_max_num_queries(8) as few:
        client.get(_panel("customer", customer), **HTMX)
    for n in range(10):
        _attach(manager, customer, name=f"more-{n}.pdf")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(_panel("customer", customer), **HTMX).content.decode()
    assert html.count('data-testid="attachment-row"') == 13


def test_media_files_stay_in_media_root(settings, manager, customer) -> None:
    attachment = _attach(manager, customer, name="../../evil.pdf")
    assert attachment.name == "evil.pdf"
    assert Path(attachment.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_quotes_attachments_follow_its_customers_visibility(
    client, manager, other_manager, customer
) -> None:
    from tests.factories.marketing import QuoteFactory

    quote_ = QuoteFactory(customer=customer)
    attachment = _attach(manager, quote_, name="报价附件.pdf", kind="quote")
    client.force_login(manager)
    assert client.get(reverse("documents:download", args=[attachment.pk])).status_code == 200
    client.force_login(other_manager)  # does not see the customer, so not its quote
    assert client.get(reverse("documents:download", args=[attachment.pk])).status_code == 404
    assert client.get(_panel("quote", quote_), **HTMX).status_code == 404
