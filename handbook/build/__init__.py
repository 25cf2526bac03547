"""The build layer: everything a build of the handbook does that is not the site generator's
own glue, as plain functions that tests and scripts call directly. ``handbook/hooks.py`` is the
only module that knows MkDocs: it adapts MkDocs's events to these functions (and turns a
:class:`BuildError` into MkDocs's error), so the day the site generator changes, only it does.

    paths           where the build reads and writes (the project, the cache, the cards)
    generate        content/ loaded, validated and rendered into every generated file, once a build
    languages       the site's languages and the theme's words for those it lacks
    staging         docs/ plus the generated files, staged into build/docs (changes only)
    runtime         the wizard's runtime: Pyodide, the trimmed and compiled standard library, the engine
    finish          a built site completed: language sitemaps and 404 pages, the search index,
                    precompression, the servers' headers, the service worker
    service_worker  sw.js: this build's files, their hashes and sizes
    precompress     FILE.br and FILE.gz beside every compressible file
    communes        many communes in one tree, their shared files stored once (make communes)

The policies and headers themselves are handbook/headers.py; the pages handbook/render.py.
"""


class BuildError(Exception):
    """A build that cannot go on: the message names the file, the line when there is one, and
    the fix."""
