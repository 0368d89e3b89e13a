"""Quality checks on the figures currently held. Each returns the rows that break it."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from warehouse.config import settings

from .values import FOREVER, district_values, indicator_meta


def coverage_above_full(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Rates above 100 % (numerator > denominator) where the catalog says they cannot be."""
    values = district_values(con, None, as_of).merge(indicator_meta(con), left_on="indicator", right_on="code")
    bounded = values["kind"].isin(["rate", "register"]) & (values["upper_bound"].fillna(100) <= values["scale"].fillna(100))
    return values[bounded & (values["numerator"] > values["denominator"])][
        ["indicator", "district_code", "year", "numerator", "denominator", "value"]].reset_index(drop=True)


def year_on_year(con, as_of=None) -> pd.DataFrame:
    """Each district's latest figure in a year beside the same period a year earlier
    (2026-10 beside 2025-10: monthly and quarterly figures are cumulative within the year)."""
    return con.execute("""
        WITH obs AS (SELECT * FROM current_observation(as_of := $as_of)),
        latest AS (
            SELECT * FROM obs
            QUALIFY row_number() OVER (PARTITION BY indicator_code, district_code, year
                                       ORDER BY period_end(period) DESC, length(period)) = 1
        )
        SELECT l.indicator_code AS indicator, l.district_code, l.year, l.period, i.kind, i.unit,
               l.denominator, p.denominator AS denominator_prev,
               CASE WHEN i.kind = 'rate' THEN l.numerator / nullif(l.denominator, 0) * i.scale ELSE l.value END AS value,
               CASE WHEN i.kind = 'rate' THEN p.numerator / nullif(p.denominator, 0) * i.scale ELSE p.value END AS value_prev
        FROM latest l
        JOIN obs p ON p.indicator_code = l.indicator_code AND p.district_code = l.district_code
                  AND p.period = CAST(l.year - 1 AS VARCHAR) || substr(l.period, 5)
        JOIN indicator i ON i.code = l.indicator_code
        ORDER BY i.sort_order, l.district_code, l.year
    """, {"as_of": as_of or FOREVER}).df()


def value_jumps(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                points: float | None = None, share: float | None = None) -> pd.DataFrame:
    """Year-on-year moves beyond a threshold: rates by more than `points` percentage points
    (‰ points for ‰ rates), counts by more than `share` of last year's figure (counts below
    `denominator_jump_min` on both sides are not compared)."""
    cfg = settings()
    points = cfg.jump_points if points is None else points
    share = cfg.jump_share if share is None else share
    both = year_on_year(con, as_of)
    change = both["value"] - both["value_prev"]
    is_count = both["kind"] == "count"
    big_enough = both[["value", "value_prev"]].max(axis=1) >= cfg.denominator_jump_min
    too_far = (~is_count & (change.abs() > points)) | (
        is_count & big_enough & (both["value_prev"] > 0) & ((change / both["value_prev"]).abs() > share))
    return both[too_far][["indicator", "district_code", "year", "value_prev", "value", "unit"]].reset_index(drop=True)


def denominator_shifts(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                       limit: float | None = None) -> pd.DataFrame:
    """Denominators that moved more than `limit` (default 20 %) from the year before."""
    cfg = settings()
    limit = cfg.denominator_jump if limit is None else limit
    both = year_on_year(con, as_of)
    both = both[(both["denominator_prev"] > 0) & (both[["denominator", "denominator_prev"]].max(axis=1)
                                                  >= cfg.denominator_jump_min)]
    moved = (both["denominator"] / both["denominator_prev"] - 1).abs() > limit
    return both[moved][["indicator", "district_code", "year", "denominator_prev", "denominator"]].reset_index(drop=True)


def districts_above_city_total(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Where the current district figures sum above the 合计 a department reported for the city
    (district figures revised after the total was sent show up here)."""
    return con.execute("""
        WITH totals AS (
            SELECT t.* FROM reported_total t JOIN submission s ON s.id = t.submission_id
            WHERE s.id IN (SELECT id FROM counted_submission(as_of := $as_of))
            QUALIFY row_number() OVER (PARTITION BY t.indicator_code, t.period
                                       ORDER BY s.received_at DESC, s.id DESC) = 1
        ),
        sums AS (
            SELECT indicator_code, period, sum(numerator) AS numerator, sum(denominator) AS denominator,
                   sum(value) AS value
            FROM current_observation(as_of := $as_of) GROUP BY ALL
        )
        SELECT t.indicator_code AS indicator, t.period, field, reported, summed
        FROM totals t JOIN sums USING (indicator_code, period),
        LATERAL (VALUES ('numerator', t.numerator, sums.numerator), ('denominator', t.denominator, sums.denominator),
                        ('value', t.value, sums.value)) AS x(field, reported, summed)
        WHERE reported IS NOT NULL AND summed > reported + 1e-6
        ORDER BY ALL
    """, {"as_of": as_of or FOREVER}).df()


CHECKS = {  # name: (title, what it means, check)
    "districts_above_city_total": ("区县之和超过全市合计", "各区县现有数字之和大于部门报送的合计行（常见于合计报送后又更正了某个区县）。",
                                   districts_above_city_total),
    "coverage_above_full": ("覆盖率超过100%", "分子大于分母的比率。", coverage_above_full),
    "value_jumps": ("同比变动过大", "比率与上年同期相比变动超过 {points:g} 个百分点，或数量变动超过 {share:.0%}。",
                    value_jumps),
    "denominator_shifts": ("分母突变", "分母与上年同期相比变动超过 {limit:.0%}。", denominator_shifts),
}


def describe(name: str) -> str:
    """The check's explanation in Chinese, with the thresholds in force."""
    cfg = settings()
    return CHECKS[name][1].format(points=cfg.jump_points, share=cfg.jump_share, limit=cfg.denominator_jump)


def quality_report(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """Every check's offending rows, keyed by check name."""
    return {name: check(con, as_of) for name, (_, _, check) in CHECKS.items()}
