"""Breakdowns (分组): an indicator's figure by 性别, 年龄组 or 城乡 beside its total."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from warehouse.breakdowns import DIMENSIONS, parts_of

from .sql import FOREVER, query


def breakdown_values(con: duckdb.DuckDBPyConnection, year: int | None = None, indicator: str | None = None,
                     dimension: str | None = None, as_of: dt.datetime | None = None,
                     level: str = "all") -> pd.DataFrame:
    """One row per indicator × area × year × dimension × part with data.

    - district: the part as reported in the file that holds the district's current figure (same submission
      and period); a register's 城乡 parts: units flagged 是 ÷ units of that kind in the master list
    - city: Σnumerator ÷ Σdenominator × scale over the districts that reported the part (never a mean
      of district rates); counts: Σ figures. `districts_reported` says how many districts it covers.
    - gap_to_best = value − the highest part's value in the same area, year and dimension (≤ 0);
      best_part names that part.
    """
    return query(con, "breakdown.sql", {"as_of": as_of or FOREVER, "year": year, "indicator": indicator,
                                        "dimension": dimension, "level": level})


def part_choices(con: duckdb.DuckDBPyConnection, indicator: str) -> list[tuple[str, str]]:
    """(dimension, part) pairs the catalog lets this indicator be reported by, in the order shown."""
    row = con.execute("SELECT breakdowns, age_groups FROM indicator WHERE code = ?", [indicator]).fetchall()
    if not row:
        return []
    dims, ages = row[0][0] or [], tuple(row[0][1] or ())
    return [(d, p) for d in DIMENSIONS if d in dims for p in parts_of(d, ages)]
