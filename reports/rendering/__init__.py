"""A report as data and its renderings.

A builder (`reports.builders`) makes a `Report` (`report.py`) from the aggregates the apps'
selectors return; the page, the print view and the three downloads all render that same object
(`echarts.py`, `csv.py`, `xlsx.py`, `pdf.py`), so a download always holds exactly what the
screen shows.
"""
