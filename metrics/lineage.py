"""Lineage: the submitted rows behind any figure, with file, sheet, cell and time."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .values import FOREVER, city_code

_TABLE_ROWS = """
WITH latest AS (
    SELECT o.* FROM current_observation(as_of := $as_of) o
    WHERE o.indicator_code = $indicator AND o.year <= $year
      AND ($district IS NULL OR o.district_code = $district)
    QUALIFY row_number() OVER (PARTITION BY o.district_code, o.year
                               ORDER BY period_end(o.period) DESC, length(o.period)) = 1
)
SELECT l.indicator_code AS indicator, l.district_code, dd.name AS district, l.year, l.period,
       l.numerator, l.denominator, l.value, s.file_name, l.sheet,
       concat_ws(',', l.numerator_cell, l.denominator_cell, l.value_cell) AS cells,
       dp.name AS department, s.received_at, s.id AS submission_id
FROM latest l
JOIN submission s ON s.id = l.submission_id
JOIN indicator i ON i.code = l.indicator_code
LEFT JOIN district dd ON dd.code = l.district_code
LEFT JOIN department dp ON dp.code = s.department_code
-- earlier years matter only where the figure sums yearly additions
WHERE l.year = $year OR (i.accumulation = 'cumulative' AND i.reporting_basis = 'additions')
ORDER BY l.district_code, l.year
"""

_REGISTER_ROWS = """
SELECT r.indicator_code AS indicator, r.district_code, dd.name AS district, r.year, r.period,
       c.street, c.name AS community, r.flag, s.file_name, r.sheet, r.flag_cell AS cells,
       dp.name AS department, s.received_at, s.id AS submission_id
FROM current_register_entry(as_of := $as_of) r
JOIN submission s ON s.id = r.submission_id
JOIN community c ON c.code = r.community_code
LEFT JOIN district dd ON dd.code = r.district_code
LEFT JOIN department dp ON dp.code = s.department_code
WHERE r.indicator_code = $indicator AND r.year = $year AND ($district IS NULL OR r.district_code = $district)
ORDER BY r.district_code, r.row_number
"""


def lineage(con: duckdb.DuckDBPyConnection, indicator: str, district_code: str, year: int,
            as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The rows a figure is computed from. For the city, every district's rows; for a register
    indicator, one row per unit; for a sum of yearly additions, every year up to `year`."""
    district = None if district_code == city_code(con) else district_code
    params = {"as_of": as_of or FOREVER, "indicator": indicator, "year": year, "district": district}
    kind = con.execute("SELECT kind FROM indicator WHERE code = ?", [indicator]).fetchall()
    sql = _REGISTER_ROWS if kind and kind[0][0] == "register" else _TABLE_ROWS
    return con.execute(sql, params).df()
