"""The plan's task list (任务清单): each task's state as last reported, and 逾期 when its due date
passed before it was reported 已完成."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .values import FOREVER

NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE = "未启动", "推进中", "已完成", "逾期"
AWAITING_EVIDENCE = "待佐证"   # reported 已完成 with nothing that proves it


def task_status(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                on: dt.date | None = None) -> pd.DataFrame:
    """One row per task: the latest accepted update received by `as_of` (未启动 when none), the evidence
    attached by then (files and 文号), and the state shown: 逾期 when not 已完成 and `on` is past the due date;
    待佐证 when reported 已完成 with neither evidence in the update nor a piece attached."""
    on = on or (as_of.date() if as_of else dt.date.today())
    tasks = con.execute("""
        WITH latest AS (
            SELECT u.*, s.received_at, s.file_name, dp.name AS reported_by
            FROM task_update u
            JOIN submission s ON s.id = u.submission_id
            LEFT JOIN department dp ON dp.code = s.department_code
            WHERE s.status = 'accepted' AND s.received_at <= $as_of
            QUALIFY row_number() OVER (PARTITION BY u.task_code ORDER BY s.received_at DESC, s.id DESC) = 1
        ),
        attached AS (
            SELECT task_code, count(*) AS pieces,
                   string_agg(coalesce(doc_number, file_name), '；' ORDER BY received_at) AS attached
            FROM task_evidence WHERE received_at <= $as_of GROUP BY task_code
        )
        SELECT t.code, t.action, t.name, d.name AS department, t.due_on, t.evidence AS evidence_expected,
               coalesce(l.state, $not_started) AS reported_state, l.updated_on,
               nullif(concat_ws('；', nullif(trim(l.evidence), ''), a.attached), '') AS evidence, l.note,
               l.received_at, l.file_name, l.sheet, l.state_cell, coalesce(a.pieces, 0) AS pieces
        FROM task t
        LEFT JOIN latest l ON l.task_code = t.code
        LEFT JOIN attached a ON a.task_code = t.code
        LEFT JOIN department d ON d.code = t.lead_department
        ORDER BY t.sort_order
    """, {"as_of": as_of or FOREVER, "not_started": NOT_STARTED}).df()
    due = pd.to_datetime(tasks["due_on"]).dt.date
    late = (tasks["reported_state"] != COMPLETED) & (due < on)
    unproven = (tasks["reported_state"] == COMPLETED) & tasks["evidence"].isna()
    tasks["state"] = tasks["reported_state"].where(~late, OVERDUE).where(~unproven, AWAITING_EVIDENCE)
    return tasks


def task_history(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """Every accepted update of a task, oldest first, with the file and cell it came from."""
    return con.execute("""
        SELECT s.received_at, u.state, u.updated_on, u.evidence, u.note, s.file_name, u.sheet, u.state_cell
        FROM task_update u JOIN submission s ON s.id = u.submission_id
        WHERE u.task_code = ? AND s.status = 'accepted' ORDER BY s.received_at, s.id
    """, [code]).df()
