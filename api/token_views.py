"""The token pages: a user's own tokens (from their profile) and, for admins, everyone's."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from api import services
from api.models import ApiToken
from api.permissions import ADMIN_RIGHT, all_tokens, can_revoke_token, visible_tokens
from core.views import acting_user, error_messages


class TokenListView(TemplateView):
    """The user's live tokens with their last use; a form creates one, shown only once."""

    template_name = "api/tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = acting_user(self.request)
        return super().get_context_data(
            tokens=list(visible_tokens(user)),
            can_admin=user.has_perm(ADMIN_RIGHT),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            token, secret = services.token_create(
                actor=acting_user(request), name=request.POST.get("name", "")[:100]
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("api:tokens")
        messages.success(request, _("Token “%(name)s” was created.") % {"name": token.name})
        return self.render_to_response(self.get_context_data(new_secret=secret, new_token=token))


class TokenAdminView(PermissionRequiredMixin, TemplateView):
    permission_required = ADMIN_RIGHT
    template_name = "api/tokens_admin.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tokens = all_tokens(acting_user(self.request)).order_by("user__username", "-created_at")
        return super().get_context_data(tokens=list(tokens[:500]), **kwargs)


class TokenRevokeView(View):
    """POST: revoke a token (one's own; an admin anyone's). Others' tokens are 404."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = acting_user(request)
        token = get_object_or_404(ApiToken.objects.filter(revoked_at=None), pk=pk)
        if not can_revoke_token(user, token):
            raise Http404
        services.token_revoke(actor=user, token=token)
        messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
        if token.user_id != user.pk:
            return redirect("api:tokens-admin")
        return redirect("api:tokens")
