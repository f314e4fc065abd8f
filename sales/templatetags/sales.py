from collections.abc import Iterable
from typing import Any

from django import template
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from sales.lifecycle import Lifecycle
from sales.models import Customer
from sales.sections import BoundSection

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_section(context: Context, section: BoundSection) -> SafeString:
    """Render a registered customer-page section with the page's context and its own."""
    assert context.template is not None  # noqa: S101 - set while a template renders
    included = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return included.render(context)


@register.filter
def lifecycle_label(value: str) -> str:
    """The translated name of a lifecycle class (`sales.lifecycle.Lifecycle`)."""
    return str(Lifecycle.labels.get(value, value))


STATUS_BADGES: dict[int, str] = {
    Customer.Status.NORMAL: "text-bg-success",
    Customer.Status.LOST: "text-bg-danger",
}


@register.simple_tag
def customer_status(customer: Customer) -> SafeString:
    """A customer's status as a badge (a tag rather than an include: lists show one per row)."""
    css = STATUS_BADGES.get(customer.status, "text-bg-secondary")
    return format_html('<span class="badge {}">{}</span>', css, customer.get_status_display())


@register.simple_tag
def tag_badges(tags: Iterable[Any]) -> SafeString:
    """The tag badges of a record (`tags`: sales.Tag rows, e.g. a prefetched `.tags.all`)."""
    return format_html_join(
        " ", '<span class="badge tag-badge tag-{}">{}</span>', ((t.colour, t.name) for t in tags)
    )
