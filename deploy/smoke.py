"""Smoke test of the production setup: nginx (deploy/nginx) in front of gunicorn (deploy/gunicorn.conf.py).

    make smoke        # or: .venv/bin/python deploy/smoke.py

Starts both from these files on free loopback ports, with a throwaway SQLite database, demo
content, media and collected static files in a temporary directory (no root paths needed), then
checks through nginx what readers and editors get. nginx and gunicorn are always stopped at the
end. Exits non-zero on the first failed check.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "deploy"))
from render_nginx import render  # noqa: E402

PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
YEAR = "max-age=31536000"

MAIN_CONF = """\
daemon off;
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    include {tmp}/newsroom.conf;
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)
    print(f"  ok  {message}")


def request(port, method, path, body=None, headers=None, send_body=True):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)) if isinstance(body, bytes) else str(body))
        connection.endheaders()
        if body is not None and send_body and isinstance(body, bytes):
            connection.send(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def wait_until_up(port, process, name, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failed(f"{name} exited with status {process.returncode}")
        try:
            status, _, _ = request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failed(f"{name} did not answer /healthz within {seconds} s")


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare(tmp, env):
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL
        )
    # nginx's workers may run as another user: let them read what it serves.
    for path in (tmp, tmp / "media", tmp / "static"):
        path.chmod(0o755)


def checks(port):
    accept = {"Accept-Encoding": "gzip, br"}
    status, headers, html = request(port, "GET", "/", headers=accept)
    check(status == 200, "home page 200 through nginx")
    check(
        headers.get("content-encoding") in ("br", "gzip"),
        f"home compressed once, by the site ({headers.get('content-encoding')})",
    )
    check("public" in headers.get("cache-control", ""), "home is publicly cacheable")
    check(
        headers.get("x-frame-options") == "DENY" and "referrer-policy" in headers,
        "security headers passed through",
    )
    page = html.decode("utf-8", "replace") if headers.get("content-encoding") is None else None
    status, headers, html = request(port, "GET", "/")
    check(
        status == 200 and "content-encoding" not in headers,
        "home uncompressed for a client that asks for no coding",
    )
    page = html.decode()
    stories = re.findall(r'href="(/[\w-]+/[\w-]+/)"', page)
    story = next(path for path in stories if path.split("/")[1] not in ("feed", "tag", "author", "pages"))
    for path in (story, "/newsletter/", "/search/?q=festival", "/feed/", "/sitemap.xml"):
        status, _, _ = request(port, "GET", path)
        check(status == 200, f"{path} 200")

    # Static: the hashed stylesheet, from disk by nginx, precompressed, kept a year.
    css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page).group(1)
    status, headers, body = request(port, "GET", css, headers=accept)
    check(status == 200 and headers.get("server", "").startswith("nginx"), f"{css} served by nginx")
    check(
        YEAR in headers.get("cache-control", "") and "immutable" in headers["cache-control"],
        "static kept a year, immutable",
    )
    check(headers.get("content-encoding") == "gzip", "static CSS gzipped (precompressed .gz)")

    # Media: a demo picture, from disk by nginx, kept a year.
    picture = re.search(r'src="(/media/[^"]+)"', page).group(1)
    status, headers, body = request(port, "GET", picture)
    check(status == 200 and headers.get("content-type", "").startswith("image/"), f"{picture} served")
    check(
        YEAR in headers.get("cache-control", "") and "immutable" in headers["cache-control"],
        "media kept a year, immutable",
    )

    # A signup as the page's script sends it: multipart form, JSON answer, the page's Origin.
    status, _, form_page = request(port, "GET", "/newsletter/")
    form = re.search(r"<form[^>]*data-newsletter-form[^>]*>(.*?)</form>", form_page.decode(), re.S)
    action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
    fields = dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(1))
    )
    fields.update({"email": f"smoke-{secrets.token_hex(4)}@example.com", "consent": "on"})
    boundary = "smoke" + secrets.token_hex(8)
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        + f"--{boundary}--\r\n".encode()
    )
    time.sleep(0.1)
    status, headers, answer = request(
        port,
        "POST",
        action,
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json",
            "Origin": f"http://127.0.0.1:{port}",
            "Sec-Fetch-Site": "same-origin",
        },
    )
    check(
        status in (200, 201) and headers.get("content-type", "").startswith("application/json"),
        f"signup answered JSON ({status})",
    )
    check(json.loads(answer).get("status") in ("pending", "subscribed"), f"signup accepted: {answer[:100]!r}")

    # An upload over the body limit: nginx answers 413 from the headers alone.
    status, headers, body = request(
        port,
        "POST",
        "/ckeditor5/image-upload/",
        40 * 1024 * 1024,
        {"Content-Type": "multipart/form-data; boundary=x"},
        send_body=False,
    )
    check(
        status == 413 and headers.get("server", "").startswith("nginx"),
        "oversized upload refused by nginx with 413",
    )

    # nginx's optional page cache keeps public pages as their Cache-Control allows, never for a session.
    request(port, "GET", "/pages/terms/")
    status, headers, _ = request(port, "GET", "/pages/terms/")
    check(
        headers.get("x-cache-status") == "HIT",
        f"proxy cache hit on the second request ({headers.get('x-cache-status')})",
    )
    status, headers, _ = request(port, "GET", "/pages/terms/", headers={"Cookie": "sessionid=x"})
    check(headers.get("x-cache-status") == "BYPASS", "proxy cache bypassed with a session cookie")

    status, headers, _ = request(port, "GET", "/readyz")
    check(status == 200 and "set-cookie" not in headers, "readyz 200 without a cookie")


