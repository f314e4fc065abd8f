import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.models import Task
from tests.factories.sales import ContactFactory, CustomerFactory
from tests.factories.tasks import TaskFactory

pytestmark = pytest.mark.django_db


def _tasks(owner, count: int) -> None:
    for index in range(count):
        TaskFactory(
            owner=owner,
            customer=CustomerFactory(manager=owner) if index % 2 else None,
            due_at=timezone.now() + datetime.timedelta(hours=index - count // 2),
        )


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("query", ["", "?tab=overdue&o=-priority", "?tab=week&per_page=100"])
def test_the_list_takes_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries, count, query
) -> None:
    _tasks(manager, count)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tasks:list") + query)
    assert response.status_code == 200


def test_the_detail_takes_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
) -> None:
    customer = CustomerFactory(manager=manager)
    task = TaskFactory(owner=manager, customer=customer, contact=ContactFactory(customer=customer))
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    assert customer.name in response.content.decode()


def test_the_tabs_filter_the_list(client, manager) -> None:
    now = timezone.now()
    overdue = TaskFactory(owner=manager, title="逾期", due_at=now - datetime.timedelta(days=3))
    later = TaskFactory(owner=manager, title="以后", due_at=now + datetime.timedelta(days=40))
    done = TaskFactory(owner=manager, title="完成", status=2, completed_at=now)
    client.force_login(manager)

    def listed(query: str) -> set[int]:
        response = client.get(reverse("tasks:list") + query)
        return {task.pk for task in response.context["object_list"]}

    assert listed("?tab=overdue") == {overdue.pk}
    assert listed("?tab=done") == {done.pk}
    assert listed("?tab=open") == {overdue.pk, later.pk}
    assert listed("?status=2") == {done.pk}
    assert listed(f"?due_from={(now + datetime.timedelta(days=39)).date()}") == {later.pk}
    body = client.get(reverse("tasks:list") + "?tab=overdue").content.decode()
    assert "Overdue" in body or "已逾期" in body


def test_mark_done_with_htmx_returns_the_updated_row(client, manager) -> None:
    task = TaskFactory(owner=manager, title="电话回访")
    client.force_login(manager)
    response = client.post(
        reverse("tasks:complete", args=[task.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="task-{task.pk}"')
    assert "电话回访" in body
    assert 'data-testid="task-done"' not in body  # done: no button any more
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_mark_done_without_htmx_redirects_back(client, manager) -> None:
    task = TaskFactory(owner=manager)
    client.force_login(manager)
    back = reverse("tasks:list") + "?tab=today"
    response = client.post(reverse("tasks:complete", args=[task.pk]), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    response = client.post(
        reverse("tasks:complete", args=[task.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[task.pk])  # already done


def test_mark_done_twice_with_htmx_is_a_conflict(client, manager) -> None:
    task = TaskFactory(owner=manager, status=2, completed_at=timezone.now())
    client.force_login(manager)
    response = client.post(
        reverse("tasks:complete", args=[task.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 409


def test_quick_add_from_a_customer_prefills_and_links_it(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    contact = ContactFactory(customer=customer, name="李四")
    client.force_login(manager)
    url = reverse("tasks:create") + f"?customer={customer.number}"
    page = client.get(url)
    assert page.context["form"].initial["customer"] == customer.number
    assert "李四" in page.content.decode()
    response = client.post(
        url,
        {
            "title": "拜访",
            "kind": "visit",
            "place": "客户公司",
            "due_date": "2030-03-04",
            "due_time": "14:30",
            "priority": "3",
            "remind_value": "2",
            "remind_unit": "hours",
            "customer": customer.number,
            "contact": contact.pk,
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert (task.customer, task.contact, task.owner) == (customer, contact, manager)
    assert task.remind_before == datetime.timedelta(hours=2)
    local = timezone.localtime(task.due_at)
    assert (local.hour, local.minute) == (14, 30)


def test_quick_add_for_a_customer_out_of_scope_is_a_404(client, manager, other_manager) -> None:
    theirs = CustomerFactory(manager=other_manager)
    client.force_login(manager)
    response = client.get(reverse("tasks:create") + f"?customer={theirs.number}")
    assert response.status_code == 404


def test_the_form_shows_the_services_refusal_and_field_errors(client, manager) -> None:
    client.force_login(manager)
    response = client.post(
        reverse("tasks:create"),
        {
            "title": "回访",
            "kind": "todo",
            "due_date": "2030-03-04",
            "all_day": "on",
            "priority": "2",
            "remind_value": "31",
            "remind_unit": "days",
        },
    )
    assert response.status_code == 200
    assert str(services.TASK_REMINDER_TOO_LONG) in response.context["form"].non_field_errors()
    response = client.post(
        reverse("tasks:create"),
        {
            "title": "回访",
            "kind": "todo",
            "due_date": "2030-03-04",
            "priority": "2",
            "remind_unit": "minutes",
        },
    )
    assert "due_time" in response.context["form"].errors
    assert not Task.objects.exists()


def test_a_supervisor_files_a_task_for_a_rep(client, supervisor, manager) -> None:
    client.force_login(supervisor)
    response = client.post(
        reverse("tasks:create"),
        {
            "title": "跟进",
            "kind": "todo",
            "due_date": "2030-03-04",
            "all_day": "on",
            "priority": "2",
            "remind_unit": "minutes",
            "owner": manager.pk,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.owner, task.creator, task.all_day) == (manager, supervisor, True)


def test_a_manager_is_not_offered_an_owner(client, manager) -> None:
    client.force_login(manager)
    assert "owner" not in client.get(reverse("tasks:create")).context["form"].fields


def test_edit_keeps_the_values_and_saves(client, manager) -> None:
    task = services.task_create(
        actor=manager,
        title="回访",
        due_at=timezone.now() + datetime.timedelta(days=2),
        remind_before=datetime.timedelta(days=1),
    )
    client.force_login(manager)
    url = reverse("tasks:edit", args=[task.pk])
    form = client.get(url).context["form"]
    assert (form.initial["remind_value"], form.initial["remind_unit"]) == (1, "days")
    data = {**{key: value for key, value in form.initial.items() if value is not None}}
    data.update(title="电话回访", due_date=str(data["due_date"]), due_time="09:00")
    response = client.post(url, data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "电话回访"


def test_cancel_and_reopen_ask_first(client, manager) -> None:
    task = TaskFactory(owner=manager)
    client.force_login(manager)
    page = client.get(reverse("tasks:cancel", args=[task.pk]))
    assert page.status_code == 200
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    client.post(reverse("tasks:cancel", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert client.get(reverse("tasks:cancel", args=[task.pk])).status_code == 403
    client.post(reverse("tasks:reopen", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_digest_can_be_switched_off_on_the_settings_page(client, manager) -> None:
    client.force_login(manager)
    assert client.get(reverse("tasks:settings")).context["digest_form"].initial == {
        "digest_enabled": True
    }
    client.post(reverse("tasks:settings"), {})
    assert manager.task_settings.digest_enabled is False
