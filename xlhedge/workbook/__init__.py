"""The saved-file door: read, recompute and patch a .xlsx/.xlsm without Excel.

``package`` reads the package and patches computed cells into its XML; ``filebook`` is
the :class:`~xlhedge.calc.bookio.BookIO` over it; ``read`` gives a
:class:`~xlhedge.engine.book.Book` from a saved file; ``libreoffice`` drives LibreOffice
headless for cross-checks and renders.
"""
