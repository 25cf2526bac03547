"""The generated nginx configuration (build/deploy/nginx.conf), run on 127.0.0.1 for the tests
and `make bench`: HTTP and HTTPS on free ports, a certificate made for the run, the given site as
its root. nginx runs in the foreground under `timeout`, so it stops by itself.

    with local_nginx.running(site, folder) as urls:   # {"http": ..., "https": ...}
        ...

``config``: another build's configuration (a copy of the project builds into its own build/deploy/).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "build" / "deploy" / "nginx.conf"  # written by every build
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
MISSING = "nginx not installed (apt-get install nginx-light libnginx-mod-http-brotli-static)"


def available() -> bool:
    return os.path.isfile(NGINX) and os.path.isfile(BROTLI_MODULE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(site: Path, folder: Path, lifetime: int = 1800, config: Path = CONFIG):
    """nginx with the build's configuration (``config``) serving ``site``; files go to ``folder``;
    it is stopped on leaving the block, and by `timeout` after ``lifetime`` seconds in any case."""
    generated = Path(config).read_text(encoding="utf-8")
    ports = [_free_port(), _free_port()]
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    # a certificate made for this run only, in place of the commune's
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    server = generated
    for pattern, local in ((r"listen 80;", f"listen 127.0.0.1:{ports[0]};"),
                           (r"listen 443 ssl http2;", f"listen 127.0.0.1:{ports[1]} ssl http2;"),
                           (r"ssl_certificate +/\S+;", f"ssl_certificate {folder}/cert.pem;"),
                           (r"ssl_certificate_key +/\S+;", f"ssl_certificate_key {folder}/key.pem;"),
                           (r"root /srv/handbook/site;", f"root {site};")):
        server, count = re.subn(pattern, local, server)
        if count != 1:  # the template changed: the test would otherwise run something else
            raise RuntimeError(f"{config}: expected one line matching {pattern!r}, found {count}")
    conf = folder / "nginx.conf"
    # the site may be in a private temporary folder: as root, let the workers read it as root
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"{user}load_module {BROTLI_MODULE};\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
                    "daemon off;\nworker_processes auto;\nevents { worker_connections 1024; }\n"
                    "http {\n  access_log off;\n"
                    f"  client_body_temp_path {folder};\n{server}\n}}\n", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the generated configuration:\n{check.stderr}")
    process = subprocess.Popen(["timeout", str(lifetime), NGINX, "-c", str(conf), "-p", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:  # until both ports accept connections
            try:
                for port in ports:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()}") from None
                time.sleep(0.1)
        yield {"http": f"http://127.0.0.1:{ports[0]}", "https": f"https://127.0.0.1:{ports[1]}"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
