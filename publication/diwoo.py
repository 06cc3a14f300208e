"""DiWoo metadata 0.9.8 and the sitemaps with which the national Woo index harvests publications.

The values are TOOI identifiers from the value lists in data/diwoo-0.9.8/diwoo-metadata-lijsten.xsd (the
published schema, kept here so the same file serves the check of a publisher and the tests). Which
category and handling each kind of publication gets, and why: docs/adr/0014-woo-publication-and-diwoo.md."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

SCHEMA_DIR = Path(__file__).parent / "data" / "diwoo-0.9.8"
DIWOO = "https://standaarden.overheid.nl/diwoo/metadata/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
TOOI = "https://identifier.overheid.nl/tooi/def/thes/kern/"
# The sitemaps.org protocol: at most 50,000 URLs (and 50 MB) per sitemap, and per sitemap index.
SITEMAP_MAX_URLS = 50_000


class InformationCategory(models.TextChoices):
    """The information categories of Woo art. 3.3 (TOOI list scw_woo_informatiecategorieen); those the portal
    publishes."""

    # "agenda's en besluitenlijsten bestuurscolleges", art. 3.3 lid 2 onder i.
    BOARD_AGENDAS = TOOI + "c_3a248e3a", _("agendas and decision lists of administrative boards")
    # "vergaderstukken decentrale overheden", art. 3.3 lid 2 onder h.
    DECENTRAL_MEETINGS = TOOI + "c_db4862c3", _("meeting documents of decentralised governments")
    # "convenanten", art. 3.3 lid 2 onder k.
    COVENANTS = TOOI + "c_8fc2335c", _("covenants")
    # "jaarplannen en jaarverslagen", art. 3.3 lid 2 onder l.
    ANNUAL_PLANS = TOOI + "c_c6cd1213", _("annual plans and annual reports")


class DocumentHandling(models.TextChoices):
    """What was done to the document on its date (TOOI list ccw_plooi_documenthandelingen)."""

    ADOPTION = TOOI + "c_641ecd76", _("adoption")  # vaststelling
    SIGNING = TOOI + "c_e1ec050e", _("signing")  # ondertekening
    RECEIPT = TOOI + "c_dfcee535", _("receipt")  # ontvangst


class RemovalReason(models.TextChoices):
    """Why a publication was taken down or replaced (TOOI list scw_redenverwijderingvervanging: it has two)."""

    # "correctie procedurele fout": published too early, by mistake, or superseded by a corrected version.
    PROCEDURAL = TOOI + "c_c77c86e0", _("correction of a procedural error")
    # "correctie privacygevoelige gegevens": it held personal data that should not have been public.
    PRIVACY = TOOI + "c_098c1346", _("correction of privacy-sensitive data")


# A withdrawal without a more specific reason, and a replacement by a newer version, are corrections.
WITHDRAWN_REASON = RemovalReason.PROCEDURAL
REPLACED_REASON = RemovalReason.PROCEDURAL


# The Dutch labels of the TOOI lists, which the metadata carries as the element's text.
LABELS = {
    InformationCategory.BOARD_AGENDAS: "agenda’s en besluitenlijsten bestuurscolleges",
    InformationCategory.DECENTRAL_MEETINGS: "vergaderstukken decentrale overheden",
    InformationCategory.COVENANTS: "convenanten",
    InformationCategory.ANNUAL_PLANS: "jaarplannen en jaarverslagen",
    DocumentHandling.ADOPTION: "vaststelling",
    DocumentHandling.SIGNING: "ondertekening",
    DocumentHandling.RECEIPT: "ontvangst",
    RemovalReason.PROCEDURAL: "correctie procedurele fout",
    RemovalReason.PRIVACY: "correctie privacygevoelige gegevens",
}

LANGUAGE_DUTCH = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
FORMAT_PDF = "http://publications.europa.eu/resource/authority/file-type/PDF"
FORMAT_HTML = "http://publications.europa.eu/resource/authority/file-type/HTML"
FORMAT_LABELS = {FORMAT_PDF: "PDF", FORMAT_HTML: "HTML"}

# The category of each kind of publication (publication.models.Publication.Kind); see the ADR.
CATEGORY_FOR_KIND = {
    "agenda": InformationCategory.BOARD_AGENDAS,
    "decision_list": InformationCategory.BOARD_AGENDAS,
    "minutes": InformationCategory.DECENTRAL_MEETINGS,
    "college_decision": InformationCategory.BOARD_AGENDAS,
    "work_programme": InformationCategory.ANNUAL_PLANS,
    "progress_report": InformationCategory.ANNUAL_PLANS,
    "covenant": InformationCategory.COVENANTS,
}
HANDLING_FOR_KIND = {
    "agenda": DocumentHandling.ADOPTION,
    "decision_list": DocumentHandling.ADOPTION,
    "minutes": DocumentHandling.ADOPTION,
    "college_decision": DocumentHandling.ADOPTION,
    "work_programme": DocumentHandling.ADOPTION,
    "progress_report": DocumentHandling.ADOPTION,
    "covenant": DocumentHandling.SIGNING,
}


def publisher_for_municipality(cbs_code: str) -> str:
    """A municipality's TOOI identifier from its CBS code: GM0392 -> .../tooi/id/gemeente/gm0392."""
    return f"https://identifier.overheid.nl/tooi/id/gemeente/{cbs_code.lower()}"


