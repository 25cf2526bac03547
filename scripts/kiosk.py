"""`make kiosk`: serve the built site on 127.0.0.1 and open it in Chromium's kiosk mode.

    python scripts/kiosk.py [--dir site] [--port 8000] [--lang vi]

The server stops when Chromium is closed (Alt+F4 on the kiosk's keyboard, or from a terminal).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve  # noqa: E402
from chromium import CHROMIUM  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lang", default="", help="language prefix, e.g. en (default: the authoritative one)")
    args = parser.parse_args()
    if not (Path(args.dir) / "kiosk" / "index.html").is_file():
        print(f"{args.dir}/kiosk/ not found: build the site first (make site)", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    try:  # with the build's headers, as `make serve`
        httpd = serve.start(args.dir, args.port, quiet=True, headers=serve.HEADERS)
    except FileNotFoundError as exc:  # no headers.json: says to build the site
        print(exc, file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{args.lang + '/' if args.lang else ''}kiosk/"
    print(f"kiosk on {url}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-profile-") as profile:
        command = [CHROMIUM, "--kiosk", "--no-first-run", "--disable-sync", "--disable-translate",
                   "--disable-background-networking", "--disable-component-update",
                   "--noerrdialogs", "--disable-session-crashed-bubble", "--kiosk-printing",
                   f"--user-data-dir={profile}", url]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            return subprocess.call(command)
        finally:
            httpd.shutdown()


if __name__ == "__main__":
    sys.exit(main())
