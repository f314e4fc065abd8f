from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import views
from api.token_views import TokenAdminView, TokenListView, TokenRevokeView

app_name = "api"

router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("orders", views.OrderViewSet, basename="order")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("plan-items", views.PlanItemViewSet, basename="plan-item")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("products", views.ProductViewSet, basename="product")
router.register("stock", views.StockViewSet, basename="stock")
router.register("dictionary", views.DictionaryViewSet, basename="dict-item")
router.register("reports", views.ReportViewSet, basename="report")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("tokens/", TokenListView.as_view(), name="tokens"),
    path("tokens/all/", TokenAdminView.as_view(), name="tokens-admin"),
    path("tokens/<int:pk>/revoke/", TokenRevokeView.as_view(), name="token-revoke"),
]
