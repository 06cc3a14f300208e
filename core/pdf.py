"""One way to make a PDF: a Django template rendered to HTML, then WeasyPrint."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which web requests that
    # never render a PDF should not pay for.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def store_pdf(model, *, key: dict, template_name: str, context: Callable[[], dict], file_name: str) -> int:
    """The stored PDF row for `key` (the fields that make it unique), rendered in Dutch
    with its SHA-256 once: a second run, or a race lost to another worker, returns the
    row that is already there."""
    existing = model.objects.filter(**key).first()
    if existing:
        return existing.pk
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(template_name, context())
    try:
        with transaction.atomic():
            pdf = model(**key, sha256=hashlib.sha256(content).hexdigest())
            pdf.file.save(file_name.replace(" ", "-"), ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:
        return model.objects.get(**key).pk
    return pdf.pk
