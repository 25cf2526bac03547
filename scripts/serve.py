"""Serve a built site on 127.0.0.1 only, as a production server would (for `make serve`, the
tests and the benchmarks).

    python scripts/serve.py [--dir site] [--port 8000] [--headers build/deploy/headers.json]

Also used by the tests (``start(directory, port=0, headers=...)`` → a server on a free port, in a
thread, which stops by itself after ``lifetime`` seconds).

What it does, and why it is not ``python -m http.server``:
- only files inside the site: a path or a symbolic link that leads outside it is not found,
  and so is a request with a NUL byte or undecodable escapes; no directory is ever listed;
- the build's precompressed FILE.br or FILE.gz when the client accepts it (``Accept-Encoding``
  read per RFC 9110: case-insensitive, ``q=0`` refuses, ``*`` counts), else gzip on the fly,
  with ``Vary: Accept-Encoding`` on everything negotiated; the site's own 404 page;
- HTTP/1.1 keep-alive, a 30 s timeout per connection and a listen backlog of 128, so 50
  connections at once are accepted at once (the standard library's backlog is 5);
- the headers the build wrote for servers (build/deploy/headers.json, by handbook/headers.py; the
  generated nginx configuration comes from the same data) on every response: the
  Content-Security-Policy of the path (with frame-ancestors, which a page's <meta> policy cannot
  hold; the wizard's worker script its own) and the other security headers, less those that need
  HTTPS (Strict-Transport-Security); no version in the Server header. ``start()`` without
  ``headers`` sends only X-Content-Type-Options, like a static host that sends no policy (the
  pages keep their <meta> policy).
It stays in the standard library so that `make serve` needs nothing more than the build does.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADERS = ROOT / "build" / "deploy" / "headers.json"  # written by every build, beside nginx.conf
TYPES = {
    ".wasm": "application/wasm",
    ".webm": "audio/webm",  # the handbook's clips are sound only
    ".mp3": "audio/mpeg",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
}
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm", ".py",
                ".zip", ".webmanifest", ".map")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # in order of preference
_gzip_cache: dict[tuple[str, float], bytes] = {}
_gzip_lock = threading.Lock()


def accepted_encodings(header: str) -> set[str]:
    """The codings among br and gzip that an ``Accept-Encoding`` header accepts (RFC 9110 §12.5.3)."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        name, *params = part.split(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    default = weights.get("*", 0.0)
    return {name for name, _ in ENCODINGS if weights.get(name, default) > 0}


