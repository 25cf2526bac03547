// The wizard's engine: Pyodide in a module worker, started in named stages.
// Messages out: {type: "progress", stage, percent} · {type: "ready", ms} · {type: "error", message}
//               {type: "result", id, ok, result | error, ms}
// Messages in:  {type: "decide", id, who, situation, lang}
import { loadPyodide } from "../pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);
const post = (message) => self.postMessage(message);

// A runtime file that is missing or broken on the server (HTTP 404, 500…) fails the start at
// once: Pyodide would otherwise wait on it until the page's time-out.
const fetchRuntime = self.fetch.bind(self);
self.fetch = async (...args) => {
  const response = await fetchRuntime(...args);
  if (!response.ok) post({ type: "error", message: `${response.url}: HTTP ${response.status}` });
  return response;
};
let decide = null;
const queue = [];

async function start() {
  const started = performance.now();
  post({ type: "progress", stage: "runtime", percent: 5 });
  const bundle = fetch(new URL("engine.json", here)).then((r) => {
    if (!r.ok) throw new Error(`engine.json: HTTP ${r.status}`);
    return r.json();
  });
  const pyodide = await loadPyodide({
    indexURL: new URL("../pyodide/", here).href,
    // only the standard library files the engine needs (wizard/stdlib.txt), not all 2.5 MB
    stdLibURL: new URL("stdlib.zip", here).href,
    lockFileContents: bundle.then((b) => JSON.stringify(b.lock)),
    stdout: () => {},
    stderr: (line) => console.warn(line),
  });
  post({ type: "progress", stage: "engine", percent: 85 });
  const { files, data } = await bundle;
  const root = "/home/pyodide/handbook";
  for (const [path, source] of Object.entries(files)) {
    const dir = `${root}/${path.split("/").slice(0, -1).join("/")}`;
    pyodide.FS.mkdirTree(dir);
    pyodide.FS.writeFile(`${root}/${path}`, source);
  }
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(root)})`);
  const browser = pyodide.pyimport("wizard.browser");
  browser.load(JSON.stringify(data));
  decide = browser.decide;
  post({ type: "ready", ms: Math.round(performance.now() - started) });
  while (queue.length) answer(queue.shift());
}

function answer(request) {
  const t0 = performance.now();
  const reply = JSON.parse(decide(JSON.stringify(request)));
  post({ type: "result", id: request.id, ...reply, ms: performance.now() - t0 });
}

self.onmessage = (event) => {
  if (event.data?.type !== "decide") return;
  if (decide) answer(event.data);
  else queue.push(event.data);
};

start().catch((error) => post({ type: "error", message: String(error?.message || error) }));
