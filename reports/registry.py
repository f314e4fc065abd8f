"""The report catalogue: every report the product offers, once.

A spec names a report's slug, URL name, title, the right a viewer needs, its filter form and
its builder. The report pages and their URLs, the exports, the subscription form and the
scheduled e-mails, the dashboard and the bench all read this catalogue; the menu and the rights
(`accounts.rights`, a lower layer) name the same URL names and rights, and a test keeps the two
in step. Everything that needs a report by name goes through `build_report`, which checks the
right; the builders read only through the apps' selectors, which apply the viewer's visibility.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import StyledForm
from reports.builders.campaign import CampaignReportForm, build_campaign
from reports.builders.composition import CompositionForm, build_composition
from reports.builders.contribution import ContributionForm, build_contribution
from reports.builders.forecast import ForecastForm, build_forecast
from reports.builders.loss import LossReportForm, build_loss
from reports.builders.performance import PerformanceForm, build_performance
from reports.builders.product_sales import ProductSalesForm, build_product_sales
from reports.builders.service import ServiceReportForm, build_service
from reports.builders.stage_funnel import StageFunnelForm, build_stage_funnel
from reports.rendering.report import Report

Builder = Callable[[User, Mapping[str, str]], Report]


@dataclass(frozen=True)
class ReportSpec:
    slug: str
    url_name: str  # the report page, "reports:<name>"
    title: str | Promise
    permission: str  # "<app>.<right>" the viewer must hold
    form: type[StyledForm]  # the report's filters
    build: Builder  # (viewer, the report's filter parameters) -> Report


REPORTS: dict[str, ReportSpec] = {
    spec.slug: spec
    for spec in (
        ReportSpec(
            "contribution",
            "reports:contribution",
            _("Customer contribution"),
            "reports.view_contribution",
            ContributionForm,
            build_contribution,
        ),
        ReportSpec(
            "composition",
            "reports:composition",
            _("Customer composition"),
            "reports.view_composition",
            CompositionForm,
            build_composition,
        ),
        ReportSpec(
            "service",
            "reports:service",
            _("Customer service analysis"),
            "reports.view_service",
            ServiceReportForm,
            build_service,
        ),
        ReportSpec(
            "loss",
            "reports:loss",
            _("Customer loss analysis"),
            "reports.view_loss",
            LossReportForm,
            build_loss,
        ),
        ReportSpec(
            "forecast",
            "reports:forecast",
            _("Sales forecast"),
            "reports.view_forecast",
            ForecastForm,
            build_forecast,
        ),
        ReportSpec(
            "performance",
            "reports:performance",
            _("Sales performance"),
            "reports.view_performance",
            PerformanceForm,
            build_performance,
        ),
        ReportSpec(
            "product-sales",
            "reports:product-sales",
            _("Product sales summary"),
            "reports.view_product_sales",
            ProductSalesForm,
            build_product_sales,
        ),
        ReportSpec(
            "stage-funnel",
            "reports:stage-funnel",
            _("Stage conversion"),
            "reports.view_stage_funnel",
            StageFunnelForm,
            build_stage_funnel,
        ),
        ReportSpec(
            "campaign",
            "reports:campaign",
            _("Campaign results"),
            "reports.view_campaign",
            CampaignReportForm,
            build_campaign,
        ),
    )
}


def build_report(slug: str, *, user: User, params: Mapping[str, str]) -> Report:
    """The report `slug` as `user` may see it; invalid filter values fall back to defaults."""
    spec = REPORTS[slug]
    if not user.is_active or not user.has_perm(spec.permission):
        raise PermissionDenied(spec.permission)
    return spec.build(user, params)
