"""The three shapes a submission may take, turned into raw records.

- template: a workbook made by `template.build_template`, read through its `_meta` sheet;
- long: a sheet with 指标编码 / 区县 / 年度 and 分子+分母 or 数值 columns;
- register (台账): one row per unit with 区县 / 街道(乡镇) / 社区名称 and a yes/no flag.

Nothing here judges values: each record keeps every raw cell with its A1
reference, and validation decides.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from warehouse.breakdowns import FIELDS

from .gate import col_number
from .normalise import canon, is_missing, is_total_label, text
from .problems import Problem, problem
from .tables import Column, Header, find_header, header_block, table_rows
from .template_layout import META_SHEET, REGISTER_FIELDS, MetaColumn
from .workbook import Sheet, ref

Cell = tuple  # (raw value, "A1")

_DISTRICT = ("区县", "县市区", "县(市、区)", "区县名称", "区县代码", "district")
LONG_SPEC = [
    Column("indicator", ("指标编码", "指标代码", "indicator", "indicator_code", "code")),
    Column("district", _DISTRICT),
    Column("year", ("年度", "年份", "year")),
    Column("period", ("统计期", "period")),
    Column("numerator", ("分子", "numerator")),
    Column("denominator", ("分母", "denominator")),
    Column("value", ("数值", "值", "指标值", "value")),
    Column("note", ("备注", "说明", "note")),
    # a breakdown (分组): a row with one of these filled is a part of the district's total row
    Column("sex", ("性别", "sex")),
    Column("age_group", ("年龄组", "年龄段", "age_group")),
    Column("urban_rural", ("城乡", "城乡类型", "urban_rural")),
]
REGISTER_SPEC = [
    Column("district", _DISTRICT),
    Column("street", ("街道(乡镇)", "乡镇(街道)", "街道", "乡镇", "街道/乡镇", "street", "township")),
    Column("community", ("社区名称", "社区(村)名称", "村(社区)名称", "社区", "村(社区)", "社区(村)", "community")),
    Column("community_code", ("社区代码", "社区编码", "community_code")),
    Column("flag", ("是否开展创建", "是否开展", "是否", "flag")),
    Column("started_on", ("创建时间", "开展时间", "started_on")),
    Column("grade", ("评定等级", "等级", "grade")),
    Column("indicator", ("指标编码", "indicator")),
    Column("year", ("年度", "year")),
    Column("period", ("统计期", "period")),
    Column("note", ("备注", "note")),
]


TASK_SPEC = [
    Column("task", ("任务编码", "task", "task_code")),
    Column("state", ("状态", "进展状态", "完成情况", "state")),
    Column("updated_on", ("更新日期", "日期", "updated_on")),
    Column("evidence", ("佐证材料", "佐证", "evidence")),
    Column("note", ("备注", "进展说明", "note")),
]


@dataclass
class RawTaskUpdate:
    sheet: str
    row: int
    task: Cell
    state: Cell
    updated_on: Cell | None = None
    evidence: Cell | None = None
    note: Cell | None = None
    hidden: bool = False


@dataclass
class RawRecord:
    sheet: str
    row: int
    indicator: Cell
    district: Cell
    year: Cell | None = None
    period: Cell | None = None
    numerator: Cell | None = None
    denominator: Cell | None = None
    value: Cell | None = None
    note: Cell | None = None
    is_total: bool = False
    hidden: bool = False
    district_name: Cell | None = None   # a template row's 区县 name, checked against its code
    parts: dict[str, Cell] = field(default_factory=dict)   # 分组 cells given: dimension → (raw, ref)


@dataclass
class RawUnit:
    sheet: str
    row: int
    district: Cell
    street: Cell
    community: Cell
    flag: Cell
    community_code: Cell | None = None
    started_on: Cell | None = None
    grade: Cell | None = None
    indicator: Cell | None = None
    year: Cell | None = None
    period: Cell | None = None
    hidden: bool = False


@dataclass
class ColumnBlock:
    """A sheet's table read column by column: one list of raw values per field and the Excel row of each
    entry. A cell reference is made only where one is needed (a problem, a cell kept for lineage)."""
    sheet: str
    rows: list[int]
    values: dict[str, list]
    columns: dict[str, int]          # field -> 1-based column
    hidden: set[int]

    def __len__(self) -> int:
        return len(self.rows)

    def cell(self, field: str, k: int) -> Cell | None:
        """Entry k's cell of `field` as (raw value, "A1"), None when the sheet has no such column."""
        return (self.values[field][k], ref(self.rows[k], self.columns[field])) if field in self.values else None


