"""The workbook calculation every door shares.

A book is read and written through the small :class:`~xlhedge.calc.bookio.BookIO`
interface (a saved file implements it in ``xlhedge.workbook``, the open workbook in
``xlhedge.excel``). On top of it: cell references, the formula parser, the built-in
native functions, the evaluator, the Book sheet's layout and the recompute
(estimate → formulas → status).
"""
