"""Views of background jobs: upload an import, follow its progress, confirm it, download files."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.exports import csv_response, xlsx_response
from core.imports import IMPORTERS, Importer, get_importer, template_rows
from core.views import acting_user, error_messages
from jobs import services
from jobs.models import Job
from jobs.scheduling import recent_runs, run_now, scheduled_jobs


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv file (UTF-8 or GBK) or an .xlsx workbook; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )


class ImportUploadView(PermissionRequiredMixin, FormView):
    """The upload page of one importer; apps subclass it with `importer` set."""

    importer: type[Importer]
    form_class = UploadForm
    template_name = "jobs/import_upload.html"
    back_url_name = ""

    def get_permission_required(self) -> tuple[str, ...]:
        return (self.importer.permission,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            importer=self.importer,
            back_url_name=self.back_url_name,
            recent_jobs=Job.objects.filter(user=acting_user(self.request), name=self.importer.name)[
                :5
            ],
            **kwargs,
        )

    def form_valid(self, form: UploadForm) -> HttpResponse:
        try:
            job = services.import_start(
                user=self.request.user,  # type: ignore[arg-type]
                importer=self.importer,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        return redirect("jobs:detail", pk=job.pk)


def _own_job(request: HttpRequest, pk: int) -> Job:
    """A job is seen only by the user who started it (404 for anyone else)."""
    return get_object_or_404(Job, pk=pk, user_id=request.user.pk)


class JobDetailView(View):
    template_name = "jobs/job_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _own_job(request, pk)
        importer = (
            get_importer(job.name)
            if job.kind == Job.Kind.IMPORT and job.name in IMPORTERS
            else None
        )
        template = self.template_name
        if request.headers.get("HX-Request"):
            template += "#job-status"
        context = {
            "job": job,
            "importer": importer,
            "issues": job.errors[:500],
            "error_count": sum(1 for issue in job.errors if issue["level"] == "error"),
        }
        return render(request, template, context)


class JobConfirmView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _own_job(request, pk)
        try:
            services.import_confirm(user=request.user, job=job)  # type: ignore[arg-type]
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        return redirect("jobs:detail", pk=job.pk)


class JobResultView(View):
    """Download a job's file: an export, or the list of an import's problems."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = _own_job(request, pk)
        if not job.result:
            raise Http404
        return FileResponse(
            job.result.open("rb"),
            as_attachment=True,
            filename=(job.result.name or "").rsplit("/")[-1],
        )


class ScheduledJobListView(PermissionRequiredMixin, TemplateView):
    """The fixed periodic jobs with their schedule and recent runs; admins can run one now."""

    permission_required = "crm.manage_scheduled_jobs"
    template_name = "jobs/scheduled_jobs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        jobs = scheduled_jobs()
        for job in jobs:
            job.runs = list(recent_runs(job.name, 5))  # type: ignore[attr-defined]
        return super().get_context_data(jobs=jobs, **kwargs)


class ScheduledJobRunView(PermissionRequiredMixin, View):
    permission_required = "crm.manage_scheduled_jobs"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, name: str) -> HttpResponse:
        if name not in settings.CELERY_BEAT_SCHEDULE:
            raise Http404
        try:
            run_now(name=name, user=acting_user(request))
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, _("The job was started. Its outcome appears below."))
        return redirect("jobs:scheduled")


class ImportTemplateView(View):
    """A template file for an importer, as XLSX or CSV, with its header and example rows."""

    def get(self, request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
        if name not in IMPORTERS or fmt not in ("csv", "xlsx"):
            raise Http404
        importer = get_importer(name)
        if not request.user.has_perm(importer.permission):
            raise PermissionDenied
        header, rows = template_rows(importer)
        filename = f"{importer.title}-{_('template')}.{fmt}"
        if fmt == "csv":
            return csv_response(filename, header, rows)
        return xlsx_response(filename, title=str(importer.title), headers=header, rows=rows)
