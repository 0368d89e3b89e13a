"""Checking raw records against the catalog. Every problem is collected;
nothing stops at the first one, nothing prints, nothing raises.
"""
from __future__ import annotations

import datetime as dt
import itertools
import operator
import weakref
from dataclasses import dataclass, field

import numpy as np

from warehouse.breakdowns import parts_of
from warehouse.config import settings
from warehouse.periods import period_frequency, period_year

from .catalog import FREQUENCY_WORDS, Catalog, Community, Indicator
from .normalise import (INVALID, Uncached, canon, fmt_num, is_missing, is_total_label, parse_date, parse_number,
                        parse_part, parse_period, parse_year, parse_yesno, text, texts)
from .problems import ERROR, Problem, errors, problem
from .rows import Rows, distinct, in_row_order, numbers, objects, pick, repeats
from .shapes import Extract, LongColumns, RawRecord, RawUnit, UnitColumns
from .workbook import ref, refs

TASK_STATES = ("未启动", "推进中", "已完成")
EXAMPLE_PERIOD = {"year": "2025", "quarter": "2025-Q3", "month": "2025-09"}


@dataclass
class Validated:
    department_code: str | None
    observations: Rows = field(default_factory=Rows)
    units: Rows = field(default_factory=Rows)
    task_updates: Rows = field(default_factory=Rows)
    totals: Rows = field(default_factory=Rows)   # 合计 rows as reported
    parts: Rows = field(default_factory=Rows)    # 分组 rows: a part of a district's total
    problems: list[Problem] = field(default_factory=list)
    filled_by: str | None = None
    phone: str | None = None
    submitted_on: dt.date | None = None

    claimed_periods: set[str] = field(default_factory=set)   # every period a row or the header named

    @property
    def periods(self) -> list[str]:
        """The periods the file reports: those of its loadable rows, or, when none is loadable
        (a refused file), every period it named, so the board can show it as 退回."""
        loaded = set(self.observations.column("period")) | set(self.units.column("period"))
        return sorted(loaded or self.claimed_periods)

    @property
    def rows(self) -> int:
        return len(self.observations) + len(self.units) + len(self.task_updates)

    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


def validate(ex: Extract, catalog: Catalog, department: str | None = None) -> Validated:
    """Check every record. `department` (code, name or alias) overrides the file's 填报单位."""
    v = Validated(None, problems=list(ex.problems))
    add = v.problems.append
    labels = ex.labels

    dept_raw, dept_where = (department, None) if department else (
        (labels["department"][0], labels["department"]) if "department" in labels else (ex.meta.get("department"), None))
    if is_missing(dept_raw):
        add(problem("department_missing"))
    else:
        v.department_code = catalog.department_code(dept_raw) or catalog.department_code(ex.meta.get("department"))
        if v.department_code is None:
            add(problem("department_unknown", value=dept_raw, **_where(dept_where)))

    file_period = None
    if "period" in labels or ex.meta.get("period"):
        raw = (labels.get("period") or (ex.meta["period"],))[0]
        file_period = parse_period(raw)
        if file_period is INVALID:
            add(problem("period_invalid", value=raw, **_where(labels.get("period"))))
            file_period = None
    v.filled_by = text(labels["filled_by"][0]) if "filled_by" in labels else None
    v.phone = text(labels["phone"][0]) if "phone" in labels else None
    if "submitted_on" in labels:
        submitted = parse_date(labels["submitted_on"][0])
        v.submitted_on = submitted if isinstance(submitted, dt.date) else None

    sheet_periods = {}
    for sheet, (raw, cell, _) in ex.sheet_periods.items():
        parsed = parse_period(raw)
        if parsed is INVALID:
            add(problem("period_invalid", value=raw, sheet=sheet, cell=cell))
        elif parsed:
            sheet_periods[sheet] = parsed
    checker = _RecordChecker(catalog, v, file_period, sheet_periods)
    budget = settings().max_errors
    def over_budget(record) -> bool:
        if len(v.problems) > budget and len(errors(v.problems)) > budget:
            # a file this wrong is refused as it is: the rest is not read (a hostile file stops in seconds)
            add(problem("too_many_errors", sheet=record.sheet, cell=f"A{record.row}", n=budget,
                        row=record.row))
            return True
        return False

    for record in ex.records:
        if isinstance(record, LongColumns):
            if checker.long_block(record, over_budget):
                break
            continue
        checker.record(record)
        if over_budget(record):
            break
    checker.totals()
    checker.breakdowns()
    for block in ex.units:
        checker.units(block, ex)
    for update in ex.task_updates:
        checker.task_update(update)
    if v.department_code:
        checker.ownership(v.department_code)
    if not v.has_errors() and v.rows == 0:
        add(problem("no_rows"))
    v.problems = list(dict.fromkeys(v.problems))  # one message per cell and rule
    return v


def _where(label) -> dict:
    if not label:
        return {}
    return {"cell": label[1], "sheet": label[2] if len(label) > 2 else None}


