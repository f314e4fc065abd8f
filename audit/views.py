"""The change-history page every record kind shares, and the security audit log."""

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import django_filters
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.base import TemplateResponseMixin

from audit import history
from audit.models import AuditEvent
from audit.services import audit_record
from core.exports import csv_response, xlsx_response
from core.forms import StyledForm
from core.views import ListPageView, SequencePaginator, paginate

HISTORY_PAGE_SIZE = 20


class HistoryView(PermissionRequiredMixin, TemplateResponseMixin, View):
    """The 变更历史 tab of a record: newest first, paged, `?format=xlsx` for all of it.

    Each app routes `<record>/history/` here with `lookup(request, **url_kwargs)`, its own
    visibility lookup (a 404 outside the user's scope), and `back(obj)`, the record page's URL."""

    template_name = "audit/history.html"
    lookup: Callable[..., Model] | None = None
    back: Callable[[Model], str] | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.lookup is None:
            raise ImproperlyConfigured("HistoryView needs lookup=")
        obj = self.lookup(request, **kwargs)
        related = history.related_histories(type(obj), request.user)
        if related:
            return self.merged(request, obj, history.MergedHistory(obj, related))
        rows = history.record_history(obj)
        if request.GET.get("format") == "xlsx":
            return self.export(obj, rows)
        pages = paginate(request, rows, HISTORY_PAGE_SIZE)
        records = list(pages["object_list"])
        previous = history.older_than(rows, records[-1]) if records else None
        pages["object_list"] = history.entries(obj.history.model, records, previous)  # type: ignore[attr-defined]
        return self.render_to_response(self.context(obj, pages))

    def context(self, obj: Model, pages: dict[str, Any]) -> dict[str, Any]:
        return {
            "record": obj,
            "heading": _("Change history"),
            "back_url": self.back(obj) if self.back is not None else "",
            **pages,
        }

    def merged(
        self, request: HttpRequest, obj: Model, merged: history.MergedHistory
    ) -> HttpResponseBase:
        """The record's history with the related rows' (its attachments'), newest first."""
        if request.GET.get("format") == "xlsx":
            return self.export(obj, entries=merged[0 : len(merged)])
        pages = paginate(request, merged, HISTORY_PAGE_SIZE, paginator_class=SequencePaginator)
        return self.render_to_response(self.context(obj, pages))

    def export(
        self, obj: Model, rows: Any = None, entries: list[history.Entry] | None = None
    ) -> HttpResponseBase:
        model = obj.history.model  # type: ignore[attr-defined]
        found = entries if entries is not None else history.entries(model, list(rows))
        audit_record(action=AuditEvent.Action.HISTORY_EXPORT, obj=obj, details={"rows": len(found)})
        return xlsx_response(
            f"{_('history')}-{obj.pk}.xlsx",
            title=str(_("Change history")),
            headers=[_("time"), _("user"), _("action"), _("field"), _("old value"), _("new value")],
            rows=_history_rows(found),
        )


def _history_rows(found: Iterable[history.Entry]) -> Iterable[Sequence[Any]]:
    for entry in found:
        for change in entry.changes or [history.Change("", "", "")]:
            kind = f"{entry.kind} · {entry.subject}" if entry.subject else entry.kind
            yield [entry.when, entry.who, kind, change.label, change.old, change.new]


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEvent.Action.choices, empty_label=_("All")
    )
    actor = django_filters.CharFilter(
        label=_("User"), field_name="actor_name", lookup_expr="icontains", max_length=150
    )
    search = django_filters.CharFilter(label=_("Object"), method="filter_object", max_length=100)
    address = django_filters.CharFilter(label=_("Address"), lookup_expr="startswith", max_length=45)
    since = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "search", "address", "since", "until"]
        form = StyledForm

    def filter_object(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(object_label__icontains=value) | Q(object_id=value))


AUDIT_RIGHT = "accounts.view_audit_log"
AUDIT_HEADERS: tuple[Any, ...] = (
    _("time"), _("user"), _("action"), _("object type"), _("object id"), _("object"),
    _("address"), _("user agent"), _("details"),
)  # fmt: skip


class AuditLogView(ListPageView):
    permission_required = AUDIT_RIGHT
    filterset_class = AuditEventFilter
    template_name = "audit/auditevent_list.html"
    heading = _("Audit log")
    paginate_by = 50

    def get_queryset(self) -> Any:
        return AuditEvent.objects.all()


class AuditExportView(PermissionRequiredMixin, View):
    permission_required = AUDIT_RIGHT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filters = {key: value for key, value in request.GET.items() if key != "format"}
        found = AuditEventFilter(filters or None, queryset=AuditEvent.objects.all())
        events = found.qs if found.is_valid() else AuditEvent.objects.none()
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        recorded = audit_record(
            action=AuditEvent.Action.EXPORT,
            object_type="audit.auditevent",
            label=str(_("Audit log")),
            details={"rows": events.count(), "filters": filters, "format": fmt},
        )
        rows = (
            [
                event.created_at, event.actor_name, event.get_action_display(),
                event.object_type, event.object_id, event.object_label,
                event.address, event.user_agent, json.dumps(event.details, ensure_ascii=False),
            ]
            for event in events.exclude(pk=recorded.pk).iterator(chunk_size=2000)
        )  # fmt: skip
        filename = f"{_('audit-log')}-{timezone.localdate():%Y%m%d}"
        if fmt == "xlsx":
            return xlsx_response(
                f"{filename}.xlsx", title=str(_("Audit log")), headers=AUDIT_HEADERS, rows=rows
            )
        return csv_response(f"{filename}.csv", AUDIT_HEADERS, rows)