@functools.cache
def organisations() -> dict[str, str]:
    """Every organisation in the TOOI lists the schema accepts as publisher, with its name."""
    tree = etree.parse(str(SCHEMA_DIR / "diwoo-metadata-lijsten.xsd"))
    xs = "http://www.w3.org/2001/XMLSchema"
    names = {}
    lists = ("collijst", "gemeentelijst", "ministerielijst", "provincielijst", "oorglijst", "solijst")
    for name in (*lists, "waterschapslijst", "zbolijst"):
        for enumeration in tree.iterfind(f"{{{xs}}}simpleType[@name='{name}']//{{{xs}}}enumeration"):
            names[enumeration.get("value")] = "".join(enumeration.itertext()).strip()
    return names


def is_known_organisation(uri: str) -> bool:
    return uri in organisations()


@functools.cache
def schema() -> etree.XMLSchema:
    """The DiWoo schema, its MDTO import pointed at the offline stand-in (data/diwoo-0.9.8/README.md)."""
    source = (SCHEMA_DIR / "diwoo-metadata.xsd").read_text()
    source = source.replace(
        'schemaLocation="https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"', 'schemaLocation="mdto-stub.xsd"'
    )
    return etree.XMLSchema(etree.fromstring(source.encode(), base_url=str(SCHEMA_DIR.resolve()) + "/"))


@dataclass(frozen=True)
class DiwooRecord:
    """One publication as the Woo index reads it."""

    url: str
    identifier: str
    lastmod: datetime.datetime
    title: str
    publisher: str
    publisher_label: str
    category: str
    handling: str
    handled_at: datetime.date | datetime.datetime
    created_on: datetime.date
    format: str = FORMAT_HTML
    language: tuple[str, str] = LANGUAGE_DUTCH
    removal_reason: str | None = None
    removed_at: datetime.datetime | None = None


def _sub(parent, name: str, text: str | None = None, resource: str | None = None):
    element = etree.SubElement(parent, f"{{{DIWOO}}}{name}")
    if resource is not None:
        element.set("resource", resource)
    if text is not None:
        element.text = text
    return element


def _datetime(value: datetime.date | datetime.datetime) -> str:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(12, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.isoformat(timespec="seconds")


def document_element(record: DiwooRecord, parent=None):
    """One diwoo:Document with its diwoo:DiWoo, in the order the schema lists the elements."""
    document = (
        etree.SubElement(parent, f"{{{DIWOO}}}Document")
        if parent is not None
        else etree.Element(f"{{{DIWOO}}}Document", nsmap={"diwoo": DIWOO})
    )
    metadata = _sub(document, "DiWoo")
    identifiers = _sub(metadata, "identifiers")
    _sub(identifiers, "identifier", record.identifier)
    _sub(metadata, "publisher", record.publisher_label, resource=record.publisher)
    titles = _sub(metadata, "titelcollectie")
    _sub(titles, "officieleTitel", record.title)
    classification = _sub(metadata, "classificatiecollectie")
    categories = _sub(classification, "informatiecategorieen")
    _sub(categories, "informatiecategorie", LABELS.get(record.category, ""), resource=record.category)
    _sub(metadata, "creatiedatum", record.created_on.isoformat())
    _sub(metadata, "language", record.language[1], resource=record.language[0])
    _sub(metadata, "format", FORMAT_LABELS.get(record.format, ""), resource=record.format)
    handlings = _sub(metadata, "documenthandelingen")
    handling = _sub(handlings, "documenthandeling")
    _sub(handling, "soortHandeling", LABELS.get(record.handling, ""), resource=record.handling)
    _sub(handling, "atTime", _datetime(record.handled_at))
    if record.removal_reason:
        _sub(
            metadata,
            "redenVerwijderingVervanging",
            LABELS.get(record.removal_reason, ""),
            resource=record.removal_reason,
        )
    return document


def _w3c(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def sitemap_xml(records: Iterable[DiwooRecord]) -> bytes:
    """A sitemaps.org urlset with a diwoo:Document per URL."""
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "diwoo": DIWOO})
    for record in records:
        url = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(url, f"{{{SITEMAP}}}loc").text = record.url
        etree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = _w3c(record.lastmod)
        document_element(record, parent=url)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8")


def sitemap_index_xml(entries: Iterable[tuple[str, datetime.datetime | None]]) -> bytes:
    index = etree.Element(f"{{{SITEMAP}}}sitemapindex", nsmap={None: SITEMAP})
    for location, lastmod in entries:
        sitemap = etree.SubElement(index, f"{{{SITEMAP}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP}}}loc").text = location
        if lastmod is not None:
            etree.SubElement(sitemap, f"{{{SITEMAP}}}lastmod").text = _w3c(lastmod)
    return etree.tostring(index, xml_declaration=True, encoding="UTF-8")
