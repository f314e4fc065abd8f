"""Stage conversion: how many opportunities entered each stage and how many moved on from it
(to a later stage, or won), from the stage history."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from marketing.selectors import stage_funnel
from reports.builders.periods import PeriodForm, applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table


class StageFunnelForm(PeriodForm):
    pass


def build_stage_funnel(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(StageFunnelForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    rows = [
        {
            **row,
            "rate": row["moved_on"] / row["entered"] if row["entered"] else None,
        }
        for row in stage_funnel(user, start=start, end=end)
    ]
    table = Table(
        title=_("Stage conversion"),
        columns=[
            Column("stage", _("Stage")),
            Column("entered", _("Entered"), "int"),
            Column("moved_on", _("Moved on"), "int"),
            Column("rate", _("Conversion rate"), "percent"),
        ],
        rows=rows,
        chart=Chart("funnel", "stage", ("entered",)),
    )
    return Report(
        slug="stage-funnel",
        title=str(_("Stage conversion")),
        filters=applied_filters(form, {"year": period}),
        tables=[table],
    )
