// Compile a zip of Python sources to a zip of bytecode (.pyc) with Pyodide's own Python, so the
// browser imports Pyodide's startup modules without compiling them (about 2.5x faster to ready).
//
//   node scripts/compile_stdlib.mjs PYODIDE_DIR IN.zip OUT.zip
//
// Run by the build (handbook/hooks.py), which caches the result by content hash.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, input, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: node scripts/compile_stdlib.mjs PYODIDE_DIR IN.zip OUT.zip");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
pyodide.FS.writeFile("/tmp/in.zip", readFileSync(input));
pyodide.runPython(`
import importlib._bootstrap_external as external
import importlib.util
import sys
import zipfile

prefix = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w") as dst:
    for name in src.namelist():
        data = src.read(name)
        if name.endswith(".py"):
            code = compile(data, prefix + name, "exec", dont_inherit=True)
            # unchecked hash-based: valid without the source and without timestamps
            data = bytes(external._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            name = name[:-3] + ".pyc"
        dst.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
