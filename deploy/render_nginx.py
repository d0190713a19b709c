"""Fill in deploy/nginx/newsroom.conf.template and print it.

    python deploy/render_nginx.py --server-name news.example.com --proxy-cache /var/cache/nginx/newsroom

The upload limit is read from IMAGE_MAX_UPLOAD_BYTES (as the site reads it), so nginx refuses a
too-large upload itself (413) instead of passing it to gunicorn.
"""

import argparse
import math
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
# Room for the multipart form around the file (boundaries, other fields, a CSRF token).
FORM_OVERHEAD = 1024 * 1024

PROXY_CACHE_PATH = (
    "proxy_cache_path {path} levels=1:2 keys_zone=newsroom:10m max_size=1g inactive=1h use_temp_path=off;\n"
)
# The cache honours the site's Cache-Control (s-maxage, stale-while-revalidate, private,
# no-store) and Vary; a request carrying a session or messages cookie never uses it.
PROXY_CACHE = """\
        proxy_cache newsroom;
        proxy_cache_key $scheme$host$request_uri;
        proxy_cache_lock on;
        proxy_cache_background_update on;
        proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
        proxy_cache_bypass $cookie_sessionid $cookie_messages;
        proxy_no_cache $cookie_sessionid $cookie_messages;
        add_header X-Cache-Status $upstream_cache_status always;
"""


def client_max_body_size():
    limit = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
    return f"{math.ceil((limit + FORM_OVERHEAD) / (1024 * 1024))}m"


def render(*, server_name, listen, upstream, static_root, media_root, proxy_cache=""):
    values = {
        "SERVER_NAME": server_name,
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "STATIC_URL": "/" + os.environ.get("STATIC_URL", "static/").strip("/") + "/",
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_URL": "/" + os.environ.get("MEDIA_URL", "/media/").strip("/") + "/",
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "CLIENT_MAX_BODY_SIZE": client_max_body_size(),
        "PROXY_CACHE_PATH": PROXY_CACHE_PATH.format(path=proxy_cache) if proxy_cache else "",
        "PROXY_CACHE": PROXY_CACHE if proxy_cache else "",
    }
    text = (HERE / "nginx" / "newsroom.conf.template").read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--upstream", default=os.environ.get("GUNICORN_BIND", "127.0.0.1:8001"))
    parser.add_argument("--static-root", default=os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
    parser.add_argument(
        "--proxy-cache", default="", help="a directory for nginx's page cache (off when empty)"
    )
    args = parser.parse_args()
    print(
        render(
            server_name=args.server_name,
            listen=args.listen,
            upstream=args.upstream,
            static_root=args.static_root,
            media_root=args.media_root,
            proxy_cache=args.proxy_cache,
        ),
        end="",
    )


if __name__ == "__main__":
    main()
