"""The left menu and the breadcrumbs, built from the rights registry and the user's rights."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from accounts.rights import RIGHTS, children_of


@dataclass
class MenuItem:
    code: str
    label: str
    url: str
    tip: str
    active: bool = False


@dataclass
class MenuFolder:
    code: str
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


def build_menu(perms: set[str], path: str) -> list[MenuFolder]:
    """Folders with the pages the user holds a right to; pages not built yet are left out.

    The item whose URL is the longest prefix of the current path is marked active, so that a
    detail page highlights the list it belongs to.
    """
    menu: list[MenuFolder] = []
    best: tuple[int, MenuItem] | None = None
    for folder in (right for right in RIGHTS if right.kind == "folder"):
        entry = MenuFolder(code=folder.code, label=str(folder.label), icon=folder.icon)
        for page in children_of(folder.code):
            if page.kind != "page" or page.code not in perms:
                continue
            try:
                url = reverse(page.url_name)
            except NoReverseMatch:
                continue
            item = MenuItem(code=page.code, label=str(page.label), url=url, tip=str(page.tip))
            entry.items.append(item)
            if path.startswith(url) and (best is None or len(url) > best[0]):
                best = (len(url), item)
        if entry.items:
            menu.append(entry)
    if best is not None:
        best[1].active = True
    return menu


def render_menu(menu: list[MenuFolder]) -> SafeString:
    """The menu's folders as the sidebar's list items, written in Python (every page shows the
    menu; through the template's loops it cost a sixth of an empty page)."""
    parts = []
    for number, folder in enumerate(menu, start=1):
        parts.append(
            '<li class="nav-item menu-folder">'
            '<a class="nav-link menu-folder-toggle" data-bs-toggle="collapse"'
            f' href="#menu-{number}" role="button" aria-expanded="true">'
            f'<i class="bi {conditional_escape(folder.icon)}" aria-hidden="true"></i> '
            f"{conditional_escape(folder.label)}</a>"
            f'<ul class="nav flex-column collapse show" id="menu-{number}">'
        )
        for item in folder.items:
            parts.append(
                f'<li class="nav-item"><a class="nav-link ps-5{" active" if item.active else ""}"'
                f' href="{conditional_escape(item.url)}" title="{conditional_escape(item.tip)}"'
                f' data-right="{conditional_escape(item.code)}">{conditional_escape(item.label)}'
                "</a></li>"
            )
        parts.append("</ul></li>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
