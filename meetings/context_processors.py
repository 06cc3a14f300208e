from django.utils.functional import SimpleLazyObject


def navigation(request) -> dict:
    """Which personal pages the main navigation offers; worked out only when a page shows it."""

    def prepares() -> bool:
        from meetings.access import bodies_prepared_by

        user = request.user
        return user.is_authenticated and bodies_prepared_by(user).exists()

    def acts_for_municipality() -> bool:
        from decisions.access import municipalities_for

        user = request.user
        return user.is_authenticated and (
            municipalities_for(user, "sign_college_decisions").exists()
            or municipalities_for(user, "record_college_decisions").exists()
        )

    def keeps_council_tracks() -> bool:
        from decisions.access import municipalities_for

        user = request.user
        return user.is_authenticated and municipalities_for(user, "keep_council_tracks").exists()

    return {
        "nav_prepares": SimpleLazyObject(prepares),
        "nav_decisions": SimpleLazyObject(acts_for_municipality),
        "nav_griffie": SimpleLazyObject(keeps_council_tracks),
    }
