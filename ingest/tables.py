"""Finding a header row and reading the table under it.

Header names are compared after NFKC folding, with spaces removed and case
ignored, so "指标 编码", "指标编码" and "Indicator" all match.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .normalise import canon
from .workbook import Sheet, ref

_TRAILING_NOTE = re.compile(r"\((?:[^()]*)\)$|\[(?:[^\[\]]*)\]$|:.*$")


def header_key(raw: object) -> str:
    return canon(raw).lower()


@lru_cache(maxsize=8192, typed=True)
def _cell_keys(raw: object) -> tuple[str, str]:
    """A cell's header key and that key without a trailing note ("分子(人)" → "分子"), worked out once per
    distinct cell: a header search reads the same rows against three specs."""
    key = header_key(raw)
    return key, _TRAILING_NOTE.sub("", key)


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]

    def matches(self, raw: object) -> bool:
        key, bare = _keys_of(raw)
        return bool(key) and (key in self._keys or bare in self._keys)

    @cached_property
    def _keys(self) -> frozenset[str]:
        return frozenset(header_key(a) for a in self.aliases)


@dataclass
class Header:
    row: int                    # 1-based
    columns: dict[str, int]     # field -> 1-based column

    def has(self, *fields: str) -> bool:
        return all(f in self.columns for f in fields)


def find_header(sheet: Sheet, spec: list[Column], required: set[str], search_rows: int) -> Header | None:
    """The first row within `search_rows` holding every required column."""
    for r in range(1, min(search_rows, len(sheet.rows)) + 1):
        columns = map_columns(sheet.rows[r - 1], spec)
        if required <= columns.keys():
            return Header(r, columns)
    return None


def map_columns(cells: list, spec: list[Column]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, raw in enumerate(cells, start=1):
        if raw == "" or raw is None:
            continue
        key, bare = _keys_of(raw)
        if not key:
            continue
        for column in spec:
            if column.field not in found and (key in column._keys or bare in column._keys):
                found[column.field] = c
                break
    return found


def _keys_of(raw: object) -> tuple[str, str]:
    """_cell_keys, worked out without the cache for a value that cannot be a cache key."""
    try:
        return _cell_keys(raw)
    except TypeError:   # unhashable
        key = header_key(raw)
        return key, _TRAILING_NOTE.sub("", key)


@dataclass
class TableRow:
    row: int                               # 1-based Excel row
    cells: dict[str, tuple[object, str]]   # field -> (raw value, A1 ref)

    def raw(self, field: str):
        return self.cells[field][0] if field in self.cells else ""

    def ref(self, field: str) -> str | None:
        return self.cells[field][1] if field in self.cells else None


def table_rows(sheet: Sheet, header: Header) -> Iterator[TableRow]:
    """Non-empty rows under the header, each cell with its A1 reference, read as they are asked for."""
    for r in range(header.row + 1, len(sheet.rows) + 1):
        cells = {f: (sheet.cell(r, c), ref(r, c)) for f, c in header.columns.items()}
        if all(v in ("", None) for v, _ in cells.values()):
            continue
        yield TableRow(r, cells)


LABELS = {
    "department": ("填报单位", "报送单位", "填报部门"),
    "period": ("统计期", "统计期间", "报告期"),
    "filled_by": ("填报人",),
    "phone": ("联系电话", "电话"),
    "submitted_on": ("报送日期", "填报日期"),
    "indicator": ("指标编码",),
}


def header_block(sheet: Sheet, last_row: int) -> dict[str, tuple[object, str]]:
    """Label/value pairs above a table: "填报单位：妇联" in one cell, or the label
    in one cell and the value in the next non-empty cell to its right."""
    found: dict[str, tuple[object, str]] = {}
    for r in range(1, min(last_row, len(sheet.rows)) + 1):
        cells = sheet.rows[r - 1]
        for c, raw in enumerate(cells, start=1):
            key = canon(raw)
            for field, labels in LABELS.items():
                if field in found:
                    continue
                label = next((l for l in sorted(labels, key=len, reverse=True) if key.startswith(l)), None)
                if label is None:
                    continue
                rest = re.sub(r"^\(.*?\)", "", key[len(label):]).lstrip(":")
                if rest:
                    found[field] = (rest, ref(r, c))
                    continue
                for c2 in range(c + 1, len(cells) + 1):
                    if cells[c2 - 1] not in ("", None):
                        found[field] = (cells[c2 - 1], ref(r, c2))
                        break
    return found
