from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form field with the NL Design System form-field markup."""

    form_template_name = "components/forms/div.html"
    field_template_name = "components/forms/field.html"
