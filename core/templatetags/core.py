import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context: dict[str, Any], field: str, label: str, param: str = "o") -> SafeString:
    """A table header that sorts the list by `field`, toggling between ascending and descending."""
    request = context["request"]
    current = request.GET.get(param, "")
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    if current == field:
        query[param], icon, aria = f"-{field}", "bi-sort-up", "ascending"
    elif current == f"-{field}":
        query[param], icon, aria = field, "bi-sort-down", "descending"
    else:
        query[param], icon, aria = field, "", "none"
    marker = format_html(' <i class="bi {}"></i>', icon) if icon else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link" href="?{}">{}{}</a></th>',
        aria,
        query.urlencode(),
        label,
        marker,
    )


@register.simple_tag(takes_context=True)
def hidden_query_inputs(context: dict[str, Any], *exclude: str) -> SafeString:
    """Hidden inputs repeating the current query string, so a small GET form keeps the filters."""
    request = context["request"]
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (key, value)
            for key, values in request.GET.lists()
            if key not in exclude
            for value in values
        ),
    )


@register.filter
def money(value: Any) -> str:
    """An amount of yuan as the pages show it: 1,234,567.50 (grouped by thousands whatever the
    language, as the reports); an em dash when there is none."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def stars(value: int | None, scale: int = 5) -> SafeString:
    """★★★☆☆ for 3 of 5; an em dash when unspecified."""
    if value in (None, ""):
        return mark_safe('<span class="text-body-secondary">—</span>')
    filled = int(value)
    return format_html(
        '<span class="stars" title="{}/{}">{}<span class="text-body-tertiary">{}</span></span>',
        filled,
        scale,
        "★" * filled,
        "☆" * (scale - filled),
    )


@register.simple_tag(takes_context=True)
def query_prefix(context: dict[str, Any], *exclude: str) -> str:
    """The current query string without `exclude`, ready for one more parameter ("a=1&")."""
    query = context["request"].GET.copy()
    for key in exclude:
        query.pop(key, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A waiting time as days, hours and minutes ("2 d 3 h", "45 min"); a dash when unknown."""
    if value is None:
        return "—"
    minutes = max(0, int(value.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
