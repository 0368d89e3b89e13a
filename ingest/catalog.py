"""The indicator catalog (指标体系): read from data/catalog.xlsx, checked with
the same cell-level problems as submissions, and kept in DuckDB.

Officials edit the workbook; it is the single source of truth. Its sheets:
指标, 目标, 区县, 部门, 社区 (and optional others, ignored here).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import weakref
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from warehouse import journal
from warehouse.access import CATALOG, Actor, personal_actor, require
from warehouse.audit import record
from warehouse.breakdowns import DIMENSIONS, URBAN
from warehouse.config import settings
from warehouse.db import bump_data_version, first_row, transaction, warehouse_archive, warehouse_file

from . import gate as gate_mod
from .master_list import read_master_list
from .normalise import (INVALID, canon, fmt_num, parse_age_groups, parse_date, parse_dimensions, parse_number,
                        parse_year, text)
from .problems import Problem, errors, problem
from .tables import Column, find_header, table_rows
from .workbook import Sheet, read

AREAS = ("社会政策友好", "公共服务友好", "权利保障友好", "成长空间友好", "发展环境友好")
LEVELS = ("国家", "省", "市", "县")
DISTRICT_KINDS = ("国家", "省", "市", "区", "县", "功能区", "街道", "乡镇")   # an area tree of any depth

CHOICES = {
    "kind": {"比率": "rate", "数量": "count", "台账": "register", "是否": "yesno",
             "rate": "rate", "count": "count", "register": "register", "yesno": "yesno"},
    "accumulation": {"年度": "annual", "累计": "cumulative", "annual": "annual", "cumulative": "cumulative"},
    "reporting_basis": {"当年新增": "additions", "累计数": "running_total",
                        "additions": "additions", "running_total": "running_total"},
    "direction": {"越高越好": "higher", "越低越好": "lower", "higher": "higher", "lower": "lower"},
    "frequency": {"年": "year", "季": "quarter", "月": "month", "year": "year", "quarter": "quarter", "month": "month"},
    "nature": {"不低于": "at_least", "不高于": "at_most", "左右": "about", "约": "about", "达到": "reach",
               "at_least": "at_least", "at_most": "at_most", "about": "about", "reach": "reach"},
}
NATURE_WORDS = {"at_least": "不低于", "at_most": "不高于", "about": "左右", "reach": "达到"}
FREQUENCY_WORDS = {"year": "年度", "quarter": "季度", "month": "月度"}

SHEET_SPECS = {
    "指标": [
        Column("code", ("指标编码", "编码", "code")),
        Column("area", ("领域", "area")),
        Column("action", ("行动/任务", "行动", "任务", "action")),
        Column("name", ("指标名称", "名称", "name")),
        Column("kind", ("类型", "指标类型", "kind")),
        Column("scale", ("比例基数", "scale")),
        Column("accumulation", ("累计方式", "accumulation")),
        Column("reporting_basis", ("填报口径", "reporting_basis")),
        Column("numerator_def", ("分子定义", "分子", "numerator")),
        Column("denominator_def", ("分母定义", "分母", "denominator")),
        Column("unit", ("单位", "unit")),
        Column("direction", ("方向", "direction")),
        Column("upper_bound", ("取值上限", "upper_bound")),
        Column("lead_department", ("牵头单位", "责任单位", "lead_department")),
        Column("co_departments", ("配合单位", "co_departments")),
        Column("frequency", ("报送频率", "frequency")),
        Column("baseline_year", ("基线年", "baseline_year")),
        Column("baseline_value", ("基线值", "baseline_value")),
        Column("source", ("来源文件", "来源", "source")),
        Column("gap_phrase", ("缺口表述", "gap_phrase")),
        Column("quarter_profile", ("季度进度", "quarter_profile")),
        Column("note", ("口径说明", "备注", "note")),
        Column("breakdowns", ("分组", "分组维度", "breakdowns")),
        Column("age_groups", ("年龄组", "age_groups")),
    ],
    "目标": [
        Column("indicator", ("指标编码", "indicator")),
        Column("year", ("年度", "目标年", "year")),
        Column("value", ("目标值", "value")),
        Column("level", ("层级", "level")),
        Column("district", ("区县", "district")),
        Column("nature", ("目标性质", "nature")),
        Column("source", ("来源", "来源文件", "source")),
    ],
    "基线": [  # optional: a district's own baseline, where its cumulative stock starts
        Column("indicator", ("指标编码", "indicator")),
        Column("district", ("区县", "district")),
        Column("year", ("基线年", "年度", "year")),
        Column("value", ("基线值", "value")),
        Column("source", ("来源", "来源文件", "source")),
    ],
    "区县": [
        Column("code", ("统计代码", "代码", "code")),
        Column("name", ("名称", "区县", "name")),
        Column("aliases", ("别名", "aliases")),
        Column("parent", ("上级代码", "上级", "parent")),
        Column("kind", ("类型", "kind")),
    ],
    "部门": [
        Column("code", ("部门编码", "编码", "code")),
        Column("name", ("部门名称", "名称", "name")),
        Column("aliases", ("别名", "aliases")),
        Column("contact", ("联系人", "contact")),
        Column("phone", ("联系电话", "电话", "phone")),
    ],
    "任务": [  # optional: the plan's task list (任务清单)
        Column("code", ("任务编码", "编码", "code")),
        Column("action", ("行动", "行动/任务", "action")),
        Column("name", ("任务", "任务内容", "name")),
        Column("lead_department", ("牵头单位", "责任单位", "lead_department")),
        Column("co_departments", ("配合单位", "co_departments")),
        Column("due_on", ("完成时限", "截止日期", "due_on")),
        Column("evidence", ("佐证材料", "evidence")),
        Column("category", ("类别", "category")),
        Column("note", ("口径说明", "备注", "note")),
        Column("source", ("来源", "来源文件", "source")),
    ],
    "社区": [
        Column("district", ("区县", "district")),
        Column("street", ("街道(乡镇)", "街道", "乡镇", "street")),
        Column("name", ("社区名称", "社区", "name")),
        Column("code", ("社区代码", "代码", "code")),
        Column("urban_rural", ("城乡", "城乡类型", "urban_rural")),
    ],
}
REQUIRED = {
    "指标": {"code", "area", "action", "name", "kind", "unit", "direction", "lead_department", "frequency"},
    "目标": {"indicator", "year", "value", "level"},
    "区县": {"code", "name", "kind"},
    "部门": {"code", "name"},
    "社区": {"district", "street", "name", "code", "urban_rural"},
    "任务": {"code", "name", "lead_department", "due_on"},
    "基线": {"indicator", "district", "year", "value"},
}
OPTIONAL_SHEETS = {"任务", "基线"}
# Sheets that must be there but may hold no rows yet: a plan's catalog before its master list is entered.
MAY_BE_EMPTY = {"社区"}
# 任务 sheet 类别: a plan task, an expected result (预期成果清单) or a policy (政策举措清单).
TASK_CATEGORIES = ("任务", "成果", "政策")
COLUMN_TITLES = {sheet: {c.field: c.aliases[0] for c in spec} for sheet, spec in SHEET_SPECS.items()}


@dataclass(frozen=True)
class Indicator:
    code: str
    sort_order: int
    area: str
    action: str
    name: str
    kind: str
    scale: int | None
    accumulation: str | None
    reporting_basis: str | None
    numerator_def: str | None
    denominator_def: str | None
    unit: str
    direction: str
    upper_bound: float | None
    lead_department: str
    co_departments: tuple[str, ...]
    frequency: str
    baseline_year: int | None
    baseline_value: float | None
    source: str | None
    gap_phrase: str | None
    quarter_profile: tuple[float, ...] | None
    catalog_row: int
    note: str | None = None           # 口径说明: the choice made where the plan is ambiguous, and its alternative
    breakdowns: tuple[str, ...] = ()  # 分组: the dimensions (性别, 年龄组, 城乡) its figures may be reported by
    age_groups: tuple[str, ...] = ()  # 年龄组: its own age groups, when not the plans' four


@dataclass(frozen=True)
class Target:
    indicator_code: str
    year: int
    value: float
    level: str
    district_code: str | None
    nature: str | None
    source: str | None
    provisional: bool
    catalog_row: int


@dataclass(frozen=True)
class Baseline:
    indicator_code: str
    district_code: str
    year: int
    value: float
    source: str | None
    catalog_row: int


@dataclass(frozen=True)
class District:
    code: str
    sort_order: int
    name: str
    aliases: tuple[str, ...]
    parent_code: str | None
    kind: str


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    aliases: tuple[str, ...]
    contact: str | None
    phone: str | None


@dataclass(frozen=True)
class Task:
    code: str
    sort_order: int
    action: str | None
    name: str
    lead_department: str
    co_departments: tuple[str, ...]
    due_on: dt.date | None            # None: the plan gives no date (待确认)
    evidence: str | None
    catalog_row: int
    category: str = "任务"            # 任务 | 成果 | 政策
    note: str | None = None
    source: str | None = None         # where the plan says it ("东阿方案 三、B5")


class Community(NamedTuple):
    """A unit of the master list. A named tuple, not a dataclass: a province's list has 600,000 of them, read
    from the warehouse in a second as tuples, where frozen dataclasses took five."""
    code: str
    district_code: str
    street: str
    name: str
    urban_rural: str


class Catalog:
    """The catalog in memory, with name resolution for districts, departments and communities."""

    def __init__(self, indicators, targets, districts, departments, communities, tasks=(), baselines=()):
        self.indicators: dict[str, Indicator] = {i.code: i for i in indicators}
        self.baselines: list[Baseline] = list(baselines)
        self.tasks: dict[str, Task] = {t.code: t for t in tasks}
        self.targets: list[Target] = list(targets)
        self.districts: dict[str, District] = {d.code: d for d in districts}
        self.departments: dict[str, Department] = {d.code: d for d in departments}
        # the master list (600,000 units for a province) is read from a warehouse only when first asked for:
        # a long-format file never needs it
        self._communities = None if communities is None else {c.code: c for c in communities}
        self._community_rows = None
        roots = [d for d in self.districts.values() if not d.parent_code]
        self.city: District | None = roots[0] if len(roots) == 1 else None
        # areas with areas under them: figures are reported for the leaves and roll up to these
        self.parents: set[str] = {d.parent_code for d in self.districts.values() if d.parent_code}
        self._district_names = _name_index(self.districts.values())
        self._department_names = _name_index(self.departments.values())
        self._units: dict[tuple[str, str], list[Community]] | None = None   # built when first asked

    @property
    def communities(self) -> dict[str, Community]:
        """The master list's units by code."""
        if self._communities is None:
            self._communities = {c.code: c for c in self._community_rows()}
            self._community_rows = None
        return self._communities

    def __getstate__(self) -> dict:
        """For a worker process (ingest.batch): everything but the way back to the warehouse, which stays
        here. A copy whose master list was not read yet raises MasterListNotRead when asked for it."""
        return {**self.__dict__, "_community_rows": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if self._communities is None:
            self._community_rows = _not_read

    def _read_communities_from(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read the master list through `con` when it is first asked for (the connection in use now: a kept
        catalog is bound again to each caller's), on a cursor of its own (the dashboard's sessions share it)."""
        if self._communities is None:
            held = weakref.ref(con)   # not the connection itself: a kept catalog must not keep a warehouse open
            self._community_rows = lambda: _read_communities(held())

    @property
    def year_range(self) -> tuple[int, int]:
        """The plan's years: from the earliest baseline to the latest target."""
        years = [i.baseline_year for i in self.indicators.values() if i.baseline_year]
        years += [t.year for t in self.targets]
        return (min(years), max(years)) if years else (2000, 2100)

    def district_code(self, raw: object) -> str | None:
        key = canon(text(raw))  # text(): a code typed as a number (371402.0) reads as 371402
        if key in self._district_names:
            return self._district_names[key]
        if self.city and key.startswith(canon(self.city.name)):
            return self._district_names.get(key[len(canon(self.city.name)):])
        return None

    def department_code(self, raw: object) -> str | None:
        key = canon(raw)
        return self._department_names.get(key) or self._department_names.get(
            re.sub(r"^(德州)?市", "", key))

    def community(self, district_code: str, street: object, name: object) -> Community | None:
        """A unit of the master list, by district and name (street breaks ties)."""
        if self._units is None:
            self._units = {}
            for c in self.communities.values():
                self._units.setdefault((c.district_code, canon(c.name)), []).append(c)
        candidates = self._units.get((district_code, canon(name)), [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if canon(c.street) == canon(street)]
        return candidates[0] if len(candidates) == 1 else None

    def indicators_of(self, department_code: str) -> list[Indicator]:
        return sorted((i for i in self.indicators.values() if i.lead_department == department_code),
                      key=lambda i: i.sort_order)

    @classmethod
    def current(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        """The catalog in force, read once per catalog version of a warehouse (a province's catalog with
        600,000 communities takes seconds to read; a batch of files shares one)."""
        path = warehouse_file(con)
        own = con.cursor()   # `con` may be the dashboard's shared connection: a cursor of its own for the queries
        try:
            key = (path, *first_row(own, "SELECT max(id), arg_max(sha256, id) FROM catalog_load"))
            if path is None or key not in _CURRENT:
                _CURRENT.clear()   # one warehouse's catalog at a time
                _CURRENT[key] = cls.from_db(own)
        finally:
            own.close()
        _CURRENT[key]._read_communities_from(con)
        return _CURRENT[key]

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        def rows(dataclass_, table):
            columns = field_names(dataclass_)
            found = con.table(table).select(*columns).fetchall()
            return [dataclass_(*(tuple(v) if isinstance(v, list) else v for v in r)) for r in found]

        catalog = cls(rows(Indicator, "indicator"), rows(Target, "target"), rows(District, "district"),
                      rows(Department, "department"), None, rows(Task, "task"), rows(Baseline, "baseline"))
        catalog._read_communities_from(con)
        return catalog


_CURRENT: dict[tuple, Catalog] = {}


class MasterListNotRead(Exception):
    """A copy of the catalog away from its warehouse was asked for the master list it does not hold."""


def _not_read() -> list[Community]:
    raise MasterListNotRead


def _read_communities(con: duckdb.DuckDBPyConnection | None) -> list[Community]:
    if con is None:
        raise MasterListNotRead   # the connection it was bound to is closed: ask Catalog.current again
    own = con.cursor()
    try:
        return list(map(Community._make, own.table("community").select(*field_names(Community)).fetchall()))
    finally:
        own.close()


def field_names(kind: type) -> list[str]:
    """The fields of a catalog item's class, a dataclass or a named tuple, in order."""
    return list(kind._fields) if hasattr(kind, "_fields") else [f.name for f in fields(kind)]


def _name_index(items) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in items:
        for key in (item.code, item.name, *item.aliases):
            index.setdefault(canon(key), item.code)
    return index


def _split_list(raw: object) -> tuple[str, ...]:
    value = text(raw)
    return tuple(p.strip() for p in re.split(r"[、,，;；/\s]+", value) if p.strip()) if value else ()


# ------------------------------------------------------------------- reading
def read_catalog(data: bytes, file_name: str = "catalog.xlsx", master_list: tuple[bytes, str] | None = None
                 ) -> tuple[Catalog | None, list[Problem]]:
    """Parse and check a catalog workbook, and the community master list when it comes as its own file
    (`master_list` = (bytes, file name)). Returns the catalog only when it has no errors."""
    checked = gate_mod.check(data, settings())
    if checked.problems:
        return None, [_with_file(p, file_name) for p in checked.problems]
    sheets, problems = read(data, checked)
    if problems:
        return None, [_with_file(p, file_name) for p in problems]
    by_name = {canon(s.name): s for s in sheets}
    tables: dict[str, list] = {}
    for sheet_name, spec in SHEET_SPECS.items():
        sheet = by_name.get(sheet_name)
        if sheet is None:
            if sheet_name in OPTIONAL_SHEETS:
                tables[sheet_name] = []
            else:
                problems.append(problem("catalog_missing_sheet", value=sheet_name))
            continue
        header = find_header(sheet, spec, REQUIRED[sheet_name], settings().header_search_rows)
        if header is None:
            found = find_header(sheet, spec, set(), 1)
            have = found.columns if found else {}
            for field in sorted(REQUIRED[sheet_name] - have.keys()):
                problems.append(problem("missing_column", sheet=sheet.name,
                                        value=COLUMN_TITLES[sheet_name][field], sheet_name=sheet.name))
            continue
        rows = list(table_rows(sheet, header))
        if not rows and sheet_name not in OPTIONAL_SHEETS | MAY_BE_EMPTY:
            problems.append(problem("catalog_empty", sheet=sheet.name, value=sheet.name))
        tables[sheet_name] = [(sheet, r) for r in rows]
    if problems:
        return None, [_with_file(p, file_name) for p in problems]

    checker = _Checker()
    departments = checker.departments(tables["部门"])
    districts = checker.districts(tables["区县"])
    indicators = checker.indicators(tables["指标"], departments)
    written = {text(row.raw("code")) for _, row in tables["指标"]} - {None}
    baselines = checker.baselines(tables["基线"], indicators, districts, written)
    targets = checker.targets(tables["目标"], indicators, written, districts, baselines)
    communities = checker.communities(tables["社区"], districts)
    tasks = checker.tasks(tables["任务"], departments)
    problems = [_with_file(p, file_name) for p in checker.problems]
    if master_list is not None:
        if communities:
            problems.append(problem("master_list_twice", sheet="社区"))
        rows, listed = read_master_list(*master_list, _name_index(districts))
        problems += [_with_file(p, master_list[1]) for p in listed]
        communities = [Community(*r) for r in rows or ()]
    if errors(problems):
        return None, problems
    return Catalog(indicators, targets, districts, departments, communities, tasks, baselines), problems


def _with_file(p: Problem, file_name: str) -> Problem:
    return Problem(p.rule, p.severity, p.message, file_name, p.sheet, p.cell, p.value)


PENDING = object()  # a 完成时限 left 待确认


class _Checker:
    """Cell-level checks of the catalog sheets; collects every problem."""

    def __init__(self):
        self.problems: list[Problem] = []

    def _add(self, rule, sheet: Sheet, cell, **kw):
        self.problems.append(problem(rule, sheet=sheet.name, cell=cell, **kw))

    def _required(self, sheet, row, field, title):
        value = text(row.raw(field))
        if value is None:
            self._add("required_field", sheet, row.ref(field) or f"第{row.row}行", column=title)
        return value

    def _choice(self, sheet, row, field, title, choices, required=True):
        value = text(row.raw(field))
        if value is None:
            if required:
                self._add("required_field", sheet, row.ref(field) or f"第{row.row}行", column=title)
            return None
        mapped = choices.get(canon(value)) if isinstance(choices, dict) else (value if value in choices else None)
        if mapped is None:
            shown = "、".join(k for k in choices if not k.isascii()) if isinstance(choices, dict) else "、".join(choices)
            self._add("invalid_choice", sheet, row.ref(field), value=value, column=title, choices=shown)
        return mapped

    def _number(self, sheet, row, field, title, parse=parse_number, required=False):
        raw = row.raw(field)
        value = parse(raw)
        if value is INVALID:
            self._add("not_number", sheet, row.ref(field), value=raw, label=title)
            return None
        if value is None and required:
            self._add("required_field", sheet, row.ref(field) or f"第{row.row}行", column=title)
        return value

    def _unique(self, seen: dict, key, sheet, row, field, title, shown: str | None = None) -> bool:
        if key in seen:
            self._add("duplicate_code", sheet, row.ref(field), value=shown or key, column=title,
                      other_row=seen[key])
            return False
        seen[key] = row.row
        return True

    def departments(self, rows) -> list[Department]:
        out, seen = [], {}
        for sheet, row in rows:
            code = self._required(sheet, row, "code", "部门编码")
            name = self._required(sheet, row, "name", "部门名称")
            if code and name and self._unique(seen, code, sheet, row, "code", "部门编码"):
                out.append(Department(code, name, _split_list(row.raw("aliases")),
                                      text(row.raw("contact")), text(row.raw("phone"))))
        self._alias_conflicts(out, rows, "部门")
        return out

    def districts(self, rows) -> list[District]:
        out, kept_rows, seen = [], [], {}
        for order, (sheet, row) in enumerate(rows):
            code = self._required(sheet, row, "code", "统计代码")
            name = self._required(sheet, row, "name", "名称")
            kind = self._choice(sheet, row, "kind", "类型", DISTRICT_KINDS)
            if code and name and kind and self._unique(seen, code, sheet, row, "code", "统计代码"):
                out.append(District(code, order, name, _split_list(row.raw("aliases")),
                                    text(row.raw("parent")), kind))
                kept_rows.append((sheet, row))
        codes = set(seen)
        for (sheet, row), d in zip(kept_rows, out):
            if d.parent_code and d.parent_code not in codes:
                self._add("unknown_reference", sheet, row.ref("parent"), value=d.parent_code,
                          column="上级代码", target="区县")
        roots = [d for d in out if not d.parent_code]
        if len(roots) != 1 and rows:
            self._add("city_root", rows[0][0], None, count=len(roots))
        self._cycles(out, kept_rows)
        self._alias_conflicts(out, rows, "区县")
        return out

    def _cycles(self, areas: list[District], rows) -> None:
        """Every area climbs by 上级代码 to the root; a loop (甲 → 乙 → 甲) is named once."""
        parent = {d.code: d.parent_code for d in areas}
        reported: set[str] = set()
        for (sheet, row), d in zip(rows, areas):
            path, code = [d.code], d.parent_code
            while code in parent and code not in path:
                path.append(code)
                code = parent[code]
            if code in path and not reported & set(path):
                reported |= set(path)
                self._add("area_cycle", sheet, row.ref("parent"), value=d.name,
                          path=" → ".join([*path[path.index(code):], code]))

    def _alias_conflicts(self, items, rows, sheet_title):
        owner: dict[str, str] = {}
        for item in items:
            for key in {canon(k) for k in (item.code, item.name, *item.aliases)}:
                if key in owner and owner[key] != item.code:
                    self._add("alias_conflict", rows[0][0], None, value=key,
                              first=owner[key], second=item.code)
                owner.setdefault(key, item.code)

    def _owners(self, sheet, row, dept_index: dict[str, str]) -> tuple[str | None, list[str]]:
        """The 牵头单位 and 配合单位 of a row, as department codes; unknown names are problems."""
        lead = self._required(sheet, row, "lead_department", "牵头单位")
        lead_code = dept_index.get(canon(lead)) if lead else None
        if lead and not lead_code:
            self._add("unknown_reference", sheet, row.ref("lead_department"), value=lead,
                      column="牵头单位", target="部门")
        co_codes = []
        for co in _split_list(row.raw("co_departments")):
            if canon(co) in dept_index:
                co_codes.append(dept_index[canon(co)])
            else:
                self._add("unknown_reference", sheet, row.ref("co_departments"), value=co,
                          column="配合单位", target="部门")
        return lead_code, co_codes

    def indicators(self, rows, departments: list[Department]) -> list[Indicator]:
        dept_index = _name_index(departments)
        out, seen = [], {}
        for order, (sheet, row) in enumerate(rows):
            code = self._required(sheet, row, "code", "指标编码")
            area = self._choice(sheet, row, "area", "领域", AREAS)
            action = self._required(sheet, row, "action", "行动/任务")
            name = self._required(sheet, row, "name", "指标名称")
            kind = self._choice(sheet, row, "kind", "类型", CHOICES["kind"])
            unit = self._required(sheet, row, "unit", "单位")
            direction = self._choice(sheet, row, "direction", "方向", CHOICES["direction"])
            frequency = self._choice(sheet, row, "frequency", "报送频率", CHOICES["frequency"])
            scale = accumulation = basis = None
            if kind == "rate":
                scale = self._number(sheet, row, "scale", "比例基数", required=True)
                if scale is not None and scale not in (100, 1000):
                    self._add("invalid_choice", sheet, row.ref("scale"), value=fmt_num(scale),
                              column="比例基数", choices="100、1000")
                    scale = None
            if kind == "count":
                accumulation = self._choice(sheet, row, "accumulation", "累计方式", CHOICES["accumulation"])
                basis = self._choice(sheet, row, "reporting_basis", "填报口径", CHOICES["reporting_basis"],
                                     required=accumulation == "cumulative")
            lead_code, co_codes = self._owners(sheet, row, dept_index)
            upper = self._number(sheet, row, "upper_bound", "取值上限")
            baseline_year = self._number(sheet, row, "baseline_year", "基线年", parse=parse_year)
            baseline_value = self._number(sheet, row, "baseline_value", "基线值")
            required = [code, area, action, name, kind, unit, direction, frequency, lead_code]
            if kind == "rate":
                required.append(scale)
            if kind == "count":
                required.append(accumulation)
            if all(v is not None for v in required) and self._unique(seen, code, sheet, row, "code", "指标编码"):
                if upper is None and kind in ("rate", "register", "yesno"):
                    upper = float(scale or 100)
                out.append(Indicator(
                    code, order, area, action, name, kind, int(scale) if scale else None, accumulation,
                    basis if kind == "count" else None, text(row.raw("numerator_def")),
                    text(row.raw("denominator_def")), unit, direction, upper, lead_code, tuple(co_codes),
                    frequency, baseline_year, baseline_value, text(row.raw("source")), self._phrase(sheet, row),
                    self._profile(sheet, row) if kind == "count" else None, row.row, text(row.raw("note")),
                    self._breakdowns(sheet, row, kind), parse_age_groups(row.raw("age_groups"))))
        return out

    def _breakdowns(self, sheet, row, kind) -> tuple[str, ...]:
        """分组 "性别、城乡": rates and counts may be split by any dimension; a register only by 城乡, which
        the master list gives; a yes/no figure is not split."""
        dims, unknown = parse_dimensions(row.raw("breakdowns"))
        allowed = {"rate": DIMENSIONS, "count": DIMENSIONS, "register": (URBAN,)}.get(kind, ())
        wrong = unknown + [d for d in dims if d not in allowed]
        if wrong:
            self._add("invalid_choice", sheet, row.ref("breakdowns"), value="、".join(wrong), column="分组",
                      choices="、".join(allowed) if allowed else "（是否类指标不分组，请留空）")
        return tuple(d for d in dims if d in allowed)

    def _profile(self, sheet, row) -> tuple[float, ...] | None:
        """季度进度 "25/50/75/100": the share of a year's count expected by the end of each quarter."""
        raw = text(row.raw("quarter_profile"))
        if raw is None:
            return None
        parts = [parse_number(p.rstrip("%％")) for p in re.split(r"[/、,，;；\s]+", raw) if p.strip()]
        if (len(parts) != 4 or any(p is INVALID or p is None for p in parts)
                or any(b < a for a, b in zip(parts, parts[1:])) or parts[0] < 0 or parts[-1] != 100):
            self._add("quarter_profile", sheet, row.ref("quarter_profile"), value=raw)
            return None
        return tuple(p / 100 for p in parts)

    def _phrase(self, sheet, row) -> str | None:
        phrase = text(row.raw("gap_phrase"))
        if phrase and "{n}" not in phrase.replace("｛", "{").replace("｝", "}"):
            self._add("gap_phrase_placeholder", sheet, row.ref("gap_phrase"), value=phrase)
            return None
        return phrase.replace("｛", "{").replace("｝", "}") if phrase else None

    def _indicator_ref(self, sheet, row, written: set[str]) -> str | None:
        code = self._required(sheet, row, "indicator", "指标编码")
        if code and code not in written:
            self._add("unknown_reference", sheet, row.ref("indicator"), value=code,
                      column="指标编码", target="指标")
        return code

    def _district_ref(self, sheet, row, index: dict[str, str], required: bool) -> tuple[bool, str | None]:
        """(ok, code) of the row's 区县 cell; blank is ok when not required."""
        raw = text(row.raw("district"))
        if raw is None:
            if required:
                self._add("required_field", sheet, row.ref("district") or f"第{row.row}行", column="区县")
            return not required, None
        code = index.get(canon(raw))
        if code is None:
            self._add("unknown_reference", sheet, row.ref("district"), value=raw, column="区县", target="区县")
            return False, None
        return True, code

    def baselines(self, rows, indicators: list[Indicator], districts: list[District],
                  written: set[str]) -> list[Baseline]:
        codes = {i.code for i in indicators}
        index = _name_index(d for d in districts if d.parent_code)
        out, seen = [], {}
        for sheet, row in rows:
            code = self._indicator_ref(sheet, row, written)
            ok, district = self._district_ref(sheet, row, index, required=True)
            year = self._number(sheet, row, "year", "基线年", parse=parse_year, required=True)
            value = self._number(sheet, row, "value", "基线值", required=True)
            if code not in codes or not ok or None in (year, value):
                continue
            if self._unique(seen, (code, district), sheet, row, "indicator", "指标和区县", shown=f"{code} {district}"):
                out.append(Baseline(code, district, year, value, text(row.raw("source")), row.row))
        return out

    def targets(self, rows, indicators: list[Indicator], written: set[str], districts: list[District],
                baselines: list[Baseline]) -> list[Target]:
        """`written` holds every code on the 指标 sheet, valid or not: a target of an indicator
        refused for some other cell is not reported as unknown."""
        by_code = {i.code: i for i in indicators}
        index = _name_index(d for d in districts if d.parent_code)
        has_baseline = {(b.indicator_code, b.district_code) for b in baselines}
        words = settings().provisional_source_words
        out, seen = [], {}
        for sheet, row in rows:
            code = self._indicator_ref(sheet, row, written)
            year = self._number(sheet, row, "year", "年度", parse=parse_year, required=True)
            value = self._number(sheet, row, "value", "目标值", required=True)
            level = self._choice(sheet, row, "level", "层级", LEVELS)
            ok, district = self._district_ref(sheet, row, index, required=False)
            nature = self._choice(sheet, row, "nature", "目标性质", CHOICES["nature"], required=False)
            if district and level and level != "县":
                self._add("district_target_level", sheet, row.ref("level"), value=level)
                ok = False
            ind = by_code.get(code)
            if ind is None or not ok or None in (year, value, level):
                continue
            if (district and ind.accumulation == "cumulative" and ind.reporting_basis == "additions"
                    and ind.baseline_value and (code, district) not in has_baseline):
                self._add("district_target_baseline", sheet, row.ref("district"), value=text(row.raw("district")),
                          indicator=code)
                continue
            if self._unique(seen, (code, year, level, district), sheet, row, "indicator", "指标、年度、层级和区县",
                            shown=f"{code} {year}年 {level}级 {text(row.raw('district')) or ''}".strip()):
                source = text(row.raw("source"))
                provisional = source is None or any(w in source for w in words)
                out.append(Target(code, year, value, level, district, nature, source, provisional, row.row))
        return out

    def tasks(self, rows, departments: list[Department]) -> list[Task]:
        dept_index = _name_index(departments)
        out, seen = [], {}
        for order, (sheet, row) in enumerate(rows):
            code = self._required(sheet, row, "code", "任务编码")
            name = self._required(sheet, row, "name", "任务")
            lead_code, co_codes = self._owners(sheet, row, dept_index)
            due = self._due(sheet, row)
            category = self._choice(sheet, row, "category", "类别", TASK_CATEGORIES, required=False) or (
                None if text(row.raw("category")) else "任务")
            if None in (code, name, lead_code, due, category):
                continue
            if self._unique(seen, code, sheet, row, "code", "任务编码"):
                out.append(Task(code, order, text(row.raw("action")), name, lead_code, tuple(co_codes),
                                None if due is PENDING else due, text(row.raw("evidence")), row.row, category,
                                text(row.raw("note")), text(row.raw("source"))))
        return out

    def _due(self, sheet, row):
        """完成时限: a date, or PENDING when the cell is blank or says 待确认 (the plan gives no date)."""
        raw = row.raw("due_on")
        shown = text(raw)
        if shown is None or any(w in shown for w in settings().provisional_source_words):
            return PENDING
        due = parse_date(raw)
        if due is INVALID or due is None:
            self._add("not_date", sheet, row.ref("due_on"), value=raw, column="完成时限", label="完成时限")
            return None
        return due

    def communities(self, rows, districts: list[District]) -> list[Community]:
        index = _name_index(districts)
        out, seen = [], {}
        for sheet, row in rows:
            district = self._required(sheet, row, "district", "区县")
            district_code = index.get(canon(district)) if district else None
            if district and not district_code:
                self._add("unknown_district", sheet, row.ref("district"), value=district)
            street = self._required(sheet, row, "street", "街道(乡镇)")
            name = self._required(sheet, row, "name", "社区名称")
            code = self._required(sheet, row, "code", "社区代码")
            kind = self._choice(sheet, row, "urban_rural", "城乡", ("城镇", "农村"))
            if None in (district_code, street, name, code, kind):
                continue
            if self._unique(seen, code, sheet, row, "code", "社区代码"):
                out.append(Community(code, district_code, street, name, kind))
        return out


# ------------------------------------------------------------------- loading
def load_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog, data: bytes, file_name: str,
                 loaded_at: dt.datetime | None = None, master_list: tuple[bytes, str] | None = None, *,
                 actor: Actor | None = None) -> int:
    """Add the catalog as a new version in one transaction, with its audit row; earlier versions stay for
    as-of figures. `master_list`: the community list's own file, when it came apart from the workbook (kept
    beside it in the archive and in the journal). A 管理员's change (NotAllowed for the other roles).
    Returns the version's id."""
    actor = actor or personal_actor()
    require(actor, CATALOG)
    loaded_at = loaded_at or dt.datetime.now()
    sha = hashlib.sha256(data).hexdigest()
    with transaction(con):
        version = first_row(con, "SELECT coalesce(max(id), 0) + 1 FROM catalog_load")[0]
        for table, items in (("indicator", catalog.indicators.values()), ("target", catalog.targets),
                             ("baseline", catalog.baselines), ("district", catalog.districts.values()),
                             ("department", catalog.departments.values()),
                             ("community", catalog.communities.values()), ("task", catalog.tasks.values())):
            frame = _frame(list(items))
            if not frame.empty:
                frame.insert(0, "catalog_id", version)
                con.from_df(frame).insert_into("catalog_" + table)
        con.execute("INSERT INTO catalog_load VALUES (?, ?, ?, ?)", [version, sha, file_name, loaded_at])
        bump_data_version(con)
        record(con, actor, CATALOG, "catalog", version,
               f"{file_name}：第 {version} 版指标体系，指标 {len(catalog.indicators)} 项，部门 {len(catalog.departments)} 个，"
               f"区县 {len(catalog.districts)} 个，任务 {len(catalog.tasks)} 项", loaded_at)
    stored = _keep(con, sha, data, ".xlsx")
    if stored:
        extra = {}
        if master_list is not None:
            list_sha = hashlib.sha256(master_list[0]).hexdigest()
            extra = {"master_list": _keep(con, list_sha, master_list[0], Path(master_list[1]).suffix.lower()),
                     "master_list_name": master_list[1]}
        journal.write(con, "catalog", stored=stored, file_name=file_name, loaded_at=loaded_at, actor=actor, **extra)
    return version


def _frame(items: list) -> pd.DataFrame:
    """Catalog items as a frame, one column per field (tuples as lists); fast for a 600,000-row list."""
    import pandas as pd   # here, not at the top: a worker process reading submissions never loads a catalog
    if not items:
        return pd.DataFrame()
    names = field_names(type(items[0]))
    frame = pd.DataFrame([tuple(getattr(i, n) for n in names) for i in items], columns=names)
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, tuple)).any():
            frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, tuple) else v)
    return frame


