from django import template

register = template.Library()


@register.inclusion_tag("adoption/_advice.html", takes_context=True)
def adoption_advice(context, proposal):
    """The adopters' advice on a proposal, where the proposal, its college decisions and council tracks show."""
    from adoption.views import advice_for

    return {"proposal": proposal, **advice_for(proposal, context["request"].user)}
