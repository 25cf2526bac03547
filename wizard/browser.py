"""The engine's entry points inside Pyodide: JSON strings in and out, so no proxy objects
cross between JavaScript and Python."""

from __future__ import annotations

import json

from wizard.engine import Engine, UnknownAnswer

_engine: Engine | None = None


def load(data_json: str) -> None:
    global _engine
    _engine = Engine(json.loads(data_json))


def decide(request_json: str) -> str:
    """``{"who": [...], "situation": [...], "lang": "vi"}`` → ``{"ok": true, "result": {...}}``."""
    if _engine is None:
        return json.dumps({"ok": False, "error": "engine not loaded"})
    request = json.loads(request_json)
    try:
        result = _engine.decide(request.get("who", []), request.get("situation", []), request.get("lang"))
    except UnknownAnswer as exc:
        return json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False)
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False)