def _keep(con: duckdb.DuckDBPyConnection, sha: str, data: bytes, suffix: str) -> str | None:
    """Every catalog version's workbook (and master list) is archived (archive/catalog/<sha><suffix>) for the journal."""
    archive = warehouse_archive(con)
    if archive is None:
        return None
    kept = archive / "catalog" / f"{sha}{suffix}"
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(data)
    return f"catalog/{sha}{suffix}"


@journal.replays("catalog")
def _replay_catalog(con: duckdb.DuckDBPyConnection, archive: Path, stored: str, file_name: str,
                    loaded_at: str, master_list: str | None = None, master_list_name: str | None = None,
                    actor: dict | None = None) -> None:
    data = (archive / stored).read_bytes()
    listed = ((archive / master_list).read_bytes(), master_list_name) if master_list else None
    catalog, problems = read_catalog(data, file_name, listed)
    if catalog is None:
        raise ValueError("日志中的指标体系无法读取：" + "；".join(p.message for p in problems[:3]))
    load_catalog(con, catalog, data, file_name, journal.moment(loaded_at), listed, actor=Actor.from_dict(actor))


def install_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog, data: bytes, file_name: str,
                    path: Path, archive_root: Path, master_list: tuple[bytes, str] | None = None, *,
                    actor: Actor | None = None) -> None:
    """Load a checked catalog (as `actor`, see load_catalog) and make it the catalog workbook at `path`; the
    previous workbook is kept in the archive, content-addressed like every received file (a separate master
    list too)."""
    load_catalog(con, catalog, data, file_name, master_list=master_list, actor=actor)
    if path.exists():
        old = path.read_bytes()
        sha = hashlib.sha256(old).hexdigest()
        kept = archive_root / "catalog" / f"{sha}.xlsx"
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not kept.exists():
            kept.write_bytes(old)
    tmp = path.with_suffix(".xlsx.part")
    tmp.write_bytes(data)
    tmp.replace(path)
