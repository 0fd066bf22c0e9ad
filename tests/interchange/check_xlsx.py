#!/usr/bin/env python3
"""Opens a `tmc report -o X.xlsx` workbook with openpyxl and checks it
against the CSV of the same model: sheet names, header row, one row per
CSV row, numbers as numbers, dates as dates, frozen header, autofilter,
and every model string as a string (never a formula).
Usage: check_xlsx.py BOOK.xlsx SAME.csv CROSSINGS_COUNT"""
import csv
import datetime
import sys

import openpyxl

book_path, csv_path, crossings = sys.argv[1], sys.argv[2], int(sys.argv[3])
book = openpyxl.load_workbook(book_path)
assert book.sheetnames == ["Threats", "Crossings"], book.sheetnames
sheet = book["Threats"]
header = [c.value for c in sheet[1]]
columns = ["id", "component", "threat", "description", "likelihood", "impact", "risk_score", "mitigation", "owner", "due",
           "date_identified", "status", "bucket", "stride", "next_mitigation"]
assert header == columns, header
rows = list(csv.reader(open(csv_path, newline="")))
assert sheet.max_row == len(rows), (sheet.max_row, len(rows))
assert sheet.freeze_panes == "A2", sheet.freeze_panes
assert sheet.auto_filter.ref == f"A1:O{len(rows)}", sheet.auto_filter.ref
for r, row in enumerate(sheet.iter_rows(min_row=2), start=1):
    values = {name: cell for name, cell in zip(columns, row)}
    assert values["id"].value == rows[r][0], (values["id"].value, rows[r][0])
    for number in ("likelihood", "impact", "risk_score"):
        assert values[number].data_type == "n" and isinstance(values[number].value, int), (r, number, values[number].value)
    for date in ("due", "date_identified"):
        cell = values[date]
        if rows[r][columns.index(date)]:
            assert cell.is_date and isinstance(cell.value, datetime.datetime), (r, date, cell.value)
            assert cell.value.strftime("%Y-%m-%d") == rows[r][columns.index(date)]
    for cell in row:
        assert cell.data_type != "f", (r, cell.coordinate, cell.value)
    # The CSV neutralizes a leading '=' with a quote, and the workbook the
    # same way (issue 22, item 14): a string cell holding what the CSV cell holds.
    description = rows[r][3]
    if description.startswith("'="):
        assert values["description"].data_type == "s" and values["description"].value == description, values["description"].value
assert book["Crossings"].max_row == crossings + 1, book["Crossings"].max_row
print(f"{book_path}: {sheet.max_row - 1} rows, {crossings} crossings")
