from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from audit.models import AuditEvent
from audit.services import audit_record
from core.exports import content_disposition
from core.views import acting_user
from reports.builders.periods import PeriodForm, with_default_period
from reports.registry import REPORTS, build_report
from reports.rendering.csv import report_csv
from reports.rendering.echarts import echarts_option
from reports.rendering.pdf import report_pdf
from reports.rendering.report import Report
from reports.rendering.xlsx import report_xlsx

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


class _ReportMixin(PermissionRequiredMixin):
    slug = ""
    extra_rights: tuple[str, ...] = ()

    def get_slug(self) -> str:
        slug = self.slug or self.kwargs["slug"]  # type: ignore[attr-defined]
        if slug not in REPORTS:
            raise Http404
        return slug

    def get_permission_required(self) -> tuple[str, ...]:
        return (REPORTS[self.get_slug()].permission, *self.extra_rights)

    def report(self) -> Report:
        return build_report(
            self.get_slug(),
            user=acting_user(self.request),  # type: ignore[attr-defined]
            params=self.request.GET,  # type: ignore[attr-defined]
        )


class ReportView(_ReportMixin, TemplateView):
    """A report page: filters (in the URL, shareable), charts and tables, downloads."""

    template_name = "reports/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        spec = REPORTS[self.get_slug()]
        form_class = spec.form
        params = self.request.GET
        form = form_class(
            with_default_period(params) if issubclass(form_class, PeriodForm) else params
        )
        form.is_valid()  # errors are shown; the report falls back to the defaults
        report = self.report()
        tables = [
            (table, f"chart-{index}" if table.chart and table.rows else "")
            for index, table in enumerate(report.tables)
        ]
        return super().get_context_data(
            spec=spec,
            report=report,
            form=form,
            tables=tables,
            charts=[(chart_id, echarts_option(table)) for table, chart_id in tables if chart_id],
            query=params.urlencode(),
            **kwargs,
        )


class ReportPrintView(ReportView):
    template_name = "reports/print.html"


class ReportExportView(_ReportMixin, View):
    """Exactly the report on screen (same filters) as XLSX, PDF or CSV."""

    extra_rights = ("reports.export_report",)

    def get(self, request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
        if fmt not in FORMATS:
            raise Http404
        report = self.report()
        filename = f"{report.title}-{timezone.localdate():%Y%m%d}.{fmt}"
        response: HttpResponseBase
        if fmt == "csv":
            response = StreamingHttpResponse(report_csv(report), content_type=FORMATS[fmt])
        elif fmt == "xlsx":
            response = HttpResponse(report_xlsx(report), content_type=FORMATS[fmt])
        else:
            response = HttpResponse(report_pdf(report), content_type=FORMATS[fmt])
        response["Content-Disposition"] = content_disposition(filename)
        audit_record(
            action=AuditEvent.Action.EXPORT,
            object_type="reports.report",
            label=str(report.title),
            details={"report": slug, "format": fmt, "filters": dict(request.GET.items())},
        )
        return response
