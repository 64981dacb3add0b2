"""Django settings for zhenggai, read from the environment once, through typed helpers.

Everything an operator may change is an environment variable with a safe default, so one
`zhenggai serve` on a laptop and a deployment on an intranet server run the same code:

    ZHENGGAI_DATA_DIR      data folder (default ./zhenggai-data): db.sqlite3, media/, logs/, secret_key
    DATABASE_URL           postgres://user:pass@host:5432/name selects PostgreSQL (default: SQLite)
    DEBUG                  1 to show tracebacks (never in production)
    SECRET_KEY             else generated once and kept in the data folder (mode 0600)
    ZHENGGAI_HTTPS         1 when served over HTTPS: secure cookies, HSTS, redirect of plain HTTP
    ZHENGGAI_SSL_REDIRECT  with ZHENGGAI_HTTPS: 0 when the proxy in front already redirects HTTP (default 1)
    ZHENGGAI_HSTS_SECONDS  with ZHENGGAI_HTTPS: HSTS max-age (default one year), and
    ZHENGGAI_HSTS_SUBDOMAINS, ZHENGGAI_HSTS_PRELOAD  its includeSubDomains and preload flags (default 1)
    ZHENGGAI_REQUEST_ID_HEADER  the header a trusted proxy sets to its request id (e.g. X-Request-ID);
                           unset: every request id is generated here (a client cannot choose it)
    ZHENGGAI_LOG_LEVEL     level of the zhenggai loggers (default INFO)
    ZHENGGAI_LOG_MAX_MB, ZHENGGAI_LOG_BACKUPS  size at which DATA_DIR/logs/zhenggai.log is rotated
                           (default 10) and how many old files are kept (default 5)
    ZHENGGAI_PRODUCTION    1 to declare a production system (also implied by ZHENGGAI_HTTPS=1 with DEBUG off):
                           on production settings `zhenggai demo` refuses to run, even with --force
    ZHENGGAI_ALLOWED_HOSTS comma-separated host names (default: localhost only)
    ZHENGGAI_HOST, ZHENGGAI_PORT  where `zhenggai serve` listens (default 127.0.0.1 and 8000)
    ZHENGGAI_WORKERS, ZHENGGAI_THREADS  its worker processes (default 1) and threads in each
                           (default twice the cores plus one); docs/deploy.md runs it as a service
    ZHENGGAI_EVIDENCE_MAX_MB  largest evidence file accepted (default 50)
    ZHENGGAI_OPINIONS_PER_REPORT_HOUR / _PER_MINUTE / _PER_HOUR  public opinions accepted for one report
                           in an hour (20), and for the whole site in a minute (30) and an hour (200)
    ZHENGGAI_SITE_URL      the system's own address as users reach it (https://zhenggai.example.gov.cn),
                           so that e-mails can carry links; without it they tell people to log in
    ZHENGGAI_BACKUP_DIR    where backups go (default: <data folder>-backups beside the data folder)
    ZHENGGAI_BACKUP_HOUR   hour (0-23) of the daily backup taken by `zhenggai serve`; unset: no schedule
    ZHENGGAI_BACKUP_BY_CRON  1 to declare that cron (or another scheduler) runs `zhenggai backup` daily,
                           which satisfies `zhenggai check --deploy` without ZHENGGAI_BACKUP_HOUR
    ZHENGGAI_BACKUP_DAILY / ZHENGGAI_BACKUP_MONTHLY  scheduled backups kept: one a day for N days (7),
                           one a month for M months (12)
    ZHENGGAI_MODE          "full" (default: the whole system on one machine) or "public": only the public
                           site, no staff login, no API, fed by `zhenggai public-import` (README: 内网与公众网站分开部署)
    ZHENGGAI_EXCHANGE_KEY  this side's signing key for the one-way bundles (default DATA_DIR/keys/exchange.key)
    ZHENGGAI_EXCHANGE_PEER_KEY  the other side's public key (default DATA_DIR/keys/peer.pub)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


# --- typed environment helpers -------------------------------------------------------------


def env_str(name: str, default: str = "") -> str:
    """A string from the environment; blank counts as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name).lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not an integer") from None


def env_path(name: str, default: str | Path) -> Path:
    """A path from the environment, made absolute against the working directory."""
    return Path(env_str(name) or default).expanduser().resolve()


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- data folder and secret key ------------------------------------------------------------

DATA_DIR = env_path("ZHENGGAI_DATA_DIR", "zhenggai-data")
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_ROOT.mkdir(exist_ok=True)
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is absent


