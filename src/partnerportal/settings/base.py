"""Settings shared by every environment; everything that differs is read from the environment.
Growing past one machine is configuration: DATABASE_URL (PostgreSQL), CACHE_URL (Redis),
TASKS_BACKEND (database worker), MEDIA_STORAGE (S3-compatible), SEARCH_BACKEND (OpenSearch).
"""

import importlib.util
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent
NODE_MODULES = BASE_DIR / "node_modules"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
#: Static files, and by default the SQLite database and the uploads (README: Settings).
VAR_DIR = Path(env.str("PARTNERPORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL

#: wagtail-localize (pinned in pyproject.toml). A virtual environment made before it was pinned
#: still migrates and serves with Wagtail's own simple translation until `make install` runs.
TRANSLATION_APPS = (
    ["wagtail_localize", "wagtail_localize.locales"]
    if importlib.util.find_spec("wagtail_localize")
    else ["wagtail.contrib.simple_translation"]
)

INSTALLED_APPS = [
    # Ours, first so that our templates win over those of the libraries.
    "partnerportal.core",
    "partnerportal.accounts",
    "partnerportal.audit",
    "partnerportal.notifications",
    "partnerportal.geo",
    "partnerportal.registry",
    "partnerportal.atlas",
    "partnerportal.content",
    "partnerportal.events",
    "partnerportal.funding",
    "partnerportal.advisory",
    "partnerportal.api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Translation workflow for pages and snippets: which strings are translated, and syncing a
    # translation when its source page changes (TRANSLATION_APPS below).
    *TRANSLATION_APPS,
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Infrastructure
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
]

FORM_RENDERER = "partnerportal.core.forms.KernFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "partnerportal.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnerportal.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partnerportal.accounts.middleware.StaffMFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "partnerportal.urls"
WSGI_APPLICATION = "partnerportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "partnerportal.core.context_processors.layout",
                "partnerportal.accounts.context_processors.roles",
                "partnerportal.content.context_processors.legal_links",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL when DATABASE_URL names it.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'partnerportal.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every app server (database table by default, Redis via CACHE_URL).
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://partnerportal_cache")}

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:overview"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_ADAPTER = "partnerportal.accounts.adapter.AccountAdapter"
# Login throttling (counted in the shared cache, so it holds across app servers).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Partnerportal"
# Agency staff must have a second factor before they can do anything else.
PARTNERPORTAL_STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)

# Sessions end: after a working day at most, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Security headers (production.py adds HSTS and secure cookies)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Map tiles for the registry's small maps: a tile server of one's own (never a public CDN by
# default), e.g. "https://tiles.example.org/{z}/{x}/{y}.png". Empty: markers on a plain ground.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
    if _tiles.scheme and _tiles.netloc:
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
            f"{_tiles.scheme}://{_tiles.netloc}"
        )
# The Wagtail back office still needs inline styles and scripts; it gets a policy of its own.
CONTENT_SECURITY_POLICY_ADMIN_PATHS = ("/admin/",)

# --- Uploads: one validated path (partnerportal.core.uploads) with these limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PARTNERPORTAL_UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# The importers (import_municipalities, import_twinnings) refuse a larger file before reading it;
# they read in bounded memory whatever the size, so the limit bounds their time, not memory.
PARTNERPORTAL_IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=100 * 1024 * 1024)

