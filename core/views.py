"""Building blocks shared by every module's views, the home page and the error pages."""

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

if TYPE_CHECKING:
    from accounts.models import User


def acting_user(request: HttpRequest) -> "User":
    """The signed-in user of a request; LoginRequiredMiddleware guarantees there is one."""
    return cast("User", request.user)


def error_messages(error: ValidationError) -> list[str]:
    """The plain messages of a service's ValidationError, for the messages framework."""
    return [str(message) for message in error.messages]


class CappedPaginator(Paginator):
    """Counts at most `CRM_COUNT_CAP` rows: past that the pager says "more than …" and the
    user narrows the list with the filters. Counting a 100,000-row table on every page view would
    cost more than the page itself; counting up to the cap costs a few milliseconds.

    Deep pages are read in two steps: the ids of the page from the list's own table, then those
    rows with their related rows. In one query the database would join the related rows of every
    skipped row too, which on page 200 is thousands of joins for ten rows shown.
    """

    capped = False
    two_step_from = 100  # rows skipped; earlier pages take one query

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        skipped: Callable[[], QuerySet[Any] | None] | None = None,
    ) -> None:
        """`skipped`: gives the same rows as `object_list` written another way (or None), which
        the search for a deep page's ids reads instead (`ListPageView.get_deep_queryset`);
        asked for a deep page only."""
        super().__init__(object_list, per_page)
        self.skipped = skipped

    def clamped_page(self, number: Any) -> Page:
        """The page `number`, or the nearest one: 1 for a malformed number or one below 1, the
        last page for one past the end."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        return self.page(min(max(wanted, 1), self.num_pages))

    @cached_property
    def count(self) -> int:
        cap = settings.CRM_COUNT_CAP
        counted = self.object_list.order_by()[: cap + 1].count()  # type: ignore[attr-defined]
        self.capped = counted > cap
        return min(counted, cap)

    # Django's hook for building a page from its slice (not in the type stubs).
    def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> Page:
        if (
            isinstance(object_list, QuerySet)
            and object_list.query.low_mark >= self.two_step_from
            # `values()` rows are narrow already (and have no rows to read by id).
            and object_list._iterable_class is ModelIterable
        ):
            query = object_list.query
            listed = cast(QuerySet[Any], self.object_list)
            other = None if self.skipped is None else self.skipped()
            skipped = listed if other is None else other
            if listed.query.order_by:  # in the list's order, whatever the other form's
                skipped = skipped.order_by(*listed.query.order_by)
            ids = list(skipped.values_list("pk", flat=True)[query.low_mark : query.high_mark])
            rows = self._rows_by_id(listed, ids).in_bulk()
            object_list = [rows[pk] for pk in ids if pk in rows]
        return super()._get_page(object_list, number, paginator)  # type: ignore[misc]

    @staticmethod
    def _rows_by_id(listed: QuerySet[Any], ids: list[Any]) -> QuerySet[Any]:
        """The rows of `ids` with the list's related rows. The ids were found through the
        list's filters, visibility included, so the rows are read by primary key alone: a
        visibility subquery would cost more than the ten rows. Lists with annotations (computed
        columns) keep their whole query."""
        if listed.query.annotations or listed.query.extra or listed.query.deferred_loading[0]:
            return listed.filter(pk__in=ids)
        rows = listed.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = copy.deepcopy(listed.query.select_related)
        return rows.prefetch_related(*listed._prefetch_related_lookups)  # type: ignore[attr-defined]


class SequencePaginator(CappedPaginator):
    """Pages a sequence that is not a queryset (`len()` and slices), capped like the others."""

    @cached_property
    def count(self) -> int:
        counted = len(self.object_list)
        self.capped = counted > settings.CRM_COUNT_CAP
        return min(counted, settings.CRM_COUNT_CAP)


def page_size(request: HttpRequest, default: int) -> int:
    """The page size `?per_page=` asks for when it is one of `CRM_PAGE_SIZES`, else `default`."""
    try:
        size = int(request.GET.get("per_page", ""))
    except ValueError:
        return default
    return size if size in settings.CRM_PAGE_SIZES else default


def paginate(
    request: HttpRequest,
    object_list: Any,
    per_page: int = settings.CRM_PAGE_SIZE,
    paginator_class: type[CappedPaginator] | None = None,
    skipped: Callable[[], QuerySet[Any] | None] | None = None,
) -> dict[str, Any]:
    """One page of `object_list`, as the context `includes/_pagination.html` shows: the one
    paginator of every list. `?per_page=` may change the size; an out-of-range or malformed
    `?page=` shows the nearest page (the first or the last) instead of an error. `skipped`:
    the paginator's."""
    paginator = (paginator_class or CappedPaginator)(
        object_list, page_size(request, per_page), skipped=skipped
    )
    page = paginator.clamped_page(request.GET.get("page"))
    return {
        "paginator": paginator,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "object_list": page.object_list,
        "page_sizes": settings.CRM_PAGE_SIZES,
    }


# The saved views of the lists (filters, order, page size under a name): a layer above (accounts)
# registers `hook(request, list_key, allowed_params)`, which answers an object with `query`
# (the QueryDict the list shows instead of the request's, or None) and whatever the list's
# "views" menu shows (`includes/_saved_views.html`); core knows nothing else of it.
LIST_VIEWS_HOOKS: list[Callable[[HttpRequest, str, frozenset[str]], Any]] = []


def register_list_views(hook: Callable[[HttpRequest, str, frozenset[str]], Any]) -> None:
    if hook not in LIST_VIEWS_HOOKS:
        LIST_VIEWS_HOOKS.append(hook)