class _RecordChecker:
    def __init__(self, catalog: Catalog, v: Validated, file_period: str | None, sheet_periods: dict[str, str]):
        self.catalog, self.v, self.file_period = catalog, v, file_period
        self.sheet_periods = sheet_periods
        self.start, self.end = catalog.year_range
        self.seen: dict[tuple, int] = {}
        self.unit_seen: dict[tuple, int] = {}
        self.total_records: list[tuple[RawRecord, Indicator, str]] = []
        self.used_indicators: set[str] = set()
        self.task_seen: dict[str, int] = {}
        # (sheet, indicator) groups with an unreadable value: their 合计 rows
        # cannot be checked meaningfully.
        self.tainted: set[tuple] = set()
        # Every district row's values, recognised district or not, for 合计 checks.
        self.summable = Rows()   # sheet, indicator_code, period, numerator, denominator, value
        self.part_seen: dict[tuple, int] = {}

    def add(self, rule, sheet, cell, **kw):
        self.v.problems.append(problem(rule, sheet=sheet, cell=cell, **kw))

    def _period(self, sheet, year_cell, period_cell, row_label):
        """The row's 统计期: its own period or year cell, else the file's; a problem when it has none."""
        period, found, claimed = self._resolve_period(sheet, year_cell, period_cell, row_label)
        self._claim(claimed)
        self.v.problems += found
        return period

    def _claim(self, period: str | None) -> None:
        if period is not None:
            self.v.claimed_periods.add(period)

    def _resolve_period(self, sheet, year_cell, period_cell,
                        row_label) -> tuple[str | None, list[Problem], str | None]:
        """(统计期 or None, the problems that say why not, the period the row names), recording nothing: a
        bulk check asks this once per distinct year and period, and sends the rows to the cell-by-cell
        check when there is a problem."""
        claimed = None

        def refused(rule, cell, **kw):
            return None, [problem(rule, sheet=sheet, cell=cell, **kw)], claimed

        period = year = None
        if period_cell and not is_missing(period_cell[0]):
            period = parse_period(period_cell[0])
            if period is INVALID:
                return refused("period_invalid", period_cell[1], value=period_cell[0])
        if year_cell and not is_missing(year_cell[0]):
            year = parse_year(year_cell[0])
            if year is INVALID:
                return refused("not_number", year_cell[1], value=year_cell[0], label="年度")
        if period and year and period_year(period) != year:
            return refused("period_year_mismatch", period_cell[1], period=period, year=year)
        declared = self.sheet_periods.get(sheet, self.file_period)
        if not period and year and declared:
            # a 年度 column beside a quarterly or monthly 统计期 names the year, not an annual figure
            if period_year(declared) != year:
                return refused("period_year_mismatch", year_cell[1], period=declared, year=year)
            period = declared
        period = period or (str(year) if year else None) or declared
        if period is None:
            return refused("period_missing", row_label)
        claimed = period
        if not self.start <= period_year(period) <= self.end:
            cell = (year_cell or period_cell or (None, row_label))[1]
            return refused("year_out_of_range", cell, value=period_year(period), start=self.start, end=self.end)
        return period, [], claimed

    def _indicator(self, sheet, cell) -> Indicator | None:
        code = canon(cell[0]).upper()
        indicator = self.catalog.indicators.get(code)
        if indicator is None and not code:
            self.add("indicator_blank", sheet, cell[1])
        elif indicator is None:
            self.add("unknown_indicator", sheet, cell[1], value=cell[0])
        return indicator

    def _frequency_ok(self, indicator: Indicator, period: str, sheet, cell) -> bool:
        freq = period_frequency(period)
        if freq == indicator.frequency or freq == "year":
            return True
        word = FREQUENCY_WORDS[indicator.frequency]
        self.add("period_frequency", sheet, cell, code=indicator.code, name=indicator.name, freq=word,
                 period=period, example=EXAMPLE_PERIOD[indicator.frequency])
        return False

    def _number(self, sheet, cell, label, integer=False):
        if cell is None:
            return None
        if isinstance(cell[0], Uncached):
            self.add("formula_no_value", sheet, cell[1], label=label)
            return INVALID
        value = parse_number(cell[0])
        if value is INVALID:
            self.add("not_number", sheet, cell[1], value=cell[0], label=label)
            return INVALID
        if value is None:
            return None
        if value < 0:
            self.add("negative", sheet, cell[1], value=fmt_num(value), label=label)
            return INVALID
        if integer and not value.is_integer():
            self.add("not_integer", sheet, cell[1], value=fmt_num(value), label=label)
            return INVALID
        return value

    def record(self, r: RawRecord) -> None:
        if r.hidden:
            self.add("hidden_row", r.sheet, f"A{r.row}", row=r.row)
            return
        indicator = self._indicator(r.sheet, r.indicator)
        district = None
        if not r.is_total:
            district = self.catalog.district_code(r.district[0])
            if district is None:
                self.add("unknown_district", r.sheet, r.district[1], value=r.district[0])
            elif r.district_name and not is_missing(r.district_name[0]) and \
                    self.catalog.district_code(r.district_name[0]) != district:
                self.add("district_mismatch", r.sheet, r.district_name[1], value=r.district_name[0],
                         code=text(r.district[0]), name=self.catalog.districts[district].name)
                return
            elif self.catalog.city and district == self.catalog.city.code:
                r.is_total = True
            elif district in self.catalog.parents:
                # a subtotal of a city or province within the file: the figures roll up from the leaves
                self.add("subtotal_row", r.sheet, r.district[1], value=r.district[0])
                return
        period = self._period(r.sheet, r.year, r.period, f"A{r.row}")
        if indicator is None or period is None:
            return
        if not self._frequency_ok(indicator, period, r.sheet, (r.period or r.year or (None, f"A{r.row}"))[1]):
            return
        if r.parts:
            self._part(r, indicator, district, period)
            return
        before = len(self.v.problems)
        parsed = self._values(r, indicator)
        if len(self.v.problems) > before:
            self.tainted.add((r.sheet, indicator.code))
        if parsed is None:
            return
        if r.is_total:
            self.total_records.append((r, indicator, period, parsed))
            return
        self.summable.append({"sheet": r.sheet, "indicator_code": indicator.code, "period": period, **parsed})
        if district is None:
            return
        key = (indicator.code, district, period)
        if key in self.seen:
            self.add("duplicate_row", r.sheet, r.district[1], other_row=self.seen[key])
            return
        self.seen[key] = r.row
        self.used_indicators.add(indicator.code)
        self.v.observations.append({
            "indicator_code": indicator.code, "district_code": district, "year": period_year(period),
            "period": period, **parsed, "note": text(r.note[0]) if r.note else None,
            "sheet": r.sheet, "row_number": r.row,
            "numerator_cell": r.numerator[1] if parsed["numerator"] is not None else None,
            "denominator_cell": r.denominator[1] if parsed["denominator"] is not None else None,
            "value_cell": r.value[1] if parsed["value"] is not None else None,
        })

    def long_block(self, block: LongColumns, over_budget) -> bool:
        """A long-format sheet, column by column: each distinct 指标编码, 区县 and 统计期 is resolved once, the
        plain rows (numbers where numbers go, inside every bound, not a 合计, hidden, 分组 or repeated row)
        are found over whole columns and taken in bulk, and any other row goes through `record`, cell by
        cell, for the same messages, in row order. True when the error budget ran out."""
        if not len(block):
            return False
        sheet = _LongSheet(self, block)
        stop = len(block) - 1

        def check(k: int) -> bool:
            nonlocal stop
            record = block.record(k)
            self.record(record)
            if over_budget(record):
                stop = k
                return True
            return False

        ran_out = in_row_order(sheet.at, sheet.keys, self.seen, sheet.others, check, sheet.take)
        sheet.claim(stop)
        return ran_out

    def _part(self, r: RawRecord, i: Indicator, district: str | None, period: str) -> None:
        """A 分组 row: one dimension, a part the catalog knows, values checked as a total's are."""
        (dimension, cell), *more = r.parts.items()
        if more:
            self.add("breakdown_two_dimensions", r.sheet, more[0][1][1],
                     dims="、".join(d for d in r.parts))
            return
        if r.is_total:
            self.add("breakdown_on_total", r.sheet, cell[1])
            return
        if dimension not in i.breakdowns:
            self.add("breakdown_not_in_catalog", r.sheet, cell[1], code=i.code, name=i.name, dim=dimension,
                     allowed="、".join(i.breakdowns) or "无")
            return
        part = parse_part(dimension, cell[0], i.age_groups)
        if part is INVALID:
            self.add("breakdown_part_invalid", r.sheet, cell[1], value=cell[0], dim=dimension,
                     parts="、".join(parts_of(dimension, i.age_groups)))
            return
        before = len(self.v.problems)
        parsed = self._values(r, i)
        if len(self.v.problems) > before:
            self.tainted.add((i.code, district, period, dimension))   # its sum cannot be checked
        if parsed is None or district is None:
            return
        key = (i.code, district, period, dimension, part)
        if key in self.part_seen:
            self.add("duplicate_row", r.sheet, cell[1], other_row=self.part_seen[key])
            return
        self.part_seen[key] = r.row
        self.v.parts.append({
            "indicator_code": i.code, "district_code": district, "year": period_year(period), "period": period,
            "dimension": dimension, "part": part, **parsed, "sheet": r.sheet, "row_number": r.row,
            "numerator_cell": r.numerator[1] if parsed["numerator"] is not None else None,
            "denominator_cell": r.denominator[1] if parsed["denominator"] is not None else None,
            "value_cell": r.value[1] if parsed["value"] is not None else None,
        })

    def breakdowns(self) -> None:
        """A breakdown's parts add up to the district's total in the same file, field by field."""
        if not self.v.parts:
            return
        totals = {(o["indicator_code"], o["district_code"], o["period"]): o for o in self.v.observations}
        groups: dict[tuple, list[dict]] = {}
        for p in self.v.parts:
            groups.setdefault((p["indicator_code"], p["district_code"], p["period"], p["dimension"]), []).append(p)
        for (code, district, period, dimension), parts in groups.items():
            if (code, district, period, dimension) in self.tainted:
                continue
            first = parts[0]
            where = first["value_cell"] or first["numerator_cell"] or f"A{first['row_number']}"
            total = totals.get((code, district, period))
            names = dict(name=self.catalog.indicators[code].name, district=self.catalog.districts[district].name,
                         period=period, dim=dimension)
            if total is None:
                self.add("breakdown_without_total", first["sheet"], where, **names)
                continue
            for field_, label in (("numerator", "分子"), ("denominator", "分母"), ("value", "数值")):
                if total[field_] is None:
                    continue
                summed = sum(p[field_] or 0 for p in parts)
                if abs(total[field_] - summed) > 1e-6 * max(1.0, abs(summed)):
                    self.add("breakdown_mismatch", first["sheet"], where, label=label, total=fmt_num(total[field_]),
                             sum=fmt_num(round(summed, 6)), parts="、".join(p["part"] for p in parts),
                             total_cell=f"{total['sheet']}!{total[field_ + '_cell']}", **names)

    def _values(self, r: RawRecord, i: Indicator) -> dict | None:
        """numerator/denominator/value for the record, or None when missing or wrong."""
        if r.is_total and any(c is not None and isinstance(c[0], Uncached) for c in (r.numerator, r.denominator, r.value)):
            return None  # a 合计 row is only checked: formulas saved without values leave nothing to check
        given = lambda c: c is not None and not is_missing(c[0])  # noqa: E731
        if i.kind == "register":
            if given(r.value) or given(r.numerator):
                self.add("register_in_table", r.sheet, r.indicator[1], name=i.name)
            return None
        if i.kind == "rate":
            if not given(r.numerator) and not given(r.denominator):
                if given(r.value):
                    self.add("rate_needs_parts", r.sheet, r.value[1], name=i.name, value=r.value[0])
                return None
            num = self._number(r.sheet, r.numerator, "分子")
            den = self._number(r.sheet, r.denominator, "分母")
            if INVALID in (num, den):
                return None
            if num is None or den is None:
                given_word, missing_word = ("分子", "分母") if den is None else ("分母", "分子")
                cell = (r.denominator if den is None else r.numerator) or r.numerator or r.denominator
                self.add("half_rate", r.sheet, cell[1] if cell else f"A{r.row}", name=i.name,
                         given=f"{given_word} {fmt_num(num if den is None else den)}", missing=missing_word)
                return None
            limits = settings()
            if den > limits.max_denominator:
                self.add("implausible_denominator", r.sheet, r.denominator[1], value=fmt_num(den),
                         limit=f"{limits.max_denominator:,.0f}")
                return None
            if i.upper_bound is not None and i.upper_bound <= i.scale and num > den:
                self.add("numerator_gt_denominator", r.sheet, r.numerator[1], num=fmt_num(num), den=fmt_num(den),
                         name=i.name)
                return None
            if den > 0 and i.upper_bound is not None and num / den * i.scale > i.upper_bound:
                self.add("rate_out_of_bounds", r.sheet, r.numerator[1], name=i.name,
                         value=fmt_num(round(num / den * i.scale, 2)), unit=i.unit, upper=fmt_num(i.upper_bound))
                return None
            return {"numerator": num, "denominator": den, "value": None}
        if i.kind == "yesno":
            if not given(r.value):
                return None
            flag = parse_yesno(r.value[0])
            if flag is INVALID:
                self.add("yesno_invalid", r.sheet, r.value[1], value=r.value[0])
                return None
            return {"numerator": None, "denominator": None, "value": 1.0 if flag else 0.0}
        if not given(r.value):
            if given(r.numerator) or given(r.denominator):
                self.add("count_needs_value", r.sheet, (r.numerator or r.denominator)[1], name=i.name)
            return None
        value = self._number(r.sheet, r.value, "数值", integer=True)
        if value in (INVALID, None):
            return None
        limit = i.upper_bound if i.upper_bound is not None else settings().max_count
        if value > limit:
            self.add("implausible_count", r.sheet, r.value[1], label="数值", value=fmt_num(value),
                     limit=f"{limit:,.0f}")
            return None
        return {"numerator": None, "denominator": None, "value": value}

    def totals(self) -> None:
        """A 合计 row must equal the sum of its rows; it is never loaded."""
        groups: dict[tuple, list[tuple]] = {}
        if self.total_records:
            summable = [self.summable.column(f) for f in ("sheet", "indicator_code", "period", "numerator",
                                                          "denominator", "value")]
            for sheet, code, p, *values in zip(*summable):
                groups.setdefault((sheet, code, p), []).append(values)
        for r, indicator, period, parsed in self.total_records:
            if (r.sheet, indicator.code) in self.tainted:
                continue
            self.v.totals.append({"indicator_code": indicator.code, "period": period, **parsed,
                                  "sheet": r.sheet, "row_number": r.row})
            rows = groups.get((r.sheet, indicator.code, period), [])
            for k, (field_, label, cell) in enumerate((("numerator", "分子", r.numerator),
                                                      ("denominator", "分母", r.denominator),
                                                      ("value", "数值", r.value))):
                total = parsed.get(field_)
                if total is None or indicator.kind == "yesno":
                    continue
                summed = sum(o[k] or 0 for o in rows)
                if abs(total - summed) > 1e-6 * max(1.0, abs(summed)):
                    self.add("total_mismatch", r.sheet, cell[1], label=label, total=fmt_num(total),
                             sum=fmt_num(round(summed, 6)), diff=fmt_num(round(total - summed, 6)))

    def units(self, block: UnitColumns, ex: Extract) -> None:
        """A register sheet, column by column: each distinct district and 是/否 is read once, and the sheet's
        indicator and 统计期 once; the plain entries are found over whole columns and taken in bulk. An entry
        that is not plainly right (hidden, unknown district or unit, a 是/否 that is not one, a repeat) goes
        through `unit`, cell by cell, for the same messages, in row order."""
        if not len(block):
            return
        shared = None
        if not {"indicator", "year", "period"} & block.values.keys():
            before = len(self.v.problems)
            indicator = self._unit_indicator(block.unit(0), ex)
            period, _, claimed = self._resolve_period(block.sheet, None, None, "")
            self._claim(claimed)
            shared = (indicator, period)
            if len(self.v.problems) > before or None in shared:
                del self.v.problems[before:]   # the indicator's problem is reported again, per entry, below
                shared = None
        if shared is None:   # per-row indicators or periods, or a sheet-wide problem: every entry cell by cell
            for k in range(len(block)):
                self.unit(block.unit(k), ex)
            return
        sheet = _RegisterSheet(self, block, *shared)
        in_row_order(sheet.at, sheet.keys, self.unit_seen, sheet.others,
                     lambda k: self.unit(block.unit(k), ex) or False, sheet.take)
        self.used_indicators.add(shared[0].code)

    def unit(self, u: RawUnit, ex: Extract) -> None:
        if u.hidden:
            self.add("hidden_row", u.sheet, f"A{u.row}", row=u.row)
            return
        indicator = self._unit_indicator(u, ex)
        district = self.catalog.district_code(u.district[0])
        if district is None:
            self.add("unknown_district", u.sheet, u.district[1], value=u.district[0])
        period = self._period(u.sheet, u.year, u.period, f"A{u.row}")
        flag = parse_yesno(u.flag[0])
        if flag is INVALID:
            self.add("yesno_invalid", u.sheet, u.flag[1], value=u.flag[0])
        unit = None
        if district:
            code = text(u.community_code[0]) if u.community_code else None
            unit = self.catalog.communities.get(code) if code else None
            if unit is None or unit.district_code != district:
                unit = self.catalog.community(district, u.street[0], u.community[0])
            if unit is None:
                where = f"{self.catalog.districts[district].name}{text(u.street[0]) or ''}"
                self.add("unit_not_in_master", u.sheet, u.community[1], value=u.community[0], where=where)
        if None in (indicator, district, period, unit) or flag in (None, INVALID):
            return
        key = (indicator.code, unit.code, period)
        if key in self.unit_seen:
            self.add("register_duplicate_unit", u.sheet, u.community[1], value=u.community[0],
                     other_row=self.unit_seen[key])
            return
        self.unit_seen[key] = u.row
        self.used_indicators.add(indicator.code)
        self.v.units.append({
            "indicator_code": indicator.code, "district_code": district, "community_code": unit.code,
            "year": period_year(period), "period": period, "flag": flag,
            "started_on": started_on(u.started_on[0]) if u.started_on else None,
            "grade": text(u.grade[0]) if u.grade else None,
            "sheet": u.sheet, "row_number": u.row, "flag_cell": u.flag[1],
        })

    def _unit_indicator(self, u: RawUnit, ex: Extract) -> Indicator | None:
        cell = u.indicator if u.indicator and not is_missing(u.indicator[0]) else ex.labels.get("indicator")
        if cell is not None:
            return self._indicator(u.sheet, cell)
        registers = [i for i in self.catalog.indicators.values() if i.kind == "register"]
        own = [i for i in registers if i.lead_department == self.v.department_code]
        choice = own if len(own) == 1 else registers
        if len(choice) == 1:
            return choice[0]
        self.add("unknown_indicator", u.sheet, f"A{u.row}", value="（未填写）")
        return None

    def task_update(self, u) -> None:
        if u.hidden:
            self.add("hidden_row", u.sheet, f"A{u.row}", row=u.row)
            return
        task = self.catalog.tasks.get(canon(u.task[0]).upper())
        if task is None:
            self.add("unknown_task", u.sheet, u.task[1], value=u.task[0])
        state = canon(u.state[0])
        if state not in TASK_STATES:
            self.add("task_state_overdue" if state == "逾期" else "task_state_invalid", u.sheet, u.state[1],
                     value=u.state[0])
            state = None
        updated = parse_date(u.updated_on[0]) if u.updated_on else None
        if updated is INVALID:
            self.add("not_date", u.sheet, u.updated_on[1], value=u.updated_on[0], label="更新日期")
            updated = None
        if task is None or state is None:
            return
        if task.code in self.task_seen:
            self.add("duplicate_row", u.sheet, u.task[1], other_row=self.task_seen[task.code])
            return
        self.task_seen[task.code] = u.row
        dept = self.v.department_code
        if dept and dept != task.lead_department and dept not in task.co_departments:
            self.v.problems.append(problem("task_not_owned", sheet=u.sheet, cell=u.task[1], code=task.code,
                                           name=task.name, lead=self.catalog.departments[task.lead_department].name,
                                           department=self.catalog.departments[dept].name))
        self.v.task_updates.append({
            "task_code": task.code, "state": state, "updated_on": updated,
            "evidence": text(u.evidence[0]) if u.evidence else None, "note": text(u.note[0]) if u.note else None,
            "sheet": u.sheet, "row_number": u.row, "state_cell": u.state[1]})

    def ownership(self, department_code: str) -> None:
        dept = self.catalog.departments[department_code].name
        for code in sorted(self.used_indicators):
            i = self.catalog.indicators[code]
            if department_code != i.lead_department and department_code not in i.co_departments:
                self.v.problems.append(problem(
                    "not_owned", code=code, name=i.name, lead=self.catalog.departments[i.lead_department].name,
                    department=dept))


