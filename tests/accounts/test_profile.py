from django.urls import reverse

from accounts.services import notify
from tests.factories import NotificationFactory


def test_user_edits_own_profile_and_language(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "明", "last_name": "李", "email": "ming@example.com", "language": "zh-hans"},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert (manager.first_name, manager.language) == ("明", "zh-hans")
    # The profile's language wins over the browser's.
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "首页" in page.content.decode()


def test_profile_rejects_a_bad_email(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "x", "last_name": "", "email": "nope", "language": ""},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_browser_language_is_followed_when_the_profile_has_none(client, manager):
    client.force_login(manager)
    assert (
        "首页"
        in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    )
    assert "Home" in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_language_switcher_remembers_the_choice(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("accounts:set-language"), {"language": "zh-hans", "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    manager.refresh_from_db()
    assert manager.language == "zh-hans"


def test_language_switcher_refuses_external_redirects_and_bad_codes(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("accounts:set-language"), {"language": "xx", "next": "https://evil.example"}
    )
    assert response["Location"] == "/"
    manager.refresh_from_db()
    assert manager.language == ""


def test_change_own_password(client, manager):
    from tests.factories.accounts import PASSWORD

    client.force_login(manager)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "fresh-secret-99",
            "new_password2": "fresh-secret-99",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("fresh-secret-99")


def test_notify_shows_in_the_bell_and_the_list_marks_read(client, manager):
    notify(user=manager, text="Opportunity assigned to you", link="/")
    client.force_login(manager)
    home = client.get(reverse("home")).content.decode()
    assert '1<span class="visually-hidden"> unread notifications' in home
    listing = client.get(reverse("accounts:notification-list")).content.decode()
    assert "Opportunity assigned to you" in listing
    assert manager.notifications.filter(is_read=False).count() == 0


def test_notification_text_is_written_in_the_recipients_language(manager):
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy

    manager.language = "zh-hans"
    manager.save()
    notification = notify(user=manager, text=format_lazy("{}: {}", gettext_lazy("Home"), "x"))
    assert notification.text == "首页: x"


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, manager):
    notification = NotificationFactory(user=manager, link="/accounts/profile/")
    client.force_login(manager)
    response = client.get(reverse("accounts:notification-open", args=[notification.pk]))
    assert response["Location"] == "/accounts/profile/"
    notification.refresh_from_db()
    assert notification.is_read


def test_someone_elses_notification_is_not_found(client, manager, other_manager):
    notification = NotificationFactory(user=other_manager)
    client.force_login(manager)
    assert (
        client.get(reverse("accounts:notification-open", args=[notification.pk])).status_code == 404
    )
