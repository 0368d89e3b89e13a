"""Targets, progress to target and status: scalar rules, then the table that applies them.

Status words, exactly: 已达标 / 正常 / 滞后 / 严重滞后 / 无数据.
Open SDG progress bands: 已实现 / 显著进展 / 中等进展 / 进展有限 / 倒退.
"""
from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd

from .values import city_values, district_values, districts, indicator_meta

MET, ON_TRACK, BEHIND, FAR_BEHIND, NO_DATA = "已达标", "正常", "滞后", "严重滞后", "无数据"
STATUSES = (MET, ON_TRACK, BEHIND, FAR_BEHIND, NO_DATA)
ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION = "已实现", "显著进展", "中等进展", "进展有限", "倒退"
# Which progress band each path status corresponds to, to say where the two disagree.
_AGREES = {MET: {ACHIEVED}, ON_TRACK: {SUBSTANTIAL, ACHIEVED}, BEHIND: {MODERATE, SUBSTANTIAL},
           FAR_BEHIND: {LIMITED, DETERIORATION, MODERATE}}
PROGRESS_COLUMNS = ["indicator", "indicator_name", "area", "district_code", "district", "year", "numerator",
                    "denominator", "value", "unit", "target", "target_year", "target_level", "attainment", "gap",
                    "gap_text", "expected", "status", "yoy", "growth_ratio", "growth_band", "disagreement",
                    "lead_department", "direction", "period", "districts_reported", "complete"]
# The level whose target is "the" target of a row, most local first.
LEVEL_PRIORITY = ("市", "县", "省", "国家")


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def meets(value: float, target: float, direction: str) -> bool:
    """The target is met: value ≥ target, or ≤ for lower-is-better indicators."""
    return value >= target if direction == "higher" else value <= target


def attainment(value, target, direction: str) -> float | None:
    """value ÷ target; target ÷ value for lower-is-better indicators."""
    if _missing(value) or _missing(target):
        return None
    if direction == "higher":
        return value / target if target else None
    return target / value if value else (1.0 if target >= 0 else None)


def expected_value(baseline_year, baseline_value, target_year: int, target_value: float,
                   on: dt.date) -> float | None:
    """The straight line from the baseline (end of its year) to the target (end of its year), read on `on`.

    expected = baseline + (target − baseline) × elapsed ÷ span, held at the target after its date.
    """
    if _missing(baseline_year) or _missing(baseline_value):
        return None
    start, end = dt.date(int(baseline_year), 12, 31), dt.date(int(target_year), 12, 31)
    if end <= start:
        return float(target_value)
    share = min(max((on - start).days / (end - start).days, 0.0), 1.0)
    return baseline_value + (target_value - baseline_value) * share


def path_status(value, target, expected, previous, direction: str, tolerance: float) -> str | None:
    """已达标 when the target is met; otherwise against the expected path:
    正常 at or beyond it; 滞后 short of it by less than `tolerance` × expected;
    严重滞后 short by more, or short and moving away from the target (worse than last year).
    With no baseline (no path) an unmet target is 滞后, or 严重滞后 when moving away.
    无数据 when there is no value; None (no status at all) when no target applies.
    """
    if _missing(value):
        return NO_DATA
    if _missing(target):
        return None
    if meets(value, target, direction):
        return MET
    sign = 1 if direction == "higher" else -1
    moving_away = not _missing(previous) and sign * (value - previous) < 0
    if _missing(expected):
        return FAR_BEHIND if moving_away else BEHIND
    shortfall = sign * (expected - value)
    if shortfall <= 0:
        return ON_TRACK
    if moving_away or shortfall > tolerance * abs(expected):
        return FAR_BEHIND
    return BEHIND


def growth_ratio(first_year, first_value, last_year, last_value, target_year, target_value) -> float | None:
    """Open SDG's R: the observed compound annual growth rate over the required one.

    observed = (last ÷ first)^(1 ÷ (last_year − first_year)) − 1
    required = (target ÷ first)^(1 ÷ (target_year − first_year)) − 1
    """
    values = (first_year, first_value, last_year, last_value, target_year, target_value)
    if any(_missing(v) for v in values) or last_year <= first_year or target_year <= first_year:
        return None
    if first_value <= 0 or last_value <= 0 or target_value <= 0:
        return None
    observed = (last_value / first_value) ** (1 / (last_year - first_year)) - 1
    required = (target_value / first_value) ** (1 / (target_year - first_year)) - 1
    if required == 0:
        return None
    return observed / required


