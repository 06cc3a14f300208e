"""`{% load accounts_oidc %}{% identity_providers as providers %}`: the organisations offered on a log-in page."""

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accounts.models import IdentityProvider

register = template.Library()

# The log-in page is the busiest page without a log-in; the list changes when an administrator saves a provider.
# Five minutes bounds how long another process (with a cache of its own) shows an old list.
_CACHE_KEY = "accounts:identity-providers"
_CACHE_SECONDS = 300


@register.simple_tag
def identity_providers() -> list[dict]:
    providers = cache.get(_CACHE_KEY)
    if providers is None:
        providers = list(IdentityProvider.objects.filter(enabled=True).order_by("name").values("name", "slug"))
        cache.set(_CACHE_KEY, providers, _CACHE_SECONDS)
    return providers


def _forget(**kwargs) -> None:
    cache.delete(_CACHE_KEY)


post_save.connect(_forget, sender=IdentityProvider, dispatch_uid="login-providers-save")
post_delete.connect(_forget, sender=IdentityProvider, dispatch_uid="login-providers-delete")
