"""Worksheet functions, one module per domain, registered in :mod:`xlhedge.functions.registry`.

Each module here is a thin shell: it converts Excel-shaped arguments through
:mod:`xlhedge.engine.coerce`, calls the engine, and returns a scalar or a 2-D list.
Every module in this package is loaded by :func:`xlhedge.functions.registry.registry`,
so a new module needs no other wiring.
"""
