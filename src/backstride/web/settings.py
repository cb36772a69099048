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
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "backstride.web.accounts",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backstride.web.accounts.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backstride.web.accounts.middleware.PatientTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
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

# --- Security -----------------------------------------------------------------------
HTTPS = env_bool("BACKSTRIDE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("BACKSTRIDE_CSRF_TRUSTED_ORIGINS", "")

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
}
