"""Serve a built site with nginx the way a static host does: gzip, cache headers, the
site's own 404 page. Used by the browser audit (tests/test_audit.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

NGINX_CONF = """\
{user}
worker_processes 1;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    # What a static host does: compress text, cache assets, revalidate pages.
    gzip on;
    gzip_comp_level 6;
    gzip_min_length 256;
    gzip_vary on;
    gzip_types text/css application/javascript application/json image/svg+xml
               text/plain application/xml text/xml;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        error_page 404 /404.html;
        location /assets/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
        location / {{ add_header Cache-Control "public, max-age=600"; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nginx did not answer {url} within {seconds} s")


@contextlib.contextmanager
def serve(root: Path, prefix: Path) -> Iterator[str]:
    """nginx serving ``root`` on a free loopback port; yields its base URL."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    prefix.mkdir(parents=True, exist_ok=True)
    # Workers must be able to read the site; as root, let them run as root.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port, root=root))
    process = subprocess.Popen(
        [
            binary,
            "-p",
            str(prefix),
            "-c",
            str(conf),
            "-e",
            "stderr",
            "-g",
            "daemon off;",
        ]
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(base, process, seconds=10)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
