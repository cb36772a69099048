"""Django settings for Backstride, read from the environment.

Variables (all optional for a local run):

``BACKSTRIDE_DEBUG``          ``1``/``0``; defaults to ``1`` so ``make run`` works
                              with no configuration. Production sets ``0``.
``BACKSTRIDE_SECRET_KEY``     required when debug is off.
``BACKSTRIDE_ALLOWED_HOSTS``  comma-separated; default ``localhost,127.0.0.1``.
``BACKSTRIDE_TIME_ZONE``      default IANA zone for new accounts; ``Europe/London``.
``BACKSTRIDE_VAR_DIR``        where the SQLite file lives; default ``<repo>/var``.
``BACKSTRIDE_HTTPS``          ``1`` to send cookies only over HTTPS and redirect to
                              it; defaults to the opposite of debug.
``DATABASE_URL``              PostgreSQL (or any dj-database-url URL); SQLite when unset.
``BACKSTRIDE_MEDIA_DIR``      where uploaded activity files are kept; ``<var>/media``.
``BACKSTRIDE_UPLOAD_MAX_BYTES`` largest activity upload accepted; 25 MB (25000000).
``BACKSTRIDE_EMAIL_BACKEND``  Django email backend; the console backend by default.
``BACKSTRIDE_FROM_EMAIL``     sender of alert emails; ``backstride@localhost``.
``BACKSTRIDE_SITE_URL``       the address links in emails point to; ``http://127.0.0.1:8000``.
``BACKSTRIDE_IDLE_MINUTES_CLINICIAN`` / ``_PATIENT``  sign out after this long without a
                              request; 15 and 720 (12 hours).
``BACKSTRIDE_SESSION_HOURS_CLINICIAN`` / ``_PATIENT``  sign out this long after logging in,
                              whatever the activity; 12 and 720 (30 days).
``BACKSTRIDE_LOCKOUT_MINUTES`` how long 5 failed log-ins lock that account from that address; 15.
``BACKSTRIDE_TRUSTED_PROXIES`` how many reverse proxies append to X-Forwarded-For; 0.
``BACKSTRIDE_HSTS_PRELOAD``   ``0`` to leave ``preload`` out of HSTS; on with HTTPS.
``BACKSTRIDE_CACHE_BACKEND`` / ``_LOCATION``  Django cache for rendered page content;
                              per process in memory by default. A cache shared between
                              processes needs a new ``BACKSTRIDE_CACHE_KEY_PREFIX`` for
                              each release, and clearing after ``manage.py restore``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, STRICT_DYNAMIC
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[2]
VAR_DIR = Path(os.environ.get("BACKSTRIDE_VAR_DIR", REPO_DIR / "var"))

DEBUG = env_bool("BACKSTRIDE_DEBUG", True)
_DEV_SECRET_KEY = "django-insecure-backstride-development-only-never-in-production"
SECRET_KEY = os.environ.get("BACKSTRIDE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set BACKSTRIDE_SECRET_KEY when BACKSTRIDE_DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("BACKSTRIDE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",  # installed for operators' read-only views; not routed by default
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "backstride.web.accounts",
    "backstride.web.audit",
    "backstride.web.backups",
    "backstride.web.safety",
    "backstride.web.programs",
    "backstride.web.runlog",
    "backstride.web.education",
    "backstride.web.activities",
    "backstride.web.exports",
    "backstride.web.caseload",
    "backstride.web.alerts",
    "backstride.web.messaging",
    "backstride.web.adverse_events",
    "backstride.web.outcomes",
    "backstride.web.reports",
    "backstride.web.privacy",
    "backstride.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "backstride.web.accounts.middleware.PatientTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "backstride.web.accounts.middleware.PrivateResponseMiddleware",
    "backstride.web.accounts.sessions.SessionTimeoutMiddleware",
    "backstride.web.accounts.two_factor.TwoFactorMiddleware",
    "backstride.web.audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

FORM_RENDERER = "backstride.web.forms.FormRenderer"

ROOT_URLCONF = "backstride.web.urls"
WSGI_APPLICATION = "backstride.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backstride.web.safety.context_processors.red_flag_lock",
                "backstride.web.messaging.context_processors.navigation",
                "backstride.web.accounts.context_processors.second_factor",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default: WAL so readers never block the writer, IMMEDIATE so a write
# transaction takes the lock up front instead of failing with "database is
# locked" half-way (RECIPES.md, measured). PostgreSQL when DATABASE_URL is set.
VAR_DIR.mkdir(parents=True, exist_ok=True)
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # No JIT: it compiled each caseload-queue query for ~40 ms and saved nothing (the
        # queries are short; JIT pays off on long analytical ones). A URL's own
        # ``options`` wins.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "backstride.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=5000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------
# The today page's content, per state of the patient (runlog.today_cache). In each
# process's memory by default: a changed state is a new key, so processes need share
# nothing. 2,000 entries of about 10 kB: one per recently active patient, 20 MB at most.
_LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
_CACHE_BACKEND = os.environ.get("BACKSTRIDE_CACHE_BACKEND", _LOCMEM)
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": os.environ.get("BACKSTRIDE_CACHE_LOCATION", "backstride"),
        "KEY_PREFIX": os.environ.get("BACKSTRIDE_CACHE_KEY_PREFIX", ""),
        "OPTIONS": {"MAX_ENTRIES": 2000} if _CACHE_BACKEND == _LOCMEM else {},
    },
}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out (user, address) first
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation and time -----------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage and server clock; each patient has their own zone
BACKSTRIDE_TIME_ZONE = os.environ.get("BACKSTRIDE_TIME_ZONE", "Europe/London")

# --- Static files -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package without collectstatic

# --- Uploaded activity files ---------------------------------------------------------
# Kept under MEDIA_ROOT with random names and served only by an owner-checked view:
# there is no public MEDIA_URL. The cap is the app's own (formats also caps the
# decompressed size); FILE_UPLOAD_MAX_MEMORY_SIZE only decides when to spill to disk.
MEDIA_ROOT = Path(os.environ.get("BACKSTRIDE_MEDIA_DIR", VAR_DIR / "media"))
BACKSTRIDE_UPLOAD_MAX_BYTES = int(os.environ.get("BACKSTRIDE_UPLOAD_MAX_BYTES", 25_000_000))
# The first handler stops keeping a file once it passes the cap (activities.uploads).
FILE_UPLOAD_HANDLERS = [
    "backstride.web.activities.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Security (docs/security.md says which threat each line answers) ---------------------
HTTPS = env_bool("BACKSTRIDE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# __Host-: the browser takes the cookie only from HTTPS, for the whole host, never
# set by a sibling subdomain (no Domain attribute, Path=/).
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("BACKSTRIDE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("BACKSTRIDE_CSRF_TRUSTED_ORIGINS", "")
BACKSTRIDE_TRUSTED_PROXIES = int(os.environ.get("BACKSTRIDE_TRUSTED_PROXIES", 0))

# Sessions: an idle limit and an absolute limit, shorter for clinicians (who see
# many patients) than for patients (accounts.sessions).
BACKSTRIDE_IDLE_MINUTES = {
    "clinician": int(os.environ.get("BACKSTRIDE_IDLE_MINUTES_CLINICIAN", 15)),
    "patient": int(os.environ.get("BACKSTRIDE_IDLE_MINUTES_PATIENT", 12 * 60)),
}
BACKSTRIDE_SESSION_HOURS = {
    "clinician": int(os.environ.get("BACKSTRIDE_SESSION_HOURS_CLINICIAN", 12)),
    "patient": int(os.environ.get("BACKSTRIDE_SESSION_HOURS_PATIENT", 30 * 24)),
}
SESSION_COOKIE_AGE = max(BACKSTRIDE_SESSION_HOURS.values()) * 3600

# Log-in throttling (django-axes): 5 failures for one account from one address lock
# that pair only, for a cool-off; a failure during the lock does not extend it. So
# an attacker elsewhere cannot lock a person out, and nobody is locked out forever.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BACKSTRIDE_LOCKOUT_MINUTES", 15)))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "backstride.web.network.client_ip"
AXES_LOCKOUT_CALLABLE = "backstride.web.accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "backstride.web.accounts.views.login_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Two-factor (django-otp): required for clinicians, offered to patients.
OTP_TOTP_ISSUER = "Backstride"
OTP_TOTP_THROTTLE_FACTOR = 1  # 1 s, 2 s, 4 s ... after each wrong code

# Content-Security-Policy (django-csp): scripts only with this response's nonce
# ('self' is the fallback for browsers without 'strict-dynamic'); no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, STRICT_DYNAMIC],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Email (critical alerts to the responsible clinician) -------------------------------
EMAIL_BACKEND = os.environ.get("BACKSTRIDE_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("BACKSTRIDE_FROM_EMAIL", "backstride@localhost")
SITE_URL = os.environ.get("BACKSTRIDE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BACKSTRIDE_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # not one INFO line per log-in
}
