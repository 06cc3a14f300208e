from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlighted(fragment: str) -> SafeString:
    """A fragment from ts_headline: everything escaped, then only its <mark> and </mark> made markup again."""
    escaped = escape(fragment)
    return mark_safe(escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))