class ListPageView(PermissionRequiredMixin, FilterView):
    """A filtered, sortable, paginated list: the shape of every list page.

    Pages are cut by `paginate()`; `paginate_by = None` shows the whole list on one page. A list
    without filters leaves `filterset_class` unset. Invalid filter values show the filter form's
    errors and an empty list. `permission_required = ()` opens the page to every signed-in user
    (for lists of the user's own rows).
    """

    paginate_by: int | None = settings.CRM_PAGE_SIZE
    paginator_class: type[CappedPaginator] = CappedPaginator
    template_name_suffix = "_list"
    heading: Any = ""  # the page's title (templates extending layouts/list.html show it)

    list_views: Any = None

    @classmethod
    def list_params(cls) -> frozenset[str]:
        """The query parameters a saved view of this list may hold: its filters, the order,
        the page size (never the page)."""
        names = set(cls.filterset_class.base_filters) if cls.filterset_class else set()
        return frozenset(names | {"o", "per_page"})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        match = request.resolver_match
        if LIST_VIEWS_HOOKS and match is not None and not match.kwargs:
            self.list_views = LIST_VIEWS_HOOKS[0](request, match.view_name, self.list_params())
            if self.list_views is not None and self.list_views.query is not None:
                request.GET = self.list_views.query
        if self.filterset_class is None:
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        object_list = kwargs.pop("object_list", self.object_list)
        pages = (
            {"object_list": object_list}
            if self.paginate_by is None
            else paginate(
                self.request,
                object_list,
                self.paginate_by,
                self.paginator_class,
                skipped=self._deep_rows,
            )
        )
        context = super().get_context_data(**kwargs, **pages)
        context["heading"] = self.heading
        context["list_views"] = self.list_views
        context["is_filtered"] = any(
            value
            for key, value in self.request.GET.items()
            if key not in {"page", "per_page", "o", "view"}
        )
        return context

    def get_paginate_by(self, queryset: Any) -> None:
        return None  # get_context_data() pages the list with paginate()

    def get_deep_queryset(self) -> QuerySet[Any] | None:
        """The rows of `get_queryset()` written another way, for finding the ids of a deep
        page, where thousands of rows are skipped (a rep's customers hashed once instead of
        tested on each row: `sales.permissions.customer_visibility`); None: the list's own.
        The filters and the order are the list's."""
        return None

    def _deep_rows(self) -> QuerySet[Any] | None:
        """`get_deep_queryset()` through the list's filters, as `object_list` went through
        them; None when the list has no other form or its filters were refused."""
        rows = self.get_deep_queryset()
        if rows is None or self.filterset_class is None:
            return rows
        filterset = self.filterset
        if not filterset.is_bound:  # no query: the rows as they are, as `FilterSet.qs`
            return rows
        if not filterset.is_valid() and self.get_strict():
            return None
        return filterset.filter_queryset(rows)


class ActionView(PermissionRequiredMixin, View):
    """A POST-only action (enable, disable, allocate…): perform it, report, redirect.

    Subclasses implement `perform()` returning the success message and `get_success_url()`.
    A service's ValidationError becomes an error message and nothing is changed.
    """

    http_method_names = ["post"]

    def perform(self) -> str:
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            message = self.perform()
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A create or edit page whose form is saved by a service.

    Subclasses set `form_class` and `template_name`, may implement `get_object()` (edit pages;
    it does the visibility lookup, so out of scope is a 404), and implement `save(form)`, which
    calls the service and returns the success message. A service's ValidationError is shown on
    the form and nothing is saved.
    """

    object: Any = None
    success_url_name = ""
    create_heading: Any = ""
    edit_heading: Any = ""

    def get_object(self) -> Any:
        return None

    def get_heading(self) -> str:
        return str(self.create_heading if self.object is None else self.edit_heading)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Rights first (403, or the login page), then the object (404 outside the user's scope).
        if not self.has_permission():
            return self.handle_no_permission()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.object is not None and issubclass(self.get_form_class(), forms.ModelForm):
            kwargs["instance"] = self.object
        return kwargs

    def save(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                message = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse(self.success_url_name)

    def get_back_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            object=self.object,
            heading=self.get_heading(),
            back_url=self.get_back_url(),
            **kwargs,
        )


class ConfirmDeleteView(PermissionRequiredMixin, TemplateView):
    """Ask, then delete with a service on POST (`layouts/confirm_delete.html`).

    Subclasses implement `get_object()` (visibility lookup), `delete()` (calls the service and
    returns the success message) and set `success_url_name`; `cancel_url()` defaults to it.
    A refusal (ValidationError) is shown as an error message and nothing changes; `refused()`
    decides where (by default back at `cancel_url()`).
    """

    template_name = "layouts/confirm_delete.html"
    success_url_name = ""
    object: Any = None

    def get_object(self) -> Any:
        raise NotImplementedError

    def delete(self) -> str:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return reverse(self.success_url_name)

    def cancel_url(self) -> str:
        return self.get_success_url()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Rights first (403, or the login page), then the object (404 outside the user's scope).
        if not self.has_permission():
            return self.handle_no_permission()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, cancel_url=self.cancel_url(), **kwargs)

    def refused(self, error: ValidationError) -> HttpResponse:
        """The answer when the service refuses: its messages, back where the user came from."""
        for text in error_messages(error):
            messages.error(self.request, text)
        return HttpResponseRedirect(self.cancel_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            message = self.delete()
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())
