from django import template

from core.workflow import TransitionNotAllowed
from publication import actions

register = template.Library()


@register.inclusion_tag("publication/_panel.html", takes_context=True)
def publication_panel(context, kind: str, target) -> dict:
    """The Woo publication of one thing on its own page: its publications so far and, for whoever may
    publish it, the button, or why it cannot be published yet."""
    request = context["request"]
    allowed = actions.may_publish(request.user, kind, target)
    refusal = ""
    if allowed:
        try:
            actions.metadata(kind, target)
        except TransitionNotAllowed as error:
            refusal = str(error)
    publications = actions.publications_of(kind, target)
    return {
        "kind": kind,
        "kind_label": actions.Kind(kind).label,
        "target": target,
        "publications": publications,
        "live": next((p for p in publications if p.is_live), None),
        "allowed": allowed,
        "refusal": refusal,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
