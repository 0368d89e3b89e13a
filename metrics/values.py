"""Indicator values by district and year, and their roll-up to the city.

All figures come from `current_observation(as_of)` / `current_register_entry(as_of)`:
for each department, indicator and period the latest accepted submission
received by `as_of`. Within a year the latest period counts (monthly and
quarterly figures are cumulative); an annual figure outranks a December one.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

FOREVER = dt.datetime(9999, 12, 31)

_DISTRICT_VALUES = """
WITH obs AS (
    SELECT o.*, period_end(o.period) AS period_end
    FROM current_observation(as_of := $as_of) o
),
latest AS (
    SELECT * FROM obs
    QUALIFY row_number() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end DESC, length(period)) = 1
),
table_values AS (
    SELECT l.indicator_code, l.district_code, l.year, l.period,
           CASE WHEN i.kind = 'yesno' THEN l.value ELSE l.numerator END AS numerator,
           CASE WHEN i.kind = 'yesno' THEN 1.0 ELSE l.denominator END AS denominator,
           CASE WHEN i.kind = 'count' AND i.accumulation = 'cumulative' AND i.reporting_basis = 'additions'
                THEN sum(l.value) OVER (PARTITION BY l.indicator_code, l.district_code ORDER BY l.year
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                WHEN i.kind = 'count' THEN l.value END AS count_value,
           count(*) OVER (PARTITION BY l.indicator_code, l.district_code ORDER BY l.year
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS years_summed,
           -- years since the indicator's first report from any district
           l.year - min(l.year) OVER (PARTITION BY l.indicator_code) + 1 AS years_spanned
    FROM latest l JOIN indicator i ON i.code = l.indicator_code
),
register_latest AS (
    SELECT r.* FROM current_register_entry(as_of := $as_of) r
    QUALIFY dense_rank() OVER (PARTITION BY indicator_code, district_code, year
                               ORDER BY period_end(period) DESC, length(period)) = 1
),
register_values AS (
    SELECT r.indicator_code, r.district_code, r.year, any_value(r.period) AS period,
           CAST(count(*) FILTER (WHERE r.flag) AS DOUBLE) AS numerator,
           CAST((SELECT count(*) FROM community c WHERE c.district_code = r.district_code) AS DOUBLE) AS denominator,
           NULL::DOUBLE AS count_value, 1 AS years_summed, 1 AS years_spanned
    FROM register_latest r
    GROUP BY r.indicator_code, r.district_code, r.year
)
SELECT v.indicator_code AS indicator, v.district_code, v.year, v.period, v.numerator, v.denominator,
       CASE WHEN i.kind = 'count' THEN v.count_value
            WHEN v.denominator > 0 THEN v.numerator / v.denominator * coalesce(i.scale, 100) END AS value,
       -- a cumulative sum of yearly additions is whole only if no year in between is missing
       (i.kind <> 'count' OR i.accumulation <> 'cumulative' OR i.reporting_basis <> 'additions'
        OR v.years_summed = v.years_spanned) AS complete
FROM (SELECT * FROM table_values UNION ALL BY NAME SELECT * FROM register_values) v
JOIN indicator i ON i.code = v.indicator_code
WHERE $year IS NULL OR v.year = $year
ORDER BY i.sort_order, v.district_code, v.year
"""


def district_values(con: duckdb.DuckDBPyConnection, year: int | None = None,
                    as_of: dt.datetime | None = None) -> pd.DataFrame:
    """One row per indicator × district × year that has data.

    - rate: value = Σnumerator ÷ Σdenominator × scale (100 for %, 1000 for ‰)
    - count 年度: value = the year's figure
    - count 累计, reported as 累计数: value = the running total as reported
    - count 累计, reported as 当年新增: value = Σ of the year's additions over all years up to this one
    - register: numerator = units flagged 是; denominator = units of the district in the master list
    - yesno: numerator = 1 for 是, 0 for 否; denominator = 1; value = share × 100
    A district with no data has no row: it is missing, never zero.
    """
    params = {"as_of": as_of or FOREVER, "year": year}
    return con.execute(_DISTRICT_VALUES, params).df()


def city_values(con: duckdb.DuckDBPyConnection, year: int | None = None,
                as_of: dt.datetime | None = None, districts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The city's row per indicator × year, rolled up from its districts.

    rate, register and yesno: value = Σnumerator ÷ Σdenominator × scale over reporting districts,
    never a mean of the districts' rates. count: value = Σ of the districts' values.
    `districts_reported` says how many districts the figure covers; `complete` is true only when
    every district reported, all for the same period, and each district's figure is whole.
    """
    d = district_values(con, year, as_of) if districts is None else districts
    meta = indicator_meta(con)
    if d.empty:
        return d.assign(districts_reported=pd.Series(dtype="int64"))
    grouped = d.groupby(["indicator", "year"], sort=False).agg(
        period=("period", "max"), numerator=("numerator", lambda s: s.sum(min_count=1)),
        denominator=("denominator", lambda s: s.sum(min_count=1)), count_sum=("value", "sum"),
        complete=("complete", "all"), districts_reported=("district_code", "nunique"),
        periods=("period", "nunique")).reset_index()
    grouped = grouped.merge(meta[["code", "kind", "scale"]], left_on="indicator", right_on="code", how="left")
    rate = grouped["kind"] != "count"
    grouped["value"] = grouped["count_sum"].where(~rate, grouped["numerator"] / grouped["denominator"]
                                                  * grouped["scale"].fillna(100))
    grouped.loc[rate & ~(grouped["denominator"] > 0), "value"] = float("nan")
    grouped.loc[~rate, ["numerator", "denominator"]] = float("nan")
    n_districts = con.execute("SELECT count(*) FROM district WHERE parent_code IS NOT NULL").fetchall()[0][0]
    # whole only when every district reported, for the same period, with whole figures
    grouped["complete"] = grouped["complete"] & (grouped["districts_reported"] == n_districts) & (
        grouped["periods"] == 1)
    grouped["district_code"] = city_code(con)
    return grouped[["indicator", "district_code", "year", "period", "numerator", "denominator", "value",
                    "complete", "districts_reported"]]


def indicator_meta(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The catalog's indicator rows with their lead department's name."""
    return con.execute("""
        SELECT i.*, d.name AS lead_name FROM indicator i
        LEFT JOIN department d ON d.code = i.lead_department ORDER BY i.sort_order
    """).df()


def city_code(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT code FROM district WHERE parent_code IS NULL").fetchall()
    return rows[0][0] if rows else ""


def districts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All districts below the city, in catalog order."""
    return con.execute(
        "SELECT code, name, kind FROM district WHERE parent_code IS NOT NULL ORDER BY sort_order").df()
