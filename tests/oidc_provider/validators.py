import datetime

from django.conf import settings
from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds each user's claims (e-mail, email_verified, amr, acr) to the ID token and the user info."""

    # Every claim of the profile, whatever the scope: the tests decide what the provider says.
    oidc_claim_scope = None

    def _profile_claims(self, request) -> dict:
        profile = getattr(request.user, "profile", None)
        return dict(profile.claims) if profile is not None else {}

    def get_additional_claims(self, request):
        return {key: value for key, value in self._profile_claims(request).items() if not key.startswith("_")}

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        lifetime = self._profile_claims(request).get("_id_token_lifetime")
        if lifetime is not None:
            # A knob for the expired-token test: an ID token whose exp lies in the past.
            expiration_time = timezone.now() + datetime.timedelta(seconds=lifetime)
            claims["exp"] = int(expiration_time.timestamp())
        return claims, expiration_time

    def get_oidc_issuer_endpoint(self, request):
        # The impostor of the tests writes another provider's issuer into its tokens (discovery keeps its own).
        return settings.TOKEN_ISSUER or super().get_oidc_issuer_endpoint(request)
