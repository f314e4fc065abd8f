from typing import Any

from django import template

from reports.rendering.report import format_value

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def list_item(items: list[Any], index: int) -> Any:
    return items[index] if 0 <= index < len(items) else None


@register.filter
def report_value(value: Any, kind: str) -> str:
    """A report cell as the screen shows it: 1,234.50 · 12.5% · ★★★☆☆ 3.2 · — for nothing."""
    return format_value(value, kind)
