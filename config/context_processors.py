from functools import cached_property

from django.http import HttpRequest
from django.utils.safestring import SafeString

from accounts.selectors import unread_notification_count
from config.navigation import MenuFolder, MenuItem, build_menu, render_menu


class Shell:
    """What the signed-in layout shows around a page; computed only when a template asks."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def menu(self) -> list[MenuFolder]:
        return build_menu(self.request.user.get_all_permissions(), self.request.path)

    @cached_property
    def menu_html(self) -> SafeString:
        return render_menu(self.menu)

    @cached_property
    def active(self) -> tuple[MenuFolder, MenuItem] | None:
        for folder in self.menu:
            for item in folder.items:
                if item.active:
                    return folder, item
        return None

    @cached_property
    def unread_count(self) -> int:
        return unread_notification_count(self.request.user)  # type: ignore[arg-type]


def shell(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    return {"shell": Shell(request)}
