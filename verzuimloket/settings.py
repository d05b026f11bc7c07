"""Settings for Verzuimloket, read from environment variables (docs/deploy.md lists them all).

Fail closed: without DEBUG=1 in the environment this is production, which refuses to start
until SECRET_KEY, ALLOWED_HOSTS and SITE_URL are set; then `manage.py check --deploy` has
nothing to report. `make run` and `make test` switch development mode on (DEBUG=1): local
hosts only, mail to the console.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless the environment says otherwise: a server started without configuration must not
# show tracebacks or accept any Host.
DEBUG = env_bool("DEBUG", False)


def env_verplicht(name: str, ontwikkeling: str, uitleg: str) -> str:
    """The variable's value; in development `ontwikkeling` when it is unset. Production has no
    defaults here: a guessed host name or key is worse than refusing to start."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return ontwikkeling
    raise ImproperlyConfigured(f"Zet {name} wanneer DEBUG uit staat. {uitleg}")


SECRET_KEY = env_verplicht(
    "SECRET_KEY",
    "django-insecure-alleen-voor-ontwikkeling-niet-in-productie-gebruiken",
    "Een lange willekeurige waarde, geheim en voor alle processen gelijk.",
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    env_verplicht(
        "ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
        "De hostnamen van de site, gescheiden door komma's (bijvoorbeeld verzuimloket.example.nl).",
    ),
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Public base address used in e-mails ("a link to the melding"); the request is not around
# when the worker sends them.
SITE_URL = env_verplicht(
    "SITE_URL",
    "http://127.0.0.1:8000",
    "Het openbare adres van de site, zoals https://verzuimloket.example.nl.",
).rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL moet beginnen met https:// (of http://).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "formtools",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project package is an app too: what both apps share and must store (throttle counters).
    "verzuimloket",
    "leerlingen",
    "meldingen",
    "behandeling",
    "koppelvlak",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A request id and one log line per request, also for static files; see logboek.py.
    "verzuimloket.logboek.VerzoekMiddleware",
    # API-Version on every answer of the API (koppelvlak/), also Django's own 404.
    "koppelvlak.middleware.ApiVersieMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy and no-store on every page (pupil data).
    "csp.middleware.CSPMiddleware",
    "verzuimloket.beveiliging.BeveiligingsheadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Many failed logins from one address, whatever the usernames: see verzuimloket/beveiliging.py.
    "verzuimloket.beveiliging.InlogremMiddleware",
    # Scopes every request to the organisation the user acts for; see leerlingen/autorisatie.py.
    "leerlingen.autorisatie.OrganisatieMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "verzuimloket.urls"
WSGI_APPLICATION = "verzuimloket.wsgi.application"

# The site's pages render with Jinja2 (verzuimloket/jinja2.py, docs/ui.md): templates/jinja2/
# and every app's jinja2/ folder (Django's own form widgets, django.forms). Django's language
# only for the admin: the overrides in templates/admin/ (and templates/registration/
# password_change_form.html, the admin's password change) and the apps' templates/. Jinja2 is
# asked first; the two never hold the same name, since the engine that finds a name compiles it.
TEMPLATES = [
    {
        "BACKEND": "verzuimloket.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "verzuimloket.jinja2.environment",
            # The backend adds `request`, `csrf_input` and `csrf_token` itself.
            "context_processors": ["django.contrib.messages.context_processors.messages"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "verzuimloket.forms.VerzuimloketFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/verzuimloket"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Parameters bound by the server, so psycopg prepares a statement the fifth time a connection
# runs it: PostgreSQL then plans it once, not on every request. On these pages planning took
# ten times as long as running (1 ms against 0.1 ms for the detail page's join). PgBouncer in
# transaction mode needs max_prepared_statements set for this (1.21+), else turn it off with
# DATABASE_PREPARED_STATEMENTS=0 (docs/deploy.md).
if env_bool("DATABASE_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator()) cannot
# outlive its transaction: set DISABLE_SERVER_SIDE_CURSORS=1 there (docs/deploy.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)
if os.environ.get("TEST_DATABASE_NAME"):
    # Lets several test runs share one server without sharing a test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Throttling first, as django-axes asks. eHerkenning would be one more backend here.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's organisations with the user (one query less
    # on every page).
    "leerlingen.autorisatie.GebruikerBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "kies_instelling"
LOGOUT_REDIRECT_URL = "login"

# Behind a reverse proxy (TLS terminated there): trust X-Forwarded-Proto, and take the client's
# address from X-Forwarded-For as PROXY_AANTAL trusted proxies in a row wrote it; never from a
# header a client could set itself (verzuimloket.beveiliging.client_ip).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_AANTAL = int(os.environ.get("PROXY_AANTAL", "1")) if BEHIND_PROXY else 0

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked for AXES_COOLOFF_MINUTES, counted from the failure that locked
# it (trying on during the lockout does not extend it). One address trying many usernames is
# stopped after INLOG_FOUTEN_PER_ADRES failures an hour (verzuimloket.beveiliging).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "verzuimloket.beveiliging.client_ip"
AXES_USERNAME_CALLABLE = "verzuimloket.beveiliging.inlognaam"
AXES_LOCKOUT_TEMPLATE = "registration/geblokkeerd.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
INLOG_FOUTEN_PER_ADRES = int(os.environ.get("INLOG_FOUTEN_PER_ADRES", "50"))

# Zoek leerling: at most this many PGN look-ups per user per hour (counted in PostgreSQL, or in
# Redis with REDIS_URL, so every process sees the same count).
PGN_ZOEKEN_PER_UUR = int(os.environ.get("PGN_ZOEKEN_PER_UUR", "300"))

# AVG: the inzagelog (who looked at which pupil) is kept this many days, then removed by the
# daily job.
INZAGE_BEWAARDAGEN = int(os.environ.get("INZAGE_BEWAARDAGEN", str(2 * 365)))

# The API (koppelvlak/): its version (the OpenAPI document's info.version and the API-Version
# header), how many calls a koppeling may make per minute (429 with Retry-After beyond), and how
# long a change must be committed before the list shows it (so a cursor never skips a change
# whose transaction committed after a later one's).
API_VERSIE = "1.0.0"
API_VERZOEKEN_PER_MINUUT = int(os.environ.get("API_VERZOEKEN_PER_MINUUT", "600"))
API_FEED_MARGE_SECONDEN = int(os.environ.get("API_FEED_MARGE_SECONDEN", "5"))
API_CONTACT = {
    "name": os.environ.get("API_CONTACT_NAAM", "Beheer Verzuimloket"),
    "email": os.environ.get("API_CONTACT_EMAIL", "beheer@verzuimloket.nl"),
    "url": os.environ.get("API_CONTACT_URL", SITE_URL),
}
# What `manage.py dagelijks` also cleans up, besides the meldingen app's own tasks.
DAGELIJKS_OPRUIMEN = {
    "Idempotency-Keys verwijderd": "koppelvlak.services.oude_idempotentie_verwijderen",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["koppelvlak.authenticatie.KoppelingAuthenticatie"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["koppelvlak.authenticatie.KoppelingRem"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "koppelvlak.parsers.JsonParser",
        "koppelvlak.parsers.MergePatchParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "koppelvlak.fouten.probleem_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Verzuimloket API",
    "DESCRIPTION": "Het koppelvlak van het Verzuimloket: administratiepakketten melden "
    "relatief verzuim, leerplichtsoftware van uitvoerende instanties haalt meldingen op en "
    "behandelt ze. Zie docs/api.md.",
    "VERSION": API_VERSIE,
    "CONTACT": API_CONTACT,
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per code list (the soort of a melding and of a list filter are the same list).
    "ENUM_NAME_OVERRIDES": {
        "Verzuimsoort": "meldingen.models.Verzuimsoort",
        "Status": "meldingen.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "koppelvlak.schema.na_bewerking",
    ],
}

# What several processes must share lives in PostgreSQL, or in Redis when REDIS_URL is set;
# never in one process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "verzuimloket_cache",
        }
    )
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["verzuimloket.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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
WHITENOISE_USE_FINDERS = DEBUG

# E-mail goes through Django's mail API; the console backend in development shows what would
# be sent. Production sets EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_*.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "verstuurde-mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Verzuimloket <noreply@verzuimloket.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# E-mails are queued in the database inside the registering transaction, so a failed
# registration sends nothing and a mail server that is down loses nothing; `manage.py
# db_worker` sends them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Django's database sessions, read with one fixed statement (verzuimloket/sessies.py).
SESSION_ENGINE = "verzuimloket.sessies"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS in production; all of these can be switched off per environment variable.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer checks the app processes directly over plain HTTP: no redirect to HTTPS for
# the health endpoints (verzuimloket/gezondheid.py).
SECURE_REDIRECT_EXEMPT = [r"^gezond/"]

# Only this site's own scripts, styles, images and forms; nothing inline, no frames.
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
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# No camera, microphone, location and the like: the Verzuimloket needs none of them.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)

# Logs go to stdout: one JSON object per line in production (for a log collector), readable
# lines in development; LOG_FORMAT=json or LOG_FORMAT=tekst chooses. Every line of a request
# carries its request id, user id and instellingscode, never pupil data (verzuimloket/logboek.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "tekst" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"verzoek": {"()": "verzuimloket.logboek.VerzoekFilter"}},
    "formatters": {
        "json": {"()": "verzuimloket.logboek.JsonFormatter"},
        "tekst": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["verzoek"],
            "formatter": "json" if LOG_FORMAT == "json" else "tekst",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Through the root handler only: Django's default adds a second console handler (and
        # mail to ADMINS, which is not set).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
