from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form field with the NL Design System form-field markup."""

    form_template_name = "components/forms/div.html"
    field_template_name = "components/forms/field.html"


def safe_next(request, fallback: str) -> str:
    """The `next` the form posted when it points into this site, else the fallback (no open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
