"""What the warehouse holds: the catalog and the submissions received."""
from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd


def indicator_catalog(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per indicator, in catalog order, with its targets as "2024年市级 30%；2025年市级 约50%",
    placeholders marked （待确认）; how many targets await confirmation, and how many are split to districts."""
    return con.execute("""
        SELECT i.code, i.area, i.action, i.name, i.kind, i.unit, i.direction, d.name AS lead, i.frequency,
               string_agg(t.year || '年' || t.level || '级 '
                          || CASE t.nature WHEN 'about' THEN '约' WHEN 'at_most' THEN '≤' ELSE '' END
                          || CASE WHEN t.value = round(t.value) THEN CAST(CAST(t.value AS BIGINT) AS VARCHAR)
                                  ELSE CAST(t.value AS VARCHAR) END || i.unit
                          || CASE WHEN t.provisional THEN '（待确认）' ELSE '' END,
                          '；' ORDER BY t.year, t.level) FILTER (WHERE t.district_code IS NULL) AS targets,
               count(t.value) FILTER (WHERE t.provisional) AS provisional_targets,
               count(t.value) FILTER (WHERE t.district_code IS NOT NULL) AS district_targets,
               any_value(i.note) AS note
        FROM indicator i
        JOIN department d ON d.code = i.lead_department
        LEFT JOIN target t ON t.indicator_code = i.code
        GROUP BY ALL
        ORDER BY any_value(i.sort_order)
    """).df()


def task_catalog(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The catalog's task list (任务, 成果, 政策) in sheet order: lead and co-departments by name, the due date
    (NULL when the plan gives none: 待确认) and the evidence expected."""
    return con.execute("""
        SELECT t.code, coalesce(t.category, '任务') AS category, t.action, t.name, d.name AS lead,
               (SELECT string_agg(c.name, '、' ORDER BY list_position(t.co_departments, c.code))
                FROM department c WHERE list_contains(t.co_departments, c.code)) AS co_departments,
               t.due_on, t.evidence, t.note, t.source
        FROM task t LEFT JOIN department d ON d.code = t.lead_department
        ORDER BY t.sort_order
    """).df()


def indicators_per_area(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Count of indicators in each of the five areas."""
    return con.execute("""
        SELECT area, count(*) AS indicators FROM indicator GROUP BY area ORDER BY min(sort_order)
    """).df()


def submission_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every examined file, newest first, with its outcome and problem counts."""
    return con.execute("""
        SELECT s.id, s.file_name, coalesce(d.name, s.department_code) AS department,
               array_to_string(s.periods, '、') AS periods, s.status, s.received_at,
               s.n_rows AS rows, s.n_errors AS errors, s.n_warnings AS warnings
        FROM submission s LEFT JOIN department d ON d.code = s.department_code
        ORDER BY s.received_at DESC, s.id DESC
    """).df()


def warehouse_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Sizes shown on the overview: indicators, departments, districts (without the city), submissions."""
    row = con.execute("""
        SELECT (SELECT count(*) FROM indicator),
               (SELECT count(DISTINCT lead_department) FROM indicator),
               (SELECT count(*) FROM district WHERE parent_code IS NOT NULL),
               (SELECT count(*) FROM submission WHERE status = 'accepted'),
               (SELECT count(*) FROM submission WHERE status = 'rejected')
    """).fetchall()[0]
    return dict(zip(("indicators", "departments", "districts", "accepted", "rejected"), row))


def departments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Departments with their contact, in code order."""
    return con.execute("SELECT code, name, contact, phone FROM department ORDER BY code").df()


def district_tiles(path, codes: list[str] | None = None) -> pd.DataFrame:
    """Schematic positions (row, col) of districts for the tile map, from data/district_tiles.csv (code, row,
    col, short). With `codes` (the areas shown): their positions there when it places every one of them;
    otherwise (another city's, a province's or the nation's areas) a plain grid in the order given, about
    4 columns for every 3 rows."""
    placed = pd.read_csv(path, dtype={"code": str}) if Path(path).exists() else pd.DataFrame(
        columns=["code", "row", "col", "short"])
    if codes is None:
        return placed
    if set(codes) <= set(placed["code"]):
        return placed[placed["code"].isin(codes)].reset_index(drop=True)
    width = max(1, math.ceil(math.sqrt(len(codes) * 4 / 3)))
    return pd.DataFrame({"code": list(codes), "row": [k // width for k in range(len(codes))],
                         "col": [k % width for k in range(len(codes))], "short": None})


def submission_history(con: duckdb.DuckDBPyConnection, department_code: str | None = None) -> pd.DataFrame:
    """Accepted and rejected submissions with whether each still counts (is current for some of its
    indicators and periods), its approval state (pending, approved, returned; None for a rejected file) and what
    it reverted to."""
    return con.execute("""
        WITH live AS (SELECT DISTINCT submission_id FROM current_submission())
        SELECT s.id, s.file_name, d.name AS department, array_to_string(s.periods, '、') AS periods, s.status,
               s.received_at, s.received_by, s.n_rows AS rows, s.revert_of,
               s.id IN (SELECT submission_id FROM live) AS current, a.state AS approval
        FROM submission s LEFT JOIN department d ON d.code = s.department_code
        LEFT JOIN approval_state() a ON a.submission_id = s.id
        WHERE ? IS NULL OR s.department_code = ?
        ORDER BY s.received_at DESC, s.id DESC
    """, [department_code, department_code]).df()


def returned_submissions(con: duckdb.DuckDBPyConnection, department_code: str) -> pd.DataFrame:
    """A department's files sent back by the checks (status rejected) that no later accepted file of the same
    department has replaced for any of their periods: one row per error, with the sheet, cell and message."""
    return con.execute("""
        SELECT s.id, s.file_name, array_to_string(s.periods, '、') AS periods, s.received_at, s.received_by,
               i.sheet, i.cell, i.message
        FROM submission s JOIN submission_issue i ON i.submission_id = s.id AND i.severity = 'error'
        WHERE s.status = 'rejected' AND s.department_code = ?
          AND NOT EXISTS (SELECT 1 FROM submission a WHERE a.department_code = s.department_code
                          AND a.status = 'accepted' AND a.received_at > s.received_at
                          AND list_has_any(a.periods, s.periods))
        ORDER BY s.received_at DESC, s.id DESC
    """, [department_code]).df()