def growth_band(ratio, met: bool) -> str | None:
    """已实现 when met; else R ≥ 0.95 显著进展, 0.6–0.95 中等进展, 0–0.6 进展有限, < 0 倒退."""
    if met:
        return ACHIEVED
    if _missing(ratio):
        return None
    if ratio >= 0.95:
        return SUBSTANTIAL
    if ratio >= 0.6:
        return MODERATE
    if ratio >= 0:
        return LIMITED
    return DETERIORATION


def disagreement(status: str | None, band: str | None) -> str | None:
    """A sentence where the path status and the growth band tell different stories."""
    if band is None or status in (NO_DATA, None) or band in _AGREES.get(status, {band}):
        return None
    return f"按目标路径为「{status}」，按年均增速为「{band}」"


def gap_units(kind: str, direction: str, scale, numerator, denominator, value, target) -> int | None:
    """What is still needed, counted in the numerator's own units.

    rate/register/yesno: ⌈target ÷ scale × Σdenominator⌉ − Σnumerator (higher is better),
    or Σnumerator − ⌊target ÷ scale × Σdenominator⌋ (lower is better); count: ⌈target − value⌉.
    Never negative: 0 once met.
    """
    if _missing(target):
        return None
    if kind == "count":
        if _missing(value):
            return None
        gap = target - value if direction == "higher" else value - target
        return max(0, math.ceil(gap - 1e-9))
    if _missing(numerator) or _missing(denominator):
        return None
    scale = scale if not _missing(scale) else 100
    needed = target / scale * denominator
    if direction == "higher":
        return max(0, math.ceil(needed - 1e-9) - int(round(numerator)))
    return max(0, int(round(numerator)) - math.floor(needed + 1e-9))


