"""Precompress the built site: FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside
every compressible file, as production servers serve them (nginx ``brotli_static``/``gzip_static``;
scripts/serve.py does the same). Brotli at quality 11 is slow on the 9.6 MB WebAssembly runtime,
so results are cached by content hash in ``build/cache/compress``."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import brotli

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm", ".zip",
                ".webmanifest", ".map")
MIN_SIZE = 1400  # below one network packet compression gains nothing


def _cached(cache: Path, data: bytes, suffix: str, make) -> bytes:
    key = cache / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if key.is_file():
        return key.read_bytes()
    out = make(data)
    cache.mkdir(parents=True, exist_ok=True)
    key.write_bytes(out)
    return out


def precompress(site: Path, cache: Path, only: list[Path] | None = None) -> int:
    """Write the .br and .gz variants that are smaller than the file (of every file in ``site``,
    or of ``only`` those); return how many."""
    written = 0
    for path in only if only is not None else sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        for suffix, make in ((".br", lambda d: brotli.compress(d, quality=11)),
                             (".gz", lambda d: gzip.compress(d, compresslevel=9, mtime=0))):
            target = path.with_name(path.name + suffix)
            packed = _cached(cache, data, suffix, make)
            if len(packed) < len(data) and not (target.is_file() and target.read_bytes() == packed):
                target.write_bytes(packed)
                written += 1
    return written
