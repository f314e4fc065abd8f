"""The API's kernel: rights per view, JSON errors, strict bodies, the apps' filter sets."""

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.models import User
from api import services as api_services
from api.rights import RightRequired
from audit.context import API, history_actor
from audit.middleware import client_address, client_agent

UNKNOWN_FIELD = _("Unknown or read-only field.")
UNKNOWN_FIELDS = _("Unknown field(s): %(unknown)s. Valid fields: %(valid)s.")
NOT_JSON = _("Send the body as JSON (Content-Type: application/json).")
NO_BODY = _("This step takes no body.")
WRITE_METHODS = ("POST", "PUT", "PATCH")
FIELDS_PARAM = "fields"
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
BAD_IDEMPOTENCY_KEY = _("An Idempotency-Key is 1 to 255 printable ASCII characters.")
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,254}")
# Query parameters of the API itself, not of the apps' filter sets (`o` sorts a page; the API
# pages by cursor in one fixed order; `fields` picks the fields of a read).
RESERVED_PARAMS = {"cursor", "page_size", "o", "format", FIELDS_PARAM}
READ_ACTIONS = ("list", "retrieve")


class KeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a service's ValidationError is a 400 with its messages (by field
    when it names fields); a suspicious request (too large, NUL…) and a body that is not JSON
    (a form, multipart, text) are a 400."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or _("Bad request."))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.ParseError(NOT_JSON)
    return drf_exception_handler(exc, context)


def _content_length(request: Request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


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


class SparseFieldsMixin:
    """`?fields=a,b` on a read: the top serializer writes out only the named fields (the view
    has checked the names, `ApiViewSet.sparse_fields`); nested serializers keep theirs."""

    context: dict[str, Any]
    parent: Any

    @cached_property
    def _readable_fields(self) -> list[Any]:
        # DRF rebuilds this per row; the fields are fixed once the serializer is bound, so it is
        # worked out once per answer (a list of 100 rows: 100× fewer passes over the fields).
        fields = list(super()._readable_fields)  # type: ignore[misc]
        wanted = self.context.get(FIELDS_PARAM)
        if wanted is None or not self._is_top():
            return fields
        return [field for field in fields if field.field_name in wanted]

    def _is_top(self) -> bool:
        parent = self.parent
        if isinstance(parent, serializers.ListSerializer):
            parent = parent.parent
        return parent is None


class ApiModelSerializer(SparseFieldsMixin, serializers.ModelSerializer):
    """What an endpoint answers (read only): a model's fields, `?fields=` honoured."""


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, ApiModelSerializer):
    """What an endpoint reads and answers: unknown fields refused, `?fields=` honoured."""


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
        return filterset_class(params, queryset=queryset, request=request)


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every endpoint: `permission_required` (or per action `action_rights`) names the
    rights; objects come from `get_queryset`, the app's visibility, so others' are 404."""

    permission_classes = [RightRequired]
    filter_backends = [AppFilterBackend]
    permission_required: str | tuple[str, ...] = ()
    action_rights: dict[str, str | tuple[str, ...]] = {}
    # The relations the serializer reads, by the field that shows them: lists and details load
    # only these (whatever else the app's selector joins for its pages), and of them only the
    # ones whose field `?fields=` keeps. None: the queryset's own select_related.
    related: dict[str, str] | None = None
    fields_param = True  # `?fields=` on list and retrieve
    bodiless_actions: tuple[str, ...] = ()  # steps without a body: one is refused
    _sparse: frozenset[str] | None = None

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
        self._sparse = self.sparse_fields()
        if request.method in WRITE_METHODS:
            # Parsed before any write, by every write (whether it reads a body or not): a body
            # that is not JSON, or malformed, is a 400 even where the step takes none. (A form
            # body a middleware has read already would otherwise pass as an empty one.)
            parser = self.get_content_negotiator().select_parser(request, self.get_parsers())
            if parser is None and _content_length(request) > 0:
                raise exceptions.ParseError(NOT_JSON)
            if request.data != {} and self.action in self.bodiless_actions:
                raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [NO_BODY]})
        if self.action == "create" and IDEMPOTENCY_HEADER in request.headers:
            # DRF looks the handler up after `initial`: the creating POST runs once per key.
            handler = getattr(self, "post")  # noqa: B009 - set per request by the router
            setattr(self, "post", functools.partial(self._idempotent, handler))  # noqa: B010

    def _idempotent(
        self, handler: Callable[..., Response], request: Request, *args: Any, **kwargs: Any
    ) -> Response:
        key = request.headers[IDEMPOTENCY_HEADER]
        if not IDEMPOTENCY_KEY.fullmatch(key):
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: [BAD_IDEMPOTENCY_KEY]})
        body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
        fingerprint = hashlib.sha256(
            f"{request.method} {request.path}\n{body}".encode()
        ).hexdigest()

        def run() -> tuple[int, Any]:
            response = handler(request, *args, **kwargs)
            return response.status_code, response.data

        try:
            status, data, replayed = api_services.idempotent_call(
                actor=self.actor, key=key, fingerprint=fingerprint, run=run
            )
        except api_services.IdempotencyKeyReusedError as error:
            raise KeyReused(error.messages[0]) from None
        response = Response(data, status=status)
        if replayed:
            response[REPLAYED_HEADER] = "true"
        return response

    def sparse_fields(self) -> frozenset[str] | None:
        """The field names of `?fields=a,b` on a read, each a field of the serializer, else a
        400 naming the valid ones; None without the parameter."""
        raw = self.request.query_params.get(FIELDS_PARAM)
        if raw is None or not self.fields_param or self.action not in READ_ACTIONS:
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        valid = list(self.get_serializer_class()(context={"request": self.request}).fields)
        unknown = [name for name in names if name not in valid]
        if unknown or not names:
            message = UNKNOWN_FIELDS % {
                "unknown": ", ".join(unknown) or '""',
                "valid": ", ".join(valid),
            }
            raise exceptions.ValidationError({FIELDS_PARAM: [message]})
        return frozenset(names)

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        if self._sparse is not None:
            context[FIELDS_PARAM] = self._sparse
        return context

    def filter_queryset(self, queryset: Any) -> Any:
        queryset = super().filter_queryset(queryset)
        if self.related is not None and self.action in READ_ACTIONS:
            wanted = self._sparse
            paths = {
                path for name, path in self.related.items() if wanted is None or name in wanted
            }
            queryset = queryset.select_related(None)
            if paths:
                queryset = queryset.select_related(*sorted(paths))
        return queryset

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
