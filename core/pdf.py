"""One way to make a PDF: a Django template rendered to HTML, then WeasyPrint."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

# Every PDF the portal sends or publishes is tagged, with its language and title (WCAG 2.1 / EN 301 549 for
# documents on a public website), in one of two variants (docs/adr/0015-accessible-pdfs.md):
#   PDF/UA-1 (ISO 14289-1) for what is read and then replaced: agendas, concepts, previews;
#   PDF/A-3a (ISO 19005-3, level A: tagged and Unicode) for what is archived: adopted minutes, decision
#   lists, signed college decisions, work programmes and progress reports. WeasyPrint writes one variant per
#   file; level A carries the same structure tree, language and title as UA.
ACCESSIBLE = "pdf/ua-1"
ARCHIVE = "pdf/a-3a"


def render_pdf(template_name: str, context: dict, *, archive: bool = False) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which web requests that
    # never render a PDF should not pay for.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant=ARCHIVE if archive else ACCESSIBLE, pdf_tags=True)


def store_pdf(
    model, *, key: dict, template_name: str, context: Callable[[], dict], file_name: str, archive: bool = False
) -> int:
    """The stored PDF row for `key` (the fields that make it unique), rendered in Dutch
    with its SHA-256 once: a second run, or a race lost to another worker, returns the
    row that is already there."""
    existing = model.objects.filter(**key).first()
    if existing:
        return existing.pk
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(template_name, context(), archive=archive)
    try:
        with transaction.atomic():
            pdf = model(**key, sha256=hashlib.sha256(content).hexdigest())
            pdf.file.save(file_name.replace(" ", "-"), ContentFile(content), save=False)
            pdf.save()
    except IntegrityError:
        return model.objects.get(**key).pk
    return pdf.pk
