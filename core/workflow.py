"""Status fields that change only along a table of allowed transitions."""

from django.utils.translation import gettext_lazy as _


class TransitionNotAllowed(Exception):
    """A workflow step that the current status does not allow; views answer 409."""


class StatusWorkflow:
    """For a model with a `status` field, its `Status` choices and a `TRANSITIONS`
    table (status -> statuses it may become). One method per step calls
    `_transition`, which checks the table, sets the fields and saves once."""

    TRANSITIONS: dict[str, set[str]] = {}

    def can_become(self, to: str) -> bool:
        return to in self.TRANSITIONS[self.status]

    def _transition(self, to: str, **fields) -> None:
        if not self.can_become(to):
            raise TransitionNotAllowed(
                _("This %(object)s has the status %(status)s and cannot get the status %(to)s.")
                % {
                    "object": self._meta.verbose_name,
                    "status": self.get_status_display(),
                    "to": self.Status(to).label,
                }
            )
        for name, value in fields.items():
            setattr(self, name, value)
        self.status = to
        self._change_reason = str(self.Status(to).label)
        self.save()


def conflict(request, error: Exception, status: int = 409):
    """The page for a step the state does not allow (or a refused save): the reason in words, with a 409."""
    from django.core.exceptions import ValidationError
    from django.shortcuts import render

    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return render(request, "meetings/conflict.html", {"message": text}, status=status)
