"""What changed between two moments (two meetings): submissions, values, statuses, targets met, ranks."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .progress import MET, NO_DATA, NOT_SPLIT, progress_table, rank_districts
from .values import city_code

UNJUDGED = (NO_DATA, NOT_SPLIT)

_VALUE_CHANGES = """
WITH a AS (SELECT * FROM current_observation(as_of := $a)),
     b AS (SELECT * FROM current_observation(as_of := $b))
SELECT b.indicator_code AS indicator, b.district_code, b.year, b.period,
       a.numerator AS numerator_before, b.numerator AS numerator_after,
       a.denominator AS denominator_before, b.denominator AS denominator_after,
       -- a rate is sent as 分子/分母: its value is computed as everywhere else (× 100 for %, × 1000 for ‰)
       coalesce(a.value, a.numerator / nullif(a.denominator, 0) * i.scale) AS value_before,
       coalesce(b.value, b.numerator / nullif(b.denominator, 0) * i.scale) AS value_after,
       CASE WHEN a.submission_id IS NULL THEN 'new' ELSE 'revised' END AS change,
       s.file_name, dp.name AS department, s.received_at, b.sheet,
       concat_ws(',', b.numerator_cell, b.denominator_cell, b.value_cell) AS cells,
       sa.file_name AS file_before, a.sheet AS sheet_before,
       nullif(concat_ws(',', a.numerator_cell, a.denominator_cell, a.value_cell), '') AS cells_before
FROM b
LEFT JOIN a USING (indicator_code, district_code, period)
JOIN submission s ON s.id = b.submission_id
LEFT JOIN submission sa ON sa.id = a.submission_id
LEFT JOIN department dp ON dp.code = s.department_code
LEFT JOIN indicator i ON i.code = b.indicator_code
WHERE a.submission_id IS DISTINCT FROM b.submission_id
  AND (a.submission_id IS NULL
       OR a.numerator IS DISTINCT FROM b.numerator OR a.denominator IS DISTINCT FROM b.denominator
       OR a.value IS DISTINCT FROM b.value)
ORDER BY s.received_at, b.indicator_code, b.district_code, b.period
"""

_SUBMISSIONS = """
SELECT s.id AS submission_id, s.file_name, dp.name AS department, array_to_string(s.periods, '、') AS periods,
       s.status, s.received_at, s.n_rows AS rows, s.n_errors AS errors,
       -- how the file reports: a month (2026-10), a quarter (2026-Q3), a year (2025), or task progress
       CASE WHEN s.shape = 'register' THEN 'register'
            WHEN len(s.periods) = 0 THEN 'tasks'
            WHEN s.periods[1] LIKE '%-Q%' THEN 'quarter'
            WHEN s.periods[1] LIKE '%-%' THEN 'month'
            ELSE 'year' END AS frequency,
       (SELECT count(DISTINCT o.indicator_code || '|' || o.district_code || '|' || o.period)
          FROM observation o WHERE o.submission_id = s.id) AS figures,
       EXISTS (SELECT 1 FROM reported() now JOIN reported() earlier
                 ON earlier.department_code = now.department_code AND earlier.indicator_code = now.indicator_code
                AND earlier.period = now.period AND earlier.received_at < now.received_at
               WHERE now.submission_id = s.id) AS revises
FROM submission s LEFT JOIN department dp ON dp.code = s.department_code
WHERE s.received_at > $a AND s.received_at <= $b
ORDER BY s.received_at
"""

_REJECTED_PROBLEMS = """
SELECT s.id AS submission_id, s.file_name, dp.name AS department, i.sheet, i.cell, i.value, i.message
FROM submission s
JOIN submission_issue i ON i.submission_id = s.id AND i.severity = 'error'
LEFT JOIN department dp ON dp.code = s.department_code
WHERE s.status = 'rejected' AND s.received_at > $a AND s.received_at <= $b
ORDER BY s.received_at, s.id
"""


def diff(con: duckdb.DuckDBPyConnection, as_of_a: dt.datetime, as_of_b: dt.datetime,
         year: int | None = None, area: str | None = None) -> dict[str, pd.DataFrame]:
    """Changes between `as_of_a` and `as_of_b`:

    - submissions: files received in between, and whether each revises an earlier one;
    - values: figures new or revised, old value → new value, with who and when, and the file, sheet and
      cells of both;
    - problems: the cell-level errors of files rejected in between;
    - status: (indicator, district, year) whose status changed;
    - met: the subset of status changes that newly reach 已达标;
    - rank: districts whose rank moved, per indicator and year.
    `year` limits status and rank to one year (default: every year); `area` limits them to that area and the
    areas right under it (default: every area).
    """
    params = {"a": as_of_a, "b": as_of_b}
    before = progress_table(con, year, as_of_a, area=area)
    after = progress_table(con, year, as_of_b, area=area)
    keys = ["indicator", "district_code", "year"]
    both = after.merge(before[keys + ["status", "value", "met"]], on=keys, suffixes=("", "_before"))
    # a change between two figures without a status word (无数据 → 未分解) is not a change officials discuss
    judged = ~(both["status"].isin(UNJUDGED) & both["status_before"].isin(UNJUDGED))
    status = both[(both["status"].fillna("") != both["status_before"].fillna("")) & judged][
        keys + ["indicator_name", "district", "status_before", "status", "value_before", "value", "target",
                "met_before", "met", "sign"]]
    met = status[(status["status"] == MET)]
    city = area or city_code(con)
    ranks = rank_districts(after[after["district_code"] != city])
    ranks_before = rank_districts(before[before["district_code"] != city])
    rank = ranks.merge(ranks_before[keys + ["rank"]], on=keys, suffixes=("", "_before"))
    rank = rank[rank["rank"] != rank["rank_before"]][keys + ["indicator_name", "district", "rank_before", "rank"]]
    return {
        "submissions": con.execute(_SUBMISSIONS, params).df(),
        "values": con.execute(_VALUE_CHANGES, params).df(),
        "problems": con.execute(_REJECTED_PROBLEMS, params).df(),
        "status": status.reset_index(drop=True),
        "met": met.reset_index(drop=True),
        "rank": rank.reset_index(drop=True),
    }
