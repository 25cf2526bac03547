"""The wizard's runtime, as the browser gets it: Pyodide's files (from npm), its standard library
trimmed to what the engine imports (wizard/stdlib.txt) and compiled to bytecode, the slip's QR
code library, and the engine bundle (the Python the command line and the tests run, with the
rule data of this handbook)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

from handbook import untranslated
from wizard.data import export

from . import BuildError
from .paths import ROOT, Paths

PYODIDE = ROOT / "node_modules" / "pyodide"
# What the browser needs of the Pyodide package (no package index: the engine needs none; the
# standard library is trimmed to the files listed in wizard/stdlib.txt).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# the slip's QR code, drawn in the browser (docs/assets/wizard/qr.mjs imports it)
QRCODE = ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs"
STDLIB_LIST = ROOT / "wizard" / "stdlib.txt"
# The Python the browser runs: the same files as the command line and the tests.
ENGINE_FILES = ("wizard/__init__.py", "wizard/engine.py", "wizard/browser.py")
# The wizard's runtime: several MB, cached for offline use only on demand.
RUNTIME_FILES = (*(f"assets/pyodide/{name}" for name in PYODIDE_FILES), "assets/wizard/stdlib.zip",
                 "assets/wizard/engine.json", "assets/wizard/worker.mjs")


def wizard_assets(model, root: Path = ROOT) -> dict[str, bytes]:
    """The Pyodide runtime (from npm) and the engine bundle (its Python source and rule data,
    from the project at ``root``)."""
    missing = [name for name in PYODIDE_FILES if not (PYODIDE / name).is_file()]
    if missing:
        raise BuildError(f"node_modules/pyodide: {', '.join(missing)} missing\n"
                         "    fix: run `make setup` (npm ci) to install the pinned Pyodide runtime")
    assets = {f"assets/pyodide/{name}": (PYODIDE / name).read_bytes() for name in PYODIDE_FILES}
    if not QRCODE.is_file():
        raise BuildError("node_modules/qrcode-generator/dist/qrcode.mjs is missing\n"
                         "    fix: run `make setup` (npm ci) to install the pinned qrcode-generator")
    assets["assets/wizard/qrcode.mjs"] = QRCODE.read_bytes()
    sources = trimmed_stdlib(PYODIDE / "python_stdlib.zip", STDLIB_LIST)
    assets["assets/wizard/stdlib.zip"] = compiled_stdlib(sources, Paths(root).cache)
    assets["assets/wizard/engine.json"] = engine_bundle(model, root)
    return assets


def engine_bundle(model, root: Path = ROOT) -> bytes:
    """assets/wizard/engine.json: the engine's Python source and this handbook's rule data."""
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    bundle = {
        "files": {name: (root / name).read_text(encoding="utf-8") for name in ENGINE_FILES},
        "data": export(model),
        # loadPyodide needs the lock file's "info" (ABI, Python version); no package is loaded
        "lock": {"info": lock["info"], "packages": {}},
    }
    # untranslated strings of a partial language: the page around the wizard says so
    return untranslated.strip(json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")


def compiled_stdlib(sources: bytes, cache: Path | None = None) -> bytes:
    """The trimmed standard library as bytecode, compiled by Pyodide's own Python under Node
    (scripts/compile_stdlib.mjs); cached by the hash of its inputs."""
    script = ROOT / "scripts" / "compile_stdlib.mjs"
    digest = hashlib.sha256(sources + (PYODIDE / "package.json").read_bytes() + script.read_bytes())
    cached = (cache or Paths().cache) / "stdlib" / f"{digest.hexdigest()}.zip"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        source_zip = cached.with_suffix(".src.zip")
        source_zip.write_bytes(sources)
        result = subprocess.run(["node", str(script), str(PYODIDE), str(source_zip), str(cached)],
                                capture_output=True, text=True, timeout=600)
        source_zip.unlink()
        if result.returncode != 0 or not cached.is_file():
            raise BuildError("scripts/compile_stdlib.mjs failed to compile the standard library:\n"
                             f"{result.stderr[-2000:]}\n    fix: check that Node.js 18+ is installed "
                             "and `make setup` installed node_modules/pyodide")
    return cached.read_bytes()


def trimmed_stdlib(full: Path, listing: Path) -> bytes:
    """The files of Pyodide's standard library zip named in ``listing``, as a reproducible zip."""
    lines = listing.read_text(encoding="utf-8").splitlines()
    wanted = [(n, line.strip()) for n, line in enumerate(lines, 1)
              if line.strip() and not line.startswith("#")]
    out = io.BytesIO()
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(out, "w") as target:
        names = set(source.namelist())
        for number, name in wanted:
            if name not in names:
                raise BuildError(f"wizard/stdlib.txt:{number}: '{name}' is not in Pyodide's "
                                 "standard library\n    fix: run scripts/stdlib_modules.py to "
                                 "list the files again (after a Pyodide upgrade)")
            # stored, not deflated: the whole file compresses better over HTTP (brotli: 558 KB
            # against 764 KB for a deflated zip), and zipimport reads stored entries faster
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            target.writestr(info, source.read(name))
    return out.getvalue()