_KINDS = {"rate": 0, "count": 1, "yesno": 2}
_FREQUENCIES = {"year": 0, "quarter": 1, "month": 2}
_NO_PERIOD = -1


_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _memo(catalog: Catalog) -> dict[str, dict]:
    """What the catalog made of each 指标编码 and 区县 string read so far, kept while the catalog is in use: a
    batch of files names the same districts again and again."""
    if catalog not in _MEMOS:
        _MEMOS[catalog] = {"indicator": {}, "district": {}, "register district": {}}
    return _MEMOS[catalog]


def _per_row(per_value: list, at: np.ndarray, dtype=bool) -> np.ndarray:
    """Each row's entry of a per-distinct-value table, `at` being each row's distinct value."""
    return np.array(per_value, dtype=dtype)[at] if len(per_value) else np.zeros(len(at), dtype=dtype)


def _number(text: str) -> float:
    """A number typed as text ("1,234", "95%"), read as the cell-by-cell check reads it; NaN when the text is
    blank or not a number."""
    value = parse_number(text)
    return value if isinstance(value, float) else np.nan


def started_on(raw) -> str | None:
    """A register's 创建时间 as stored: ISO when it reads as a date, else the text as typed."""
    started = parse_date(raw)
    return started.isoformat() if isinstance(started, dt.date) else text(raw)


