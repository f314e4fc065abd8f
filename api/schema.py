"""The OpenAPI description: how it names the API's authentication (imported by
`ApiConfig.ready`) and the API's own parameters (`DEFAULT_SCHEMA_CLASS`)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.base import FIELDS_PARAM, IDEMPOTENCY_HEADER, READ_ACTIONS


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (profile → API tokens).",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


ERROR_BODY = {
    "type": "object",
    "additionalProperties": True,
    "description": "`detail` with a message, or each field's messages under its name.",
}
ERRORS = {
    "400": "Bad input: malformed JSON, wrong types, unknown fields, NUL bytes, a bad cursor or "
    "filter, a refused step (the messages say why).",
    "401": "No valid session or token.",
    "403": "The user lacks the right for this operation.",
    "429": "Too many requests with this token; retry later.",
}
NOT_FOUND = "No such record among those the user may see."
KEY_REUSED = "This Idempotency-Key was used with another request."


class ApiAutoSchema(AutoSchema):
    """The API's own parameters: `fields` on every read of a record or a list, the
    `Idempotency-Key` header on every creating POST; and the error answers every operation may
    give (a JSON object, described once here)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = dict(super()._get_response_bodies(direction))
        if direction != "response":
            return responses
        errors = dict(ERRORS)
        if "{" in self.path:
            errors["404"] = NOT_FOUND
        if self._is_create_operation():
            errors["422"] = KEY_REUSED
        for code, description in errors.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        return responses

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        view = self.view
        action = getattr(view, "action", None)
        if action in READ_ACTIONS and getattr(view, "fields_param", False):
            names = ", ".join(view.get_serializer_class()().fields)
            parameters.append(
                OpenApiParameter(
                    FIELDS_PARAM,
                    OpenApiTypes.STR,
                    OpenApiParameter.QUERY,
                    description=(
                        "Only these fields, comma-separated (an unknown name is a 400 listing "
                        f"the valid ones): {names}."
                    ),
                )
            )
        if action == "create":
            parameters.append(
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=(
                        "Any unique string of yours (at most 255 printable ASCII characters): "
                        "sent again with the same body within the retention period, the first "
                        "answer is returned and nothing is created again; with another body, "
                        "a 422."
                    ),
                )
            )
        return parameters
