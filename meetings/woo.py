"""The grounds on which the Wet open overheid lets a document stay unpublished, as data (Woo art. 5.1, 5.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WooGround(models.TextChoices):
    # Art. 5.1 lid 1: absolute grounds.
    CROWN = "5.1.1.a", _("5.1(1)(a) the unity of the Crown")
    STATE_SECURITY = "5.1.1.b", _("5.1(1)(b) the security of the State")
    CONFIDENTIAL_BUSINESS = "5.1.1.c", _("5.1(1)(c) business data given in confidence")
    SPECIAL_PERSONAL_DATA = "5.1.1.d", _("5.1(1)(d) special categories of personal data")
    IDENTIFICATION_NUMBERS = "5.1.1.e", _("5.1(1)(e) identification numbers (such as the BSN)")
    # Art. 5.1 lid 2: relative grounds, weighed against the interest of publication.
    INTERNATIONAL_RELATIONS = "5.1.2.a", _("5.1(2)(a) relations with other states and international organisations")
    ECONOMIC_INTERESTS = "5.1.2.b", _("5.1(2)(b) economic or financial interests of public bodies")
    CRIMINAL_INVESTIGATION = "5.1.2.c", _("5.1(2)(c) the investigation and prosecution of criminal offences")
    INSPECTION = "5.1.2.d", _("5.1(2)(d) inspection, control and supervision")
    PRIVACY = "5.1.2.e", _("5.1(2)(e) respect for personal privacy")
    COMPETITION = "5.1.2.f", _("5.1(2)(f) competition-sensitive business data")
    ENVIRONMENT = "5.1.2.g", _("5.1(2)(g) the protection of the environment concerned")
    SAFETY_OF_PERSONS = "5.1.2.h", _("5.1(2)(h) the safety of persons and companies, preventing sabotage")
    FUNCTIONING_OF_GOVERNMENT = "5.1.2.i", _("5.1(2)(i) the proper functioning of the State and public bodies")
    # Art. 5.1 lid 5: disproportionate harm to another interest.
    DISPROPORTIONATE_HARM = "5.1.5", _("5.1(5) disproportionate harm to another interest")
    # Art. 5.2: personal policy views in documents for internal deliberation.
    POLICY_VIEWS = "5.2", _("5.2 personal policy views for internal deliberation")