def _stored_secret_key(folder: Path) -> str:
    """Read the key kept in the data folder, creating it (mode 0600) on first start.

    O_EXCL makes two processes starting at once agree on one key instead of overwriting.
    """
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it to generate a new key") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


SECRET_KEY = env_str("SECRET_KEY") or _stored_secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("ZHENGGAI_HTTPS", False)
PRODUCTION = env_bool("ZHENGGAI_PRODUCTION", False)
ALLOWED_HOSTS = env_list("ZHENGGAI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ZHENGGAI_CSRF_TRUSTED_ORIGINS", [])


# The public site alone, on a machine facing the internet: it serves /gongkai/ from the public tables
# only and learns of publications through signed bundles (zhenggai.public.exchange), never a connection.
ZHENGGAI_MODE = env_str("ZHENGGAI_MODE", "full").lower()
if ZHENGGAI_MODE not in ("full", "public"):
    raise ValueError(f"ZHENGGAI_MODE={ZHENGGAI_MODE!r} is neither 'full' nor 'public'")
PUBLIC_ONLY = ZHENGGAI_MODE == "public"
ZHENGGAI_EXCHANGE_KEY = env_path("ZHENGGAI_EXCHANGE_KEY", DATA_DIR / "keys" / "exchange.key")
ZHENGGAI_EXCHANGE_PEER_KEY = env_path("ZHENGGAI_EXCHANGE_PEER_KEY", DATA_DIR / "keys" / "peer.pub")


# --- database ------------------------------------------------------------------------------

SQLITE_OPTIONS = {
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN,
    # so two concurrent edits queue on busy_timeout instead of failing with "database is locked".
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000"
    ),
    "transaction_mode": "IMMEDIATE",
}
# A write that loses a lock race (deadlock, serialization failure, SQLite busy) is run again this
# many times in all before the user is asked to retry (`zhenggai.ledger.concurrency`).
ZHENGGAI_WRITE_ATTEMPTS = 4
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
SQLITE_SCHEMES = {"sqlite"}


