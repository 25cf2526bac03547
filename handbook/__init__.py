"""The handbook's content model: official plans, situations, checklist items, glossary,
communes and per-language strings, loaded from ``content/`` and validated as a whole.

``handbook.model`` uses the Python standard library only, so the same code runs at build
time (MkDocs hook, card generator, tests) and on a bare ``python3 -m wizard``; the browser's
wizard gets the data the model exports (``wizard/data.py``).
"""
