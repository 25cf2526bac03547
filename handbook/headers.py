"""The site's HTTP headers, in one place: the Content-Security-Policy of every page (written into
the page as a ``<meta>`` tag), the same policy as a header for servers, with what a ``<meta>`` tag
cannot hold (``frame-ancestors``), the wizard's worker's own policy, and the other security headers.

The build (handbook/hooks.py) writes them once, to ``build/deploy/headers.json``, and from the same
data the nginx configuration ``build/deploy/nginx.conf`` (``deploy/nginx.conf.in`` with its
``@NAME@`` lines filled in). ``scripts/serve.py`` reads ``headers.json``: both servers send the
same headers for the same path, and neither has a copy of its own. Standard library only.

WebAssembly: no page compiles it. The wizard's engine (Pyodide) runs in a module worker started
from ``/assets/wizard/worker.mjs``, and a worker started from a same-origin URL follows the policy
of its own script's response, never the page's (checked in Chromium: tests/test_deploy.py). So
only that response allows ``'wasm-unsafe-eval'`` (never ``'unsafe-eval'``); every page's policy,
in every language folder, is the same, whatever its path. With no header at all (static hosting
that sends none), the worker has no policy and the pages keep theirs, from the ``<meta>`` tag.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

# The policy's directives, in order; script-src gets the hashes of a page's inline scripts.
DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("media-src", "'self'"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
HEADER_ONLY = (("frame-ancestors", "'none'"),)  # a <meta> policy cannot hold it (browsers ignore it there)
WASM = "'wasm-unsafe-eval'"
# The scripts that start a worker which compiles WebAssembly: only their responses allow it.
WASM_WORKERS = ("/assets/wizard/worker.mjs",)

# Every response of the site (plain HTTP on 127.0.0.1 too) …
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# … over HTTPS only (a browser ignores it over plain HTTP: RFC 6797, 8.1) …
HTTPS_ONLY = {"Strict-Transport-Security": "max-age=31536000"}
# … and the plain-HTTP redirect to HTTPS: nothing is shown from it, so only what applies to any
# response (its small body) and to the request that follows it (the referrer).
REDIRECT_TO_HTTPS = ("X-Content-Type-Options", "Referrer-Policy")

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
# The only inline scripts the build writes: mkdocs-material's two in base.html (the pinned 9.8.1),
# by the SHA-256 of their text with the page's base URL taken out. The policy allows these and
# nothing else: a script that came from content (a string that was not escaped) stops the build.
SCOPE_URL = re.compile(r'new URL\("[^"]*",location\)')
KNOWN_INLINE_SCRIPTS = {
    "7eb3684fdacd2881f67b9428983273a29d8774d8bc82622af9b65a8ec1032a90": "theme: __md_scope, __md_get, __md_set",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "theme: open the tab named in the address",
}


class PolicyError(ValueError):
    """A page the policy cannot allow (an inline script the build does not write), or a server
    configuration that cannot be written."""


def policy(script_src: list[str] | tuple[str, ...] = (), header: bool = False) -> str:
    """The policy with ``script_src`` added to ``script-src 'self'``; ``header``: with the
    directives only a header can carry."""
    directives = [(name, f"{value} {' '.join(script_src)}".rstrip() if name == "script-src" else value)
                  for name, value in DIRECTIVES + (HEADER_ONLY if header else ())]
    return "; ".join(f"{name} {value}" for name, value in directives)


def inline_script_hashes(html: str, where: str = "a page") -> list[str]:
    """The CSP source of each inline script of ``html`` (``'sha256-…'``), in order, once each.
    Any inline script the build does not write raises PolicyError."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or re.search(r'type="application/json"', attrs):
            continue
        known = hashlib.sha256(SCOPE_URL.sub('new URL("",location)', match.group("body")).encode("utf-8"))
        if known.hexdigest() not in KNOWN_INLINE_SCRIPTS:
            raise PolicyError(
                f"{where}: an inline script the build does not write: {match.group(0)[:120]!r}\n"
                "    fix: a string from content/ reached the page as markup; find it in content/locales "
                "or content/communes and report the template that did not escape it (after a theme "
                "upgrade: check the theme's new inline scripts and list them in KNOWN_INLINE_SCRIPTS)")
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


