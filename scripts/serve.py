"""Serve a built site on 127.0.0.1 only, with the right types for .wasm and .mjs.

    python scripts/serve.py [--dir site] [--port 8000]

Also used by the tests (``start(directory, port=0)`` → a server on a free port, in a thread).
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
from pathlib import Path

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
}


COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm", ".py",
                ".zip", ".webmanifest", ".map")
_gzip_cache: dict[tuple[str, float], bytes] = {}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as a production server sends them: the precompressed FILE.br or FILE.gz
    beside a file when the client accepts it (the build writes them), else gzip on the fly."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    quiet = False

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slashed URL
            path = os.path.join(path, "index.html")
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if not (path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        body = encoding = None
        for candidate, suffix in (("br", ".br"), ("gzip", ".gz")):
            if candidate in accepted and os.path.isfile(path + suffix):
                with open(path + suffix, "rb") as f:
                    body, encoding = f.read(), candidate
                break
        if body is None and "gzip" in accepted:
            key = (path, os.path.getmtime(path))
            body = _gzip_cache.get(key)
            if body is None:
                with open(path, "rb") as f:
                    body = _gzip_cache[key] = gzip.compress(f.read(), compresslevel=6, mtime=0)
            encoding = "gzip"
        if body is None:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)


class QuietHandler(Handler):
    quiet = True


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a browser that leaves a page mid-download is not an error of the server
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def start(directory: Path | str, port: int = 0, quiet: bool = True) -> http.server.ThreadingHTTPServer:
    """Start serving ``directory`` on 127.0.0.1:``port`` in a daemon thread; call ``shutdown()``."""
    handler = functools.partial(QuietHandler if quiet else Handler, directory=str(directory))
    server = Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
