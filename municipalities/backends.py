from django.contrib.auth.backends import BaseBackend

# The apps whose records the regional coordinator keeps in the admin site.
COORDINATOR_APPS = frozenset(
    {"municipalities", "governance", "meetings", "decisions", "reminders", "django_celery_beat"}
)
# Seeing log-ins is enough to link one to a person. Adding one is done through
# the invitation of a person (no password typed by the coordinator); changing
# accounts stays with the administrators.
COORDINATOR_EXTRA_PERMISSIONS = frozenset({"auth.view_user", "auth.add_user"})


def is_regional_coordinator(user) -> bool:
    """Whether the user holds an office of regional coordinator today.

    Rights follow the office, not a flag on the account: when the office ends,
    so does access. The answer is kept on the user object for one request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_is_regional_coordinator"):
        from municipalities.models import Office

        user._is_regional_coordinator = (
            Office.objects.current().filter(person__user=user, role=Office.Role.REGIONAL_COORDINATOR).exists()
        )
    return user._is_regional_coordinator


class OfficeRoleBackend(BaseBackend):
    """Gives a current regional coordinator every permission in the portal's own
    apps, on the models and on each object. Everyone else's object permissions
    are django-guardian's business."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        granted = perm.partition(".")[0] in COORDINATOR_APPS or perm in COORDINATOR_EXTRA_PERMISSIONS
        return granted and is_regional_coordinator(user_obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        granted = app_label in COORDINATOR_APPS or app_label == "auth"
        return granted and is_regional_coordinator(user_obj)
