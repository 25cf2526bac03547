"""servers: requests/s and p99 latency at 50 concurrent connections on 127.0.0.1,
scripts/serve.py beside the generated nginx configuration (over HTTPS)."""

from __future__ import annotations

import statistics
from pathlib import Path

import local_nginx
import serve


def bench_servers(site: Path, tmp: Path, runs: int = 3) -> dict:
    """Requests/s and p99 at 50 concurrent keep-alive connections (20 requests each, over pages,
    assets, search and a missing page), 127.0.0.1 only: scripts/serve.py over HTTP beside the
    generated nginx configuration over HTTPS. Medians of ``runs``. The load comes from one
    Python process (scripts/load.py), so nginx's figure is bounded by the client's own speed."""
    import load

    def medians(base: str) -> dict:
        rows = [load.run(base, connections=50, requests=20, limit=120) for _ in range(runs)]
        failed = [row for row in rows if row["errors"]]
        out = {key: statistics.median(row[key] for row in rows)
               for key in ("requests_per_s", "p50_ms", "p99_ms", "max_connect_ms")}
        return {**out, "errors": sum(len(row["errors"]) for row in failed)}

    httpd = serve.start(site, lifetime=600)
    try:
        result = {"serve.py": medians(f"http://127.0.0.1:{httpd.server_address[1]}")}
    finally:
        httpd.shutdown()
    if local_nginx.available():
        with local_nginx.running(site, tmp / "nginx", lifetime=600) as urls:
            result["nginx"] = medians(urls["https"])
    return result


def lines(result: dict) -> list[str]:
    out = ["servers, 50 concurrent connections x 20 requests, 127.0.0.1 (median of 3):"]
    for name, r in result.items():
        out.append(f"  {name:9} {r['requests_per_s']:8.0f} requests/s  p50 {r['p50_ms']:6.1f} ms  "
                   f"p99 {r['p99_ms']:6.1f} ms  slowest connect {r['max_connect_ms']:6.1f} ms  errors {r['errors']}")
    if "nginx" not in result:
        out.append(f"  nginx: not measured: {local_nginx.MISSING}")
    return out