class Policies:
    """The policies of one build: each page's, as it is written, then the servers' headers."""

    def __init__(self) -> None:
        self.hashes: set[str] = set()  # of every page of the build: the header policy allows them all
        self.not_found: dict[str, str] = {}  # a language's folder → its own 404 page

    def with_meta(self, html: str, where: str = "a page") -> str:
        """``html`` with its policy first in the head, before any script."""
        hashes = inline_script_hashes(html, where)
        self.hashes.update(hashes)
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
        return html.replace("<head>", f"<head>\n    {meta}", 1)

    def data(self, workers: tuple[str, ...] | list[str] = WASM_WORKERS) -> dict:
        """What servers send, by kind of response (the content of headers.json); ``workers``: the
        paths of the worker scripts that compile WebAssembly (one per commune in a tree of many)."""
        return {
            "about": "Written by the build (handbook/headers.py), with build/deploy/nginx.conf from the "
                     "same data; read by scripts/serve.py. See DEPLOY.md.",
            "content_security_policy": {
                "default": policy(sorted(self.hashes), header=True),
                "paths": {path: policy([WASM], header=True) for path in workers},
            },
            "every_response": dict(EVERY_RESPONSE),
            "https_only": dict(HTTPS_ONLY),
            "redirect_to_https": {name: EVERY_RESPONSE[name] for name in REDIRECT_TO_HTTPS},
            "not_found": dict(sorted(self.not_found.items())),
        }

    def write(self, folder: Path, template: Path, site: Path | None = None) -> dict:
        """Write ``headers.json`` and ``nginx.conf`` (from ``template``) into ``folder``; with
        ``site``, check that every worker script given its own policy is in it."""
        missing = [path for path in WASM_WORKERS
                   if site is not None and not (site / path.lstrip("/")).is_file()]
        if missing:
            raise PolicyError(
                f"handbook/headers.py: WASM_WORKERS names {missing}, which the build did not write\n"
                "    fix: list the worker scripts the wizard starts (new Worker(...)) in WASM_WORKERS")
        if site is not None:  # each language's folder answers a missing page in its language
            self.not_found = {f"/{page.parent.name}/": f"/{page.parent.name}/404.html"
                              for page in site.glob("*/404.html")}
        data = self.data()
        nginx = nginx_config(template.read_text(encoding="utf-8"), data)
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(folder / "headers.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        _write_atomically(folder / "nginx.conf", nginx)
        return data


def _nginx_string(value: str) -> str:
    if re.search(r'["\\$\n]', value):
        raise PolicyError(f"a header value nginx would read differently: {value!r}")
    return f'"{value}"'


def nginx_config(template: str, data: dict) -> str:
    """``template`` with each line ``@NAME@`` replaced by the lines ``data`` gives it (indented
    as the placeholder is): the policy map and the add_header lines of both servers."""
    csp = data["content_security_policy"]
    width = max(len(_nginx_string(path)) for path in [*csp["paths"], "default"])
    parts = {
        "POLICY_MAP": [f"{_nginx_string(path):<{width}}  {_nginx_string(value)};"
                       for path, value in csp["paths"].items()]
                      + [f"{'default':<{width}}  {_nginx_string(csp['default'])};"],
        "HTTPS_HEADERS": ["add_header Content-Security-Policy $handbook_policy always;"]
                         + [f"add_header {name} {_nginx_string(value)} always;"
                            for name, value in {**data["every_response"], **data["https_only"]}.items()],
        "REDIRECT_HEADERS": [f"add_header {name} {_nginx_string(value)} always;"
                             for name, value in data["redirect_to_https"].items()],
        "LANGUAGE_NOT_FOUND": [f"location {prefix} {{ error_page 404 {page}; try_files $uri $uri/ =404; }}"
                         for prefix, page in data.get("not_found", {}).items()
                         if re.fullmatch(r"(/[a-z0-9]+(-[a-z0-9]+)*)+/", prefix)],
    }
    used = []

    def fill(match: re.Match) -> str:
        used.append(match["name"])
        return "\n".join(match["indent"] + line for line in parts.get(match["name"], [match[0]]))

    text = re.sub(r"^(?P<indent>[ \t]*)@(?P<name>[A-Z_]+)@[ \t]*$", fill, template, flags=re.M)
    if sorted(used) != sorted(parts):
        found = ", ".join(f"@{name}@" for name in used) or "none"
        raise PolicyError(f"deploy/nginx.conf.in: expected the lines {', '.join(f'@{p}@' for p in parts)}, "
                          f"once each and on a line of their own; found {found}")
    return text


def _write_atomically(path: Path, text: str) -> None:
    """Readers (a server starting, another build's tests) never see half a file."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(name, 0o644)
    os.replace(name, path)
