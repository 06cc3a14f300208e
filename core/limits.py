"""Bounds on what a person may type and how often they may search (OWASP ASVS 4.0, 5.1.3/5.1.4: input
length checked on the server; 11.1.4: limits against automated abuse)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# The longest text per kind of field, in characters. A field gets the bound that fits its use: the real
# documents (a college decision of 11,000 characters in all, minutes of 14,000) fit with room to spare.
NOTE = 2_000  # a reason, a comment, a short note
DESCRIPTION = 5_000  # a description, a key message, a programme entry
TEXT = 10_000  # an explanation, a motivation, decision points, an answer
LONG_TEXT = 20_000  # a section of a proposal, findings, what a council said
MINUTES = 50_000  # the discussion of one agenda item in the minutes

# The searches of the management site, per person (django-ratelimit rates).
SEARCH_RATE = "30/m"
# The suggestions of a select with search (one request per pause in typing), per person.
AUTOCOMPLETE_RATE = "120/m"


def check_lengths(model, **values: str) -> None:
    """A ValidationError naming each field whose text is past its model field's max_length, in the
    validator's own (translated) words; for the steps that receive text without a form."""
    errors = {}
    for name, value in values.items():
        # A model TextField does not validate its max_length itself (only its form field does).
        limit = model._meta.get_field(name).max_length
        try:
            if limit is not None:
                MaxLengthValidator(limit)(value)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)
