"""The only settings module of the portal. Everything that differs between a
laptop and production comes from the environment (or a `.env` file); see
`.env.example` and the README section "Running in production"."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-key-for-local-development-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    _missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured(
            "DEBUG is off, so the portal will not start without "
            + " and ".join(_missing)
            + ". Set them in the environment (see .env.example), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "guardian",
    "simple_history",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "mozilla_django_oidc",
    "csp",
    "core",
    "audit",
    "municipalities",
    "accounts",
    "governance",
    "arrangements",
    "adoption",
    "covenant",
    "meetings",
    "decisions",
    "reminders",
    "publication",
    "search",
    "api",
    "solo",
]

MIDDLEWARE = [
    # First, so its time and query count cover everything below it.
    "core.timing.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry these headers too (core/hardening.py).
    "core.hardening.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.hardening.cross_origin_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and the log-in are read: READ_REPLICA_PATHS read from the replica.
    "config.routers.ReadReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp: request.user.is_verified() after a second factor.
    "django_otp.middleware.OTPMiddleware",
    # Idle time-out, absolute lifetime, session records (accounts/sessions.py).
    "accounts.sessions.SessionLifetimeMiddleware",
    # A second factor where it is required: the coordinator, superusers, staff (accounts/second_factor.py).
    "accounts.second_factor.SecondFactorRequiredMiddleware",
    # An account without a current office (or seat) sees only its start page (accounts/lifecycle.py).
    "accounts.lifecycle.NoOfficeMiddleware",
    # The menu counts of a person's next page are fresh after a change they made (reminders/context_processors.py).
    "reminders.context_processors.ForgetMenuAfterChanges",
    # Every page needs a log-in unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view limited with django-ratelimit's block=True answers with RATELIMIT_VIEW (429), not a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "municipalities.context_processors.roles",
                "reminders.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.PortalFormRenderer"

# Database: SQLite on a laptop, PostgreSQL wherever DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker share the file; IMMEDIATE
    # transactions and a busy timeout turn lock contention into short waits.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
# A PostgreSQL read replica for the public pages and the API (config/routers.py);
# tests read it from the test database of default.
if env.str("DATABASE_REPLICA_URL", default=""):
    _pooling = ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS")
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        **{key: DATABASES["default"][key] for key in _pooling if key in DATABASES["default"]},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
# Path prefixes whose GET requests read from the replica, e.g. "/openbaar/,/api/".
READ_REPLICA_PATHS = env.list("READ_REPLICA_PATHS", default=[])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before anything else.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "municipalities.backends.OfficeRoleBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Organisation log-in; it answers only a flow that names its provider (accounts/oidc.py).
    "accounts.oidc.OrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed log-ins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client address is read from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous object permissions

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The NL Design System packages come from npm (package-lock.json) and are
# served straight from node_modules; nothing third-party is copied into static/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nlds/utrecht", BASE_DIR / "node_modules/@utrecht/component-library-css/dist"),
    ("nlds/voorbeeld", BASE_DIR / "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist"),
    ("fonts/noto-sans", BASE_DIR / "node_modules/@fontsource/noto-sans"),
    ("fonts/noto-serif", BASE_DIR / "node_modules/@fontsource/noto-serif"),
    ("js/sortablejs", BASE_DIR / "node_modules/sortablejs"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
MAX_UPLOAD_MEGABYTES = env.int("MAX_UPLOAD_MEGABYTES", default=25)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that hangs must not hold a reminder (and its worker) forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="regioportaal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production; on a laptop a broker that needs no server
# (kombu's filesystem transport), in a folder next to the database.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = BASE_DIR / ".broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
else:
    # A task a killed worker had taken comes back after this long (Redis).
    # No task of the portal waits on the broker (no eta/countdown) and none
    # runs for more than minutes; reminders are recovered from the database
    # by the janitor well before this.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task running when the broker connection drops cannot be acknowledged any
# more; cancel it so it is delivered again (every task here is idempotent).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A request that queues work while the broker is down waits about a second,
# then goes on (core.taskbase.PortalTask); the work is picked up later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedules are rows of django-celery-beat, created by the migration
# reminders/0002 and changed by the coordinator in the admin site.

# Links in e-mails point here.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# Security. Production defaults are strict; a laptop with DEBUG on is exempt.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Requests slower than this are logged with their query count (core/timing.py);
# SERVER_TIMING adds the figures to every response's headers.
SLOW_REQUEST_MS = env.int("SLOW_REQUEST_MS", default=1000)
SERVER_TIMING = env.bool("SERVER_TIMING", default=DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint's font subsetting logs every glyph at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}},
}


# --- Organisation log-in (OpenID Connect; accounts/oidc.py) ---
# The providers themselves are IdentityProvider rows in the management site, one per organisation.
# Seconds to wait for a provider (discovery, keys, token, user info) before the log-in is refused.
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_VERIFY_SSL = True
# A provider's discovery document is read again after this many seconds (and when its row is saved).
OIDC_CONFIGURATION_MAX_AGE = env.int("OIDC_CONFIGURATION_MAX_AGE", default=3600)
# Seconds of clock difference accepted on exp and iat of an ID token.
OIDC_CLOCK_SKEW = env.int("OIDC_CLOCK_SKEW", default=60)
# Provider addresses must be https, except on a laptop (the local test provider) or where a test allows it.
OIDC_ALLOW_HTTP = env.bool("OIDC_ALLOW_HTTP", default=DEBUG)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
# A `next` address after log-in must be on this host, and https when the request is.
OIDC_REDIRECT_ALLOWED_HOSTS = []

# --- Second factor (django-two-factor-auth; accounts/second_factor.py) ---
# Required for superusers, staff and the regional coordinator, offered to everyone (docs/adr/0010-second-factor.md).
# The app shows the portal under this name; the code has 6 digits and changes every 30 seconds (RFC 6238).
OTP_TOTP_ISSUER = "Regioportaal"
TWO_FACTOR_TOTP_DIGITS = 6
TWO_FACTOR_QR_FACTORY = "qrcode.image.svg.SvgPathImage"
# Seconds between the password and the code; after that the log-in starts again.
TWO_FACTOR_LOGIN_TIMEOUT = env.int("TWO_FACTOR_LOGIN_TIMEOUT", default=300)
# No "remember this browser": the portal is used on shared workstations, a remembered browser would make the
# password alone enough for whoever sits at it, and the coordinator's reset could not reach such a cookie.
TWO_FACTOR_REMEMBER_COOKIE_AGE = None
# The admin's own log-in already goes to the portal's log-in (config/admin.py); no patching of AdminSite.
TWO_FACTOR_PATCH_ADMIN = False
# Log-in posts (password and code steps) per address (django-ratelimit), besides django-axes's lock-out.
LOGIN_RATE_LIMIT = env.str("LOGIN_RATE_LIMIT", default="20/m")

# --- Sessions and account life-cycle (accounts/sessions.py, accounts/lifecycle.py) ---
# See docs/adr/0011-sessions-and-accounts.md. Sessions stay rows of django.contrib.sessions (database), so
# a session is ended by deleting its row. OWASP ASVS 4.0 3.3.2 (level 2): re-authentication after at most
# 12 hours, or 30 minutes of inactivity; BIO 9.4.2 (secure log-on, sessions ended after inactivity).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# A working day: nobody is asked to log in again during one, and a session left open overnight is gone.
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
# The cookie dies with the browser (ASVS 3.3.1, 3.4); the row itself expires with the absolute lifetime
# (`manage.py clearsessions` removes it).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
# The reset link by e-mail works for an hour (ASVS 2.5.x asks for a short-lived, single-use secret; the
# token also stops working once used). PASSWORD_RESET_TIMEOUT (Django's default, 3 days) stays the lifetime
# of an invitation's link (municipalities/invitations.py); the reset link has its own token salt.
PASSWORD_RESET_LINK_MINUTES = env.int("PASSWORD_RESET_LINK_MINUTES", default=60)
# Requests for a reset link (django-ratelimit, 429 past the limit): per client address and per e-mail
# address typed in, known or not (ASVS 2.2.1).
PASSWORD_RESET_RATE_PER_CLIENT = env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="10/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
# Besides Django's 20,000 common passwords, Dutch ones (welkom2024!, wachtwoord123, zomer2025, ...).
# And Django's minimum length with its message in Dutch (accounts/forms.py).
_OWN_VALIDATORS = {
    "django.contrib.auth.password_validation.CommonPasswordValidator": "accounts.forms.CommonPasswordValidator",
    "django.contrib.auth.password_validation.MinimumLengthValidator": "accounts.forms.MinimumLengthValidator",
}
AUTH_PASSWORD_VALIDATORS = [
    {**validator, "NAME": _OWN_VALIDATORS.get(validator["NAME"], validator["NAME"])}
    for validator in AUTH_PASSWORD_VALIDATORS
]
# An account not used for this many months is switched off by the daily task
# accounts.tasks.deactivate_unused_accounts (BIO 9.2.5, 9.2.6: access rights reviewed and removed).
ACCOUNT_UNUSED_MONTHS = env.int("ACCOUNT_UNUSED_MONTHS", default=6)

# --- Browser hardening: CSP, Permissions-Policy, security.txt (core/hardening.py) ---
# See docs/adr/0012-browser-hardening.md. The same policy with DEBUG on, so a violation shows on a laptop
# first; only upgrade-insecure-requests waits for TLS. No inline script or style anywhere, so no nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small SVG icons inside the NL Design System stylesheet.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        # The enabled identity providers' origins are added per response (organisation log-in).
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "upgrade-insecure-requests": not DEBUG,
        "report-uri": ["/csp-rapport/"],
        "report-to": "csp",
    }
}
# Every feature the portal does not use is off, for the portal and for anything it might frame. Only
# features Chromium knows: it reports every other name as an error in the console.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "captured-surface-control",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "keyboard-map",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
} | {
    # Full screen for the browser's own PDF viewer; passkeys may come as a second factor.
    "fullscreen": "self",
    "publickey-credentials-create": "self",
    "publickey-credentials-get": "self",
}
# The organisation log-in never opens a pop-up, so no window of another site keeps a handle on the portal.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Lax, not Strict: the organisation log-in comes back from the provider by a top-level GET redirect, and
# a person follows links from e-mails; with Strict both arrive without the session (a Strict CSRF cookie
# would also be renewed on such a visit and break the forms open in other tabs). Lax still keeps the
# cookies off every cross-site POST, image and frame.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token, htmx gets it from hx-headers in base.html.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # __Host-: the browser accepts the cookie only with Secure, Path=/ and no Domain, so no sibling
    # (sub)domain can set or overwrite it (RFC 6265bis, 4.1.3.2).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-django_language"
# security.txt (RFC 9116): where to report a vulnerability, e.g. "mailto:security@gemeente.example" (a
# comma-separated list for more than one); without it /.well-known/security.txt answers 404.
SECURITY_CONTACT = env.list("SECURITY_CONTACT", default=[])

# The public side (publication/): where residents report an accessibility problem (the accessibility
# statement), the date of that statement's last check, and the size of a DiWoo sitemap page (the sitemaps.org
# protocol allows at most 50,000 URLs).
ACCESSIBILITY_CONTACT = env.str("ACCESSIBILITY_CONTACT", default="")
ACCESSIBILITY_STATEMENT_DATE = env.str("ACCESSIBILITY_STATEMENT_DATE", default="2026-12-02")
WOO_SITEMAP_SIZE = env.int("WOO_SITEMAP_SIZE", default=50_000)
# Searches per client address on the public side (django-ratelimit rate; answered 429 past it).
PUBLIC_SEARCH_RATE_LIMIT = env.str("PUBLIC_SEARCH_RATE_LIMIT", default="30/m")
SECURITY_POLICY_URL = env.str("SECURITY_POLICY_URL", default="")

# --- Audit trail (audit/) ---
# One source of truth for who signed in, failed, logged out, viewed or exported: audit.AuditEvent
# (docs/adr/0013-audit-trail.md). django-axes keeps only what its lock-out needs (AccessAttempt, reset on
# success); its own access log and failure log would be a second, differing copy of the same events.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# How long audit events (and whatever django-axes still holds) are kept; pruned nightly by
# audit.tasks.prune_audit_trail. The BIO (12.4.1; BIO2 8.15) asks for logging and its protection but sets
# no period: one year is the organisation's own choice, long enough to answer a question about last
# year's meetings, short enough not to keep addresses longer than that (AVG art. 5(1)(e)).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# The longest period one export may cover (the export streams, so this bounds the file, not memory).
AUDIT_EXPORT_MAX_DAYS = env.int("AUDIT_EXPORT_MAX_DAYS", default=366)

# --- Limits on input (uploads, text, request rates) ---
# django-ratelimit: a request over its limit is answered 429 (core/ratelimits.py).
RATELIMIT_VIEW = "core.ratelimits.too_many_requests"
RATELIMIT_IP_META_KEY = "core.ratelimits.client_ip"
# What one request may carry (OWASP ASVS 4.0, 12.1.1 and 13.1.3); past a limit Django answers 400 with
# templates/400.html and nothing is saved. The text of a form, files apart: 2.5 MB holds the largest form
# at its bounds (a proposal, ~117,000 characters, core/limits.py) in any script, so a text past a field's
# bound gets that field's own message with the text kept, not this page.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Fields per request: the attendance list of a large council and an admin page of 100 rows stay well below.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
# Files per request (a submission's documents); each is checked against MAX_UPLOAD_MEGABYTES.
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
# A file past 1 MB is streamed to a temporary file instead of kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)
# The whole body of one request, files included: refused before it is read (core/files.py).
MAX_REQUEST_MEGABYTES = env.int("MAX_REQUEST_MEGABYTES", default=100)
FILE_UPLOAD_HANDLERS = [
    "core.files.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