def _each_string_once(column: list, read) -> list:
    """read(value) for every value, a string read once however often it repeats."""
    done: dict = {}
    return [(done[v] if v in done else done.setdefault(v, read(v))) if type(v) is str else read(v)
            for v in column]


class _LongSheet:
    """A long-format sheet judged over whole columns: which rows are plain and, for those, the observation
    each makes (`take` adds them). Any other row is the cell-by-cell check's."""

    def __init__(self, checker: _RecordChecker, block: LongColumns):
        self.checker, self.block = checker, block
        self._columns: dict[str, list] | None = None   # the plain rows' observations, made when first taken
        catalog, values, n = checker.catalog, block.values, len(block)
        memo = _memo(catalog)
        self.ind_at, self.indicators = distinct(values["indicator"],
                                                lambda v: catalog.indicators.get(canon(v).upper()), memo["indicator"])
        self.district_at, self.districts = distinct(
            values["district"], lambda v: None if is_total_label(v) else catalog.district_code(v), memo["district"])
        city = catalog.city.code if catalog.city else None
        plain = _per_row([i is not None for i in self.indicators], self.ind_at)
        plain &= _per_row([d is not None and d != city and d not in catalog.parents for d in self.districts],
                          self.district_at)
        if block.hidden:
            plain &= ~np.isin(np.array(block.rows), np.array(sorted(block.hidden)))
        for f in ("sex", "age_group", "urban_rural"):
            if f in values:
                at, missing = distinct(values[f], is_missing)
                plain &= _per_row(missing, at)
        self.named = np.flatnonzero(plain)   # the rows whose 统计期 is read here
        self._periods()
        plain &= self.period_at != _NO_PERIOD
        plain &= self._frequency_ok()
        plain &= self._figures(n)
        self._keys(plain)

    def _periods(self) -> None:
        """Each named row's 统计期 (an index into self.periods, _NO_PERIOD when it has a problem), each distinct
        year and 统计期 cell pair resolved once."""
        values, n, sheet = self.block.values, len(self.block), self.block.sheet
        years, periods = values.get("year"), values.get("period")
        year_at, year_values = distinct(years, lambda v: v) if years is not None else (np.zeros(n, np.intp), [None])
        period_at, period_values = distinct(periods, lambda v: v) if periods is not None else (
            np.zeros(n, np.intp), [None])
        pair = year_at.astype(np.int64) * len(period_values) + period_at
        pairs, self.pair_of_named = np.unique(pair[self.named], return_inverse=True)
        self.periods: list[str] = []
        index: dict[str, int] = {}
        resolved, self.claims = [], []
        for u in pairs.tolist():
            year, period = year_values[u // len(period_values)], period_values[u % len(period_values)]
            found, _, claimed = self.checker._resolve_period(sheet, (year, "") if years is not None else None,
                                                             (period, "") if periods is not None else None, "")
            self.claims.append(claimed)
            resolved.append(_NO_PERIOD if found is None else index.setdefault(found, len(index)))
        self.periods = list(index)
        self.period_at = np.full(n, _NO_PERIOD, dtype=np.intp)
        self.period_at[self.named] = _per_row(resolved, self.pair_of_named, np.intp)

    def claim(self, last: int) -> None:
        """Note the 统计期 the named rows up to row `last` name, as the row-by-row check would have."""
        reached = self.pair_of_named[self.named <= last]
        for u in np.unique(reached).tolist():
            self.checker._claim(self.claims[u])

    def _frequency_ok(self) -> np.ndarray:
        """An annual 统计期, or one as frequent as the indicator."""
        wanted = _per_row([_FREQUENCIES.get(i.frequency, -1) if i else -1 for i in self.indicators], self.ind_at,
                          np.int8)
        given = np.array([_FREQUENCIES[period_frequency(p)] for p in self.periods] + [-2], dtype=np.int8)
        given = given[self.period_at]   # _NO_PERIOD picks the -2 at the end
        return (given == wanted) | (given == _FREQUENCIES["year"])

    def _figures(self, n: int) -> np.ndarray:
        """Rows whose figures are plainly right for their indicator's kind (see _values)."""
        values, limits = self.block.values, settings()
        self.kind = _per_row([_KINDS.get(i.kind, -1) if i else -1 for i in self.indicators], self.ind_at, np.int8)
        self.numerator = numbers(values.get("numerator"), n, _number)
        self.denominator = numbers(values.get("denominator"), n, _number)
        self.value = numbers(values.get("value"), n, _number)
        ok = np.zeros(n, dtype=bool)
        if (self.kind == _KINDS["rate"]).any():
            ok |= (self.kind == _KINDS["rate"]) & self._rates_ok(limits)
        if (self.kind == _KINDS["count"]).any():
            ok |= (self.kind == _KINDS["count"]) & self._counts_ok(limits)
        yesno = self.kind == _KINDS["yesno"]
        if yesno.any() and "value" in values:
            at, flags = distinct(values["value"], parse_yesno)
            self.value = np.where(yesno, _per_row([1.0 if f is True else 0.0 if f is False else np.nan
                                                   for f in flags], at, float), self.value)
            ok |= yesno & ~np.isnan(self.value)
        return ok

    def _rates_ok(self, limits) -> np.ndarray:
        """分子 and 分母 plain numbers, the 分母 plausible, the rate within the indicator's bound."""
        num, den = self.numerator, self.denominator
        bound = [i.upper_bound if i and i.kind == "rate" and i.upper_bound is not None else None
                 for i in self.indicators]
        upper = _per_row([np.nan if b is None else b for b in bound], self.ind_at, float)
        # a bound without a scale is left to _values, which says what it says
        sure = _per_row([b is None or i.scale is not None for b, i in zip(bound, self.indicators)], self.ind_at)
        scale = _per_row([i.scale if b is not None and i.scale is not None else np.nan
                          for b, i in zip(bound, self.indicators)], self.ind_at, float)
        capped = _per_row([b is not None and i.scale is not None and b <= i.scale
                           for b, i in zip(bound, self.indicators)], self.ind_at)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = num / den * scale
        fine = (num >= 0) & (num < np.inf) & (den >= 0) & (den < np.inf) & ~(den > limits.max_denominator)
        return fine & sure & ~(capped & (num > den)) & ~((den > 0) & (rate > upper))

    def _counts_ok(self, limits) -> np.ndarray:
        """A whole, non-negative number within the indicator's bound (or the plausible count)."""
        value = self.value
        limit = _per_row([i.upper_bound if i and i.upper_bound is not None else limits.max_count
                          for i in self.indicators], self.ind_at, float)
        with np.errstate(invalid="ignore"):
            whole = value == np.floor(value)
        return (value >= 0) & (value < np.inf) & whole & ~(value > limit)

    def _keys(self, plain: np.ndarray) -> None:
        """The plain rows (self.at), their keys and the keys' parts as arrays (self.key_columns); a row repeating
        an earlier plain row's key is not plain."""
        at = np.flatnonzero(plain)
        parts = (objects([i.code if i else None for i in self.indicators])[self.ind_at[at]],
                 objects(self.districts)[self.district_at[at]], objects(self.periods)[self.period_at[at]])
        keys = list(zip(*(p.tolist() for p in parts)))
        again = repeats(keys)
        if again.any():
            plain[at[again]] = False
            at = at[~again]
            keys = [k for k, repeated in zip(keys, again.tolist()) if not repeated]
            parts = tuple(p[~again] for p in parts)
        self.at, self.keys, self.key_columns = at, keys, parts
        self.others = np.flatnonzero(~plain).tolist()

    def _observations(self) -> dict[str, np.ndarray]:
        """The plain rows' observations, field by field, as the arrays the load inserts."""
        at, block = self.at, self.block
        rate = self.kind[at] == _KINDS["rate"]
        rows = np.array(block.rows, dtype=np.int64)[at]

        def cells(field: str, where: np.ndarray) -> np.ndarray:
            if field not in block.columns or not where.any():
                return objects([None] * len(at))
            found = refs(block.columns[field], rows)
            return found if where.all() else np.where(where, found, None)

        code, district, period = self.key_columns
        return {
            "indicator_code": code, "district_code": district,
            "year": np.array([period_year(p) for p in self.periods], dtype=np.int64)[self.period_at[at]],
            "period": period,
            "numerator": np.where(rate, self.numerator[at], np.nan),
            "denominator": np.where(rate, self.denominator[at], np.nan),
            "value": np.where(rate, np.nan, self.value[at]),
            "note": objects(texts(pick(block.values["note"], at)) if "note" in block.values else [None] * len(at)),
            "sheet": objects([block.sheet] * len(at)), "row_number": rows,
            "numerator_cell": cells("numerator", rate), "denominator_cell": cells("denominator", rate),
            "value_cell": cells("value", ~rate),
        }

    def take(self, chosen: np.ndarray) -> None:
        """Take the plain rows `chosen` (indices into self.at): their observations, values for 合计 checks
        and keys."""
        if self._columns is None:
            self._columns = self._observations()
        columns = _chosen(self._columns, chosen, len(self.at))
        n, checker = len(chosen), self.checker
        checker.v.observations.extend(columns, n)
        checker.summable.extend({f: columns[f] for f in ("sheet", "indicator_code", "period", "numerator",
                                                         "denominator", "value")}, n)
        checker.seen.update(zip(_chosen({"keys": self.keys}, chosen, len(self.at))["keys"],
                                columns["row_number"].tolist()))
        checker.used_indicators.update(columns["indicator_code"].tolist())


_NOWHERE = Community("", None, "", "", "")   # what an entry's 社区代码 finds when the master list has no such code
_DISTRICT = operator.attrgetter("district_code")


class _RegisterSheet:
    """A register sheet of one indicator and 统计期 judged over whole columns: which entries are plain and,
    for those, the register entry each makes (`take` adds them). Any other entry is `unit`'s."""

    def __init__(self, checker: _RecordChecker, block: UnitColumns, indicator: Indicator, period: str):
        self.checker, self.block, self.indicator, self.period = checker, block, indicator, period
        self._columns: dict[str, list] | None = None   # the plain entries' register entries, made when first taken
        catalog, values = checker.catalog, block.values
        self.district_at, districts = distinct(values["district"], catalog.district_code,
                                               _memo(catalog)["register district"])
        self.flag_at, self.flags = distinct(values["flag"], parse_yesno)
        plain = _per_row([d is not None for d in districts], self.district_at)
        plain &= _per_row([f is True or f is False for f in self.flags], self.flag_at)
        if block.hidden:
            plain &= ~np.isin(np.array(block.rows), np.array(sorted(block.hidden)))
        at = np.flatnonzero(plain)
        self.districts = pick(districts, self.district_at[at])
        codes = self._units(at)
        found = np.fromiter(map(operator.is_not, codes, itertools.repeat(None)), dtype=bool, count=len(codes))
        if not found.all():
            plain[at[~found]] = False
            at, self.districts = at[found], [d for d, f in zip(self.districts, found.tolist()) if f]
            codes = [c for c in codes if c is not None]
        self.community_codes = codes
        keys = list(zip(itertools.repeat(indicator.code), self.community_codes, itertools.repeat(period)))
        again = repeats(keys)
        if again.any():
            plain[at[again]] = False
            keep = (~again).tolist()
            at = at[~again]
            keys, self.districts, self.community_codes = (
                [x for x, k in zip(column, keep) if k] for column in (keys, self.districts, self.community_codes))
        self.at, self.keys = at, keys
        self.others = np.flatnonzero(~plain).tolist()

    def _units(self, at: np.ndarray) -> list[str | None]:
        """The code of the master list's unit of each entry at `at` (None when it has none): its 社区代码 when
        that is the district's, else the unit found by its district, street and name. (The code is the one
        the file gave, not the catalog's copy: reading the catalog's far-flung strings costs more.)"""
        catalog, values = self.checker.catalog, self.block.values
        codes = texts(pick(values["community_code"], at)) if "community_code" in values else [None] * len(at)
        units = map(catalog.communities.get, codes, itertools.repeat(_NOWHERE))
        theirs = np.fromiter(map(operator.eq, map(_DISTRICT, units), self.districts), dtype=bool, count=len(codes))
        for i in np.flatnonzero(~theirs).tolist():   # no code, or another district's: by name
            k = int(at[i])
            unit = catalog.community(self.districts[i], values["street"][k], values["community"][k])
            codes[i] = unit.code if unit is not None else None
        return codes

    def _entries(self) -> dict[str, np.ndarray]:
        """The plain entries' register entries, field by field, as the arrays the load inserts."""
        at, block, n = self.at, self.block, len(self.at)
        values = block.values
        rows = np.array(block.rows, dtype=np.int64)[at]
        return {
            "indicator_code": objects([self.indicator.code] * n), "district_code": objects(self.districts),
            "community_code": objects(self.community_codes), "year": np.full(n, period_year(self.period)),
            "period": objects([self.period] * n), "flag": np.array(pick(self.flags, self.flag_at[at]), dtype=bool),
            "started_on": objects(_each_string_once(pick(values["started_on"], at), started_on)
                                  if "started_on" in values else [None] * n),
            "grade": objects(texts(pick(values["grade"], at)) if "grade" in values else [None] * n),
            "sheet": objects([block.sheet] * n), "row_number": rows, "flag_cell": refs(block.columns["flag"], rows),
        }

    def take(self, chosen: np.ndarray) -> None:
        """Take the plain entries `chosen` (indices into self.at): their register entries and keys."""
        if self._columns is None:
            self._columns = self._entries()
        columns = _chosen(self._columns, chosen, len(self.at))
        self.checker.v.units.extend(columns, len(chosen))
        keys = _chosen({"keys": self.keys}, chosen, len(self.at))["keys"]
        self.checker.unit_seen.update(zip(keys, columns["row_number"].tolist()))


def _chosen(columns: dict[str, list], chosen: np.ndarray, n: int) -> dict[str, list]:
    """The entries `chosen` (ascending indices) of each column n long: the columns themselves when all are
    chosen, a slice when they run on."""
    if len(chosen) == n:
        return columns
    first, last = int(chosen[0]), int(chosen[-1])
    if last - first + 1 == len(chosen):
        return {f: column[first:last + 1] for f, column in columns.items()}
    picked = chosen.tolist()
    return {f: column[chosen] if isinstance(column, np.ndarray) else [column[i] for i in picked]
            for f, column in columns.items()}


def denominator_jumps(observations: Rows | list[dict], jumps: dict[int, float], catalog: Catalog,
                      limit: float) -> list[Problem]:
    """A warning for each row k of `jumps` (row → the denominator held for the same period a year earlier,
    found by the pipeline), whose denominator moved more than `limit` from it."""
    if not jumps:
        return []
    rows = observations if isinstance(observations, Rows) else Rows(observations)
    out = []
    for k, prev in jumps.items():
        row = rows[k]
        denominator = row["denominator"]
        out.append(problem(
            "denominator_jump", sheet=row["sheet"], cell=row["denominator_cell"], value=fmt_num(denominator),
            district=catalog.districts[row["district_code"]].name, name=catalog.indicators[row["indicator_code"]].name,
            prev=fmt_num(prev), cur=fmt_num(denominator), pct=denominator / prev - 1, limit=limit))
    return out
