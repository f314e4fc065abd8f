from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from audit.views import HistoryView
from core.views import acting_user
from marketing import selectors, views
from marketing.models import Quote, SalesChance
from marketing.permissions import ADD_QUOTE_RIGHT, APPROVE_QUOTE_RIGHT, QUOTE_RIGHT


def _chance(request: HttpRequest, pk: int) -> SalesChance:
    return get_object_or_404(selectors.chance_list(acting_user(request)), pk=pk)


app_name = "marketing"

urlpatterns = [
    path("chances/", views.ChanceListView.as_view(), name="chance-list"),
    path("chances/new/", views.ChanceFormView.as_view(), name="chance-create"),
    path("chances/assign/", views.ChanceBulkAssignView.as_view(), name="chance-bulk-assign"),
    path("chances/<int:pk>/tags/", views.ChanceTagsView.as_view(), name="chance-tags"),
    path("chances/<int:pk>/edit/", views.ChanceFormView.as_view(), name="chance-edit"),
    path("chances/<int:pk>/delete/", views.ChanceDeleteView.as_view(), name="chance-delete"),
    path("chances/<int:pk>/assign/", views.ChanceAssignView.as_view(), name="chance-assign"),
    path(
        "chances/<int:pk>/reassign/",
        views.ChanceAssignView.as_view(reassign=True),
        name="chance-reassign",
    ),
    path("development/", views.DevelopmentListView.as_view(), name="development-list"),
    path("development/<int:pk>/", views.DevelopmentDetailView.as_view(), name="development-detail"),
    path("development/<int:pk>/plan/", views.PlanAddView.as_view(), name="plan-add"),
    path(
        "development/<int:pk>/plan/<int:item>/", views.PlanUpdateView.as_view(), name="plan-update"
    ),
    path(
        "development/<int:pk>/plan/<int:item>/delete/",
        views.PlanDeleteView.as_view(),
        name="plan-delete",
    ),
    path(
        "development/<int:pk>/plan/<int:item>/execute/",
        views.PlanExecuteView.as_view(),
        name="plan-execute",
    ),
    path("development/<int:pk>/win/", views.ChanceWinView.as_view(), name="chance-win"),
    path("development/<int:pk>/fail/", views.ChanceFailView.as_view(), name="chance-fail"),
    path(
        "chances/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="marketing.view_chance",
            lookup=_chance,
            back=lambda chance: reverse("marketing:chance-list"),
        ),
        name="chance-history",
    ),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/column/<str:key>/", views.BoardColumnView.as_view(), name="board-column"),
    path("board/<int:pk>/move/", views.BoardMoveView.as_view(), name="board-move"),
    path("stages/", views.StageListView.as_view(), name="stage-list"),
    path("stages/new/", views.StageFormView.as_view(), name="stage-create"),
    path("stages/<int:pk>/edit/", views.StageFormView.as_view(), name="stage-edit"),
    path("stages/<int:pk>/delete/", views.StageDeleteView.as_view(), name="stage-delete"),
]

urlpatterns += [
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", views.CampaignFormView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignFormView.as_view(), name="campaign-edit"),
    path(
        "campaigns/<int:pk>/approve/", views.CampaignApproveView.as_view(), name="campaign-approve"
    ),
    path("campaigns/<int:pk>/start/", views.CampaignStartView.as_view(), name="campaign-start"),
    path("campaigns/<int:pk>/finish/", views.CampaignFinishView.as_view(), name="campaign-finish"),
    path("campaigns/<int:pk>/cancel/", views.CampaignCancelView.as_view(), name="campaign-cancel"),
    path("campaigns/<int:pk>/log/", views.CampaignLogAddView.as_view(), name="campaign-log-add"),
    path(
        "campaigns/<int:pk>/history/",
        HistoryView.as_view(
            permission_required="marketing.view_campaign",
            lookup=views.campaign_of,
            back=lambda campaign: reverse("marketing:campaign-detail", args=[campaign.pk]),
        ),
        name="campaign-history",
    ),
]


def _quote(request: HttpRequest, pk: int) -> Quote:
    return selectors.quote_detail(acting_user(request), pk)


urlpatterns += [
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    path("quotes/export/", views.QuoteExportView.as_view(), name="quote-export"),
    path("quotes/customers/", views.QuoteCustomerSearchView.as_view(), name="quote-customers"),
    path("quotes/new/", views.QuoteFormView.as_view(), name="quote-create"),
    path("quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="quote-detail"),
    path("quotes/<int:pk>/edit/", views.QuoteFormView.as_view(), name="quote-edit"),
    path("quotes/<int:pk>/pdf/", views.QuotePdfView.as_view(), name="quote-pdf"),
    path(
        "quotes/<int:pk>/submit/", views.QuoteActionView.as_view(step="submit"), name="quote-submit"
    ),
    path("quotes/<int:pk>/send/", views.QuoteActionView.as_view(step="send"), name="quote-send"),
    path("quotes/<int:pk>/copy/", views.QuoteActionView.as_view(step="copy"), name="quote-copy"),
    path(
        "quotes/<int:pk>/approve/",
        views.QuoteStepView.as_view(step="approve", permission_required=APPROVE_QUOTE_RIGHT),
        name="quote-approve",
    ),
    path(
        "quotes/<int:pk>/reject/",
        views.QuoteStepView.as_view(step="reject", permission_required=APPROVE_QUOTE_RIGHT),
        name="quote-reject",
    ),
    path(
        "quotes/<int:pk>/accept/",
        views.QuoteStepView.as_view(step="accept", permission_required=ADD_QUOTE_RIGHT),
        name="quote-accept",
    ),
    path(
        "quotes/<int:pk>/decline/",
        views.QuoteStepView.as_view(step="decline", permission_required=ADD_QUOTE_RIGHT),
        name="quote-decline",
    ),
    path(
        "quotes/<int:pk>/history/",
        HistoryView.as_view(
            permission_required=QUOTE_RIGHT,
            lookup=_quote,
            back=lambda quote: reverse("marketing:quote-detail", args=[quote.pk]),
        ),
        name="quote-history",
    ),
]
