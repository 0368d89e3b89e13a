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

from .progress import progress_table
from .sql import FOREVER  # noqa: F401  (re-exported: the moment meaning "everything so far")

VALUE_COLUMNS = ["indicator", "district_code", "year", "period", "numerator", "denominator", "value", "complete",
                 "districts_reported"]


def district_values(con: duckdb.DuckDBPyConnection, year: int | None = None,
                    as_of: dt.datetime | None = None) -> pd.DataFrame:
    """One row per indicator × district × year that has data (the figure rows of progress.sql).

    - rate: value = Σnumerator ÷ Σdenominator × scale (100 for %, 1000 for ‰)
    - count 年度: value = the year's figure (the latest period: year-to-date)
    - count 累计, reported as 累计数: value = the running total as reported
    - count 累计, reported as 当年新增: value = the district's baseline (基线 sheet) + Σ additions after
      the baseline year; without a district baseline, the additions alone (its contribution)
    - register: numerator = units flagged 是; denominator = units of the district in the master list
    - yesno: numerator = 1 for 是, 0 for 否; denominator = 1; value = share × 100
    A district with no data has no row: it is missing, never zero.
    """
    table = progress_table(con, year, as_of, "district")
    return table[table["period"].notna()][VALUE_COLUMNS].reset_index(drop=True)


def city_values(con: duckdb.DuckDBPyConnection, year: int | None = None,
                as_of: dt.datetime | None = None, indicators: list[str] | None = None) -> pd.DataFrame:
    """The city's row per indicator × year, rolled up from its districts (the city rows of progress.sql).

    rate, register and yesno: value = Σnumerator ÷ Σdenominator × scale over reporting districts,
    never a mean of the districts' rates. count: Σ of the districts' figures; a cumulative count
    reported as additions: the city baseline + Σ every district's additions after the baseline year.
    `districts_reported` says how many districts the figure covers; `complete` is true only when
    every district reported, all for the same period, and each district's figure is whole.
    `indicators`: only these codes (every indicator when None).
    """
    table = progress_table(con, year, as_of, "city", indicators=indicators)
    return table[table["period"].notna()][VALUE_COLUMNS].reset_index(drop=True)


def indicator_meta(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The catalog's indicator rows with their lead department's name."""
    return con.execute("""
        SELECT i.*, d.name AS lead_name FROM indicator i
        LEFT JOIN department d ON d.code = i.lead_department ORDER BY i.sort_order
    """).df()


def city_code(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT code FROM district WHERE parent_code IS NULL").fetchall()
    return rows[0][0] if rows else ""


def districts(con: duckdb.DuckDBPyConnection, place: str | None = None) -> pd.DataFrame:
    """The areas right under `place` (the root when None: the city's districts), in catalog order."""
    return con.execute("""
        SELECT code, name, kind FROM district
        WHERE parent_code = coalesce($place, (SELECT code FROM district WHERE parent_code IS NULL))
        ORDER BY sort_order""", {"place": place}).df()


def area_names(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """Every area's name by code (the root, the levels between, the districts)."""
    return con.execute("SELECT code, name FROM district ORDER BY sort_order").df().set_index("code")["name"]


def places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every area with areas under it (the root first, then each level in catalog order), with its depth:
    the places whose figures and children a page can show. One row for a city with districts only."""
    return con.execute("""
        WITH RECURSIVE tree(code, name, depth, path) AS (
            SELECT code, name, 0, [sort_order] FROM district WHERE parent_code IS NULL
            UNION ALL
            SELECT d.code, d.name, t.depth + 1, list_append(t.path, d.sort_order)
            FROM district d JOIN tree t ON d.parent_code = t.code
        )
        SELECT code, name, depth FROM tree
        WHERE code IN (SELECT parent_code FROM district WHERE parent_code IS NOT NULL)
        ORDER BY path""").df()
