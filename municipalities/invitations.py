"""A log-in for a person, made by the coordinator in the management site: the
account gets no password, the person gets an e-mail with a one-time link to
choose one. The link is Django's password-reset token, so it stops working
once the password is set (the token covers the password hash) or after
PASSWORD_RESET_TIMEOUT."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from municipalities.models import Person

User = get_user_model()


def username_for(person: Person) -> str:
    """The user name of a new log-in: the person's e-mail address."""
    return person.email.strip().lower()


def why_not_invite(person: Person) -> str:
    """Why no invitation can go to this person, or "" when one can."""
    if person.user_id and (person.user.is_staff or person.user.is_superuser):
        # A set-password link for a management account is never the coordinator's to send.
        return _("%(person)s's log-in is a management account; only a superuser maintains it.") % {"person": person}
    if person.user_id and person.user.get_username().lower() != username_for(person):
        return _(
            "%(person)s's log-in (%(username)s) was not made by an invitation to this e-mail address; "
            "an invitation can only go to the address of the log-in it made."
        ) % {"person": person, "username": person.user.get_username()}
    if len(username_for(person)) > User._meta.get_field("username").max_length:
        return _("The e-mail address of %(person)s is too long to be a user name.") % {"person": person}
    if person.user_id and person.user.has_usable_password():
        return _("%(person)s already has a log-in with a password (%(username)s).") % {
            "person": person,
            "username": person.user.get_username(),
        }
    if not person.user_id and User._default_manager.filter(username__iexact=username_for(person)).exists():
        return _(
            "There already is a log-in with the user name %(username)s. Link it to %(person)s under "
            "'Log-in' instead of making a new one."
        ) % {"username": username_for(person), "person": person}
    return ""


@transaction.atomic
def create_login(person: Person) -> tuple[User, bool]:
    """The person's log-in (new, without a usable password, linked to the person) and whether it was made now.
    The person's row is locked, so a second press of the button waits and then finds the log-in made."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user_id:
        if person.user.email != person.email:
            # The reset token covers the e-mail address: a link sent to an earlier address stops working.
            person.user.email = person.email
            person.user.save(update_fields=["email"])
        return person.user, False
    user = User(username=username_for(person), email=person.email, first_name=person.given_name)
    user.last_name = " ".join(part for part in (person.surname_prefix, person.surname) if part)
    user.set_unusable_password()
    user.save()
    person.user = user
    person._change_reason = "log-in created for an invitation"
    person.save()
    return user, True


def invitation_url(user: User) -> str:
    path = reverse(
        "invitation_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PORTAL_URL.rstrip("/") + path


def send_invitation(person: Person, *, by: User) -> None:
    """The invitation e-mail, in the person's own language."""
    user = person.user
    context = {
        "person": person,
        "username": user.get_username(),
        "url": invitation_url(user),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "invited_by": getattr(getattr(by, "person", None), "full_name", "") or by.get_username(),
        "portal_url": settings.PORTAL_URL,
    }
    with translation.override(person.language):
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [person.email])


class InvitationConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the password through the link of the invitation."""

    template_name = "registration/invitation_confirm.html"
    success_url = reverse_lazy("invitation_complete")
    reset_url_token = "kies-wachtwoord"


class InvitationCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/invitation_complete.html"


urlpatterns = [
    path("<uidb64>/<token>/", InvitationConfirmView.as_view(), name="invitation_confirm"),
    path("klaar/", InvitationCompleteView.as_view(), name="invitation_complete"),
]
