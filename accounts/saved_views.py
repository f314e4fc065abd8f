"""Saved views of the list pages (issue 23.5): a user's named query strings of one list (its
filters, order and page size), their default view, and the views shared with the team.

`list_views` is the hook `core.views.ListPageView` calls (registered in `AccountsConfig.ready`):
one query per list page, the user's own and the shared views of that list. A list opened
without a query string shows the user's default view; `?view=all` shows the list unfiltered,
`?view=<id>` one saved view (own or shared)."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy

from accounts.models import SavedView, User
from core.views import ListPageView

SHARE_RIGHT = "accounts.share_savedview"
QUERY_MAX = 1000
NAME_MAX = 50
VIEWS_PER_LIST = 30
ALL = "all"

# Refusals and errors (tests match these).
UNKNOWN_LIST = gettext_lazy("This page has no saved views.")
NAME_REQUIRED = gettext_lazy("Name the view.")
NAME_TOO_LONG = gettext_lazy("A view's name has at most %(max)d characters.")
QUERY_TOO_LONG = gettext_lazy("The view holds too many filters (at most %(max)d characters).")
NUL_REFUSED = gettext_lazy("The view contains a NUL character, which no field may hold.")
PARAM_REFUSED = gettext_lazy("“%(name)s” is not a filter, order or page size of this list.")
TOO_MANY = gettext_lazy("You have %(max)d views of this list already; delete one first.")
NOT_YOURS = gettext_lazy("Only its owner may change this view.")
SHARE_DENIED = gettext_lazy("You may not share views with the team.")


def allowed_params(list_key: str) -> frozenset[str]:
    """The parameters a view of the list `list_key` (a URL name) may hold; a URL name that is
    not a list page without arguments has no views."""
    try:
        view_class = getattr(resolve(reverse(list_key)).func, "view_class", None)
    except (NoReverseMatch, Resolver404) as error:
        raise ValidationError(UNKNOWN_LIST) from error
    if not (isinstance(view_class, type) and issubclass(view_class, ListPageView)):
        raise ValidationError(UNKNOWN_LIST)
    return view_class.list_params()


def clean_query(query: str, allowed: frozenset[str]) -> str:
    """`query` with only the allowed parameters, re-encoded; a parameter that is not allowed,
    a NUL byte or an overlong query is an error (`page` and `view` are dropped)."""
    if "\x00" in query:
        raise ValidationError({"query": NUL_REFUSED})
    if len(query) > QUERY_MAX:
        raise ValidationError({"query": QUERY_TOO_LONG % {"max": QUERY_MAX}})
    pairs = [
        (key, value)
        for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True)
        if key not in ("page", "view") and value != ""
    ]
    for key, _value in pairs:
        if key not in allowed:
            raise ValidationError({"query": PARAM_REFUSED % {"name": key[:50]}})
    cleaned = urlencode(pairs)
    if len(cleaned) > QUERY_MAX:
        raise ValidationError({"query": QUERY_TOO_LONG % {"max": QUERY_MAX}})
    return cleaned


def may_share(user: User) -> bool:
    return user.is_active and user.has_perm(SHARE_RIGHT)


def _own(actor: User, view: SavedView) -> SavedView:
    locked = SavedView.objects.select_for_update().get(pk=view.pk)
    if locked.user_id != actor.pk:
        raise ValidationError(NOT_YOURS)
    return locked


@transaction.atomic
def saved_view_save(
    *, actor: User, list_key: str, name: str, query: str, is_default: bool = False
) -> SavedView:
    """Save the query of a list under `name` (replacing the actor's view of that name)."""
    allowed = allowed_params(list_key)
    name = (name or "").strip()
    if "\x00" in name:
        raise ValidationError({"name": NUL_REFUSED})
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": NAME_TOO_LONG % {"max": NAME_MAX}})
    cleaned = clean_query(query or "", allowed)
    views = SavedView.objects.filter(user=actor, list_key=list_key)
    view = views.filter(name=name).first()
    if view is None:
        if views.count() >= VIEWS_PER_LIST:
            raise ValidationError(TOO_MANY % {"max": VIEWS_PER_LIST})
        view = SavedView(user=actor, list_key=list_key, name=name)
    view.query = cleaned
    view.save()
    if is_default:
        return saved_view_make_default(actor=actor, view=view)
    return view


@transaction.atomic
def saved_view_delete(*, actor: User, view: SavedView) -> None:
    _own(actor, view).delete()


@transaction.atomic
def saved_view_make_default(*, actor: User, view: SavedView) -> SavedView:
    """Make `view` the actor's default of its list; when it is the default already, the list
    has no default any more."""
    view = _own(actor, view)
    becomes = not view.is_default
    SavedView.objects.filter(user=actor, list_key=view.list_key, is_default=True).update(
        is_default=False
    )
    if becomes:
        view.is_default = True
        view.save(update_fields=["is_default"])
    else:
        view.is_default = False
    return view


@transaction.atomic
def saved_view_share(*, actor: User, view: SavedView, shared: bool) -> SavedView:
    """Share the view with the team (or take it back): its owner, holding the share right."""
    view = _own(actor, view)
    if not may_share(actor):
        raise ValidationError(SHARE_DENIED)
    view.shared = shared
    view.save(update_fields=["shared"])
    return view


# The list pages' hook ----------------------------------------------------------------------------


@dataclass
class ListViews:
    """What a list page shows of its saved views, and the query it applies (None: the
    request's own)."""

    list_key: str
    views: list[SavedView] = field(default_factory=list)
    active: SavedView | None = None
    query: QueryDict | None = None
    current_query: str = ""  # the shown list's query as a view would save it
    may_share: bool = False
    user_id: int | None = None

    @property
    def own(self) -> list[SavedView]:
        return [view for view in self.views if view.user_id == self.user_id]

    @property
    def shared(self) -> list[SavedView]:
        return [view for view in self.views if view.user_id != self.user_id]


def _query(text: str, extra: QueryDict | None = None) -> QueryDict:
    query = QueryDict(text, mutable=True)
    for key in ("page", "per_page"):
        if extra is not None and key in extra and key not in query:
            query.setlist(key, extra.getlist(key))
    query._mutable = False
    return query


def list_views(request: HttpRequest, list_key: str, allowed: frozenset[str]) -> ListViews | None:
    """The saved views of a list for the signed-in user (one query), and the query to show."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    views = list(
        SavedView.objects.filter(Q(user=user) | Q(shared=True), list_key=list_key)
        .select_related("user")
        .order_by("name", "id")
    )
    found = ListViews(list_key, views, may_share=may_share(user), user_id=user.pk)
    wanted = request.GET.get("view")
    if not request.GET:
        found.active = next((v for v in views if v.user_id == user.pk and v.is_default), None)
        if found.active is not None:
            found.query = _query(found.active.query)
    elif wanted is not None:
        found.active = next((v for v in views if str(v.pk) == wanted), None)
        if found.active is not None:
            found.query = _query(found.active.query, request.GET)
        else:  # ?view=all, or a view gone: the list as asked, without `view`
            rest = request.GET.copy()
            rest.pop("view", None)
            found.query = _query(rest.urlencode())
    shown = found.query if found.query is not None else request.GET
    found.current_query = urlencode(
        [(k, v) for k, values in shown.lists() if k in allowed for v in values if v != ""]
    )
    return found
