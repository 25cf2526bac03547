"""A bounded load on a local server: N clients at once, each on its own keep-alive connection,
asking for the handbook's pages and assets in turn (as browsers do). For the tests (no stalls
at 50 connections) and `make bench` (requests/s and p99, scripts/serve.py beside nginx).

    python scripts/load.py http://127.0.0.1:8000 [--connections 50] [--requests 20]

Only 127.0.0.1 is ever loaded; every run is bounded in requests and in time.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import statistics
import time
import urllib.parse

PATHS = ("/", "/guides/", "/guides/outage-with-papers/", "/wizard/", "/assets/stylesheets/handbook.css",
         "/assets/javascripts/handbook.js", "/search/search_index.json", "/no-such-page/")


class LoadError(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response; return its status."""
    status_line = await reader.readline()
    if not status_line:
        raise LoadError("connection closed before a response")
    version, status = status_line.split()[0], int(status_line.split()[1])
    length, chunked, close = 0, False, version == b"HTTP/1.0"  # 1.0 closes unless told otherwise
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection":
            close = value == "close" or (close and value != "keep-alive")
    if chunked:
        while (size := int((await reader.readline()).split(b";")[0], 16)):
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    return -status if close else status


async def _client(host: str, port: int, context: ssl.SSLContext | None, paths: list[str],
                  requests: int, offset: int, results: list, connects: list) -> None:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port, ssl=context)
    connects.append(time.perf_counter() - started)
    try:
        closed = False
        for n in range(requests):
            path = paths[(offset + n) % len(paths)]
            began = time.perf_counter()
            if closed:  # the server closed the connection: open another, as a browser would
                writer.close()
                reader, writer = await asyncio.open_connection(host, port, ssl=context)
                connects.append(time.perf_counter() - began)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                         "Accept-Encoding: br, gzip\r\nUser-Agent: handbook-load\r\n\r\n".encode())
            await writer.drain()
            status = await _read_response(reader)
            results.append((abs(status), time.perf_counter() - began))
            closed = status < 0
    finally:
        writer.close()


async def _run(base: str, connections: int, requests: int, paths: list[str], limit: float) -> dict:
    url = urllib.parse.urlsplit(base)
    if url.hostname != "127.0.0.1":
        raise LoadError(f"{base}: only 127.0.0.1 is loaded")
    context = None
    if url.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # a local test certificate
    port = url.port or (443 if url.scheme == "https" else 80)
    results: list[tuple[int, float]] = []
    connects: list[float] = []
    started = time.perf_counter()
    outcomes = await asyncio.wait_for(asyncio.gather(
        *(_client(url.hostname, port, context, paths, requests, i, results, connects) for i in range(connections)),
        return_exceptions=True), timeout=limit)
    elapsed = time.perf_counter() - started
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    times = sorted(t for _, t in results)
    return {
        "connections": connections, "requests": len(results), "errors": errors,
        "statuses": sorted({s for s, _ in results}),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 1) if times else None,
        "max_ms": round(times[-1] * 1000, 1) if times else None,
        "max_connect_ms": round(max(connects) * 1000, 1) if connects else None,
    }


def run(base: str, connections: int = 50, requests: int = 20, paths: list[str] | None = None,
        limit: float = 120) -> dict:
    """Load ``base`` (http or https on 127.0.0.1) with ``connections`` clients at once, each making
    ``requests`` requests; stop after ``limit`` seconds in any case."""
    import concurrent.futures

    # in a thread of its own: the caller may already run an event loop (Playwright's sync API does)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(_run(base.rstrip("/"), connections, requests,
                                                    list(paths or PATHS), limit))).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per connection")
    args = parser.parse_args()
    print(run(args.base, args.connections, args.requests))


if __name__ == "__main__":
    main()
