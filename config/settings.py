"""Settings, read from environment variables only (see README, "Configuration")."""

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "guardian",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "audit",
    "jobs",
    "documents",
    "accounts",
    "inventory",
    "sales",
    "marketing",
    "service",
    "tasks",
    "reports",
    "search",
    "api",
    "devtools",
    "config",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RejectNulMiddleware",
    "audit.middleware.ActorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.csp",
                "config.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and in-process tasks write side by side.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # The list indexes include extra columns for PostgreSQL's index-only scans; SQLite builds
    # them without those columns, which is all the warning says.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation and no parallel workers for the application's queries. PostgreSQL
    # JIT-compiles a query whose estimated cost passes jit_above_cost; for our short queries
    # the compiling was the cost (the composition report of the largest book: 132 of 158 ms).
    # Parallel workers shorten a long scan, but each page's query is short and starting the
    # workers cost more CPU than they saved: the search for 瑞丰 took 64 ms of CPU (51 ms of
    # wall time) with them and 35 ms (36 ms) without (README "Database time").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No anonymous guardian user: anonymous visitors are redirected to the login page.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)

# The users are a Chinese sales team; a browser asking for English, or a profile, still wins.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files (import sources, export results): the local MEDIA_ROOT by default; an S3-compatible bucket
# (MinIO in compose) when AWS_STORAGE_BUCKET_NAME is set, so every host sees every file.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS (behind a TLS proxy: set SECURE_PROXY_SSL_HEADER=1 when it sends X-Forwarded-Proto).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # orchestrators probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django.middleware.csp): scripts and styles from our own origin only;
# any inline <script> needs {{ csp_nonce }}. Inline style attributes stay allowed (templates
# and ECharts set them); data: images are Bootstrap's form icons, the data: font FullCalendar's
# arrow icons (a data: font cannot run code).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Login protection: after LOGIN_FAILURE_LIMIT failed logins within LOGIN_LOCKOUT_MINUTES, the
# username and the client address are locked for that long (admins can unlock them). Behind
# TRUSTED_PROXY_COUNT reverse proxies the client address is read from X-Forwarded-For.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The address of the site as users reach it, for links in e-mails (no request to ask).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# Django's cache: Redis when REDIS_URL is set (shared by every process on every host; the
# executive charts are cached there), local memory otherwise. CACHE_KEY_PREFIX keeps
# installations sharing one Redis apart; each pytest-xdist worker adds its own.
CACHE_URL = env.str("CACHE_URL", default=env.str("REDIS_URL", default=""))
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="crm") + env.str(
    "PYTEST_XDIST_WORKER", default=""
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.PrefixedRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: EMAIL_URL such as smtp+tls://user:pass@host:587 or filemail:///var/mail/crm;
# printed to the console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:///var/mail/crm is absolute (django-environ would drop the leading slash).
    _mail_path = urlsplit(env.str("EMAIL_URL")).path
    _mail_options = {"file_path": _mail_path or str(BASE_DIR / "var" / "mail")}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CRM <crm@localhost>")

# Celery: with no broker configured, tasks run eagerly in-process (the `make run` default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")


def _daily_at(variable: str, default: str) -> crontab:
    """A daily crontab from an HH:MM environment variable, in TIME_ZONE."""
    text = env.str(variable, default=default)
    try:
        hour, minute = (int(part) for part in text.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(text)
    except ValueError as error:
        raise ImproperlyConfigured(f"{variable} must be HH:MM, not {text!r}.") from error
    return crontab(hour=hour, minute=minute)


# The fixed jobs beat runs; the scheduled-jobs page lists them (labels in jobs/scheduling.py).
CELERY_BEAT_SCHEDULE = {
    "detect-customer-loss": {
        "task": "sales.tasks.detect_customer_loss",
        "schedule": _daily_at("LOSS_DETECTION_AT", "02:00"),
    },
    "birthday-reminders": {
        "task": "sales.tasks.send_birthday_reminders",
        "schedule": _daily_at("BIRTHDAY_REMINDERS_AT", "08:00"),
    },
    "report-subscriptions": {
        "task": "reports.tasks.dispatch_report_subscriptions",
        "schedule": crontab(minute=f"*/{env.int('REPORT_DISPATCH_EVERY_MINUTES', default=5)}"),
    },
    "task-reminders": {"task": "tasks.tasks.send_task_reminders", "schedule": crontab()},
    "task-digests": {
        "task": "reports.tasks.send_morning_digests",
        "schedule": _daily_at("TASK_DIGESTS_AT", "07:30"),
    },
    "cleanup-jobs": {
        "task": "jobs.tasks.cleanup_jobs",
        "schedule": _daily_at("JOB_CLEANUP_AT", "03:30"),
    },
    "prune-audit-log": {
        "task": "jobs.tasks.prune_audit_log",
        "schedule": _daily_at("AUDIT_PRUNE_AT", "03:45"),
    },
    "prune-idempotency-keys": {
        "task": "api.tasks.prune_idempotency_keys",
        "schedule": _daily_at("IDEMPOTENCY_PRUNE_AT", "04:00"),
    },
    # The ticks that keep jobs and mails moving (not listed on the scheduled-jobs page).
    "sweep-jobs": {"task": "jobs.tasks.sweep_jobs", "schedule": crontab(minute="*")},
    "deliver-mails": {"task": "jobs.tasks.deliver_mails", "schedule": crontab(minute="*")},
}

# The outbox retries an e-mail the mail server refused (1, 2, 4 … minutes apart, at most an
# hour) for this many hours, then drops it and tells the administrators.
OUTBOX_RETRY_HOURS = env.int("OUTBOX_RETRY_HOURS", default=48)

# Background jobs (imports, exports): an active job whose heartbeat is older than this is queued
# again (at most JOB_MAX_ATTEMPTS runs in all), then failed; finished jobs and their files are
# deleted after JOB_RETENTION_DAYS.
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_RETENTION_DAYS = env.int("JOB_RETENTION_DAYS", default=30)
# Attachments on records (documents): the largest file accepted (bytes; an upload is cut off
# while it streams once past it) and the most files in one upload.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_FILES = env.int("ATTACHMENT_MAX_FILES", default=10)
# Security audit log entries older than this are deleted by the daily "prune-audit-log" job.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

# Pages per list when the user has not chosen (the seed's default).
CRM_PAGE_SIZE = 10
CRM_PAGE_SIZES = (10, 20, 50, 100)
# Lists count their rows up to this many; beyond, the pager shows "more than …".
CRM_COUNT_CAP = env.int("CRM_COUNT_CAP", default=2_000)
# A customer is loyal (忠诚) with at least this many orders in the last so many months.
LIFECYCLE_LOYAL_ORDERS = env.int("LIFECYCLE_LOYAL_ORDERS", default=2)
LIFECYCLE_LOYAL_MONTHS = env.int("LIFECYCLE_LOYAL_MONTHS", default=12)

# Service requests waiting longer than this (new: since creation; allocated: since allocation)
# are highlighted in the allocate and handle lists.
SERVICE_OVERDUE_HOURS = env.int("SERVICE_OVERDUE_HOURS", default=24)

# Exports of more rows than this run as background jobs (progress bar, then a download link).
EXPORT_ASYNC_ROWS = env.int("EXPORT_ASYNC_ROWS", default=20_000)

# Error e-mails: ADMINS=Name <a@example.com>,b@example.com (mail_admins on server errors).
ADMINS = [address.strip() for address in env.list("ADMINS", default=[]) if address.strip()]
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Logs on stderr: one line per request (config.middleware) and per job; JSON lines when
# LOG_FORMAT=json. Refusals (403, 404) are one line, without a traceback.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_refusal_tracebacks": {"()": "config.logs.NoRefusalTracebacks"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["no_refusal_tracebacks"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["no_refusal_tracebacks"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}

# --- Front end (issue 25) ---------------------------------------------------------------------
# Static files: production uses whitenoise.storage.CompressedManifestStaticFilesStorage (see
# STATICFILES_STORAGE above and docker-compose.yml), so every file has a hashed name, a gzip and
# a Brotli twin and is cached for ten years ("immutable"). WHITENOISE_MAX_AGE covers the
# unhashed names (only requested by hand): a day.
WHITENOISE_MAX_AGE = env.int("WHITENOISE_MAX_AGE", default=0 if DEBUG else 86_400)
# HTML is gzipped by Django when no proxy in front does it (GZIP_HTML=0 turns it off). BREACH:
# Django's GZipMiddleware pads each response with random bytes (since 4.2) and the CSRF token is
# masked per response, which are the documented mitigations.
if env.bool("GZIP_HTML", default=True):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "django.middleware.gzip.GZipMiddleware",
    )

# Sentry, only when SENTRY_DSN is set (sentry-sdk is imported only then).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# --- REST API (issue 22) ----------------------------------------------------------------------
# /api/v1/: personal tokens (Authorization: Bearer …) or the session (CSRF enforced); JSON only;
# cursor paging on the primary key; throttled per token in the cache; the rights and visibility
# of the pages (api/base.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.base.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
# /api/v1/ requests are marked for the history and answered in JSON even when a check before
# the view (a NUL byte, a body too large) refuses them.
MIDDLEWARE.insert(
    MIDDLEWARE.index("core.middleware.RejectNulMiddleware"), "api.middleware.ApiRequestMiddleware"
)
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="1200/minute")
# A creating POST's Idempotency-Key is remembered (with the first answer) this long; the daily
# "prune-idempotency-keys" job deletes older keys.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=24)
SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": "Customers, opportunities, service tickets, tasks and reports, under the "
    "rights and visibility of the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StarsEnum": "sales.models.STAR_CHOICES",
        "CustomerStatusEnum": "sales.models.Customer.Status",
        "OrderStatusEnum": "sales.models.Order.Status",
        "OpportunityStatusEnum": "marketing.models.SalesChance.Status",
        "TicketStatusEnum": "service.models.ServiceRequest.Status",
        "TaskStatusEnum": "tasks.models.Task.Status",
        "QuoteStatusEnum": "marketing.models.Quote.Status",
    },
}

# Quotes (报价单): the currency of new quotes, the default tax rate of a line (%), the largest
# line discount (%) a quote may carry without a supervisor's approval, and the company name
# printed on the quote PDF. The daily "expire-quotes" job marks sent quotes past their date.
CURRENCY = env.str("CURRENCY", default="CNY")
QUOTE_DEFAULT_TAX_RATE = Decimal(env.str("QUOTE_DEFAULT_TAX_RATE", default="13"))
QUOTE_APPROVAL_DISCOUNT = Decimal(env.str("QUOTE_APPROVAL_DISCOUNT", default="10"))
COMPANY_NAME = env.str("COMPANY_NAME", default="")
CELERY_BEAT_SCHEDULE["expire-quotes"] = {
    "task": "marketing.tasks.expire_quotes",
    "schedule": _daily_at("QUOTE_EXPIRY_AT", "01:30"),
}
