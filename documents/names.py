"""A safe display and download name for an uploaded file."""

import re
import unicodedata

from documents.models import NAME_MAX_LENGTH

FALLBACK = "file"
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def clean_name(raw: str, max_length: int = NAME_MAX_LENGTH) -> str:
    """The last part of `raw` (no folders, Windows' or others'), without control or format
    characters (NUL, line breaks, right-to-left overrides) or characters Windows refuses,
    without leading dots, at most `max_length` characters with the extension kept."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    name = _SPACES.sub(" ", _FORBIDDEN.sub("_", name)).strip().lstrip(".").strip()
    if not name:
        return FALLBACK
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, dot, extension = name, "", ""
    suffix = f"{dot}{extension}"
    return stem[: max(1, max_length - len(suffix))].rstrip() + suffix


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""
