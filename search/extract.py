"""The text of an uploaded document, with maintained libraries: pypdf for PDF, python-docx for Word,
odfpy for OpenDocument text. Other types (spreadsheets, presentations, images) have no text to search."""

from __future__ import annotations

import io

MAX_CHARACTERS = 1_000_000  # a document's text past this is cut: the index and the fragments need no more


class Unsupported(Exception):
    """A type the portal accepts but whose text it does not extract."""


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def odt_text(data: bytes) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return "\n".join(teletype.extractText(p) for p in document.getElementsByType(text.P))


EXTRACTORS = {
    "application/pdf": pdf_text,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": docx_text,
    "application/vnd.oasis.opendocument.text": odt_text,
}


def extract(data: bytes, content_type: str) -> str:
    extractor = EXTRACTORS.get(content_type)
    if extractor is None:
        raise Unsupported(content_type)
    return extractor(data)[:MAX_CHARACTERS].replace("\x00", "")
