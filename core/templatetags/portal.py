import datetime

from django import template

register = template.Library()


@register.filter
def minutes(duration: datetime.timedelta | None) -> int:
    """A duration in whole minutes, for messages such as a lock-out period."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.simple_tag
def text_limit(kind: str) -> int:
    """The bound of core/limits.py for a hand-written textarea's maxlength, e.g. {% text_limit "NOTE" %}."""
    from core import limits

    return getattr(limits, kind)
