"""The wizard: which way to handle this person, and what to do, step by step.

``wizard.engine`` is a pure function over exported rule data (standard library only); it runs
unchanged in CPython (the command line, the tests) and in Pyodide (the browser).
"""