@dataclass
class LongColumns(ColumnBlock):
    """A long-format sheet: the validator checks plain rows in bulk and turns any other row into a RawRecord
    for the cell-by-cell check."""
    _above: list | None = field(default=None, init=False, repr=False)

    def above(self, k: int):
        """The last 指标编码 written above entry k (a 合计 row under merged code cells), None when none is;
        worked out for the whole sheet the first time a row asks."""
        if self._above is None:
            self._above, last = [], None
            for v in self.values["indicator"]:
                self._above.append(last)
                if v not in ("", None):
                    last = v
        return self._above[k]

    def record(self, k: int) -> RawRecord:
        get = lambda f: self.cell(f, k)  # noqa: E731
        district, indicator = get("district"), get("indicator")
        if indicator and indicator[0] in ("", None) and is_total_label(district[0]) and self.above(k) is not None:
            indicator = (self.above(k), indicator[1])
        return RawRecord(self.sheet, self.rows[k], indicator, district, year=get("year"), period=get("period"),
                         numerator=get("numerator"), denominator=get("denominator"), value=get("value"),
                         note=get("note"), is_total=is_total_label(district[0]), hidden=self.rows[k] in self.hidden,
                         parts={d: c for d, f in FIELDS.items() if (c := get(f)) and not is_missing(c[0])})


@dataclass
class UnitColumns(ColumnBlock):
    """A register sheet: entries checked in bulk, any other entry turned into a RawUnit."""
    indicator: Cell | None = None    # a template's register sheet names its indicator once

    def unit(self, k: int) -> RawUnit:
        """Entry k as a RawUnit, for the cell-by-cell check."""
        get = lambda f: self.cell(f, k)  # noqa: E731
        return RawUnit(self.sheet, self.rows[k], get("district"), get("street"), get("community"), get("flag"),
                       community_code=get("community_code"), started_on=get("started_on"), grade=get("grade"),
                       indicator=get("indicator") or self.indicator, year=get("year"), period=get("period"),
                       hidden=self.rows[k] in self.hidden)


@dataclass
class Extract:
    shape: str | None
    labels: dict[str, Cell] = field(default_factory=dict)   # 填报单位, 统计期 …: (raw, ref)
    # read lazily, row by row, as the check asks for them: a check that gives up on a hostile file
    # (too many errors) never reads the rest of it
    records: Iterable[RawRecord] = field(default_factory=list)
    units: list[UnitColumns] = field(default_factory=list)
    task_updates: list[RawTaskUpdate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)      # template's department, period
    sheet_periods: dict[str, Cell] = field(default_factory=dict)  # a sheet's own 统计期 label


def extract(sheets: list[Sheet], search_rows: int) -> Extract:
    by_name = {s.name: s for s in sheets}
    if META_SHEET in by_name:
        return _from_template(by_name, by_name[META_SHEET])
    out = Extract(None)
    for sheet in sheets:
        if not sheet.visible:
            if not sheet.is_empty():
                out.problems.append(problem("hidden_sheet", sheet=sheet.name, value=sheet.name))
            continue
        tasks = find_header(sheet, TASK_SPEC, {"task", "state"}, search_rows)
        if tasks:
            out.shape = out.shape or "task"
            _merge_labels(out, sheet, tasks.row - 1)
            out.task_updates += _task_updates(sheet, tasks)
            continue
        register = find_header(sheet, REGISTER_SPEC, {"district", "street", "community", "flag"}, search_rows)
        if register:
            out.shape = out.shape or "register"
            _merge_labels(out, sheet, register.row - 1)
            out.units += _register_units(sheet, register)
            continue
        long = find_header(sheet, LONG_SPEC, {"indicator", "district"}, search_rows)
        if long and (long.has("year") or long.has("period") or "period" in header_block(sheet, long.row - 1)):
            out.shape = out.shape or "long"
            _merge_labels(out, sheet, long.row - 1)
            if not (long.has("value") or long.has("numerator", "denominator")):
                out.problems.append(problem("value_columns_missing", sheet=sheet.name,
                                            cell=ref(long.row, 1), row=long.row))
                continue
            out.records = itertools.chain(out.records, _long_columns(sheet, long))
    if out.shape is None and not out.problems:
        out.problems.append(problem("header_not_found", n=search_rows))
    return out


