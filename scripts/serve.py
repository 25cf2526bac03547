"""Serve a built site on 127.0.0.1 only, as a production server would (for `make serve`, the
tests and the benchmarks).

    python scripts/serve.py [--dir site] [--port 8000]

Also used by the tests (``start(directory, port=0)`` → a server on a free port, in a thread,
which stops by itself after ``lifetime`` seconds).

What it does, and why it is not ``python -m http.server``:
- only files inside the site: a path or a symbolic link that leads outside it is not found,
  and so is a request with a NUL byte or undecodable escapes; no directory is ever listed;
- the build's precompressed FILE.br or FILE.gz when the client accepts it (``Accept-Encoding``
  read per RFC 9110: case-insensitive, ``q=0`` refuses, ``*`` counts), else gzip on the fly,
  with ``Vary: Accept-Encoding`` on everything negotiated; the site's own 404 page;
- HTTP/1.1 keep-alive, a 30 s timeout per connection and a listen backlog of 128, so 50
  connections at once are accepted at once (the standard library's backlog is 5).
It stays in the standard library so that `make serve` needs nothing more than the build does.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import sys
import threading
import urllib.parse
from pathlib import Path

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


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may stay silent (idle keep-alive, or a stalled client)
    quiet = False

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
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if negotiated:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        return body

    def not_found(self):
        page = Path(self.directory) / "404.html"
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


def start(directory: Path | str, port: int = 0, quiet: bool = True, lifetime: float = 3600,
          timeout: float = Handler.timeout) -> http.server.ThreadingHTTPServer:
    """Serve ``directory`` on 127.0.0.1:``port`` in a daemon thread; call ``shutdown()``, or it
    stops by itself after ``lifetime`` seconds. ``timeout``: seconds a connection may stay silent."""
    base = QuietHandler if quiet else Handler
    handler = functools.partial(type("Handler", (base,), {"timeout": timeout}), directory=str(directory))
    server = Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site", help="the built site (default: site)")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if not (Path(args.dir) / "index.html").is_file():
        raise SystemExit(f"{args.dir}/index.html not found: build the site first (make site)")
    handler = functools.partial(Handler, directory=args.dir)
    with Server(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {args.dir}/ on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
