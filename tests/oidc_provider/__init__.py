"""An OpenID Connect provider for the tests and the local demo (django-oauth-toolkit), run as its own process."""
