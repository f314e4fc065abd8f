"""The API's kernel: rights per view, JSON errors, strict bodies, the apps' filter sets."""

from collections.abc import Mapping
from typing import Any, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.models import User
from api.rights import RightRequired
from audit.context import API, history_actor
from audit.middleware import client_address, client_agent

UNKNOWN_FIELD = _("Unknown or read-only field.")
# Query parameters of the API itself, not of the apps' filter sets (`o` sorts a page; the API
# pages by cursor in one fixed order).
RESERVED_PARAMS = {"cursor", "page_size", "o", "format"}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a service's ValidationError is a 400 with its messages (by field
    when it names fields); a suspicious request (too large, NUL…) is a 400."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or _("Bad request."))
    return drf_exception_handler(exc, context)


class StrictSerializerMixin:
    """Refuse a body naming a field the serializer does not write (a typo is not ignored)."""

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise exceptions.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


def filter_params(request: Request) -> QueryDict:
    params = request.query_params.copy()
    for name in RESERVED_PARAMS:
        params.pop(name, None)
    return params


class AppFilterBackend(DjangoFilterBackend):
    """The app's own FilterSet, bound to the query (a view may build it through its app's
    selector with `build_filterset`); invalid filters are a 400 with the field messages."""

    def get_filterset(self, request: Request, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        params = filter_params(request)
        build = getattr(view, "build_filterset", None)
        if build is not None:
            return build(params, queryset)
        return filterset_class(params, queryset=queryset)


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every endpoint: `permission_required` (or per action `action_rights`) names the
    rights; objects come from `get_queryset`, the app's visibility, so others' are 404."""

    permission_classes = [RightRequired]
    filter_backends = [AppFilterBackend]
    permission_required: str | tuple[str, ...] = ()
    action_rights: dict[str, str | tuple[str, ...]] = {}

    @classmethod
    def as_view(cls, actions: Any = None, **initkwargs: Any) -> Any:
        # Tokens authenticate in the view, after LoginRequiredMiddleware: the API answers 401
        # itself rather than redirecting to the login page.
        return login_not_required(super().as_view(actions, **initkwargs))

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def required_rights(self) -> tuple[str, ...]:
        rights = self.action_rights.get(self.action or "", self.permission_required)
        return (rights,) if isinstance(rights, str) else tuple(rights)

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """After authentication (a token authenticates here, not in a middleware): every write
        of this request is authored by its user, "via API", in the change history and audit."""
        super().initial(request, *args, **kwargs)
        self._actor = history_actor(
            request.user,
            via=API,
            address=client_address(request._request),
            user_agent=client_agent(request._request),
        )
        self._actor.__enter__()

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        actor = getattr(self, "_actor", None)
        if actor is not None:
            del self._actor
            actor.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)

    def body(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> Any:
        """The request body validated by `serializer_class` (400 with field messages)."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def out(self, instance: Any, status: int = 200) -> Response:
        return Response(self.get_serializer(instance).data, status=status)
