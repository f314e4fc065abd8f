"""Campaign results: per campaign that ran in the period, the opportunities it brought
(responses), those won, the won amount, the actual cost beside the budget, and the return.

Definitions (docs/domain.md, "Campaigns"): responses = the opportunities naming the campaign as
their source; won = those of them won; won amount = Σ expected amount of the won ones; actual
cost = Σ of the campaign log's costs; ROI = (won amount − actual cost) / actual cost, empty when
the campaign cost nothing. Opportunities count when the viewer may see them, like every report;
a campaign is in the period when its dates overlap it.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketing.selectors import (
    campaign_kinds,
    campaign_report_rows,
    campaign_roi,
    campaign_status_choices,
)
from reports.builders.periods import PeriodForm, applied_filters, clean_params
from reports.rendering.report import Chart, Column, Report, Table


class CampaignReportForm(PeriodForm):
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Campaign type"),
        queryset=campaign_kinds().none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    status = forms.TypedChoiceField(
        label=gettext_lazy("Status"),
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = campaign_kinds()  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *campaign_status_choices(),
        ]


def build_campaign(user: User, params: Mapping[str, Any]) -> Report:
    form = clean_params(CampaignReportForm, params)
    start, end, period = form.period()  # type: ignore[attr-defined]
    rows = campaign_report_rows(
        user,
        start=start,
        end=end,
        kind=form.cleaned_data.get("kind"),
        status=form.cleaned_data.get("status"),
    )
    totals: dict[str, Any] = {"name": _("Total")}
    for key in ("budget", "cost", "won_amount"):
        totals[key] = sum((row[key] for row in rows), Decimal(0))
    for key in ("responses", "won"):
        totals[key] = sum(row[key] for row in rows)
    totals["roi"] = campaign_roi(totals["won_amount"], totals["cost"])
    table = Table(
        title=_("Campaign results"),
        columns=[
            Column("name", _("Campaign")),
            Column("kind", _("Campaign type")),
            Column("dates", _("Dates")),
            Column("status", _("Status")),
            Column("budget", _("Budget (CNY)"), "money"),
            Column("cost", _("Actual cost (CNY)"), "money"),
            Column("responses", _("Responses"), "int"),
            Column("won", _("Opportunities won"), "int"),
            Column("won_amount", _("Won amount (CNY)"), "money"),
            Column("roi", _("ROI"), "percent"),
        ],
        rows=rows,
        totals=totals,
        chart=Chart("bar", "name", ("cost", "won_amount")),
    )
    return Report(
        slug="campaign",
        title=str(_("Campaign results")),
        filters=applied_filters(form, {"year": period}),
        tables=[table],
    )
