"""The plan's task list (任务清单): each task's state as last reported, and 逾期 when its due date
passed before it was reported 已完成."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .values import FOREVER

NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE = "未启动", "推进中", "已完成", "逾期"
AWAITING_EVIDENCE = "待佐证"   # reported 已完成 with nothing that proves it
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED, AWAITING_EVIDENCE, OVERDUE)
# what needs the office first: 逾期, then 待佐证, then the rest as they go; 已完成 last
ATTENTION = {OVERDUE: 0, AWAITING_EVIDENCE: 1, IN_PROGRESS: 2, NOT_STARTED: 3, COMPLETED: 4}


def task_status(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None,
                on: dt.date | None = None) -> pd.DataFrame:
    """One row per task: the latest update counted at `as_of` (accepted and approved by then) (未启动 when none), the evidence
    attached by then (files and 文号), and the state shown: 逾期 when not 已完成 and `on` is past the due date;
    待佐证 when reported 已完成 with neither evidence in the update nor a piece attached."""
    on = on or (as_of.date() if as_of else dt.date.today())
    tasks = con.execute("""
        WITH latest AS (
            SELECT u.*, s.received_at, s.file_name, dp.name AS reported_by
            FROM task_update u
            JOIN submission s ON s.id = u.submission_id
            LEFT JOIN department dp ON dp.code = s.department_code
            WHERE s.id IN (SELECT id FROM counted_submission(as_of := $as_of))   -- approved by then
            QUALIFY row_number() OVER (PARTITION BY u.task_code ORDER BY s.received_at DESC, s.id DESC) = 1
        ),
        attached AS (
            SELECT task_code, count(*) AS pieces, max(received_at) AS evidence_at,
                   string_agg(coalesce(doc_number, file_name), '；' ORDER BY received_at) AS attached
            FROM task_evidence WHERE received_at <= $as_of GROUP BY task_code
        )
        SELECT t.code, coalesce(t.category, '任务') AS category, t.action, t.name, d.name AS department, t.due_on, t.evidence AS evidence_expected,
               coalesce(l.state, $not_started) AS reported_state, l.updated_on,
               nullif(concat_ws('；', nullif(trim(l.evidence), ''), a.attached), '') AS evidence, l.note,
               l.received_at, l.file_name, l.sheet, l.state_cell, coalesce(a.pieces, 0) AS pieces, a.evidence_at
        FROM task t
        LEFT JOIN latest l ON l.task_code = t.code
        LEFT JOIN attached a ON a.task_code = t.code
        LEFT JOIN department d ON d.code = t.lead_department
        ORDER BY t.sort_order
    """, {"as_of": as_of or FOREVER, "not_started": NOT_STARTED}).df()
    # compared as timestamps: a list whose every due date is missing (西青区) is all NaT, never late
    due = pd.to_datetime(tasks["due_on"])
    late = (tasks["reported_state"] != COMPLETED) & (due < pd.Timestamp(on))
    unproven = (tasks["reported_state"] == COMPLETED) & tasks["evidence"].isna()
    tasks["state"] = tasks["reported_state"].where(~late, OVERDUE).where(~unproven, AWAITING_EVIDENCE)
    return tasks


def attention_first(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks with 逾期 first, then 待佐证, 推进中, 未启动 and 已完成; the plan's order within each state."""
    if tasks.empty:
        return tasks
    return tasks.sort_values("state", key=lambda s: s.map(ATTENTION).fillna(len(ATTENTION)), kind="stable")


def state_counts(tasks: pd.DataFrame) -> dict[str, int]:
    """How many tasks are in each state, every state named (0 when none): 未启动, 推进中, 已完成, 待佐证, 逾期."""
    counts = tasks["state"].value_counts() if not tasks.empty else {}
    return {state: int(counts.get(state, 0)) for state in STATES}


def task_history(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """Every counted (accepted, approved) update of a task, oldest first, with the file and cell it came from."""
    return con.execute("""
        SELECT s.received_at, u.state, u.updated_on, u.evidence, u.note, s.file_name, u.sheet, u.state_cell
        FROM task_update u JOIN submission s ON s.id = u.submission_id
        WHERE u.task_code = ? AND s.id IN (SELECT id FROM counted_submission()) ORDER BY s.received_at, s.id
    """, [code]).df()


def evidence_pieces(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """The evidence attached to a task (files and 文号), oldest first: what was kept, when and by whom."""
    return con.execute("""
        SELECT received_at, kind, coalesce(doc_number, file_name) AS piece, file_type, size_bytes, received_by
        FROM task_evidence WHERE task_code = ? ORDER BY received_at
    """, [code]).df()
