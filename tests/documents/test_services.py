"""attachments_add (all or nothing), attachment_delete (its rights), attachments_move."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from documents import services
from documents.models import Attachment
from tests.documents import samples
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db


def _stored(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _add(actor, record, *files, kind="customer"):
    return services.attachments_add(actor=actor, kind=kind, object_id=record.pk, files=files)


def test_a_batch_is_attached_with_names_types_and_sizes(manager, customer, settings) -> None:
    added = _add(
        manager,
        customer,
        upload("合同.pdf", samples.PDF, "text/html"),  # the browser's word is not taken
        upload("照片.JPG", samples.JPEG),
        upload("名单.csv", samples.CSV),
    )
    rows = {a.name: a for a in Attachment.objects.filter(kind="customer", object_id=customer.pk)}
    assert set(rows) == {"合同.pdf", "照片.JPG", "名单.csv"}
    assert rows["合同.pdf"].content_type == "application/pdf"
    assert rows["照片.JPG"].content_type == "image/jpeg"
    assert rows["名单.csv"].content_type == "text/csv"
    assert rows["合同.pdf"].size == len(samples.PDF)
    assert rows["合同.pdf"].uploader == manager
    assert len(added) == 3
    assert len(_stored(settings)) == 3
    with rows["合同.pdf"].file.open("rb") as stored:
        assert stored.read() == samples.PDF
    # The stored name is random: the user's name is never a path on the disk or in the bucket.
    assert "合同" not in rows["合同.pdf"].file.name


def test_a_name_without_extension_gets_the_detected_one(manager, customer) -> None:
    (attachment,) = _add(manager, customer, upload("scan", samples.PNG))
    assert attachment.name == "scan.png"


def test_one_bad_file_refuses_the_whole_batch_and_stores_nothing(
    manager, customer, settings
) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(
            manager,
            customer,
            upload("good.pdf", samples.PDF),
            upload("setup.pdf", samples.EXE),  # a program renamed .pdf
            upload("also-good.png", samples.PNG),
        )
    messages = refused.value.messages
    assert messages[0] == services.TYPE_REFUSED % {"name": "setup.pdf"}
    assert messages[-1] == services.NOTHING_UPLOADED
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_every_refused_file_is_named(manager, customer) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(
            manager,
            customer,
            upload("page.pdf", samples.HTML),  # HTML disguised as PDF
            upload("photo.pdf", samples.PNG),  # a PNG named .pdf
            upload("empty.txt", b""),
        )
    assert refused.value.messages[:3] == [
        services.TYPE_REFUSED % {"name": "page.pdf"},
        services.EXTENSION_MISMATCH % {"name": "photo.pdf", "type": "PNG", "extension": "pdf"},
        services.EMPTY_FILE % {"name": "empty.txt"},
    ]


def test_files_over_the_size_limit_are_refused(manager, customer, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 20
    with pytest.raises(ValidationError) as refused:
        _add(manager, customer, upload("big.pdf", samples.PDF))
    assert refused.value.messages[0] == services.TOO_LARGE % {
        "name": "big.pdf",
        "limit": "20\xa0bytes",
    }
    assert not Attachment.objects.exists()


def test_at_most_max_files_at_a_time(manager, customer, settings) -> None:
    settings.ATTACHMENT_MAX_FILES = 2
    files = [upload(f"{n}.pdf", samples.PDF) for n in range(3)]
    with pytest.raises(ValidationError, match="at most 2 files"):
        _add(manager, customer, *files)
    with pytest.raises(ValidationError, match=str(services.NO_FILES)):
        _add(manager, customer)


def test_a_storage_failure_removes_the_files_already_stored(manager, customer, settings) -> None:
    real_save = Attachment.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(Attachment, "save", failing_save),
        pytest.raises(OSError, match="disk full"),
    ):
        _add(manager, customer, upload("a.pdf", samples.PDF), upload("b.pdf", samples.PDF))
    assert _stored(settings) == []


def test_only_records_the_actor_sees_take_attachments(manager, other_manager, customer) -> None:
    with pytest.raises(ValidationError, match=str(services.NOT_VISIBLE)):
        _add(other_manager, customer, upload("a.pdf", samples.PDF))
    with pytest.raises(ValidationError, match=str(services.NOT_VISIBLE)):
        _add(manager, customer, upload("a.pdf", samples.PDF), kind="no-such-kind")


def test_adding_needs_the_add_right(executive, customer) -> None:
    # Executives see every customer but only read their attachments.
    with pytest.raises(ValidationError, match=str(services.ADD_DENIED)):
        _add(executive, customer, upload("a.pdf", samples.PDF))


def test_opportunities_and_tickets_take_attachments(manager, chance, ticket) -> None:
    _add(manager, chance, upload("a.pdf", samples.PDF), kind="chance")
    _add(manager, ticket, upload("b.pdf", samples.PDF), kind="ticket")
    assert set(Attachment.objects.values_list("kind", "object_id")) == {
        ("chance", chance.pk),
        ("ticket", ticket.pk),
    }


@pytest.fixture
def attachment(manager, customer):
    return _add(manager, customer, upload("合同.pdf", samples.PDF))[0]


def test_the_uploader_deletes_and_the_file_goes_on_commit(
    manager, attachment, settings, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=manager, attachment=attachment)
    assert not Attachment.objects.exists()
    assert _stored(settings) == []


def test_a_supervisor_deletes_anyones(supervisor, attachment) -> None:
    services.attachment_delete(actor=supervisor, attachment=attachment)
    assert not Attachment.objects.exists()


def test_others_may_not_delete(executive, manager, customer, attachment) -> None:
    from tests.factories import UserFactory, role
    from tests.factories.sales import CustomerFactory  # noqa: F401

    colleague = UserFactory(role=role("manager"))
    customer.manager = colleague  # the colleague now manages the customer and sees it
    customer.save()
    for actor in (executive, colleague):
        with pytest.raises(ValidationError, match=str(services.DELETE_DENIED)):
            services.attachment_delete(actor=actor, attachment=attachment)
    assert Attachment.objects.exists()


def test_the_uploader_who_lost_sight_of_the_record_may_not_delete(
    manager, other_manager, customer, attachment
) -> None:
    customer.manager = other_manager
    customer.save()
    with pytest.raises(ValidationError, match=str(services.DELETE_DENIED)):
        services.attachment_delete(actor=manager, attachment=attachment)


def test_deleting_twice_says_it_is_gone(manager, attachment) -> None:
    services.attachment_delete(actor=manager, attachment=attachment)
    with pytest.raises(ValidationError, match=str(services.GONE)):
        services.attachment_delete(actor=manager, attachment=attachment)


def test_move_gives_the_attachments_to_another_record_with_history(
    manager, customer, attachment
) -> None:
    from tests.factories.sales import CustomerFactory

    survivor = CustomerFactory(manager=manager)
    assert services.attachments_move(kind="customer", source=customer, target=survivor) == 1
    attachment.refresh_from_db()
    assert attachment.object_id == survivor.pk
    assert attachment.history.first().history_type == "~"
    assert services.attachments_move(kind="customer", source=customer, target=survivor) == 0


def test_deleting_a_ticket_or_an_opportunity_deletes_their_attachments(
    manager, supervisor, chance, ticket, settings, django_capture_on_commit_callbacks
) -> None:
    from marketing.services import chance_delete
    from service.services import request_delete

    _add(manager, chance, upload("a.pdf", samples.PDF), kind="chance")
    _add(manager, ticket, upload("b.pdf", samples.PDF), kind="ticket")
    with django_capture_on_commit_callbacks(execute=True):
        chance_delete(actor=manager, chance=chance)
        request_delete(actor=supervisor, ticket=ticket)
    assert not Attachment.objects.exists()
    assert _stored(settings) == []
    assert Attachment.history.filter(history_type="-").count() == 2
