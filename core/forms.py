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


# The largest id a query parameter may name: SQLite refuses integers past 2**63 with an error of its own.
LARGEST_ID = 2**63 - 1


def id_or_none(value) -> int | None:
    """A whole number from a query or form parameter, or None: ASCII digits only ("²" is a digit to Python
    but not a number to int()), and not past what the database can compare."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def add_model_errors(form, error) -> None:
    """A model's ValidationError onto a form: each message on its field where the form has that field,
    otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        for message in error.messages:
            form.add_error(None, message)
