"""One way to make a PDF: a Django template rendered to HTML, then WeasyPrint."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

# Every PDF the portal sends or publishes is tagged, with its language and title (WCAG 2.1 / EN 301 549 for
# documents on a public website), and claims PDF/UA-1 (ISO 14289-1). What is archived (Archiefwet 1995):
# adopted minutes, decision lists, signed college decisions, adopted work programmes and their progress
# reports, is PDF/A-3a (ISO 19005-3, level A: tagged, Unicode) as well (docs/adr/0015-accessible-pdfs.md).
# WeasyPrint writes one variant per file, so the archived ones are written as PDF/A-3a, whose structure
# tree, language and title are those of its PDF/UA-1, and are given the PDF/UA identification afterwards.
ACCESSIBLE = "pdf/ua-1"
ARCHIVE = "pdf/a-3a"


def render_pdf(template_name: str, context: dict, *, archive: bool = False) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which web requests that
    # never render a PDF should not pay for.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        pdf_variant=ARCHIVE if archive else ACCESSIBLE,
        pdf_tags=True,
        # The file identifier is a hash of the content: the same document gives the same bytes, so an agenda
        # whose content did not change keeps its PDF (meetings.tasks.render_agenda_pdf compares checksums).
        pdf_identifier=True,
        finisher=_finish_archived if archive else _finish,
    )


def _finish(document, pdf) -> None:
    """What PDF/UA-1 asks that WeasyPrint 70 leaves undone."""
    _margin_boxes_as_artifacts(pdf)
    _id_tree(pdf)


def _finish_archived(document, pdf) -> None:
    _finish(document, pdf)
    _claim_pdf_ua(pdf)


def _object(pdf, reference):
    return pdf.objects[int(reference.split()[0])]


def _margin_boxes_as_artifacts(pdf) -> None:
    """The page margins (page numbers, a running "CONCEPT" line) as pagination artifacts.

    WeasyPrint marks their text as content but leaves it out of the structure tree; PDF/UA wants every
    piece of content either in the tree or marked as an artifact, and page numbers are the artifact's
    textbook case. The content that no element of the tree holds is turned into artifacts, and its entries
    in the parent tree are cleared."""
    import pydyf

    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    in_tree, stack = set(), list(root["K"])
    while stack:
        reference = stack.pop()
        if reference in in_tree:
            continue
        in_tree.add(reference)
        stack.extend(kid for kid in _object(pdf, reference).get("K", ()) if isinstance(kid, bytes))
    numbers = _object(pdf, root["ParentTree"])["Nums"]
    page_numbers = pdf.pages["Kids"][::3]
    for key, parents in zip(numbers[::2], numbers[1::2], strict=True):
        if not isinstance(parents, list) or key >= len(page_numbers):
            continue  # an annotation's entry, not a page's content
        loose = {mcid for mcid, parent in enumerate(parents) if parent not in in_tree}
        if not loose:
            continue
        content = _object(pdf, pdf.objects[page_numbers[key]]["Contents"])
        operations = content.stream
        for index, operation in enumerate(operations):
            if isinstance(operation, dict) and operation.get("MCID") in loose:
                operations[index - 1] = "/Artifact"
                operations[index] = pydyf.Dictionary({"Type": "/Pagination"})
                parents[operation["MCID"]] = "null"


def _id_tree(pdf) -> None:
    """The structure tree's index of element identifiers: WeasyPrint gives table header cells an ID that the
    data cells name in their Headers, and ISO 32000-1 (14.7.2) requires the IDTree when elements have one."""
    import pydyf

    cells = [o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/StructElem" and "ID" in o]
    if not cells:
        return
    names = pydyf.Array()
    for cell in sorted(cells, key=lambda cell: str(cell["ID"].string)):
        names.extend([cell["ID"], cell.reference])
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    _object(pdf, pdf.catalog["StructTreeRoot"])["IDTree"] = tree.reference


# The PDF/UA identification, and its schema: PDF/A admits in XMP only the schemas of XMP and PDF/A and those
# it declares (ISO 19005-3, 6.6.2.3), and pdfuaid is not one of them.
PDF_UA_IDENTIFICATION = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" \
pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def _claim_pdf_ua(pdf) -> None:
    """Adds the PDF/UA-1 identification to the XMP metadata of a PDF/A file."""
    metadata = _object(pdf, pdf.catalog["Metadata"])
    packet = b"".join(metadata.stream)
    metadata.stream = [packet.replace(b"</rdf:RDF>", PDF_UA_IDENTIFICATION + b"</rdf:RDF>", 1)]


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