class SiteHeaders:
    """The headers a server sends over plain HTTP, by path, from the build's ``headers.json``."""

    def __init__(self, data: dict | None = None):
        data = data or {"every_response": {"X-Content-Type-Options": "nosniff"}}
        self.every_response = list(data["every_response"].items())
        policy = data.get("content_security_policy")
        self.policy_default = policy["default"] if policy else None
        self.policy_paths = dict(policy["paths"]) if policy else {}
        # a tree of communes (make communes): its shared files, named by their hash, kept a year
        self.cache_control = dict(data.get("cache_control", {}))
        # a folder (a commune, a language) and its own 404 page, the longest folder first
        self.not_found = sorted(data.get("not_found", {}).items(), key=lambda item: -len(item[0]))

    @classmethod
    def read(cls, path: Path | str) -> "SiteHeaders":
        try:
            return cls(json.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path} not found: build the site first (make site)") from None

    def for_path(self, path: str) -> list[tuple[str, str]]:
        """The headers of a response for ``path`` (decoded, as the site names the file sent)."""
        policy = self.policy_paths.get(path, self.policy_default)
        cache = [("Cache-Control", value) for prefix, value in self.cache_control.items() if path.startswith(prefix)]
        return ([("Content-Security-Policy", policy)] if policy else []) + self.every_response + cache[:1]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may stay silent (idle keep-alive, or a stalled client)
    quiet = False
    site_headers = SiteHeaders()
    _served: str | None = None  # the site's path of the file being sent ("/wizard/index.html")

    def request_path(self) -> str:
        """The path the request names, decoded (as nginx's $uri), for a response that sends no file."""
        # (a request line too malformed to be read has no path)
        return urllib.parse.unquote(urllib.parse.urlsplit(getattr(self, "path", "")).path, errors="replace")

    def version_string(self) -> str:
        return "serve.py"  # no version of Python in the Server header

    def end_headers(self):
        # on every response: files, the site's 404, redirects and the server's own errors alike
        for name, value in self.site_headers.for_path(self._served or self.request_path()):
            self.send_header(name, value)
        self._served = None  # the next response on this connection says its own
        super().end_headers()

    def resolve(self) -> Path | None:
        """The file or folder the request names, if it is inside the site; else None."""
        raw = urllib.parse.urlsplit(self.path).path
        try:
            relative = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\0" in relative:
            return None
        root = Path(self.directory).resolve()
        target = (root / relative.lstrip("/")).resolve()  # follows symbolic links and ".."
        return target if target == root or root in target.parents else None

    def send_head(self):
        target = self.resolve()
        if target is not None and target.is_dir():
            parts = urllib.parse.urlsplit(self.path)
            if not parts.path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urllib.parse.urlunsplit(parts._replace(path=parts.path + "/")))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            target = (target / "index.html").resolve()
            root = Path(self.directory).resolve()
            if root not in target.parents:
                target = None
        elif target is not None and urllib.parse.urlsplit(self.path).path.endswith("/"):
            target = None  # a file named as a folder
        if target is None or not target.is_file():
            return self.not_found()
        return self.send_file(target, 200)

    def send_file(self, path: Path, status: int):
        body, encoding = None, None
        negotiated = path.name.endswith(COMPRESSIBLE)
        if negotiated:
            accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
            for name, suffix in ENCODINGS:
                variant = path.with_name(path.name + suffix)
                if name in accepted and variant.is_file():
                    body, encoding = variant.open("rb"), name
                    break
            if body is None and "gzip" in accepted:
                key = (str(path), path.stat().st_mtime)
                with _gzip_lock:
                    data = _gzip_cache.get(key)
                if data is None:
                    data = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
                    with _gzip_lock:
                        _gzip_cache[key] = data
                body, encoding = io.BytesIO(data), "gzip"
        if body is None:
            body = path.open("rb")
        length = len(body.getvalue()) if isinstance(body, io.BytesIO) else os.fstat(body.fileno()).st_size
        root, resolved = Path(self.directory).resolve(), path.resolve()
        self._served = "/" + resolved.relative_to(root).as_posix() if root in resolved.parents else None
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if negotiated:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return body

    def not_found(self):
        # a language's folder has its own 404 page (/en/404.html); the root's is the authoritative
        # language's. Only a folder name that is a language tag is looked at, never "..".
        first = self.request_path().lstrip("/").split("/", 1)[0]
        pages = [Path(self.directory) / first / "404.html"] if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", first) else []
        path = self.request_path()
        pages = [Path(self.directory) / page.lstrip("/") for prefix, page in self.site_headers.not_found
                 if path.startswith(prefix) and ".." not in page] + pages
        for page in [*pages, Path(self.directory) / "404.html"]:
            if page.is_file():
                return self.send_file(page, 404)
        self.send_error(404, "Not found")
        return None

    def list_directory(self, path):  # never: a folder without index.html is not found
        return self.not_found()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)


class QuietHandler(Handler):
    quiet = True


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog: 50 clients connecting at once are all accepted
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a browser that leaves a page mid-download, or a client that went silent, is not an
        # error of the server
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, TimeoutError)):
            super().handle_error(request, client_address)


def handler(directory: Path | str, site_headers: "SiteHeaders", base: type = Handler,
            timeout: float = Handler.timeout):
    """The request handler of a server of ``directory``, with these headers."""
    return functools.partial(type("Handler", (base,), {"timeout": timeout, "site_headers": site_headers}),
                             directory=str(directory))


def start(directory: Path | str, port: int = 0, quiet: bool = True, lifetime: float = 3600,
          timeout: float = Handler.timeout,
          headers: Path | str | None = None) -> http.server.ThreadingHTTPServer:
    """Serve ``directory`` on 127.0.0.1:``port`` in a daemon thread; call ``shutdown()``, or it
    stops by itself after ``lifetime`` seconds. ``timeout``: seconds a connection may stay silent.
    ``headers``: the build's headers.json (``HEADERS``) for the site's headers; without it, only
    X-Content-Type-Options."""
    site_headers = SiteHeaders.read(headers) if headers is not None else SiteHeaders()
    server = Server(("127.0.0.1", port), handler(directory, site_headers, QuietHandler if quiet else Handler,
                                                 timeout))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site", help="the built site (default: site)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--headers", default=str(HEADERS), help="the headers the build wrote for servers "
                        f"(default: {HEADERS.relative_to(ROOT)})")
    args = parser.parse_args()
    if not (Path(args.dir) / "index.html").is_file():
        raise SystemExit(f"{args.dir}/index.html not found: build the site first (make site)")
    try:
        site_headers = SiteHeaders.read(args.headers)
    except FileNotFoundError as exc:
        raise SystemExit(str(exc)) from None
    with Server(("127.0.0.1", args.port), handler(args.dir, site_headers)) as server:
        print(f"Serving {args.dir}/ on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