# --- Languages: German first, English complete; right-to-left ready.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    # For people from partner municipalities (README: Languages): the whole public interface,
    # and the pages the agency translates for them.
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# Our overrides first (formal German for the account pages of allauth), then our own catalogue.
LOCALE_PATHS = [PROJECT_DIR / "overrides" / "locale", PROJECT_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
LANGUAGE_COOKIE_NAME = "partnerportal_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and media. Vendor assets come from node_modules (npm, package-lock.json).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/kern", NODE_MODULES / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/topojson", NODE_MODULES / "topojson-client" / "dist"),
    # Natural Earth country outlines (public domain) as TopoJSON: the atlas's offline basemap.
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
]
STATICFILES_FINDERS = [
    "partnerportal.core.staticfiles.VendorFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
#: Files of those packages that no page loads (core/staticfiles.py): the finer outlines, the
#: unminified and module builds; collectstatic would hash and compress them on every update.
PARTNERPORTAL_STATIC_IGNORE = [
    "*-10m.json",
    "*-50m.json",
    "leaflet-src*",
    "htmx.js",
    "htmx.amd.js",
    "htmx.cjs.js",
    "htmx.esm.js",
    "htmx.min.js.gz",
    "*.d.ts",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# No e-mail is sent inside a request: Django's mail API queues (notifications/backends.py) and
# the task delivers through the backend of EMAIL_URL.
PARTNERPORTAL_EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "partnerportal.notifications.backends.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Partnerportal <noreply@partnerportal.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work: django-tasks; inline by default, the database worker in production.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Wagtail
WAGTAIL_SITE_NAME = "Partnerportal"
# The back office is the agency's (staff in Germany): German and English only. Its own words
# (menus, reports, page types) are checked in those two; staff who chose another language for the
# site read the back office in German (accounts/signals.py).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES[:2]
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": env.str("SEARCH_BACKEND", default="wagtail.search.backends.database")}
}
# Large installations: SEARCH_BACKEND=wagtail.search.backends.opensearch2 (or elasticsearch8)
# and SEARCH_URL=https://user:password@opensearch.example.org:9200 (README: Search; ADR 0008).
if env.str("SEARCH_URL", default=""):
    WAGTAILSEARCH_BACKENDS["default"].update(
        URLS=env.list("SEARCH_URL"),
        INDEX=env.str("SEARCH_INDEX", default="partnerportal"),
        TIMEOUT=env.int("SEARCH_TIMEOUT", default=10),
    )
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = PARTNERPORTAL_UPLOAD_MAX_BYTES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# ASCII page addresses; umlauts are written ae, oe, ue (content/slugs.py).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# One login for the site and the back office (the site's asks for the second factor), and the
# password is managed there too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No request leaves for an outside service: no Gravatar avatars (they would also hand a hash of
# staff e-mail addresses to a third party); Wagtail draws its own default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Pages under review are published by approving their review (content/review.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "partnerportal.content.review.publish_approved"

# --- django-ninja
# Rate limits of the open-data API, counted in the shared cache (so across app servers): callers
# who are not logged in, per address, and logged-in people, per account ("<count>/<s|m|h|d>").
API_ANON_RATE = env.str("API_ANON_RATE", default="120/m")
# Registrations for events through the API per caller's address (events, issue 12).
EVENTS_REGISTRATION_RATE = env.str("EVENTS_REGISTRATION_RATE", default="30/m")
# Reminders go to confirmed participants this many hours before their event starts.
EVENTS_REMINDER_HOURS = env.int("EVENTS_REMINDER_HOURS", default=48)
API_USER_RATE = env.str("API_USER_RATE", default="600/m")
# Refused API tokens per address (unknown, revoked, expired); past it, 429 for every token.
API_TOKEN_FAILURE_RATE = env.str("API_TOKEN_FAILURE_RATE", default="10/m")
# Behind N reverse proxies the caller's address is the Nth from the right in X-Forwarded-For;
# with 0 it is REMOTE_ADDR (a caller could forge X-Forwarded-For to escape the limit).
NINJA_NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)

# --- Open-data catalogue (DCAT-AP.de at /api/v1/catalog.ttl and .jsonld): who publishes the data,
# whom to ask, and the publisher's id in GovData's list of contributors (dcatde:contributorID,
# a URI under http://dcat-ap.de/def/contributors/ that GovData assigns; left out while empty).
OPEN_DATA_PUBLISHER = env.str("OPEN_DATA_PUBLISHER", default="Partnerportal")
OPEN_DATA_PUBLISHER_URL = env.str("OPEN_DATA_PUBLISHER_URL", default="")
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="")
OPEN_DATA_CONTRIBUTOR_ID = env.str("OPEN_DATA_CONTRIBUTOR_ID", default="")

# --- Logging: to the console, never request bodies, secrets or personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request logger would name the path and user agent of every 4xx; keep warnings
        # short and never mail request data to admins.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A forged Host header is noise, not an incident; its traceback would fill the log.
        "django.security.DisallowedHost": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "partnerportal.core.views.csrf_failure"

# --- PDFs (letters, badges, certificates) are drawn with fpdf2 in a font with German, Cyrillic
# and Latin extended letters, installed from npm (dejavu-fonts-ttf) like the other assets.
PDF_FONT_DIR = Path(
    env.str("PARTNERPORTAL_PDF_FONT_DIR", default=str(NODE_MODULES / "dejavu-fonts-ttf" / "ttf"))
)

# Advisory cases (issue 14): contact requests per client address, and how long a closed case
# keeps its requester's personal data before the scheduled job anonymises it.
ADVISORY_CONTACT_RATE = env.str("ADVISORY_CONTACT_RATE", default="10/h")
ADVISORY_CASE_RETENTION_DAYS = env.int("ADVISORY_CASE_RETENTION_DAYS", default=730)

# --- Funding after submission (funding/reports.py, funding/reminders.py): a final report's line
# that deviates from the approved amount by more than this percentage must be explained; the
# applicant is reminded this many days before the report deadline.
FUNDING_REPORT_DEVIATION_PERCENT = env.int("FUNDING_REPORT_DEVIATION_PERCENT", default=20)
FUNDING_REPORT_REMINDER_DAYS = env.int("FUNDING_REPORT_REMINDER_DAYS", default=14)

# --- Events (organisers): days after an event's end until its registrations are anonymised,
# for events without a series (a series sets its own, EventSeries.retention_days).
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=365)

# Travel cost support asked for with an event registration becomes a draft application for
# this funding instrument (its short name); none is made when no open instrument has it.
FUNDING_TRAVEL_SUPPORT_INSTRUMENT = env.str(
    "FUNDING_TRAVEL_SUPPORT_INSTRUMENT", default="reisekosten-anbahnung-delegation"
)
