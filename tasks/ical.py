"""The personal calendar feed (RFC 5545): one VEVENT per open task, a VALARM per lead time."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from tasks.models import Task


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"-PT{minutes}M"


def render_feed(tasks: Iterable[Task], *, host: str) -> str:
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CRM//Tasks//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:CRM",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for task in tasks:
        lines += ["BEGIN:VEVENT", f"UID:task-{task.pk}@{host}", f"DTSTAMP:{now}"]
        if task.all_day:
            with timezone.override(settings.TIME_ZONE):
                day = timezone.localtime(task.due_at).date()
            lines += [
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            ]
        else:
            lines += [
                f"DTSTART:{_utc(task.due_at)}",
                f"DTEND:{_utc(task.due_at + datetime.timedelta(minutes=30))}",
            ]
        lines.append(f"SUMMARY:{_escape(task.title)}")
        description = task.notes
        if task.customer is not None:
            description = f"{task.customer.name}\n{description}".strip()
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        if task.place:
            lines.append(f"LOCATION:{_escape(task.place)}")
        lines.append(f"LAST-MODIFIED:{_utc(task.updated_at)}")
        if task.remind_before is not None:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{_escape(task.title)}",
                f"TRIGGER:{_duration(task.remind_before)}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
