"""Newsroom settings.

Every value an operator may change comes from an environment variable; README.md lists them.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-debug-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The publisher's logo in structured data (a static file, square, SITE_LOGO_SIZE px) and the
# feeds' content (articles/seo.py, articles/feeds.py); robots.txt's rules, before its Sitemap line.
SITE_LOGO = os.environ.get("SITE_LOGO", "icons/icon-512.png")
SITE_LOGO_SIZE = int(os.environ.get("SITE_LOGO_SIZE", "512"))
FEED_FULL_TEXT = env_bool("FEED_FULL_TEXT", True)
ROBOTS_TXT = os.environ.get("ROBOTS_TXT", "User-agent: *\nDisallow: /admin/")

INSTALLED_APPS = [
    "articles.dashboard.NewsroomAdminConfig",  # django.contrib.admin with the newsroom dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "articles",
    "newsletter",
    "axes",  # sign-in protection (newsroom/signin.py)
    "reversion",  # story revisions (articles/admin.py)
]

MIDDLEWARE = [
    # The reader's address from X-Forwarded-For, only behind TRUSTED_PROXIES; then malformed
    # requests (non-UTF-8 forms, NUL bytes) get the 400 page before anything reads them.
    "newsroom.middleware.ClientAddressMiddleware",
    "newsroom.middleware.MalformedRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public reader pages: caching headers, the page cache, then compression (articles/cache.py).
    # Before the session and CSRF middleware, so they see the cookies and Vary of the answer.
    "newsroom.csp.SiteCSPMiddleware",
    "articles.cache.PageCacheMiddleware",
    "articles.cache.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Which requests may read from the replica, when there is one (newsroom/db_router.py).
    "newsroom.db_router.ReplicaMiddleware",
    # A database that does not answer: the 503 page instead of a 500 (newsroom/middleware.py).
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Answers a locked-out sign-in with the lockout page (newsroom/signin.py); last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A read replica of PostgreSQL (optional): anonymous reader pages read from it, everything else
# (writes, transactions, the admin, reads after a write) uses the primary (newsroom/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
# SQLite: take the write lock when a transaction begins, so simultaneous writes (two signups of
# one address) wait their turn instead of failing with "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
# PostgreSQL fails fast: seconds to connect, seconds a statement may run (the server ends it), and
# a client-side deadline just past that for a server that stops answering (newsroom/postgresql).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "newsroom.postgresql"
        _database.setdefault("OPTIONS", {}).update(
            connect_timeout=DATABASE_CONNECT_TIMEOUT,
            options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        )
# Seconds /readyz waits for the database and the cache (newsroom/health.py).
HEALTH_CHECK_TIMEOUT = float(os.environ.get("HEALTH_CHECK_TIMEOUT", "2"))
# Addresses (or networks) of the reverse proxies in front of the site: only from them is
# X-Forwarded-For believed (newsroom/middleware.py). Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# "pages" holds the page cache (articles/cache.py), apart from rate limits so pages never evict them.
# Without Redis each process has its own memory cache: fine for one process, not for several.
if REDIS_URL:
    # Short timeouts: with Redis down, pages are rendered without the cache instead of waiting.
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {"default": _redis, "pages": {**_redis, "KEY_PREFIX": "pages"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        },
    }
# Seconds an anonymous reader's page stays in the page cache; 0 turns the cache off. Any change
# of content invalidates it at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Cache-Control of public pages: for browsers (max-age), shared caches such as a CDN (s-maxage),
# and how long either may show a stale page while it fetches a fresh one.
HTTP_CACHE_MAX_AGE = int(os.environ.get("HTTP_CACHE_MAX_AGE", "60"))
HTTP_CACHE_S_MAXAGE = int(os.environ.get("HTTP_CACHE_S_MAXAGE", "300"))
HTTP_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("HTTP_CACHE_STALE_WHILE_REVALIDATE", "60"))

# Sign-in protection (django-axes, newsroom/signin.py): after SIGNIN_FAILURES_PER_NAME failed
# sign-ins for one user name or SIGNIN_FAILURES_PER_ADDRESS from one address within
# SIGNIN_LOCKOUT_MINUTES, sign-ins are refused until that much time passes without another
# failure, or an editor deletes the entry in Admin › Axes › Access attempts.
AUTHENTICATION_BACKENDS = ["newsroom.signin.SignInBackend", "django.contrib.auth.backends.ModelBackend"]
SIGNIN_FAILURES_PER_NAME = int(os.environ.get("SIGNIN_FAILURES_PER_NAME", "5"))
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", "20"))
AXES_FAILURE_LIMIT = SIGNIN_FAILURES_PER_ADDRESS
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_HANDLER = "newsroom.signin.SignInHandler"
AXES_CLIENT_IP_CALLABLE = "newsroom.signin.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no "AXES: BEGIN version …" line from every process and command
# Hours a story's preview link (for someone without an account) works, unless revoked sooner.
PREVIEW_LINK_HOURS = int(os.environ.get("PREVIEW_LINK_HOURS", "72"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Media on S3-compatible storage (AWS S3, Cloudflare R2, MinIO) when a bucket is named; local
# disk otherwise. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (read by boto3).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
# The public origin pictures are loaded from, for the Content-Security-Policy (None: this site).
MEDIA_ORIGIN = None
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        # Readers get plain public URLs (the bucket, or its CDN, must allow public reads).
        "querystring_auth": False,
        "default_acl": None,
        "file_overwrite": False,
        # Names are never reused: browsers and CDNs may keep every object for a year.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if _s3["custom_domain"]:
        MEDIA_ORIGIN = f"https://{_s3['custom_domain']}"
    elif _s3["endpoint_url"]:
        MEDIA_ORIGIN = "/".join(_s3["endpoint_url"].split("/")[:3])
    else:
        MEDIA_ORIGIN = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
# Django serves uploads itself only when asked (always in DEBUG); otherwise the web server does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
STORAGES = {
    # Local disk; a write that fails half-way (disk full) leaves no partial file (newsroom/storage.py).
    "default": {"BACKEND": "newsroom.storage.CleanFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}

# Email: the console backend prints mail to the terminal until SMTP is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (newsroom/celery.py): every email is a Celery task. With a broker, web requests
# only queue them and `celery -A newsroom worker` sends; without one, tasks run in-process once the
# transaction commits, so a newcomer needs nothing else installed (a check warns in production).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it ends, and given back to the queue if its worker dies: the
# deliveries it claimed in the database tell the next worker what was already sent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis: a task not acknowledged within this many seconds (its worker died) is handed out again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-scheduled-editions": {"task": "newsletter.tasks.send_scheduled_editions", "schedule": 60.0},
    "send-due-digests": {"task": "newsletter.tasks.send_due_digests", "schedule": 60.0},
}
# Edition deliveries per task; each task sends its batch over one SMTP connection.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "500"))
# Retries of an email after a temporary SMTP failure, waiting about 1, 2, 4… minutes (at most 1 h).
# Without a broker mail runs inside the web request: one retry at most, so a mail server that
# hangs holds a signup for two EMAIL_TIMEOUTs, not nine, and never past the web server's timeout.
NEWSLETTER_MAIL_RETRIES = int(os.environ.get("NEWSLETTER_MAIL_RETRIES", "8" if CELERY_BROKER_URL else "1"))
NEWSLETTER_MAIL_RETRY_BACKOFF = int(os.environ.get("NEWSLETTER_MAIL_RETRY_BACKOFF", "60"))
# A delivery still "sending" this many seconds after its claim was caught by a dying worker between
# the mail server and the record: it is marked unknown and never sent again.
NEWSLETTER_CLAIM_TIMEOUT = int(os.environ.get("NEWSLETTER_CLAIM_TIMEOUT", str(2 * EMAIL_TIMEOUT + 10)))

# One-time messages (a signup's answer without JavaScript) in a signed cookie, never the session:
# a reader gets no session cookie, and the messages cookie marks the one page that shows them as
# personal (articles/cache.py).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Security: Django's defaults, hardened when DEBUG is off. Behind a TLS-terminating proxy,
# set DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe health over plain HTTP (newsroom/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The header only says the site consents to the browsers' preload list; nothing is submitted.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, newsroom/csp.py): reader pages load only the site's own
# files and run no inline script; media on another host (S3) are allowed as pictures. Enforced
# with DEBUG off, report-only (console warnings) with it on.
_csp_images = [SELF, MEDIA_ORIGIN] if MEDIA_ORIGIN else [SELF]
_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _csp_images,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp
else:
    CONTENT_SECURITY_POLICY = _csp
# What the admin adds for CKEditor 5: the styles it injects, pictures pasted as data:/blob: URLs.
CONTENT_SECURITY_POLICY_ADMIN = {"style-src": [UNSAFE_INLINE], "img-src": ["data:", "blob:"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Rich text: CKEditor 5 (django-ckeditor-5). The toolbar matches the allowlist in
# articles/sanitize.py: whatever the editor can make, the sanitizer keeps. The bundled build
# loads every plugin it ships; "removePlugins" unloads those the toolbar does not offer, so a
# paste from Word or Google Docs keeps only headings, bold, italic, links, lists and quotes
# (PasteFromOffice, in the bundle, tidies it first). Markdown and FullPage would replace the
# HTML the editor saves, HtmlEmbed and SourceEditing would let raw HTML in.
CKEDITOR_5_REMOVED_PLUGINS = [
    "Markdown", "FullPage", "HtmlEmbed", "SourceEditing", "Style", "GeneralHtmlSupport",
    "Font", "Highlight", "Alignment", "Underline", "Strikethrough", "Code", "Subscript",
    "Superscript", "CodeBlock", "Table", "TableToolbar", "TableCaption", "TableProperties",
    "TableCellProperties", "Indent", "IndentBlock", "TodoList", "ListProperties", "PageBreak",
    "HorizontalLine", "LinkImage", "ImageResize", "ImageStyle", "Mention", "SpecialCharacters",
    "SpecialCharactersEssentials", "ShowBlocks", "FindAndReplace",
]  # fmt: skip
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "imageUpload",
                "mediaEmbed",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Heading 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Heading 3", "class": "ck-heading_heading3"},
            ]
        },
        "image": {"toolbar": ["imageTextAlternative", "toggleImageCaption"]},
        "link": {"addTargetToExternalLinks": False, "defaultProtocol": "https://"},
        # A media embed is stored as its URL (<oembed>) and shown to readers as a link. These are
        # CKEditor's own providers without their player previews, so the editor too loads nothing
        # from the video's host. app.js turns "/…/" strings into regular expressions (one string
        # per provider: it would also turn a list of them into one broken expression).
        "mediaEmbed": {
            "previewsInData": False,
            "providers": [
                {
                    "name": "youtube",
                    "url": r"/^(?:(?:m\.)?youtube\.com\/(?:watch\?v=|shorts\/|v\/|embed\/)"
                    r"|youtu\.be\/)[\w-]+/",
                },
                {"name": "vimeo", "url": r"/^(?:player\.)?vimeo\.com\/(?:[^?#]+\/)?\d+/"},
                {"name": "dailymotion", "url": r"/^(?:dailymotion\.com\/video|dai\.ly)\/\w+/"},
                {
                    "name": "spotify",
                    "url": r"/^open\.spotify\.com\/(?:artist|album|track|episode|show)\/\w+/",
                },
                {"name": "instagram", "url": r"/^instagram\.com\/(?:p|reel)\/\w+/"},
                {"name": "twitter", "url": r"/^(?:twitter|x)\.com\//"},
                {
                    "name": "googleMaps",
                    "url": r"/^(?:google\.com\/maps|goo\.gl\/maps|maps\.google\.com|maps\.app\.goo\.gl)/",
                },
                {"name": "flickr", "url": r"/^flickr\.com\//"},
                {"name": "facebook", "url": r"/^facebook\.com\//"},
            ],
        },
        "removePlugins": CKEDITOR_5_REMOVED_PLUGINS,
        # Typographic quotes, apostrophes, dashes and ellipses as one types: the bundle lacks
        # CKEditor's TextTransformation, so static/admin/articles/smart-typography.js (in the Media
        # of every admin with a rich-text field) defines this plugin; app.js resolves "callback:".
        "extraPlugins": ["callback:SmartTypography"],
    },
}

# Images (articles/images.py, articles/renditions.py). Uploads above these limits are refused.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", "40000000"))
# Renditions made at upload: these widths (never wider than the original), whole and cut to
# these aspect ratios around the focal point, as WebP and in the original's format. The crops the
# code names (articles/renditions.py: 16:9 for cards, 1:1 for author photos) must stay listed; the
# 4:3 that only search engines' structured data asks for is cut at one width (SHARE_WIDTH).
# 200: a phone's story card shows its picture 104 px wide (6.5rem, drawn 185 px wide as a square cut).
IMAGE_RENDITION_WIDTHS = [200, 400, 800, 1200, 1600]
IMAGE_CROPS = ["16:9", "1:1"]
IMAGE_WEBP_QUALITY = 80
IMAGE_JPEG_QUALITY = 82
IMAGE_ORIGINAL_QUALITY = 92
# The editor's image button posts here (articles/uploads.py): staff only, same checks as the admin.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor_image_upload"
# What the editor's file picker offers: the formats the upload view accepts.
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "webp", "gif"]

# Newsletter signups (newsletter app).
# New addresses must confirm by email first (double opt-in); set 0 to make them active at once.
NEWSLETTER_DOUBLE_OPT_IN = env_bool("NEWSLETTER_DOUBLE_OPT_IN", True)
# A form sent back sooner than this after it was rendered, or later than NEWSLETTER_FORM_MAX_AGE,
# proves no person: with double opt-in the confirmation email does; without, the reader is asked
# to send the form again.
NEWSLETTER_MIN_SUBMIT_SECONDS = float(os.environ.get("NEWSLETTER_MIN_SUBMIT_SECONDS", "2"))
NEWSLETTER_FORM_MAX_AGE = int(os.environ.get("NEWSLETTER_FORM_MAX_AGE", str(24 * 3600)))
# Signup attempts allowed per client address (REMOTE_ADDR) per window, counted in the cache.
# Behind a reverse proxy, make it pass the reader's address as REMOTE_ADDR, or every reader
# shares one limit. With several web processes, use a shared cache (REDIS_URL).
NEWSLETTER_RATE_LIMIT = int(os.environ.get("NEWSLETTER_RATE_LIMIT", "10"))
NEWSLETTER_RATE_WINDOW = int(os.environ.get("NEWSLETTER_RATE_WINDOW", "600"))
# How long a confirmation link works, and how often a pending address may get it again.
NEWSLETTER_CONFIRM_MAX_AGE = int(os.environ.get("NEWSLETTER_CONFIRM_MAX_AGE", str(7 * 24 * 3600)))
NEWSLETTER_RESEND_INTERVAL = int(os.environ.get("NEWSLETTER_RESEND_INTERVAL", "600"))
# Stored with each signup next to the consent text shown; raise it when the terms change.
NEWSLETTER_CONSENT_VERSION = os.environ.get("NEWSLETTER_CONSENT_VERSION", "1")
