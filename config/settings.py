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
    "meetings",
    "decisions",
    "reminders",
    "solo",
]

MIDDLEWARE = [
    # First, so its time and query count cover everything below it.
    "core.timing.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # MIDDLEWARE-HEADERS (Content Security Policy, Permissions-Policy, Cross-Origin-Resource-Policy)
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
    # MIDDLEWARE-SESSIONS (idle time-out, absolute lifetime, session records)
    # MIDDLEWARE-SECOND-FACTOR (a second factor where it is required)
    # MIDDLEWARE-LIFECYCLE (an account without a current office sees only its home page)
    # The menu counts of a person's next page are fresh after a change they made (reminders/context_processors.py).
    "reminders.context_processors.ForgetMenuAfterChanges",
    # Every page needs a log-in unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

# --- Second factor (django-two-factor-auth; accounts/second_factor.py) ---

# --- Sessions and account life-cycle (accounts/sessions.py, accounts/lifecycle.py) ---

# --- Browser hardening: CSP, Permissions-Policy, security.txt (core/hardening.py) ---

# --- Audit trail (audit/) ---

# --- Limits on input (uploads, text, request rates) ---
# django-ratelimit: a request over its limit is answered 429 (core/ratelimits.py).
RATELIMIT_VIEW = "core.ratelimits.too_many_requests"
