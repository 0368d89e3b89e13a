"""Reading a checked file into plain grids of cell values.

xlsx and xls are read with python-calamine, which returns formulas' cached
values; CSV with the standard library.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import python_calamine as pc

from .gate import GateResult, col_letters, col_number
from .normalise import Uncached
from .problems import Problem, problem


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[0] is Excel row 1
    visible: bool = True
    hidden_rows: set[int] = field(default_factory=set)  # 1-based Excel row numbers

    def cell(self, row: int, col: int):
        """Value at 1-based row and column, '' beyond the used range."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return ""

    def is_empty(self) -> bool:
        return not any(v not in ("", None) for r in self.rows for v in r)


def ref(row: int, col: int) -> str:
    """A1 notation for a 1-based row and column."""
    return f"{col_letters(col)}{row}"


_REFS: dict[int, np.ndarray] = {}   # column → its references by row ("D0", "D1", …), made once per process
_KEPT_ROWS = 20_000                 # the most rows a column's references are kept for (a province's file has 12,000)


def refs(col: int, rows: np.ndarray) -> np.ndarray:
    """The A1 references of column `col` in each of `rows`, as an array of strings. A province's 96 files
    would make 2.9 M of them one by one; the same strings are made once and shared instead."""
    letters, top = col_letters(col), int(rows.max(initial=0))
    if top >= _KEPT_ROWS:
        return np.array([letters + str(r) for r in rows.tolist()], dtype=object)
    kept = _REFS.get(col, np.empty(0, dtype=object))
    if len(kept) <= top:
        size = min(_KEPT_ROWS, 1 << top.bit_length())   # > top, doubling as rows are asked for
        kept = _REFS[col] = np.concatenate([kept, np.array([letters + str(r) for r in range(len(kept), size)],
                                                           dtype=object)])
    return kept[rows]


def _mark_uncached(rows: list[list], cell: str) -> None:
    """Put the Uncached marker where a formula has no value, so the check can say so (calamine reads '')."""
    letters = cell.rstrip("0123456789")
    r, c = int(cell[len(letters):]) - 1, col_number(letters) - 1
    if r < len(rows) and rows[r][c:c + 1] in ([""], [None]):
        rows[r][c] = Uncached()
    elif r < len(rows) and c >= len(rows[r]):
        rows[r].extend([""] * (c - len(rows[r])) + [Uncached()])


def read(data: bytes, gate: GateResult) -> tuple[list[Sheet], list[Problem]]:
    if gate.kind == "csv":
        return [_read_csv(gate.text or "")], []
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in wb.sheets_metadata:
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            # skip_empty_area=False keeps row 1 / column A as the grid's origin. The rows are fresh lists,
            # ours to mark and pad (copied only should a version hand out tuples).
            rows = sheet.to_python(skip_empty_area=False)
            if rows and type(rows[0]) is not list:
                rows = [list(r) for r in rows]
            scan = gate.sheets.get(meta.name)
            for cell in scan.uncached if scan else ():
                _mark_uncached(rows, cell)
            sheets.append(Sheet(
                meta.name, rows,
                visible=str(meta.visible) == str(pc.SheetVisibleEnum.Visible),
                hidden_rows=set(scan.hidden_rows) if scan else set(),
            ))
    except pc.PasswordError:
        return [], [problem("file_encrypted")]
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError):
        return [], [problem("file_unreadable")]
    return sheets, []


def _read_csv(text: str) -> Sheet:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return Sheet("CSV", rows)
