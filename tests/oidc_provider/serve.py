"""Runs the test identity provider: `python -m tests.oidc_provider.serve --port 8090 [--demo-user ...]`.

Creates its SQLite file, and for the local demo one client and one user, then serves on 127.0.0.1 until stopped.
The tests start it with a seed token instead and post their own users and clients (tests/accounts/conftest.py)."""

import argparse
import os
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "regioportaal-oidc-provider.sqlite3"))
    parser.add_argument("--token-issuer", default="", help="write this issuer into the ID tokens (tests only)")
    parser.add_argument("--seed-token", default="", help="opens POST /test/seed/ for this token")
    parser.add_argument("--demo-client", nargs=3, metavar=("CLIENT_ID", "SECRET", "PORTAL_URL"))
    parser.add_argument("--demo-user", nargs=3, metavar=("USERNAME", "PASSWORD", "EMAIL"))
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = args.db
    os.environ["OIDC_PROVIDER_TOKEN_ISSUER"] = args.token_issuer
    os.environ["OIDC_PROVIDER_SEED_TOKEN"] = args.seed_token

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)

    from tests.oidc_provider.views import add_application, add_user

    if args.demo_client:
        client_id, secret, portal = args.demo_client
        portals = {portal.rstrip("/"), portal.rstrip("/").replace("127.0.0.1", "localhost")}
        add_application(
            client_id,
            secret,
            redirect_uris=[f"{url}/inloggen/organisatie/terug/" for url in sorted(portals)],
            post_logout_redirect_uris=[f"{url}/inloggen/" for url in sorted(portals)],
        )
    if args.demo_user:
        username, password, email = args.demo_user
        claims = {"email": email, "email_verified": True, "amr": ["pwd", "otp"], "acr": "urn:demo:mfa"}
        add_user(username, password, claims)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
