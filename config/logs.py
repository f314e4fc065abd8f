"""Logging helpers: JSON lines (LOG_FORMAT=json) and refusals logged without a traceback."""

import datetime
import json
import logging
from typing import Any

# The attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the `extra` fields, the error."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                line[key] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class NoRefusalTracebacks(logging.Filter):
    """A 4xx answer (403 refused, 404 not found, 400 bad request) is one line: Django attaches
    the exception that produced it, which would print a traceback burying the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if (status is not None and 400 <= status < 500) or record.name.startswith(
            "django.security"
        ):
            record.exc_info = None
            record.exc_text = None
        return True
