"""The system Chromium (Debian's package) and the flags every headless use of it here needs:
no sandbox as root, no GPU, and no background traffic to hosts this closed network refuses."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
