from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import oidc
from accounts.models import IdentityProvider


class IdentityProviderForm(forms.ModelForm):
    """The client secret can be written, never read back (BIO 9.4.3; OWASP ASVS 14.3.x)."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again after saving. Leave empty to keep the stored secret."),
    )
    check_configuration = forms.BooleanField(
        label=_("read the discovery document now"),
        required=False,
        initial=True,
        help_text=_("Checks that the provider answers and names this issuer, before saving."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "municipality",
            "enabled",
            "issuer",
            "discovery_url",
            "client_id",
            "client_secret",
            "scopes",
            "claim",
            "allowed_domains",
            "require_verified_email",
            "sign_algorithm",
        ]

    def clean_client_secret(self) -> str:
        secret = self.cleaned_data.get("client_secret", "")
        if not secret and self.instance.pk:
            return IdentityProvider.objects.get(pk=self.instance.pk).client_secret
        return secret

    def clean_scopes(self) -> str:
        scopes = self.cleaned_data["scopes"].split()
        if "openid" not in scopes:
            raise forms.ValidationError(_("The scopes must include openid."))
        return " ".join(scopes)

    def clean_allowed_domains(self) -> str:
        domains = sorted(
            {part.strip().lower().lstrip("@") for part in self.cleaned_data["allowed_domains"].split(",")} - {""}
        )
        if not domains:
            raise forms.ValidationError(_("Name at least one e-mail domain, e.g. haarlem.nl."))
        return ", ".join(domains)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        provider = IdentityProvider(issuer=cleaned.get("issuer", ""), discovery_url=cleaned.get("discovery_url", ""))
        try:
            oidc.check_address(provider.issuer)
            if provider.discovery_url:
                oidc.check_address(provider.discovery_url)
            if cleaned.get("check_configuration"):
                self.discovered = oidc.read_configuration(provider)
        except oidc.ConfigurationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    form = IdentityProviderForm
    list_display = ["name", "slug", "municipality", "enabled", "issuer", "configuration_read_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "slug", "issuer"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["configuration_read_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "municipality", "enabled"]}),
        (_("Provider"), {"fields": ["issuer", "discovery_url", "check_configuration", "configuration_read_at"]}),
        (_("Client"), {"fields": ["client_id", "client_secret", "scopes", "sign_algorithm"]}),
        (_("Who may log in"), {"fields": ["claim", "allowed_domains", "require_verified_email"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        discovered = getattr(form, "discovered", None)
        if discovered is not None:
            obj.configuration = discovered
            obj.configuration_read_at = timezone.now()
        elif change and {"issuer", "discovery_url"} & set(form.changed_data):
            # Another provider: the cached document of the old one must not be used for it.
            obj.configuration, obj.configuration_read_at = {}, None
        super().save_model(request, obj, form, change)
