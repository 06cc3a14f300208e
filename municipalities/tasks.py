from celery import shared_task

from municipalities.models import Municipality


@shared_task
def import_council_dates(municipality_id: int) -> int:
    """The council's meeting dates from the address its griffie gave (municipalities/council_dates.py)."""
    from municipalities.council_dates import import_dates

    municipality = Municipality.objects.filter(pk=municipality_id).exclude(council_calendar_url="").first()
    return import_dates(municipality) if municipality else 0


@shared_task
def import_all_council_dates() -> int:
    """Every night: each council that has an address, one task each, so one slow source delays no other."""
    ids = list(Municipality.objects.exclude(council_calendar_url="").values_list("pk", flat=True))
    for pk in ids:
        import_council_dates.delay(pk)
    return len(ids)