def gap_text(gap: int | None, phrase: str | None, unit: str) -> str:
    """"还需筛查1,240名儿童" from the catalog's 缺口表述; empty when nothing is missing."""
    if _missing(gap) or gap == 0:
        return ""
    return phrase.replace("{n}", f"{gap:,}") if not _missing(phrase) else f"还差 {gap:,}{unit}"


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every target of the catalog: indicator, year, value, level, source."""
    return con.execute("SELECT indicator_code AS indicator, year, value, level, source FROM target "
                       "ORDER BY indicator_code, year, level").df()


def applicable_target(table: pd.DataFrame, indicator: str, year: int, level: str | None = None) -> dict | None:
    """The target that applies to a year: that year's own; else the next milestone after it;
    else the last one before it (to be held). `level` None takes the most local level (市 first)."""
    return _pick_target(_target_index(table), indicator, year, level)


def _target_index(table: pd.DataFrame) -> dict[str, list[tuple]]:
    index: dict[str, list[tuple]] = {}
    for r in table.itertuples(index=False):
        index.setdefault(r.indicator, []).append((int(r.year), float(r.value), r.level, r.source))
    return index


def _pick_target(index: dict[str, list[tuple]], indicator: str, year: int, level: str | None) -> dict | None:
    rows = index.get(indicator, [])
    present = {lv for _, _, lv, _ in rows}
    for lv in [level] if level else [lv for lv in LEVEL_PRIORITY if lv in present]:
        mine = sorted(r for r in rows if r[2] == lv)
        if not mine:
            continue
        exact = [r for r in mine if r[0] == year]
        later = [r for r in mine if r[0] > year]
        pick = exact[0] if exact else later[0] if later else mine[-1]
        return {"year": pick[0], "value": pick[1], "level": lv, "source": pick[3]}
    return None


def progress_table(con: duckdb.DuckDBPyConnection, year: int | None = None, as_of: dt.datetime | None = None,
                   level: str = "all", tolerance: float | None = None) -> pd.DataFrame:
    """One row per indicator × district (and the city) × year, with target, attainment, gap,
    expected value, status, year-over-year change and growth band.

    Every district of the catalog gets a row for every year shown, with 无数据 when it has no data.
    `level`: "city", "district" or "all".
    """
    from ingest.config import settings
    tolerance = settings().status_tolerance if tolerance is None else tolerance
    as_of_date = as_of.date() if as_of else dt.date.today()
    dv = district_values(con, None, as_of)
    cv = city_values(con, None, as_of, districts=dv)
    meta = indicator_meta(con).set_index("code")
    names = districts(con)
    city_rows = con.execute("SELECT code, name FROM district WHERE parent_code IS NULL").fetchall()
    city_code, city_name = city_rows[0] if city_rows else ("", "")
    all_years = sorted(set(dv["year"])) if not dv.empty else []
    years = [year] if year is not None else all_years
    units = [(c, n) for c, n in zip(names["code"], names["name"])]
    scope = {"city": [(city_code, city_name)], "district": units, "all": [(city_code, city_name), *units]}[level]
    values = pd.concat([dv.assign(districts_reported=1), cv], ignore_index=True)
    lookup = {(r.indicator, r.district_code, int(r.year)): r for r in values.itertuples(index=False)}
    first_seen = values.groupby(["indicator", "district_code"])["year"].min().to_dict()
    target_index = _target_index(targets(con))
    out = []
    for code, ind in meta.to_dict("index").items():
        for y in years:
            city_target = _pick_target(target_index, code, y, None)
            # A count's target is a city total: a district is held only to a 县-level target of its own.
            local_target = _pick_target(target_index, code, y, "县") if ind["kind"] == "count" else city_target
            for district_code, district_name in scope:
                t = city_target if district_code == city_code else local_target
                r = lookup.get((code, district_code, y))
                prev = lookup.get((code, district_code, y - 1))
                value = None if r is None or _missing(r.value) else float(r.value)
                previous = None if prev is None or _missing(prev.value) else float(prev.value)
                on = min(dt.date(y, 12, 31), as_of_date)
                expected = expected_value(ind["baseline_year"], ind["baseline_value"], t["year"], t["value"], on) if t else None
                status = path_status(value, t["value"] if t else None, expected, previous, ind["direction"], tolerance)
                base_y, base_v = _growth_base(ind, lookup, first_seen, code, district_code, district_code == city_code)
                ratio = growth_ratio(base_y, base_v, y, value, t["year"], t["value"]) if t and value is not None else None
                band = growth_band(ratio, status == MET) if value is not None else None
                gap = gap_units(ind["kind"], ind["direction"], ind["scale"], getattr(r, "numerator", None),
                                getattr(r, "denominator", None), value, t["value"] if t else None) if r is not None else None
                out.append({
                    "indicator": code, "indicator_name": ind["name"], "area": ind["area"],
                    "district_code": district_code, "district": district_name, "year": y,
                    "numerator": None if r is None or _missing(r.numerator) else float(r.numerator),
                    "denominator": None if r is None or _missing(r.denominator) else float(r.denominator),
                    "value": value, "unit": ind["unit"],
                    "target": t["value"] if t else None, "target_year": t["year"] if t else None,
                    "target_level": t["level"] if t else None,
                    "attainment": attainment(value, t["value"] if t else None, ind["direction"]),
                    "gap": gap, "gap_text": gap_text(gap, ind["gap_phrase"], ind["unit"]),
                    "expected": expected, "status": status,
                    "yoy": None if value is None or previous is None else value - previous,
                    "growth_ratio": ratio, "growth_band": band, "disagreement": disagreement(status, band),
                    "lead_department": ind["lead_name"], "direction": ind["direction"],
                    "period": None if r is None else r.period,
                    "districts_reported": None if r is None else int(r.districts_reported),
                    "complete": None if r is None else bool(r.complete),
                })
    return pd.DataFrame(out, columns=PROGRESS_COLUMNS)


def _growth_base(ind, lookup, first_seen, code, district_code, is_city):
    """Where growth is measured from: the catalog's (city) baseline for the city,
    a district's own first reported year for a district."""
    if is_city and not _missing(ind["baseline_year"]) and not _missing(ind["baseline_value"]):
        return int(ind["baseline_year"]), float(ind["baseline_value"])
    first = first_seen.get((code, district_code))
    if first is None:
        return None, None
    return first, lookup[(code, district_code, first)].value


def status_summary(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of indicators per status word, grouped by `by` ("area" or "district")."""
    if table.empty:
        return pd.DataFrame(columns=[by, *STATUSES])
    counts = table.groupby([by, "status"]).size().unstack(fill_value=0)
    for s in STATUSES:
        if s not in counts:
            counts[s] = 0
    return counts[list(STATUSES)].reset_index()


def rank_districts(table: pd.DataFrame) -> pd.DataFrame:
    """Rank of districts per indicator and year (1 = best, direction-aware); ties share the best rank."""
    rows = table[table["value"].notna()].copy()
    if rows.empty:
        return rows.assign(rank=pd.Series(dtype="int64"))
    rows["sort_value"] = rows["value"].where(rows["direction"] == "higher", -rows["value"])
    rows["rank"] = rows.groupby(["indicator", "year"])["sort_value"].rank(method="min", ascending=False).astype(int)
    return rows.drop(columns="sort_value")


def default_year(table: pd.DataFrame) -> int | None:
    """The latest year in which at least half the indicators have a city figure: the year a meeting
    would look at first (the current year has only monthly and quarterly figures for most of it)."""
    if table.empty:
        return None
    city = table[table["district_code"] == table["district_code"].iloc[0]]
    covered = city[city["value"].notna()].groupby("year")["indicator"].nunique()
    enough = covered[covered >= table["indicator"].nunique() / 2]
    return int(enough.index.max()) if not enough.empty else int(table["year"].max())
