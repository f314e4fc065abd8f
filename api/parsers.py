from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from core.middleware import NUL_IN_REQUEST


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON bodies only; a NUL character anywhere in a string is refused (no text column can
    store one), like `core.middleware.RejectNulMiddleware` does for queries and forms."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(data):
            raise ParseError(NUL_IN_REQUEST)
        return data
