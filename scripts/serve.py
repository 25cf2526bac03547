"""Serve a built site on 127.0.0.1 only, with the right types for .wasm and .mjs.

    python scripts/serve.py [--dir site] [--port 8000]

Also used by the tests (``start(directory, port=0)`` → a server on a free port, in a thread).
"""

from __future__ import annotations

import argparse
import functools
import http.server
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


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    quiet = False

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)


class QuietHandler(Handler):
    quiet = True


def start(directory: Path | str, port: int = 0, quiet: bool = True) -> http.server.ThreadingHTTPServer:
    """Start serving ``directory`` on 127.0.0.1:``port`` in a daemon thread; call ``shutdown()``."""
    handler = functools.partial(QuietHandler if quiet else Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
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
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {args.dir}/ on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
