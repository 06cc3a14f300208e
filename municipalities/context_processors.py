from django.utils.functional import SimpleLazyObject

from municipalities.backends import is_regional_coordinator


def roles(request) -> dict:
    """Whether the person may open the management site; asked only when a page shows the link."""
    user = request.user
    return {"is_coordinator": SimpleLazyObject(lambda: user.is_superuser or is_regional_coordinator(user))}
