"""The coordinator's list of accounts and their two-step verification, with the reset (and its history).

No secret is shown: neither the app's seed (TOTP key) nor the recovery codes. django-otp's own admin pages for
its devices show the seed to whoever may change them, so they are taken out of the management site."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import SecondFactorAccount, last_resets, reset_second_factor
from core.pagination import CappedCountPaginator
from municipalities.backends import is_regional_coordinator
from municipalities.models import Office

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class SetUpFilter(admin.SimpleListFilter):
    title = _("two-step verification")
    parameter_name = "ingesteld"

    def lookups(self, request, model_admin):
        return [("ja", _("set up")), ("nee", _("not set up"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(has_app=True)
        if self.value() == "nee":
            return queryset.filter(has_app=False)
        return queryset


@admin.register(SecondFactorAccount)
class SecondFactorAccountAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "set_up", "required", "last_login"]
    list_filter = [SetUpFilter]
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering = ["username"]
    actions = ["reset"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["username", "full_name", "email", "set_up", "recovery_codes_left", "last_login", "resets"]
    readonly_fields = fields

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        coordinator = Office.objects.current().filter(
            person__user=OuterRef("pk"), role=Office.Role.REGIONAL_COORDINATOR
        )
        return super().get_queryset(request).annotate(has_app=Exists(confirmed), is_coordinator=Exists(coordinator))

    # The coordinator may look and reset; accounts themselves are changed elsewhere (auth.User).
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and (request.user.is_superuser or is_regional_coordinator(request.user))

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("name"))
    def full_name(self, account) -> str:
        return account.get_full_name()

    @admin.display(description=_("set up"), boolean=True, ordering="has_app")
    def set_up(self, account) -> bool:
        return account.has_app

    @admin.display(description=_("required"), boolean=True)
    def required(self, account) -> bool:
        # As accounts.second_factor.second_factor_required, with the coordinator's office from the list's query.
        return account.is_active and (account.is_superuser or account.is_staff or account.is_coordinator)

    @admin.display(description=_("recovery codes left"))
    def recovery_codes_left(self, account) -> int:
        return sum(device.token_set.count() for device in StaticDevice.objects.filter(user=account))

    @admin.display(description=_("last resets"))
    def resets(self, account) -> str:
        lines = [
            _("%(when)s by %(who)s") % {"when": formats.date_format(event.at, "DATETIME_FORMAT"), "who": event.username}
            for event in last_resets(account)
        ]
        return "\n".join(lines) or _("never reset")

    @admin.action(description=_("Reset two-step verification"), permissions=["reset"])
    def reset(self, request: HttpRequest, queryset) -> None:
        done, skipped = 0, 0
        for account in queryset:
            # A coordinator cannot open a superuser's account to a new app; only a superuser can.
            if account.is_superuser and not request.user.is_superuser:
                skipped += 1
                continue
            reset_second_factor(account, by=request.user, request=request)
            done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Two-step verification reset for %(count)d account; its sessions have ended and it sets up "
                    "the app again at the next log-in.",
                    "Two-step verification reset for %(count)d accounts; their sessions have ended and they set up "
                    "the app again at the next log-in.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d superuser account was left alone: only a superuser may reset it.",
                    "%(count)d superuser accounts were left alone: only a superuser may reset them.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
