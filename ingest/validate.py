"""Checking raw records against the catalog. Every problem is collected;
nothing stops at the first one, nothing prints, nothing raises.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from warehouse.breakdowns import parts_of
from warehouse.config import settings
from warehouse.periods import period_frequency, period_year

from .catalog import FREQUENCY_WORDS, Catalog, Indicator
from .normalise import (INVALID, Uncached, canon, fmt_num, is_missing, is_total_label, parse_date, parse_number,
                        parse_part, parse_period, parse_year, parse_yesno, text)
from .problems import ERROR, Problem, errors, problem
from .shapes import Extract, LongColumns, RawRecord, RawUnit, UnitColumns
from .workbook import ref

TASK_STATES = ("未启动", "推进中", "已完成")
EXAMPLE_PERIOD = {"year": "2025", "quarter": "2025-Q3", "month": "2025-09"}


@dataclass
class Validated:
    department_code: str | None
    observations: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    task_updates: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)   # 合计 rows as reported
    parts: list[dict] = field(default_factory=list)    # 分组 rows: a part of a district's total
    problems: list[Problem] = field(default_factory=list)
    filled_by: str | None = None
    phone: str | None = None
    submitted_on: dt.date | None = None

    claimed_periods: set[str] = field(default_factory=set)   # every period a row or the header named

    @property
    def periods(self) -> list[str]:
        """The periods the file reports: those of its loadable rows, or, when none is loadable
        (a refused file), every period it named, so the board can show it as 退回."""
        loaded = {o["period"] for o in self.observations} | {u["period"] for u in self.units}
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
        self.summable: list[tuple[str, str, str, dict]] = []
        self.part_seen: dict[tuple, int] = {}

    def add(self, rule, sheet, cell, **kw):
        self.v.problems.append(problem(rule, sheet=sheet, cell=cell, **kw))

    def _period(self, sheet, year_cell, period_cell, row_label):
        """The row's 统计期: its own period or year cell, else the file's; a problem when it has none."""
        period, found = self._resolve_period(sheet, year_cell, period_cell, row_label)
        self.v.problems += found
        return period

    def _resolve_period(self, sheet, year_cell, period_cell, row_label) -> tuple[str | None, list[Problem]]:
        """(统计期 or None, the problems that say why not), recording nothing: a bulk check asks this once per
        distinct year and period, and sends the rows to the cell-by-cell check when there is a problem."""
        def refused(rule, cell, **kw):
            return None, [problem(rule, sheet=sheet, cell=cell, **kw)]

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
        self.v.claimed_periods.add(period)
        if not self.start <= period_year(period) <= self.end:
            cell = (year_cell or period_cell or (None, row_label))[1]
            return refused("year_out_of_range", cell, value=period_year(period), start=self.start, end=self.end)
        return period, []

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
        self.summable.append((r.sheet, indicator.code, period, parsed))
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
        """A long-format sheet, column by column: each distinct 指标编码, 区县 and 统计期 is resolved once, and a
        plain row (numbers where numbers go, inside every bound, not a 合计, hidden, 分组 or repeated row) is
        taken in bulk; any other row goes through `record`, cell by cell, for the same messages. True when
        the error budget ran out."""
        vals, n = block.values, len(block)
        indicators = {v: self.catalog.indicators.get(canon(v).upper()) for v in set(vals["indicator"])}
        districts = {v: None if is_total_label(v) else self.catalog.district_code(v) for v in set(vals["district"])}
        city = self.catalog.city.code if self.catalog.city else None
        years, periods = vals.get("year"), vals.get("period")
        resolved: dict[tuple, str | None] = {}
        part_columns = [vals[f] for f in ("sex", "age_group", "urban_rural") if f in vals]
        limits = settings()
        for k in range(n):
            r = block.rows[k]
            record = None
            ind = indicators[vals["indicator"][k]]
            district = districts[vals["district"][k]]
            plain = (ind is not None and district is not None and district != city
                     and district not in self.catalog.parents and r not in block.hidden
                     and not any(not is_missing(c[k]) for c in part_columns))
            period = None
            if plain:
                key = (years[k] if years else None, periods[k] if periods else None)
                if key not in resolved:   # a problem sends the rows to `record`, which reports it per cell
                    resolved[key] = self._resolve_period(block.sheet, (key[0], "") if years else None,
                                                         (key[1], "") if periods else None, "")[0]
                period = resolved[key]
            parsed = self._plain_values(ind, vals, k, limits) if period else None
            if (parsed is None or period_frequency(period) not in (ind.frequency, "year")
                    or (ind.code, district, period) in self.seen):
                record = block.record(k)
                self.record(record)
                if over_budget(record):
                    return True
                continue
            self.summable.append((block.sheet, ind.code, period, parsed))
            self.seen[(ind.code, district, period)] = r
            self.used_indicators.add(ind.code)
            cols = block.columns
            self.v.observations.append({
                "indicator_code": ind.code, "district_code": district, "year": period_year(period),
                "period": period, **parsed, "note": text(vals["note"][k]) if "note" in vals else None,
                "sheet": block.sheet, "row_number": r,
                "numerator_cell": ref(r, cols["numerator"]) if parsed["numerator"] is not None else None,
                "denominator_cell": ref(r, cols["denominator"]) if parsed["denominator"] is not None else None,
                "value_cell": ref(r, cols["value"]) if parsed["value"] is not None else None,
            })
        return False

    @staticmethod
    def _plain_values(i: Indicator, vals: dict, k: int, limits) -> dict | None:
        """A row's figures when they are plainly right (real numbers in bounds, a plain 是/否); None sends the
        row through `_values` for its message (or its quiet skip)."""
        number = lambda f: vals[f][k] if f in vals else None  # noqa: E731
        plain = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < float("inf")  # noqa: E731
        if i.kind == "rate":
            num, den = number("numerator"), number("denominator")
            if not (plain(num) and plain(den)) or den > limits.max_denominator:
                return None
            if i.upper_bound is not None and ((i.upper_bound <= i.scale and num > den)
                                              or (den > 0 and num / den * i.scale > i.upper_bound)):
                return None
            return {"numerator": float(num), "denominator": float(den), "value": None}
        if i.kind == "count":
            value = number("value")
            limit = i.upper_bound if i.upper_bound is not None else limits.max_count
            if not plain(value) or not float(value).is_integer() or value > limit:
                return None
            return {"numerator": None, "denominator": None, "value": float(value)}
        if i.kind == "yesno":
            flag = parse_yesno(number("value"))
            if flag not in (True, False):
                return None
            return {"numerator": None, "denominator": None, "value": 1.0 if flag else 0.0}
        return None

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
        for r, indicator, period, parsed in self.total_records:
            if (r.sheet, indicator.code) in self.tainted:
                continue
            self.v.totals.append({"indicator_code": indicator.code, "period": period, **parsed,
                                  "sheet": r.sheet, "row_number": r.row})
            rows = [values for sheet, code, p, values in self.summable
                    if (sheet, code, p) == (r.sheet, indicator.code, period)]
            for field_, label, cell in (("numerator", "分子", r.numerator), ("denominator", "分母", r.denominator),
                                        ("value", "数值", r.value)):
                total = parsed.get(field_)
                if total is None or indicator.kind == "yesno":
                    continue
                summed = sum(o[field_] or 0 for o in rows)
                if abs(total - summed) > 1e-6 * max(1.0, abs(summed)):
                    self.add("total_mismatch", r.sheet, cell[1], label=label, total=fmt_num(total),
                             sum=fmt_num(round(summed, 6)), diff=fmt_num(round(total - summed, 6)))

    def units(self, block: UnitColumns, ex: Extract) -> None:
        """A register sheet, column by column: each distinct district, 是/否 and date is read once, and the
        sheet's indicator and 统计期 once. An entry that is not plainly right (hidden, unknown district or
        unit, a 是/否 that is not one, a repeat) goes through `unit`, cell by cell, for the same messages."""
        vals, n = block.values, len(block)
        if not n:
            return
        shared = None
        if not {"indicator", "year", "period"} & vals.keys():
            before = len(self.v.problems)
            first = block.unit(0)
            shared = (self._unit_indicator(first, ex), self._resolve_period(block.sheet, None, None, "")[0])
            if len(self.v.problems) > before or None in shared:
                del self.v.problems[before:]   # the indicator's problem is reported again, per entry, below
                shared = None
        if shared is None:   # per-row indicators or periods, or a sheet-wide problem: every entry cell by cell
            for k in range(n):
                self.unit(block.unit(k), ex)
            return
        indicator, period = shared
        districts = {v: self.catalog.district_code(v) for v in set(vals["district"])}
        flags = {v: parse_yesno(v) for v in set(vals["flag"])}
        dates = {v: parse_date(v) for v in set(vals.get("started_on", ()))}
        codes = vals.get("community_code")
        year, flag_col = period_year(period), block.columns["flag"]
        for k in range(n):
            r = block.rows[k]
            district, flag = districts[vals["district"][k]], flags[vals["flag"][k]]
            unit = None
            if district is not None and flag in (True, False) and r not in block.hidden:
                code = text(codes[k]) if codes else None
                unit = self.catalog.communities.get(code) if code else None
                if unit is None or unit.district_code != district:
                    unit = self.catalog.community(district, vals["street"][k], vals["community"][k])
            key = (indicator.code, unit.code, period) if unit is not None else None
            if key is None or key in self.unit_seen:
                self.unit(block.unit(k), ex)
                continue
            self.unit_seen[key] = r
            started = dates[vals["started_on"][k]] if "started_on" in vals else None
            self.v.units.append({
                "indicator_code": indicator.code, "district_code": district, "community_code": unit.code,
                "year": year, "period": period, "flag": flag,
                "started_on": started.isoformat() if isinstance(started, dt.date) else (
                    text(vals["started_on"][k]) if "started_on" in vals else None),
                "grade": text(vals["grade"][k]) if "grade" in vals else None,
                "sheet": block.sheet, "row_number": r, "flag_cell": ref(r, flag_col),
            })
        self.used_indicators.add(indicator.code)

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
        started = parse_date(u.started_on[0]) if u.started_on else None
        self.v.units.append({
            "indicator_code": indicator.code, "district_code": district, "community_code": unit.code,
            "year": period_year(period), "period": period, "flag": flag,
            "started_on": started.isoformat() if isinstance(started, dt.date) else (text(u.started_on[0]) if u.started_on else None),
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


def denominator_jumps(observations: list[dict], previous: dict[tuple, float], catalog: Catalog,
                      limit: float, smallest: float) -> list[Problem]:
    """Warn where a denominator moved more than `limit` from the same period a year earlier.

    `previous` maps (indicator, district, period) to the denominator currently held.
    Denominators below `smallest` on both sides are not compared: 2 → 3 libraries is not news.
    """
    out = []
    for o in observations:
        if o["denominator"] is None:
            continue
        key = (o["indicator_code"], o["district_code"], _year_before(o["period"]))
        prev = previous.get(key)
        if not prev or max(prev, o["denominator"]) < smallest:
            continue
        change = o["denominator"] / prev - 1
        if abs(change) > limit:
            out.append(problem(
                "denominator_jump", sheet=o["sheet"], cell=o["denominator_cell"],
                value=fmt_num(o["denominator"]), district=catalog.districts[o["district_code"]].name,
                name=catalog.indicators[o["indicator_code"]].name, prev=fmt_num(prev),
                cur=fmt_num(o["denominator"]), pct=change, limit=limit))
    return out


def _year_before(period: str) -> str:
    return str(int(period[:4]) - 1) + period[4:]
