from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.planner import index_reads
from core.textsearch import MAX_LENGTH
from core.views import ServiceFormView, acting_user, error_messages, paginate
from sales.selectors import duplicate_pair_customers, duplicate_pairs, merge_pair
from search.forms import DuplicateFilterForm, MergeForm
from search.selectors import LIVE_LIMIT, PAGE_LIMIT, global_search
from search.services import MERGE_NOT_VISIBLE, MERGE_RIGHT, TAKE_OTHER, customer_merge


class SearchView(TemplateView):
    """The results page (`?q=`); htmx (the top bar, as the user types) gets the results only."""

    template_name = "search/search.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "")[:MAX_LENGTH]
        live = bool(self.request.headers.get("HX-Request"))
        results = global_search(
            user=acting_user(self.request),
            query=query,
            limit=LIVE_LIMIT if live else PAGE_LIMIT,
        )
        return super().get_context_data(query=query, results=results, live=live, **kwargs)


class _Filter:
    """What `{% filter_form %}` (core.templatetags.core) reads: a bound form."""

    def __init__(self, form: DuplicateFilterForm) -> None:
        self.form = form


class DuplicateListView(PermissionRequiredMixin, TemplateView):
    """Possible duplicates among the customers the user may see, in pairs (a customer and the
    oldest one sharing its name core or phone), each with a link to merge them."""

    permission_required = MERGE_RIGHT
    template_name = "search/duplicate_list.html"
    heading = gettext_lazy("Possible duplicates")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = DuplicateFilterForm(self.request.GET or None)
        if not form.is_bound:
            by = "name"
        else:
            by = (form.cleaned_data["by"] or "name") if form.is_valid() else ""
        user = acting_user(self.request)
        rows = (
            duplicate_pairs(user=user, by=by)
            if by
            else duplicate_pairs(user=user, by="name").none()
        )
        with index_reads():  # the count and the page: see core.planner
            pages = paginate(self.request, rows)
            page_rows = list(pages["object_list"])
        return super().get_context_data(
            heading=self.heading,
            filter=_Filter(form),
            is_filtered=bool(self.request.GET.get("by")),
            pairs=duplicate_pair_customers(user=user, rows=page_rows),
            by=by,
            **pages,
            **kwargs,
        )


class CustomerMergeView(ServiceFormView):
    """Merge two customers: choose the survivor and, field by field, whose value it keeps."""

    permission_required = MERGE_RIGHT
    form_class = MergeForm
    template_name = "search/customer_merge.html"
    edit_heading = gettext_lazy("Merge customers")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission():
            return self.handle_no_permission()
        pair = merge_pair(user=acting_user(request), numbers=(kwargs["number"], kwargs["other"]))
        if pair is None:
            # The same answer whether a customer is out of the user's scope or does not exist.
            messages.error(request, str(MERGE_NOT_VISIBLE))
            return HttpResponseRedirect(reverse("search:duplicates"))
        self.pair = pair
        self.object = pair[0]
        return super(ServiceFormView, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return {**kwargs, "first": self.pair[0], "second": self.pair[1]}

    def form_valid(self, form: MergeForm) -> HttpResponse:
        arguments = form.merge_arguments(TAKE_OTHER)
        try:
            moved = customer_merge(actor=acting_user(self.request), **arguments)
        except ValidationError as error:
            for text in error_messages(error):
                form.add_error(None, text)
            return self.form_invalid(form)
        survivor, other = arguments["survivor"], arguments["other"]
        messages.success(
            self.request,
            _("“%(other)s” (%(number)s) was merged into this customer: %(count)d records moved.")
            % {"other": other.name, "number": other.number, "count": sum(moved.values())},
        )
        return HttpResponseRedirect(reverse("sales:customer-detail", args=[survivor.number]))

    def get_back_url(self) -> str:
        return reverse("search:duplicates")
