from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from sales.lifecycle import Lifecycle
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
