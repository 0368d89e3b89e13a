"""The briefing as a workbook: 简报摘要 first, then one sheet per table with one typed column per field,
header row bold and frozen, so officials can sort and filter. Missing values read "—"."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics.meeting import MeetingPack

from . import formatting as F
from . import words as W
from .formatting import Num
from .sections import cover, file_stem, sections

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
RED, GREY = "C00000", "595959"


def _put(ws, row: int, column: int, value):
    """Write one cell. A string that Excel could take for a formula (= + - @ or a leading tab / carriage
    return) is stored as text: prefixed with ' and typed as a string, never as a formula. Missing is "—"."""
    cell = ws.cell(row=row, column=column)
    number_format = None
    if isinstance(value, Num):
        value, number_format = value.value, value.format
    elif isinstance(value, dt.datetime):
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        number_format = "yyyy-mm-dd"
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or (isinstance(value, str) and not value.strip()):
        value = F.DASH
    if isinstance(value, str):
        cell.value = "'" + value if value.startswith(_FORMULA_START) else value
        cell.data_type = "s"
        return cell
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def _display_width(value) -> int:
    """Display width in Excel character units; Chinese characters count double."""
    if isinstance(value, Num):
        value = "" if value.value is None else f"{value.value:,.2f}" + "xx"
    elif isinstance(value, dt.datetime):
        value = "2026-01-01 00:00"
    elif isinstance(value, dt.date):
        value = "2026-01-01"
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _sheet(wb, name: str, columns: list[str], rows: list[list], demo: bool, empty: str, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = name
    for j, column in enumerate(columns, start=1):
        cell = _put(ws, 1, j, column)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            _put(ws, i, j, value).alignment = Alignment(vertical="top", wrap_text=True)
    if not rows:
        _put(ws, 2, 1, empty).font = Font(italic=True, color=GREY)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for j, column in enumerate(columns, start=1):
        widest = max([_display_width(column) + 4] + [_display_width(r[j - 1]) + 2 for r in rows])
        ws.column_dimensions[get_column_letter(j)].width = min(max(widest, 8), 60)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if demo:  # printed on every page
        ws.oddHeader.center.text = W.DEMO_MARK
        ws.oddHeader.center.color = RED
    return ws


def to_xlsx(pack: MeetingPack) -> bytes:
    wb = Workbook()
    m, c = pack.meeting, cover(pack)
    fields = {"demo": W.DEMO_MARK} if pack.demo else {}
    fields |= {"briefing": f"{c.title} {c.issue}", "office": c.office, "meeting": F.text(m["title"]),
               "held_on": F.date(m["held_on"]), "as_of": F.when(m["as_of"]),
               "previous_as_of": F.when(m.get("previous_as_of")), "year": pack.year, "summary": pack.summary}
    summary_rows = [[W.SUMMARY[k], v] for k, v in fields.items()]
    parts = sections(pack)
    summary_rows += [[s.title, s.intro] for s in parts if s.intro and s.key != "overview"]
    ws = _sheet(wb, W.SUMMARY_SHEET, W.SUMMARY_COLUMNS, summary_rows, pack.demo, W.NOTHING, first=True)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    if pack.demo:
        ws["B2"].font = Font(bold=True, color=RED)
    for s in parts:
        for t in s.tables:
            if t.sheet is None:
                continue
            ws = _sheet(wb, t.sheet, t.sheet_columns, t.sheet_rows, pack.demo, t.empty)
            for i, alert in enumerate(t.alert, start=2):
                if alert:
                    for cell in ws[i]:
                        cell.font = Font(color=RED, bold=True)
    wb.properties.title = file_stem(pack)
    wb.properties.creator = W.APP_NAME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
