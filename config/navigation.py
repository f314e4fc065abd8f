"""The left menu and the breadcrumbs, built from the rights registry and the user's rights."""

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


# (code, label, icon, ((code, label, url, tip), …)) per folder: what a set of rights shows.
_Entries = tuple[tuple[str, str, str, tuple[tuple[str, str, str, str], ...]], ...]


@lru_cache(maxsize=256)
def _entries(perms: frozenset[str], language: str | None, urls: tuple[str, str]) -> _Entries:
    """The folders and pages a set of rights shows, with their labels in `language` and their
    URLs under the URL configuration and prefix `urls`: the same for every request of a role,
    so computed once per process (the menu's reverses and labels were a tenth of an empty
    page)."""
    entries = []
    for folder in (right for right in RIGHTS if right.kind == "folder"):
        items = []
        for page in children_of(folder.code):
            if page.kind != "page" or page.code not in perms:
                continue
            try:
                url = reverse(page.url_name)
            except NoReverseMatch:
                continue
            items.append((page.code, str(page.label), url, str(page.tip)))
        if items:
            entries.append((folder.code, str(folder.label), folder.icon, tuple(items)))
    return tuple(entries)


def build_menu(perms: set[str], path: str) -> list[MenuFolder]:
    """Folders with the pages the user holds a right to; pages not built yet are left out.

    The item whose URL is the longest prefix of the current path is marked active, so that a
    detail page highlights the list it belongs to.
    """
    urls = (str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix())
    menu: list[MenuFolder] = []
    best: tuple[int, MenuItem] | None = None
    for code, label, icon, items in _entries(frozenset(perms), get_language(), urls):
        entry = MenuFolder(code=code, label=label, icon=icon)
        for page_code, page_label, url, tip in items:
            item = MenuItem(code=page_code, label=page_label, url=url, tip=tip)
            entry.items.append(item)
            if path.startswith(url) and (best is None or len(url) > best[0]):
                best = (len(url), item)
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
