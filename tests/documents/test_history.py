"""Uploads and deletions in the record's history tab and the customer timeline; the merge."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import Attachment
from search.services import customer_merge
from tests.documents import samples
from tests.documents.samples import upload
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db


def _attach(actor, record, name="合同.pdf", kind="customer"):
    return services.attachments_add(
        actor=actor, kind=kind, object_id=record.pk, files=[upload(name, samples.PDF)]
    )[0]


def test_the_customer_history_shows_the_upload_and_the_deletion(client, manager, customer) -> None:
    attachment = _attach(manager, customer)
    services.attachment_delete(actor=manager, attachment=_attach(manager, customer, "旧.pdf"))
    client.force_login(manager)
    html = client.get(reverse("sales:customer-history", args=[customer.number])).content.decode()
    assert "Attachment “合同.pdf”" in html
    assert "Attachment “旧.pdf”" in html
    assert "Deleted" in html
    assert html.index("旧.pdf") < html.index(attachment.name)  # newest first


def test_the_history_pages_the_merged_entries(client, manager, customer) -> None:
    for n in range(25):
        _attach(manager, customer, f"{n:02d}.pdf")
    client.force_login(manager)
    url = reverse("sales:customer-history", args=[customer.number])
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert "Attachment “24.pdf”" in first
    assert "Attachment “24.pdf”" not in second
    assert "Attachment “00.pdf”" in second
    assert "Created" in second  # the customer's own creation is the oldest entry


def test_the_history_export_holds_the_attachments(client, manager, customer) -> None:
    import io

    import openpyxl

    _attach(manager, customer)
    client.force_login(manager)
    url = reverse("sales:customer-history", args=[customer.number]) + "?format=xlsx"
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    actions = [row[2] for row in sheet.iter_rows(values_only=True)]
    assert any("Attachment “合同.pdf”" in str(action) for action in actions)


def test_without_the_view_right_the_history_leaves_them_out(client, admin_user, customer):
    from accounts import services as account_services

    _attach(customer.manager, customer)
    codes = [*admin_user.role.rights.values_list("code", flat=True), "sales.view_customer"]
    codes.append("sales.view_all_customers")
    account_services.role_set_rights(actor=admin_user, role=admin_user.role, codes=codes)
    client.force_login(admin_user)
    html = client.get(reverse("sales:customer-history", args=[customer.number])).content.decode()
    assert "合同.pdf" not in html
    assert "Created" in html


def test_ticket_and_opportunity_histories_show_theirs(client, manager, ticket) -> None:
    from tests.factories.marketing import SalesChanceFactory

    chance = SalesChanceFactory(creator=manager, assignee=manager, status=2)
    _attach(manager, ticket, "工单.pdf", kind="ticket")
    _attach(manager, chance, "机会.pdf", kind="chance")
    client.force_login(manager)
    html = client.get(reverse("service:history", args=[ticket.pk])).content.decode()
    assert "工单.pdf" in html
    assert "机会.pdf" not in html
    html = client.get(reverse("marketing:chance-history", args=[chance.pk])).content.decode()
    assert "机会.pdf" in html


def test_the_timeline_shows_uploads_and_deletions(client, manager, customer) -> None:
    _attach(manager, customer)
    services.attachment_delete(actor=manager, attachment=_attach(manager, customer, "旧.pdf"))
    client.force_login(manager)
    url = reverse("reports:customer-timeline", args=[customer.number]) + "?kind=attachment"
    html = client.get(url).content.decode()
    assert "Attachment added: 合同.pdf" in html
    assert "Attachment deleted: 旧.pdf" in html
    assert "Attachment added: 旧.pdf" in html


def test_the_timeline_leaves_them_out_without_the_right(admin_user, customer) -> None:
    from reports.timeline import customer_timeline

    _attach(customer.manager, customer)
    page = customer_timeline(admin_user, customer, kinds=("attachment",))
    assert page.entries == []


def test_a_merge_moves_the_attachments_to_the_survivor(supervisor, manager, customer) -> None:
    attachment = _attach(manager, customer)
    survivor = CustomerFactory(manager=manager)
    moved = customer_merge(actor=supervisor, survivor=survivor, other=customer)
    assert moved["attachments"] == 1
    attachment.refresh_from_db()
    assert attachment.object_id == survivor.pk
    assert Attachment.objects.filter(kind="customer", object_id=customer.pk).count() == 0


def test_the_timeline_with_attachments_stays_within_the_page_budget(
    client, manager, supervisor, django_assert_max_num_queries
) -> None:
    from tests.factories.sales import ContactFactory
    from tests.reports.test_timeline import _world

    customer, *_rest = _world(manager, supervisor)
    ContactFactory.create_batch(3, customer=customer)
    for n in range(3):
        _attach(manager, customer, f"{n}.pdf")
    services.attachment_delete(actor=manager, attachment=Attachment.objects.first())
    client.force_login(manager)
    url = reverse("reports:customer-timeline", args=[customer.number])
    with django_assert_max_num_queries(12):  # DESIGN §9: ≤ 12 queries on a detail page
        fragment = client.get(url).content.decode()
    assert fragment.count("Attachment added:") == 3
    assert fragment.count("Attachment deleted:") == 1
