from django.utils.functional import SimpleLazyObject


def navigation(request) -> dict:
    """Which personal pages the main navigation offers; worked out only when a page shows it."""

    def prepares() -> bool:
        from meetings.access import bodies_prepared_by

        user = request.user
        return user.is_authenticated and bodies_prepared_by(user).exists()

    return {"nav_prepares": SimpleLazyObject(prepares)}