def _merge_labels(out: Extract, sheet: Sheet, last_row: int) -> None:
    """The file's labels come from the first sheet that has each; a sheet's own 统计期 is kept too,
    so a workbook with one sheet per quarter files each sheet under its own period."""
    block = header_block(sheet, last_row)
    if "period" in block:
        out.sheet_periods[sheet.name] = (*block["period"], sheet.name)
    for key, value in block.items():
        out.labels.setdefault(key, (value[0], value[1], sheet.name))


def _cell(sheet: Sheet, header: Header, row: int, field: str) -> Cell | None:
    col = header.columns.get(field)
    return (sheet.cell(row, col), ref(row, col)) if col else None


def _column_rows(sheet: Sheet, header: Header, drop=None) -> tuple[list[int], dict[str, list]]:
    """The Excel rows under the header with a value in some column of the table (less those `drop` marks,
    given every field's values), and each field's values in them, read column by column. Short rows are
    padded so every column reads."""
    columns, rows = header.columns, sheet.rows
    width = max(columns.values())
    below = rows[header.row:]
    if below and min(map(len, below)) < width:
        for r, cells in enumerate(below, start=header.row):
            if len(cells) < width:
                rows[r] = below[r - header.row] = cells + [""] * (width - len(cells))
    values = {field: list(map(itemgetter(c - 1), below)) for field, c in columns.items()}
    filled = np.zeros(len(below), dtype=bool)
    for column in values.values():   # each column asked only about the rows still blank
        unknown = np.flatnonzero(~filled)
        if not len(unknown):
            break
        if len(unknown) == len(below):
            filled = ~blanks(column)
        else:
            filled[unknown] = ~blanks([column[k] for k in unknown.tolist()])
    if drop is not None and len(below):
        filled &= ~drop(values)
    kept = np.flatnonzero(filled)
    if len(kept) < len(below):
        values = {field: [column[k] for k in kept.tolist()] for field, column in values.items()}
    return (kept + header.row + 1).tolist(), values


_BLANK = frozenset(("", None))


def blanks(column: list) -> np.ndarray:
    """True where a cell is empty ("" or None)."""
    try:
        return np.fromiter(map(_BLANK.__contains__, column), dtype=bool, count=len(column))
    except TypeError:   # an unhashable value: asked one by one
        return np.fromiter((v in ("", None) for v in column), dtype=bool, count=len(column))


def flags(column: list, test) -> np.ndarray:
    """test(value) for every value of a column, as booleans, each distinct value tested once."""
    answer = {v: bool(test(v)) for v in set(column)}
    return np.fromiter(map(answer.__getitem__, column), dtype=bool, count=len(column))


def _long_columns(sheet: Sheet, header: Header) -> Iterator[LongColumns]:
    """The sheet as one LongColumns block (yielded: read when the check asks for it)."""
    kept, values = _column_rows(sheet, header)
    yield LongColumns(sheet.name, kept, values, dict(header.columns), set(sheet.hidden_rows))


def _task_updates(sheet: Sheet, header: Header) -> list[RawTaskUpdate]:
    return [RawTaskUpdate(sheet.name, t.row, *(_cell(sheet, header, t.row, f) for f in
                                               ("task", "state", "updated_on", "evidence", "note")),
                          hidden=t.row in sheet.hidden_rows)
            for t in table_rows(sheet, header)]


def _register_units(sheet: Sheet, header: Header, flagged_only: bool = False) -> list[UnitColumns]:
    """The sheet's register entries, column by column; 合计 rows are left out (and, in a template, rows
    whose 是/否 is blank: the prefilled master list)."""
    def drop(values: dict[str, list]) -> np.ndarray:
        out = flags(values["district"], is_total_label) | flags(values["community"], is_total_label)
        return out | blanks(values["flag"]) if flagged_only else out

    kept, values = _column_rows(sheet, header, drop)
    return [UnitColumns(sheet.name, kept, values, dict(header.columns), set(sheet.hidden_rows))]


