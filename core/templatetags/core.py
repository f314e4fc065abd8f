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
def filter_form(context: dict[str, Any], filterset: Any) -> SafeString:
    """The query form above a list: the filter's fields inline (label, widget, errors), the
    current order and page size kept as hidden inputs, Search and Reset. Written in Python: as
    a template loop it cost a quarter of a list page's CPU time."""
    form, query = filterset.form, context["request"].GET
    parts = [
        '<form method="get" class="card card-body mb-3 filter-form" data-testid="filter-form">'
    ]
    if errors := form.non_field_errors():
        parts.append(format_html('<div class="alert alert-danger py-2">{}</div>', " ".join(errors)))
    parts.append('<div class="row g-2 align-items-end">')
    for field in form:
        if field.is_hidden:
            parts.append(str(field))
        elif field.name != "o":
            parts.append(
                format_html(
                    '<div class="col-12 col-sm-6 col-md-4 col-xl-2">'
                    '<label class="form-label small mb-1" for="{}">{}</label>{}{}</div>',
                    field.id_for_label,
                    field.label,
                    field,
                    format_html_join(
                        "",
                        '<div class="invalid-feedback d-block">{}</div>',
                        ((error,) for error in field.errors),
                    ),
                )
            )
    for name in ("o", "per_page") if "o" in form.fields else ("per_page",):
        if value := query.get(name):
            parts.append(format_html('<input type="hidden" name="{}" value="{}">', name, value))
    parts.append(
        format_html(
            '<div class="col-auto"><button type="submit" class="btn btn-primary">'
            '<i class="bi bi-search"></i> {}</button> '
            '<a href="?view=all" class="btn btn-outline-secondary">{}</a></div></div></form>',
            _("Search"),
            _("Reset"),
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


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
