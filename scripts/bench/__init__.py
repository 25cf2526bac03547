"""Benchmarks (``make bench``): medians, each beside a baseline measured in the same run.

- build: wall time of ``mkdocs build`` of the handbook, against a bare mkdocs-material site
  with one page (the fixed cost of MkDocs + the theme on this machine);
- pages: pages built per language;
- transfer: bytes a browser transfers for a page with a cold cache (Chromium, through
  scripts/serve.py, which sends the build's precompressed files as a production server would),
  against the bare site;
- lighthouse: Lighthouse's mobile scores, largest contentful paint and weight of the home page,
  a guide and the wizard;
- communes: build time of 1, 10 and 100 generated communes' handbooks in one run (as
  `make communes` builds them), the growth and the cost per commune, against the handbook's
  own build (above);
- search: the size of the search index (all languages), raw and as served;
- servers: requests/s and p99 latency at 50 concurrent connections on 127.0.0.1, scripts/serve.py
  beside the generated nginx configuration (over HTTPS);
- checklists: the number of steps the wizard gives, median and maximum over every set of 1 to 4
  answers, in the handbook of every plan and in each commune's, against the rule model before the
  procedure stages (the engine and content of commit CHECKLIST_BASELINE, taken from git);
- wizard: time to the first question, time until the engine is ready (cold and warm cache),
  time to compute a checklist, and bytes transferred, against a bare page that only calls
  loadPyodide() from the same runtime files (with Pyodide's own full standard library).

One module per benchmark, each with its measurement and its lines of the table; ``python -m bench``
(with scripts/ on the path: `make bench`) runs them all. Results go to build/bench/results.json
and are printed as one table.
"""

from __future__ import annotations

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "scripts"):  # the project's modules and scripts/ (serve, chromium, …)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