def main(run=None):
    """Serve the site from deploy/ and call `run(port)` (the checks below by default) against nginx."""
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-smoke-"))
    app_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        # No TLS on loopback; production keeps the redirect and secure cookies on.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DJANGO_SERVE_MEDIA": "0",
        "TRUSTED_PROXIES": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": "2",
        "NEWSLETTER_MIN_SUBMIT_SECONDS": "0",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    gunicorn = nginx = None
    try:
        prepare(tmp, env)
        site = render(
            server_name="127.0.0.1",
            listen=f"127.0.0.1:{web_port}",
            upstream=f"127.0.0.1:{app_port}",
            static_root=tmp / "static",
            media_root=tmp / "media",
            proxy_cache=str(tmp / "nginx-cache"),
        )
        (tmp / "newsroom.conf").write_text(site)
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))
        subprocess.run(
            [
                NGINX,
                "-t",
                "-q",
                "-p",
                str(tmp),
                "-c",
                str(tmp / "nginx.conf"),
                "-e",
                str(tmp / "nginx-error.log"),
            ],
            check=True,
        )
        log = open(tmp / "gunicorn.log", "w")
        gunicorn = subprocess.Popen(
            [GUNICORN, "-c", str(BASE_DIR / "deploy" / "gunicorn.conf.py"), "newsroom.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "nginx-error.log")]
        )
        wait_until_up(app_port, gunicorn, "gunicorn")
        wait_until_up(web_port, nginx, "nginx")
        print(f"nginx on 127.0.0.1:{web_port} -> gunicorn on 127.0.0.1:{app_port}")
        if run is not None:
            return run(web_port)
        checks(web_port)
        print("smoke: all checks passed")
        return 0
    except (Failed, subprocess.CalledProcessError, OSError, AttributeError) as error:
        print(f"smoke: FAILED: {error}", file=sys.stderr)
        for name in ("gunicorn.log", "nginx-error.log"):
            if (tmp / name).exists():
                print(f"--- {name} (last lines)", file=sys.stderr)
                print("\n".join((tmp / name).read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
        return 1
    finally:
        stop(nginx)
        stop(gunicorn)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
