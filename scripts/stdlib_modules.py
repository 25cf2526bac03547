"""Find which files of Pyodide's standard library the wizard needs, and write the list that the
build uses to ship a trimmed ``stdlib.zip`` (through loadPyodide's ``stdLibURL``).

    .venv/bin/python scripts/stdlib_modules.py      # rewrites wizard/stdlib.txt

It starts Pyodide with the full standard library in headless Chromium, runs what the browser
runs (load the engine, decide every single answer in every language, format an error), and
records every module file that came from the standard library's zip. Run it again after
upgrading Pyodide or when the engine imports something new; the browser tests fail if a needed
module is missing.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import serve  # noqa: E402
from chromium import ARGS as CHROMIUM_ARGS  # noqa: E402
from chromium import CHROMIUM  # noqa: E402
from handbook.build.runtime import ENGINE_FILES  # noqa: E402
from handbook.model import load  # noqa: E402
from wizard.data import export  # noqa: E402

PYODIDE = ROOT / "node_modules" / "pyodide"
OUT = ROOT / "wizard" / "stdlib.txt"

PAGE = """<!doctype html><meta charset="utf-8"><title>stdlib</title><script type="module">
import { loadPyodide } from "./pyodide.mjs";
const bundle = await (await fetch("engine.json")).json();
const pyodide = await loadPyodide({ indexURL: "./" });
for (const [path, source] of Object.entries(bundle.files)) {
  pyodide.FS.mkdirTree("/home/pyodide/handbook/" + path.split("/").slice(0, -1).join("/"));
  pyodide.FS.writeFile("/home/pyodide/handbook/" + path, source);
}
pyodide.runPython('import sys; sys.path.insert(0, "/home/pyodide/handbook")');
const browser = pyodide.pyimport("wizard.browser");
browser.load(JSON.stringify(bundle.data));
for (const lang of bundle.data.languages) {
  for (const q of bundle.data.questions) {
    for (const a of q.answers) browser.decide(JSON.stringify({ [q.id]: [a], lang }));
  }
}
browser.decide(JSON.stringify({ who: ["nobody"] }));  // the error path
try { pyodide.runPython("raise ValueError('traceback formatting')"); } catch (e) {}
document.title = pyodide.runPython(`
import json, sys
zip_prefix = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
files = sorted({m.__file__[len(zip_prefix):] for m in list(sys.modules.values())
                if getattr(m, "__file__", None) and m.__file__.startswith(zip_prefix)})
json.dumps(files)`);
</script>"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    model = load(ROOT)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                     "pyodide-lock.json"):
            shutil.copy(PYODIDE / name, tmp / name)
        bundle = {"files": {n: (ROOT / n).read_text(encoding="utf-8") for n in ENGINE_FILES},
                  "data": export(model)}
        (tmp / "engine.json").write_text(json.dumps(bundle), encoding="utf-8")
        (tmp / "index.html").write_text(PAGE, encoding="utf-8")
        httpd = serve.start(tmp)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
                page.wait_for_function("document.title.startsWith('[')", timeout=120_000)
                files = json.loads(page.title())
                browser.close()
        finally:
            httpd.shutdown()
    header = ["# Files of Pyodide's standard library zip that the wizard needs (scripts/stdlib_modules.py).",
              "# The build ships only these, as assets/wizard/stdlib.zip. Do not edit by hand."]
    OUT.write_text("\n".join(header + files) + "\n", encoding="utf-8")
    print(f"{len(files)} files written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
