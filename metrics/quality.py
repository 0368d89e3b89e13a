"""Quality checks on the figures currently held. Each returns the rows that break it."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from warehouse.config import settings

from .values import FOREVER


def coverage_above_full(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                        year: int | None = None) -> pd.DataFrame:
    """Rates above 100 % (numerator > denominator) where the catalog says they cannot be: value =
    numerator ÷ denominator × scale, for the district figures held (of `year`, or every year)."""
    return con.execute("""
        SELECT o.indicator_code AS indicator, o.district_code, o.year, o.numerator, o.denominator,
               o.numerator / o.denominator * i.scale AS value
        FROM current_observation(as_of := $as_of) o JOIN indicator_at(as_of := $as_of) i ON i.code = o.indicator_code
        WHERE i.kind = 'rate' AND coalesce(i.upper_bound, 100) <= coalesce(i.scale, 100) AND o.numerator > o.denominator
          AND ($year IS NULL OR period_in_years(o.period, $year, $year))
        ORDER BY i.sort_order, o.district_code, o.year
    """, {"as_of": as_of or FOREVER, "year": year}).df()


def year_on_year(con, as_of=None, year: int | None = None, where: str = "TRUE", **params) -> pd.DataFrame:
    """Each district's latest figure in a year (of `year`, or every year) beside the same period a year
    earlier (2026-10 beside 2025-10: monthly and quarterly figures are cumulative within the year); value =
    numerator ÷ denominator × scale for a rate, else the value. `where`: a condition on the pairs (this
    module's own text; its values bound as `params`), applied in DuckDB."""
    return con.execute("""
        WITH obs AS (   -- of the year and the one before, by a range of periods ("2024" … "2025-12"), which DuckDB
                        -- can push under current_observation's window (a period is one of its keys)
            SELECT * FROM current_observation(as_of := $as_of)
            WHERE $year IS NULL OR period_in_years(period, $year - 1, $year)),
        latest AS (
            SELECT * FROM obs WHERE $year IS NULL OR year = $year
            QUALIFY row_number() OVER (PARTITION BY indicator_code, district_code, year
                                       ORDER BY period_end(period) DESC, length(period)) = 1
        ),
        pairs AS (
            SELECT l.indicator_code AS indicator, l.district_code, l.year, l.period, i.kind, i.unit, i.sort_order,
                   l.denominator, p.denominator AS denominator_prev,
                   CASE WHEN i.kind = 'rate' THEN l.numerator / nullif(l.denominator, 0) * i.scale ELSE l.value END
                       AS value,
                   CASE WHEN i.kind = 'rate' THEN p.numerator / nullif(p.denominator, 0) * i.scale ELSE p.value END
                       AS value_prev
            FROM latest l
            JOIN obs p ON p.indicator_code = l.indicator_code AND p.district_code = l.district_code
                      AND p.period = year_before(l.period)
            JOIN indicator_at(as_of := $as_of) i ON i.code = l.indicator_code
        )
        SELECT * EXCLUDE (sort_order) FROM pairs WHERE """ + where + """
        ORDER BY sort_order, district_code, year
    """, {"as_of": as_of or FOREVER, "year": year, **params}).df()


def value_jumps(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                points: float | None = None, share: float | None = None, year: int | None = None) -> pd.DataFrame:
    """Year-on-year moves beyond a threshold: rates by more than `points` percentage points
    (‰ points for ‰ rates), counts by more than `share` of last year's figure (counts below
    `denominator_jump_min` on both sides are not compared)."""
    cfg = settings()
    both = year_on_year(con, as_of, year, _JUMPS, points=cfg.jump_points if points is None else points,
                        share=cfg.jump_share if share is None else share, smallest=cfg.denominator_jump_min)
    return both[["indicator", "district_code", "year", "value_prev", "value", "unit"]]


_JUMPS = """(kind <> 'count' AND abs(value - value_prev) > $points)
            OR (kind = 'count' AND greatest(value, value_prev) >= $smallest AND value_prev > 0
                AND abs((value - value_prev) / value_prev) > $share)"""


def denominator_shifts(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                       limit: float | None = None, year: int | None = None) -> pd.DataFrame:
    """Denominators that moved more than `limit` (default 20 %) from the year before (both below
    `denominator_jump_min`: not compared)."""
    cfg = settings()
    both = year_on_year(con, as_of, year, _SHIFTS, limit=cfg.denominator_jump if limit is None else limit,
                        smallest=cfg.denominator_jump_min)
    return both[["indicator", "district_code", "year", "denominator_prev", "denominator"]]


_SHIFTS = """denominator_prev > 0 AND greatest(denominator, denominator_prev) >= $smallest
             AND abs(denominator / denominator_prev - 1) > $limit"""


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


def quality_report(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                   year: int | None = None) -> dict[str, pd.DataFrame]:
    """Every check's offending rows (of `year` where the check has years), keyed by check name. Each is
    selected in DuckDB: a national warehouse's figures are never all held in pandas."""
    return {name: check(con, as_of) if name in _NO_YEAR else check(con, as_of, year=year)
            for name, (_, _, check) in CHECKS.items()}


_NO_YEAR = {"districts_above_city_total"}   # by period, against the 合计 of each