def database_from_url(url: str, data_dir: Path) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry; '' means the SQLite file in the data folder.

    Returns an entry with "UNKNOWN_SCHEME" set (and SQLite as the fallback) for a scheme we do
    not know, so the system check can say so instead of the process dying on import.
    """
    sqlite_default = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }
    if not url:
        return sqlite_default
    parts = urlparse(url)
    scheme = parts.scheme.lower()
    if scheme in SQLITE_SCHEMES:
        # sqlite:///relative.db or sqlite:////absolute/path.db
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        return {**sqlite_default, "NAME": Path(name) if name else data_dir / "db.sqlite3"}
    if scheme in POSTGRES_SCHEMES:
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "zhenggai",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("ZHENGGAI_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    return {**sqlite_default, "UNKNOWN_SCHEME": scheme}


DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {"default": database_from_url(DATABASE_URL, DATA_DIR)}
if env_str("ZHENGGAI_TEST_DB_NAME"):
    # test runs that share one PostgreSQL server (developers, CI) each get a database of their own
    DATABASES["default"]["TEST"] = {"NAME": env_str("ZHENGGAI_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- applications --------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "zhenggai.org",
    "zhenggai.ledger",
    "zhenggai.api",
    "zhenggai.web",
    "zhenggai.public",
    "zhenggai.oversight",
    "zhenggai.reports",
]

MIDDLEWARE = [
    "zhenggai.web.middleware.RequestIdMiddleware",  # first: every log line below carries its id
    "django.middleware.security.SecurityMiddleware",
    "zhenggai.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before CSRF, which would otherwise be the first to read an upload's body
    "zhenggai.filetransfer.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhenggai.web.busy.BusyMiddleware",
]

ROOT_URLCONF = "zhenggai.urls"
if PUBLIC_ONLY:
    # no sessions, logins or messages: nothing on the public site reads a user, and no staff page is routed
    ROOT_URLCONF = "zhenggai.urls_public"
    MIDDLEWARE = [
        m
        for m in MIDDLEWARE
        if m.rsplit(".", 1)[1] not in ("SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware")
    ]
WSGI_APPLICATION = "zhenggai.wsgi.application"
ASGI_APPLICATION = "zhenggai.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhenggai.web.context.navigation",
                "zhenggai.params.query_notes",
            ]
            if not PUBLIC_ONLY
            else ["django.template.context_processors.request", "zhenggai.params.query_notes"],
        },
    },
]

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"


# --- security ------------------------------------------------------------------------------

# Argon2id at OWASP's parameters first (cheaper per login than PBKDF2, see zhenggai/org/hashers.py);
# the others still check older hashes, which are upgraded at the next login.
PASSWORD_HASHERS = [
    "zhenggai.org.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # not a rule: ends the user's API tokens whenever the password changes (zhenggai/api/tokens.py)
    {"NAME": "zhenggai.api.tokens.EndTokensOnPasswordChange"},
]

SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("ZHENGGAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHENGGAI_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("ZHENGGAI_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("ZHENGGAI_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes on the loopback speak plain HTTP
    if not SECURE_SSL_REDIRECT:
        # the operator said the proxy in front redirects plain HTTP: Django need not, nor warn
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Content-Security-Policy (web.middleware): scripts, styles, images and fetches from this site only,
# no inline script or style, no plugins, no <base>, no framing, forms post here only. Pages that need
# no script at all (the public site) get the stricter script-free policy.
ZHENGGAI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
ZHENGGAI_CSP_SCRIPT_FREE = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
ZHENGGAI_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), display-capture=()"
)
ZHENGGAI_REQUEST_ID_HEADER = env_str("ZHENGGAI_REQUEST_ID_HEADER", "")

# `zhenggai serve` (granian): the command line overrides these, a service sets them in its environment file
ZHENGGAI_HOST = env_str("ZHENGGAI_HOST", "127.0.0.1")
ZHENGGAI_PORT = env_int("ZHENGGAI_PORT", 8000)
ZHENGGAI_WORKERS = env_int("ZHENGGAI_WORKERS", 1)
ZHENGGAI_THREADS = env_int("ZHENGGAI_THREADS", (os.cpu_count() or 1) * 2 + 1)


# --- language and time ---------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True


# --- files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
# Media are never served as plain static files: evidence goes through a view that checks access.
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
ZHENGGAI_EVIDENCE_MAX_BYTES = env_int("ZHENGGAI_EVIDENCE_MAX_MB", 50) * 1024 * 1024
ZHENGGAI_EVIDENCE_EXTENSIONS = env_list(
    "ZHENGGAI_EVIDENCE_EXTENSIONS",
    ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "txt", "jpg", "jpeg", "png", "zip"],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Files are counted while they arrive and the upload stops past the limit of the view's kind
# (zhenggai.filetransfer); evidence uses ZHENGGAI_EVIDENCE_MAX_BYTES, views that declare no kind "other".
FILE_UPLOAD_HANDLERS = [
    "zhenggai.filetransfer.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
ZHENGGAI_UPLOAD_LIMITS = {
    "import": env_int("ZHENGGAI_IMPORT_MAX_MB", 50) * 1024 * 1024,
    "xlsx": env_int("ZHENGGAI_XLSX_MAX_MB", 20) * 1024 * 1024,
    "other": 2 * 1024 * 1024,
}
# Overrides of the archive guard's limits (zhenggai.ingest.archive.ArchiveLimits field names → values),
# applied once at start-up to every .docx, .xlsx and zip evidence we open.
ZHENGGAI_ARCHIVE_LIMITS: dict[str, int] = {}
FILE_UPLOAD_PERMISSIONS = 0o640


# --- the rectification calendar: defaults for a new committee (each committee edits its own) --

ZHENGGAI_CALENDAR_DEFAULTS = {
    "plan_due_days": env_int("ZHENGGAI_PLAN_DUE_DAYS", 30),
    "concentrated_months": env_int("ZHENGGAI_CONCENTRATED_MONTHS", 3),
    "report_due_months": env_int("ZHENGGAI_REPORT_DUE_MONTHS", 2),
    "green_days": env_int("ZHENGGAI_GREEN_DAYS", 20),
    "yellow_days": env_int("ZHENGGAI_YELLOW_DAYS", 10),
}


# --- public site: opinion rates (per address as in zhenggai/public/protect/throttle.py) --------

ZHENGGAI_PUBLIC_LIMITS = {
    "opinion-report": ((env_int("ZHENGGAI_OPINIONS_PER_REPORT_HOUR", 20), 3600),),
    "opinion-all": (
        (env_int("ZHENGGAI_OPINIONS_PER_MINUTE", 30), 60),
        (env_int("ZHENGGAI_OPINIONS_PER_HOUR", 200), 3600),
    ),
}


# --- logins, the caller's address, API tokens ------------------------------------------------

# Behind a reverse proxy: the proxies' addresses or CIDR ranges, and the header they write the
# caller's address into. Requests from anywhere else are taken at their own address (REMOTE_ADDR).
ZHENGGAI_TRUSTED_PROXIES = env_list("ZHENGGAI_TRUSTED_PROXIES", [])
ZHENGGAI_CLIENT_IP_HEADER = env_str("ZHENGGAI_CLIENT_IP_HEADER", "X-Forwarded-For")
# Failed logins within the window: per username (locks it for addresses that failed), per address,
# overall (then only addresses that have not failed may try). See zhenggai/web/throttle.py.
ZHENGGAI_LOGIN_WINDOW_MINUTES = env_int("ZHENGGAI_LOGIN_WINDOW_MINUTES", 15)
ZHENGGAI_LOGIN_MAX_FAILURES = env_int("ZHENGGAI_LOGIN_MAX_FAILURES", 5)
ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
ZHENGGAI_LOGIN_MAX_FAILURES_GLOBAL = env_int("ZHENGGAI_LOGIN_MAX_FAILURES_GLOBAL", 200)
# Password checks running at once in one server process (default: the number of CPUs).
ZHENGGAI_LOGIN_CONCURRENT_HASHES = env_int("ZHENGGAI_LOGIN_CONCURRENT_HASHES", os.cpu_count() or 1)
# …and how long a login waits for one before it is asked to try again later.
ZHENGGAI_LOGIN_HASH_WAIT_SECONDS = env_int("ZHENGGAI_LOGIN_HASH_WAIT_SECONDS", 10)
# API tokens end after this many days unless created with another expiry.
ZHENGGAI_TOKEN_DAYS = env_int("ZHENGGAI_TOKEN_DAYS", 90)


# --- e-mail (deadline reminders; printed to the console unless a server is configured) -----

EMAIL_BACKEND = env_str("ZHENGGAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ZHENGGAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZHENGGAI_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("ZHENGGAI_EMAIL_FROM", "zhenggai@localhost")
# Behind proxies and on intranets the request's host is not what people type, so e-mails take the
# address from here; an empty value leaves links out of e-mails.
ZHENGGAI_SITE_URL = env_str("ZHENGGAI_SITE_URL", "").rstrip("/")


# --- backups (zhenggai.ops) ----------------------------------------------------------------

# Beside the data folder, not in it: a restore swaps the whole data folder.
ZHENGGAI_BACKUP_DIR = env_path("ZHENGGAI_BACKUP_DIR", DATA_DIR.with_name(f"{DATA_DIR.name}-backups"))
ZHENGGAI_BACKUP_HOUR = env_int("ZHENGGAI_BACKUP_HOUR", -1)  # -1: no scheduled backups
ZHENGGAI_BACKUP_BY_CRON = env_bool("ZHENGGAI_BACKUP_BY_CRON", False)  # only read by the deploy checks
ZHENGGAI_BACKUP_DAILY = env_int("ZHENGGAI_BACKUP_DAILY", 7)
ZHENGGAI_BACKUP_MONTHLY = env_int("ZHENGGAI_BACKUP_MONTHLY", 12)


# --- logging -------------------------------------------------------------------------------
# Unhandled errors (Django's `django.request` for pages, `zhenggai.api` for the API) and everything
# under `zhenggai` go to stderr and to a rotated file in the data folder; each line names the
# request id and the user id (web.logs.RequestContext).

LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(exist_ok=True)
ZHENGGAI_LOG_FILE = LOG_DIR / "zhenggai.log"
ZHENGGAI_LOG_MAX_BYTES = env_int("ZHENGGAI_LOG_MAX_MB", 10) * 1024 * 1024
ZHENGGAI_LOG_BACKUPS = env_int("ZHENGGAI_LOG_BACKUPS", 5)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "zhenggai.web.logs.RequestContext"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(user_id)s] %(message)s"}
    },
    "handlers": {
        "console": {"class": "zhenggai.web.logs.StderrHandler", "formatter": "plain", "filters": ["request"]},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(ZHENGGAI_LOG_FILE),
            "maxBytes": ZHENGGAI_LOG_MAX_BYTES,
            "backupCount": ZHENGGAI_LOG_BACKUPS,
            "encoding": "utf-8",
            "delay": True,
            "formatter": "plain",
            "filters": ["request"],
        },
    },
    "loggers": {
        "zhenggai": {"handlers": ["console", "file"], "level": env_str("ZHENGGAI_LOG_LEVEL", "INFO")},
        # 5xx with their traceback; 4xx ("Not Found: …") are not errors of ours
        "django.request": {"handlers": ["console", "file"], "level": "ERROR", "propagate": False},
        # DisallowedHost, CSRF failures
        "django.security": {"handlers": ["console", "file"], "level": "WARNING", "propagate": False},
    },
}