def _from_template(by_name: dict[str, Sheet], meta_sheet: Sheet) -> Extract:
    out = Extract("template")
    settings_rows = {canon(r[0]): r[1] for r in meta_sheet.rows[:5] if len(r) >= 2 and r[0] not in ("", None)}
    columns = [MetaColumn(*(text(v) or "" for v in r[:5])) for r in meta_sheet.rows[6:] if len(r) >= 5 and r[0]]
    out.meta = {"department": text(settings_rows.get("department")) or "",
                "period": text(settings_rows.get("period")) or ""}
    try:
        first_row = int(float(settings_rows.get("first_data_row", "")))
    except ValueError:
        out.problems.append(problem("template_damaged", detail="缺少起始行"))
        return out
    value_columns = [c for c in columns if c.kind == "value"]
    if value_columns:
        sheet = by_name.get(value_columns[0].sheet)
        if sheet is None:
            out.problems.append(problem("template_damaged", detail=f"找不到工作表「{value_columns[0].sheet}」"))
            return out
        _merge_labels(out, sheet, first_row - 1)
        out.records = itertools.chain(out.records, _template_records(sheet, first_row, value_columns))
    def table(c: MetaColumn, spec: list[Column], required: set[str]):
        """The template sheet a _meta row names, with its header; a missing one is a damaged template."""
        sheet = by_name.get(c.sheet)
        header = find_header(sheet, spec, required, 10) if sheet else None
        if header is None:
            out.problems.append(problem("template_damaged", detail=f"找不到工作表「{c.sheet}」"))
        return sheet, header

    for c in (c for c in columns if c.kind == "parts"):
        sheet, header = table(c, LONG_SPEC, {"indicator", "district"})
        if header:
            out.records = itertools.chain(out.records, _long_columns(sheet, header))
    for c in (c for c in columns if c.kind == "task"):
        sheet, header = table(c, TASK_SPEC, {"task", "state"})
        if header:
            _merge_labels(out, sheet, 3)
            out.task_updates += [u for u in _task_updates(sheet, header) if u.state[0] not in ("", None)]
    for c in (c for c in columns if c.kind == "register"):
        sheet = by_name.get(c.sheet)
        if sheet is None:
            out.problems.append(problem("template_damaged", detail=f"找不到工作表「{c.sheet}」"))
            continue
        _merge_labels(out, sheet, 3)
        header = Header(5, {f.field: REGISTER_FIELDS.index(title) + 1 for f, title in zip(
            REGISTER_SPEC, ("区县", "街道(乡镇)", "社区名称", "社区代码", "是否开展创建", "创建时间", "评定等级"))})
        for block in _register_units(sheet, header, flagged_only=True):
            block.indicator = (c.indicator, ref(5, 1))
            out.units.append(block)
    return out


def _template_records(sheet: Sheet, first_row: int, columns: list[MetaColumn]) -> list[RawRecord]:
    by_indicator: dict[str, dict[str, str]] = {}
    for c in columns:
        by_indicator.setdefault(c.indicator, {})[c.field] = c.column
    out = []
    for r in range(first_row, len(sheet.rows) + 1):
        district = (sheet.cell(r, 2), ref(r, 2))
        code = (sheet.cell(r, 1), ref(r, 1))
        if district[0] in ("", None) and code[0] in ("", None):
            continue
        total = is_total_label(district[0])
        for indicator, fields in by_indicator.items():
            cells = {f: (sheet.cell(r, col_number(col)), f"{col}{r}") for f, col in fields.items()}
            if all(v in ("", None) for v, _ in cells.values()):
                continue
            value = cells.get("value") or cells.get("yesno")
            first_col = next(iter(fields.values()))
            has_code = code[0] not in ("", None)
            out.append(RawRecord(sheet.name, r, (indicator, f"{first_col}5"), code if has_code else district,
                                 numerator=cells.get("numerator"), denominator=cells.get("denominator"),
                                 value=value, is_total=total, hidden=r in sheet.hidden_rows,
                                 district_name=district if has_code else None))
    return out
