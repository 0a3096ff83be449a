"""The Excel door: "Refresh book" on the open workbook, the add-in and the function catalogue.

The worksheet functions themselves are :mod:`xlhedge.udfs` (the module name users put in
xlwings' *UDF Modules* setting). Importing this package does not import xlwings.
"""
