"""The engine: the maths of a cross-asset book, on numpy arrays and pandas frames.

Nothing here reads a file, talks to Excel or prints: the doors (``xlhedge.workbook``,
``xlhedge.excel``, ``xlhedge.cli``, ``xlhedge.template``) do that and call in here.
A test (import-linter) keeps it so.
"""
